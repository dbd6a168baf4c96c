"""Loader tests break a tiny valid world written to a temp folder."""

import pytest

from tests.support.mini_world import mini_world, write_world


@pytest.fixture
def world_files():
    return mini_world()


@pytest.fixture
def write(tmp_path):
    def _write(files):
        write_world(tmp_path, files)
        return tmp_path

    return _write
