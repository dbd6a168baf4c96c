"""Every limit of the pipeline, from `content/guardrails.json` (or
MUD_GUARDRAILS). `GuardrailsFile.current()` re-reads the file when its mtime
or size changes, so an admin's edit takes effect without a restart; a broken
edit is reported and the last good limits stay in force."""

import json
import logging
import os
from pathlib import Path
from threading import Lock

from pydantic import Field

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
    price_index_bound: float = Field(1.35, gt=1)
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


class GuardrailsFile:
    """The guardrails file, re-read on change (mtime and size)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._stamp: tuple[int, int] | None = None
        self._current: Guardrails | None = None
        self._lock = Lock()

    def current(self) -> Guardrails:
        with self._lock:
            st = os.stat(self.path)
            stamp = (st.st_mtime_ns, st.st_size)
            if stamp != self._stamp:
                try:
                    self._current = Guardrails.model_validate(json.loads(self.path.read_text(encoding="utf-8")))
                except (ValueError, OSError) as exc:
                    if self._current is None:
                        raise
                    log.error("guardrails %s not reloaded, keeping the last good limits: %s", self.path, exc)
                self._stamp = stamp
            return self._current
