"""Every test run gets its own runtime folder (database files, broker, library,
director state), so tests never touch a developer's running game."""

import os
import tempfile

RUNTIME = os.environ.setdefault("MUD_RUNTIME_DIR", tempfile.mkdtemp(prefix="tera-test-runtime-"))


def pytest_configure(config):
    from django.conf import settings

    settings.RUNTIME_DIR = RUNTIME
