"""Shared fixtures: the TERA world index, guardrails, and a runtime folder."""

import errno
import json
import subprocess
from pathlib import Path

import pytest

from generation.guardrails import Guardrails, GuardrailsFile
from generation.runtime import CONTENT_DIR, RuntimePaths
from generation.world_index import WorldIndex

TERA = CONTENT_DIR / "worlds" / "tera"


@pytest.fixture(scope="session")
def base_guardrails() -> Guardrails:
    return GuardrailsFile(CONTENT_DIR / "guardrails.json").current()


@pytest.fixture(scope="session")
def guardrails(base_guardrails) -> Guardrails:
    return base_guardrails.model_copy(update={"jobs_per_minute": 10**6, "expansions_in_flight": 10**6})


@pytest.fixture(scope="session")
def index() -> WorldIndex:
    """Read-only: tests that add patches build their own."""
    return WorldIndex.load(TERA)


@pytest.fixture
def runtime(tmp_path, monkeypatch) -> RuntimePaths:
    """A fresh runtime folder with its own guardrails file (throttles lifted)."""
    rails = json.loads((CONTENT_DIR / "guardrails.json").read_text()) | {"jobs_per_minute": 10**6, "expansions_in_flight": 10**6}
    (tmp_path / "guardrails.json").write_text(json.dumps(rails))
    monkeypatch.setenv("MUD_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("MUD_GUARDRAILS", str(tmp_path / "guardrails.json"))
    monkeypatch.delenv("MUD_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    return RuntimePaths.from_env()


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data))


@pytest.fixture
def tmpfs(tmp_path):
    """`tmpfs("1m")` mounts a real tmpfs of that size and returns (folder,
    fill, free): `fill()` takes all its space (writes fail with ENOSPC),
    `free()` gives it back. Skips where mounting is not allowed (not root)."""
    mounts = []

    def mount(size: str):
        folder = tmp_path / f"disk{len(mounts)}"
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mounting a tmpfs needs root: {done.stderr.strip()}")
        mounts.append(folder)
        filler = folder / "filler"

        def fill():
            with open(filler, "wb", buffering=0) as f:
                try:
                    while True:
                        f.write(b"\0" * 4096)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC

        return folder, fill, lambda: filler.unlink()

    yield mount
    for folder in mounts:
        subprocess.run(["umount", "-l", str(folder)], check=True)
