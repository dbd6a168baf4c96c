"""Per kind: its content model, its flavor model, how payload + flavor
assemble into the content model, and the JSON Schema an LLM must answer with."""

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from pydantic import BaseModel

from .models.flavor import EventFlavor, ItemFlavor, NpcFlavor, QuestFlavor, RoomBlockFlavor
from .models.generated import QuestBlueprint, RoomBlock, WorldEvent
from .models.proposal import Kind
from .models.world import Archetype, ItemTemplate


def _merge(payload: dict, flavor: dict) -> dict:
    return {**payload, **flavor}


def _quest(payload: dict, flavor: dict) -> dict:
    steps = flavor.get("steps", [])
    nodes = [{**node, "text": steps[i] if i < len(steps) else ""} for i, node in enumerate(payload.get("nodes", []))]
    rest = {k: v for k, v in flavor.items() if k != "steps"}
    return {**payload, **rest, "nodes": nodes}


def _room_block(payload: dict, flavor: dict) -> dict:
    texts = flavor.get("rooms", [])
    rooms = [{**room, **(texts[i] if i < len(texts) else {})} for i, room in enumerate(payload.get("rooms", []))]
    return {**payload, "name": flavor.get("name", ""), "rooms": rooms}


@lru_cache(maxsize=None)
def _base_schema(model: type[BaseModel]) -> dict:
    return model.model_json_schema()


@dataclass(frozen=True)
class KindSpec:
    content: type[BaseModel]
    flavor: type[BaseModel]
    combine: Callable[[dict, dict], dict]
    aligned: dict[str, str]  # flavor list -> payload list it pairs with

    def assemble(self, payload: dict, flavor: dict) -> BaseModel:
        """The content model; raises pydantic.ValidationError when invalid."""
        return self.content.model_validate(self.combine(payload, flavor))

    def flavor_json_schema(self, payload: dict) -> dict[str, Any]:
        """Flavor schema with paired list lengths pinned to this payload."""
        schema = copy.deepcopy(_base_schema(self.flavor))
        for field, source in self.aligned.items():
            size = len(payload.get(source, []))
            schema["properties"][field]["minItems"] = size
            schema["properties"][field]["maxItems"] = size
        return schema

    def aligned_problems(self, payload: dict, flavor: dict) -> list[str]:
        return [
            f"flavor.{field} has {len(flavor.get(field, []))} entries, payload.{source} has {len(payload.get(source, []))}"
            for field, source in self.aligned.items()
            if len(flavor.get(field, [])) != len(payload.get(source, []))
        ]


KINDS: dict[Kind, KindSpec] = {
    Kind.npc: KindSpec(Archetype, NpcFlavor, _merge, {}),
    Kind.item: KindSpec(ItemTemplate, ItemFlavor, _merge, {}),
    Kind.quest: KindSpec(QuestBlueprint, QuestFlavor, _quest, {"steps": "nodes"}),
    Kind.room_block: KindSpec(RoomBlock, RoomBlockFlavor, _room_block, {"rooms": "rooms"}),
    Kind.world_event: KindSpec(WorldEvent, EventFlavor, _merge, {}),
}
