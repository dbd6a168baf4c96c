"""Where the pipeline keeps its runtime files, from the environment.

MUD_RUNTIME_DIR   runtime folder (default server/runtime under the repo)
MUD_LIBRARY_DIR   content library git repo (default <runtime>/library)
MUD_GUARDRAILS    shipped guardrails file (default content/guardrails.json);
                  an admin's overrides live in <runtime>/guardrails-overrides.json
MUD_WORLD_DIR     base world folder (default content/worlds/tera)
"""

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CONTENT_DIR = REPO_ROOT / "content"


@dataclass(frozen=True)
class RuntimePaths:
    root: Path
    library: Path
    guardrails: Path
    world: Path

    @classmethod
    def from_env(cls) -> "RuntimePaths":
        root = Path(os.environ.get("MUD_RUNTIME_DIR") or REPO_ROOT / "server" / "runtime").resolve()
        return cls(
            root=root,
            library=Path(os.environ.get("MUD_LIBRARY_DIR") or root / "library"),
            guardrails=Path(os.environ.get("MUD_GUARDRAILS") or CONTENT_DIR / "guardrails.json"),
            world=Path(os.environ.get("MUD_WORLD_DIR") or CONTENT_DIR / "worlds" / "tera"),
        )

    @property
    def broker_dir(self) -> Path:
        return self.root / "broker"

    @property
    def results_db(self) -> Path:
        return self.root / "celery-results.sqlite"

    @property
    def jobs_db(self) -> Path:
        return self.root / "jobs.sqlite"

    @property
    def approval_db(self) -> Path:
        return self.root / "approval.sqlite"

    @property
    def llm_usage_db(self) -> Path:
        return self.root / "llm-usage.sqlite"

    @property
    def gate_state(self) -> Path:
        return self.root / "gate-state.sqlite"

    @property
    def director_state(self) -> Path:
        return self.root / "director-state.json"

    @property
    def guardrails_overrides(self) -> Path:
        return self.root / "guardrails-overrides.json"

    @property
    def decision_log(self) -> Path:
        return self.root / "director-decisions.jsonl"
