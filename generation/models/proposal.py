"""The `Proposal` that travels through the pipeline, its provenance, and the
patch format written into the content library.

A proposal splits generated content into `payload` (mechanical: ids, stats,
references) and `flavor` (names, descriptions, barks, quest text). The
content model of its kind is `assemble(kind, payload, flavor)`
(see `generation.kinds`)."""

from enum import Enum
from typing import Annotated, Any

from pydantic import Field

from .common import ContentId, Rarity, Strict

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Kind(str, Enum):
    npc = "npc"
    item = "item"
    quest = "quest"
    room_block = "room_block"
    world_event = "world_event"


class Status(str, Enum):
    drafted = "drafted"
    enriched = "enriched"
    accepted = "accepted"
    rejected = "rejected"
    pending = "pending"
    approved = "approved"
    edited = "edited"
    published = "published"
    undone = "undone"


class StatusEntry(Strict):
    status: Status
    at: str = Field(description="ISO-8601 UTC time; never part of a replay check")
    reasons: list[str] = Field(default_factory=list)


class Tags(Strict):
    region: ContentId
    faction: ContentId | None = None
    threat: int = Field(0, ge=0, le=10)
    rarity: Rarity = Rarity.common
    purpose: str | None = Field(None, max_length=40, description="why it was made, e.g. gold_sink")


class Provenance(Strict):
    drafter: str = Field(description="drafter module and version")
    tables: dict[str, Sha256] = Field(description="table file -> sha256 of its bytes")
    provider: str = Field(description="enrich provider that produced the flavor")
    model: str | None = None
    prompt_sha256: Sha256 | None = None
    llm_reply: str | None = Field(None, description="raw accepted LLM reply; replay reuses it")
    fallback_reason: str | None = Field(None, description="why the LLM was not used, if it was asked")


class Proposal(Strict):
    id: ContentId = Field(description="<kind>.<hash of kind, seed, inputs>")
    kind: Kind
    seed: int = Field(ge=0, le=2**63 - 1)
    inputs: dict[str, Any] = Field(description="what the drafter saw: region, anchor, context ids")
    payload: dict[str, Any]
    flavor: dict[str, Any] = Field(default_factory=dict)
    tags: Tags
    dependencies: list[ContentId] = Field(default_factory=list)
    status: list[StatusEntry] = Field(default_factory=list)
    provenance: Provenance

    @property
    def current_status(self) -> Status | None:
        return self.status[-1].status if self.status else None


class Patch(Strict):
    """`patches/<kind>/<proposal_id>.json` in the content library.
    `content` is the assembled content model of `kind` (what the applier
    spawns); `hash` is the sha256 of the canonical {kind, payload, flavor, tags}."""

    proposal_id: ContentId
    kind: Kind
    hash: Sha256
    payload: dict[str, Any]
    flavor: dict[str, Any]
    tags: Tags
    content: dict[str, Any]

