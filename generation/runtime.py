"""Where the pipeline keeps its runtime files and how large they may grow,
from the environment (the game reads the same variables in
server/conf/settings.py; workers read them here).

MUD_RUNTIME_DIR   runtime folder (default server/runtime under the repo)
MUD_LIBRARY_DIR   content library git repo (default <runtime>/library)
MUD_GUARDRAILS    shipped guardrails file (default content/guardrails.json);
                  an admin's overrides live in <runtime>/guardrails-overrides.json
MUD_WORLD_DIR     base world folder (default content/worlds/tera)

Bounds (`Bounds.from_env`):
MUD_JOB_MAX_ATTEMPTS        a job failing this many times ends `failed` (default 5)
MUD_JOBS_KEEP_DAYS          finished jobs and decided proposals kept this long (default 7)
MUD_JOBS_KEEP_COUNT         ... and at most this many (default 10000)
MUD_RESULTS_KEEP_S          Celery results kept this long (default 3600)
MUD_DECISION_LOG_MAX_BYTES  director-decisions.jsonl rotates at this size (default 8 MB)
MUD_DECISION_LOG_KEEP       rotated decision logs kept (default 3)
MUD_MAINTENANCE_S           how often a worker prunes and recovers (default 300)
MUD_DISK_WARN_MB            `director status` warns when the runtime disk has less free (default 200)
MUD_LOG_BYTES               server, portal, channel and worker logs rotate at this size (default 1 MB)
MUD_LOG_KEEP                rotated copies kept of each (default 5; see generation.log_files)
"""

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env_number(name: str, default: float, kind: type = float, minimum: float = 0):
    raw = os.environ.get(name)
    if raw in (None, ""):
        return kind(default)
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a {kind.__name__}") from None
    if value < minimum:
        raise ValueError(f"{name}={raw!r} is below {minimum}")
    return value


@dataclass(frozen=True)
class Bounds:
    job_max_attempts: int = 5
    jobs_keep_s: float = 7 * 86400
    jobs_keep_count: int = 10_000
    results_keep_s: float = 3600
    decision_log_max_bytes: int = 8 * 2**20
    decision_log_keep: int = 3
    maintenance_s: float = 300
    disk_warn_bytes: int = 200 * 2**20
    log_max_bytes: int = 10**6
    log_keep: int = 5

    @classmethod
    def from_env(cls) -> "Bounds":
        return cls(
            job_max_attempts=_env_number("MUD_JOB_MAX_ATTEMPTS", 5, int, 1),
            jobs_keep_s=_env_number("MUD_JOBS_KEEP_DAYS", 7) * 86400,
            jobs_keep_count=_env_number("MUD_JOBS_KEEP_COUNT", 10_000, int, 1),
            results_keep_s=_env_number("MUD_RESULTS_KEEP_S", 3600, float, 1),
            decision_log_max_bytes=_env_number("MUD_DECISION_LOG_MAX_BYTES", 8 * 2**20, int, 4096),
            decision_log_keep=_env_number("MUD_DECISION_LOG_KEEP", 3, int, 1),
            maintenance_s=_env_number("MUD_MAINTENANCE_S", 300, float, 1),
            disk_warn_bytes=int(_env_number("MUD_DISK_WARN_MB", 200) * 2**20),
            log_max_bytes=_env_number("MUD_LOG_BYTES", 10**6, int, 1000),
            log_keep=_env_number("MUD_LOG_KEEP", 5, int, 1),
        )
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

    @property
    def worker_log(self) -> Path:
        """Where the launcher (and the tests' servers) send a worker's output."""
        return self.root / "worker.log"

    @property
    def log_dir(self) -> Path:
        """Evennia's logs (server, portal, channels)."""
        return self.root / "logs"
