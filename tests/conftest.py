"""Every test run gets its own runtime folder (database files, broker, library,
director state), so tests never touch a developer's running game; with
`pytest -n 2` (what `make test` runs) each worker gets its own."""

import os
import tempfile

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:  # the controller's folder was inherited: each worker has its own inside it
    os.environ["MUD_RUNTIME_DIR"] = os.path.join(os.environ["MUD_RUNTIME_DIR"], _worker)
RUNTIME = os.environ.setdefault("MUD_RUNTIME_DIR", tempfile.mkdtemp(prefix="tera-test-runtime-"))
os.makedirs(RUNTIME, mode=0o700, exist_ok=True)


def pytest_configure(config):
    from django.conf import settings

    settings.RUNTIME_DIR = RUNTIME
