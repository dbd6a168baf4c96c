"""Shared fixtures: the TERA world index, guardrails, and a runtime folder."""

import json
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
