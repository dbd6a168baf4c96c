"""Every limit of the pipeline: the shipped `content/guardrails.json` (or
MUD_GUARDRAILS) with an admin's overrides on top, kept in the runtime folder
(`<runtime>/guardrails-overrides.json`) so the checkout stays as shipped and
an upgrade of the shipped file keeps the admin's changes.
`GuardrailsFile.current()` re-reads both files when their mtime or size
changes, so an edit takes effect without a restart in every process; a broken
hand edit is reported and the last good limits stay in force.
`GuardrailsFile.set(key, value)` validates one change (dotted key, e.g.
`llm.timeout_s`) against the whole model before writing it atomically."""

import json
import logging
import os
from pathlib import Path
from threading import Lock
from typing import Any

from pydantic import Field, ValidationError

from .fsutil import atomic_write, file_lock
from .models.common import Strict

log = logging.getLogger(__name__)


class LlmLimits(Strict):
    timeout_s: float = Field(20, gt=0, le=300)
    attempts: int = Field(3, ge=1, le=10)
    calls_per_minute: int = Field(30, ge=1)
    temperature: float = Field(0.8, ge=0, le=2)
    max_tokens: dict[str, int] = Field(default_factory=dict, description="per kind; default 500")
    max_reply_bytes: int = Field(65536, ge=1024, description="a larger HTTP reply body is refused unparsed")


class DirectorLimits(Strict):
    price_index_bound: float = Field(1.35, gt=1, description="gold-sink rule: a region's prices over this many times "
                                     "what its own scarcity sets (money and macro events: its inflation)")
    crowding_bound: float = Field(0.9, gt=0)
    stale_quest_ticks: int = Field(240, ge=1)
    cooldown_ticks: dict[str, int] = Field(default_factory=dict, description="per rule; default 0")


class Guardrails(Strict):
    require_approval: bool = False
    item_kinds: list[str]
    item_power_by_rarity: dict[str, int]
    item_value_by_rarity: dict[str, int]
    legendary_max: int = Field(ge=0)
    legendary_window: int = Field(ge=1)
    npc_threat_by_region: dict[str, int]
    npc_stat_points_base: float
    npc_stat_points_per_threat: float
    quest_gold_per_node: int = Field(ge=0)
    quest_gold_max: int = Field(ge=0)
    quest_reward_items_max: int = Field(ge=0)
    room_block_max_rooms: int = Field(ge=1)
    event_magnitude_max: int = Field(ge=1, le=10)
    event_duration_max: int = Field(ge=1)
    jobs_per_minute: int = Field(ge=1)
    expansions_in_flight: int = Field(ge=0)
    banned_words: list[str] = Field(default_factory=list)
    banned_themes: dict[str, list[str]] = Field(default_factory=dict)
    llm: LlmLimits = LlmLimits()
    director: DirectorLimits = DirectorLimits()


# limits whose keys are open (a new key under them is a new entry, not a typo)
DICT_FIELDS = {"item_power_by_rarity", "item_value_by_rarity", "npc_threat_by_region", "banned_themes",
               "llm.max_tokens", "director.cooldown_ticks"}


class GuardrailRefused(ValueError):
    """An override that names no limit or breaks the model; nothing was written."""


def _stamp_of(path: Path | None) -> tuple[int, int] | None:
    try:
        st = os.stat(path) if path is not None else None
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size) if st else None


def _merged(base: dict, overrides: dict) -> dict:
    out = dict(base)
    for key, value in overrides.items():
        out[key] = _merged(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return out


def _nested(key: str, value: Any) -> dict:
    head, _, rest = key.partition(".")
    return {head: _nested(rest, value) if rest else value}


def _lookup(data: dict, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(data, dict) or part not in data:
            raise KeyError(key)
        data = data[part]
    return data


class GuardrailsFile:
    """The shipped guardrails plus the runtime overrides, re-read on change."""

    def __init__(self, path: Path, overrides: Path | None = None):
        self.path = Path(path)
        self.overrides = Path(overrides) if overrides is not None else None
        self._stamp: tuple | None = None
        self._current: Guardrails | None = None
        self._lock = Lock()

    def _read_overrides(self) -> dict:
        if self.overrides is None or not self.overrides.exists():
            return {}
        return json.loads(self.overrides.read_text(encoding="utf-8"))

    def _base(self) -> dict:
        return json.loads(self.path.read_text(encoding="utf-8"))

    def current(self) -> Guardrails:
        with self._lock:
            stamp = (_stamp_of(self.path), _stamp_of(self.overrides))
            if stamp[0] is None:
                raise FileNotFoundError(self.path)
            if stamp != self._stamp:
                try:
                    self._current = Guardrails.model_validate(_merged(self._base(), self._read_overrides()))
                except (ValueError, OSError) as exc:
                    if self._current is None:
                        raise
                    log.error("guardrails %s not reloaded, keeping the last good limits: %s", self.path, exc)
                self._stamp = stamp
            return self._current

    def overridden(self) -> dict:
        """The admin's overrides (nested like the file), {} when none."""
        return self._read_overrides()

    def set(self, key: str, value: Any) -> Guardrails:
        """Override one limit (dotted `key`); validated whole, then written
        atomically. Raises GuardrailRefused and writes nothing when invalid."""
        if self.overrides is None:
            raise GuardrailRefused("these guardrails have no overrides file")
        current = self.current().model_dump(mode="json")
        parent, _, leaf = key.rpartition(".")
        try:
            container = _lookup(current, parent) if parent else current
        except KeyError:
            raise GuardrailRefused(f"no guardrail named {parent!r}") from None
        if not isinstance(container, dict) or not leaf or (leaf not in container and parent not in DICT_FIELDS):
            raise GuardrailRefused(f"no guardrail named {key!r}")
        with file_lock(self.overrides.with_suffix(".lock")):
            overrides = _merged(self._read_overrides(), _nested(key, value))
            try:
                limits = Guardrails.model_validate(_merged(self._base(), overrides))
            except ValidationError as exc:
                problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                raise GuardrailRefused(problems) from None
            atomic_write(self.overrides, json.dumps(overrides, indent=2, sort_keys=True).encode())
        return limits

    @classmethod
    def of(cls, paths) -> "GuardrailsFile":
        """The guardrails of a `RuntimePaths`: shipped file + runtime overrides."""
        return cls(paths.guardrails, paths.guardrails_overrides)

