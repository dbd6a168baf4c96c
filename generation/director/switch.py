"""The director's switch and sliders, in a small JSON state file that every
process reads before acting: `running`, `paused` (no new jobs) or `stopped`
(emergency stop: no new jobs and nothing is published). Changes are atomic
writes, so they take effect at the next read, in every process at once."""

import json
from enum import Enum
from pathlib import Path

from pydantic import Field

from ..clock import utc_now
from ..fsutil import atomic_write
from ..models.common import Strict


class Mode(str, Enum):
    running = "running"
    paused = "paused"
    stopped = "stopped"


class Sliders(Strict):
    chaos: float = Field(0.3, ge=0, le=1, description="how often rules fire and how much rolls vary")
    aggression: float = Field(0.5, ge=0, le=1, description="how strong threats and events are")
    expansion: float = Field(0.5, ge=0, le=1, description="how eagerly and how big the world grows")


class SwitchState(Strict):
    mode: Mode = Mode.running
    sliders: Sliders = Sliders()
    seed: int = Field(2313, ge=0)
    changed_at: str | None = None
    changed_by: str | None = None
    reason: str | None = None

    @property
    def allows_jobs(self) -> bool:
        return self.mode == Mode.running

    @property
    def allows_publish(self) -> bool:
        return self.mode != Mode.stopped


class Switch:
    def __init__(self, path: Path):
        self.path = Path(path)

    def read(self) -> SwitchState:
        if not self.path.exists():
            return SwitchState()
        return SwitchState.model_validate(json.loads(self.path.read_text(encoding="utf-8")))

    def _write(self, by: str | None, reason: str | None, **changes) -> SwitchState:
        state = self.read().model_copy(update={**changes, "changed_at": utc_now(), "changed_by": by, "reason": reason})
        atomic_write(self.path, state.model_dump_json(indent=2).encode())
        return state

    def pause(self, by: str | None = None, reason: str | None = None) -> SwitchState:
        return self._write(by, reason, mode=Mode.paused)

    def resume(self, by: str | None = None, reason: str | None = None) -> SwitchState:
        return self._write(by, reason, mode=Mode.running)

    def emergency_stop(self, by: str | None = None, reason: str | None = None) -> SwitchState:
        return self._write(by, reason, mode=Mode.stopped)

    def set_sliders(self, by: str | None = None, **values: float) -> SwitchState:
        sliders = Sliders.model_validate({**self.read().sliders.model_dump(), **values})
        return self._write(by, "sliders", sliders=sliders)
