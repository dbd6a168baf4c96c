"""Models of generated content that has no base-world model: quest blueprints,
room blocks (buildings) and world events. NPC archetypes and items reuse
`world.Archetype` and `world.ItemTemplate`."""

from enum import Enum
from typing import Annotated

from pydantic import Field, model_validator

from .common import ContentId, Direction, Name, Strict, Text
from .world import Room

ShortText = Annotated[str, Field(min_length=1, max_length=400)]


class NodeKind(str, Enum):
    go = "go"
    kill = "kill"
    fetch = "fetch"
    talk = "talk"
    deliver = "deliver"


class QuestNode(Strict):
    """One step. `target` is a room (go), an archetype (kill, talk) or an item
    template (fetch, deliver); `to` is the archetype a delivery goes to."""

    id: ContentId
    kind: NodeKind
    target: ContentId
    count: int = Field(1, ge=1, le=20)
    to: ContentId | None = None
    after: list[ContentId] = Field(default_factory=list, max_length=8, description="node ids done first")
    text: ShortText

    @model_validator(mode="after")
    def _deliver_has_recipient(self):
        if (self.kind == NodeKind.deliver) != (self.to is not None):
            raise ValueError(f"node {self.id}: `to` is required for deliver and only for deliver")
        return self


class ReputationTier(str, Enum):
    unknown = "unknown"
    noted = "noted"
    renowned = "renowned"
    legendary = "legendary"
    infamous = "infamous"


class QuestConditions(Strict):
    faction: ContentId | None = Field(None, description="faction whose standing is checked")
    min_tier: ReputationTier = ReputationTier.unknown
    requires: list[ContentId] = Field(default_factory=list, max_length=8, description="quests done first")


class ReputationReward(Strict):
    faction: ContentId
    amount: int = Field(ge=-100, le=100)


class QuestRewards(Strict):
    gold: int = Field(ge=0, le=100_000)
    items: list[ContentId] = Field(default_factory=list, max_length=4)
    reputation: ReputationReward | None = None


class QuestBlueprint(Strict):
    id: ContentId
    region: ContentId
    giver: ContentId = Field(description="archetype id of the quest giver")
    title: Name
    intro: Text
    outro: Text
    nodes: list[QuestNode] = Field(min_length=1, max_length=8)
    conditions: QuestConditions = QuestConditions()
    rewards: QuestRewards

    @model_validator(mode="after")
    def _node_order(self):
        seen: set[str] = set()
        for node in self.nodes:
            if node.id in seen:
                raise ValueError(f"quest {self.id}: node id {node.id} used twice")
            missing = [a for a in node.after if a not in seen]
            if missing:
                raise ValueError(f"quest {self.id}: node {node.id} comes after unknown or later node(s) {missing}")
            seen.add(node.id)
        return self


class BlockPurpose(str, Enum):
    expansion = "expansion"
    residential = "residential"


class Anchor(Strict):
    """How a block attaches: an exit `direction` out of the existing room
    `room` leads to the block's room `entrance` (and back)."""

    room: ContentId
    direction: Direction
    entrance: ContentId


class GrowthPoint(Strict):
    """A free side of a block room where a later block may attach."""

    room: ContentId
    direction: Direction


class RoomBlock(Strict):
    id: ContentId
    name: Name
    region: ContentId
    purpose: BlockPurpose
    anchor: Anchor
    rooms: list[Room] = Field(min_length=1, max_length=16)
    growth_points: list[GrowthPoint] = Field(default_factory=list, max_length=16)


class EventKind(str, Enum):
    drought = "drought"
    invasion = "invasion"
    market_crash = "market_crash"
    pilgrimage_boon = "pilgrimage_boon"
    relic_rush = "relic_rush"
    power_vacuum = "power_vacuum"


class WorldEvent(Strict):
    id: ContentId
    kind: EventKind
    region: ContentId
    duration_ticks: int = Field(ge=1, le=10_000)
    magnitude: int = Field(ge=1, le=10, description="1 mild .. 10 catastrophic")
    cause: ContentId | None = Field(None, description="what set it off, e.g. a slain leader's archetype")
    title: Name
    text: Text
