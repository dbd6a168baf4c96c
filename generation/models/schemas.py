"""Exports the JSON Schema of every content file kind to `content/schemas/`.

`python -m generation.models.schemas` rewrites them; a test fails when the
files on disk differ from what the models produce."""

import json
from pathlib import Path

from pydantic import BaseModel

from .generated import QuestBlueprint, RoomBlock, WorldEvent
from .proposal import Patch, Proposal
from .world import Archetype, ArchetypeList, FactionList, ItemList, ItemTemplate, WorldHeader, Zone

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "content" / "schemas"

EXPORTED: dict[str, type[BaseModel]] = {
    "world": WorldHeader,
    "zone": Zone,
    "factions": FactionList,
    "archetypes": ArchetypeList,
    "items": ItemList,
    "npc": Archetype,
    "item": ItemTemplate,
    "quest": QuestBlueprint,
    "room_block": RoomBlock,
    "world_event": WorldEvent,
    "proposal": Proposal,
    "patch": Patch,
}


def render(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"


def export(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in EXPORTED.items():
        path = directory / f"{name}.schema.json"
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in export():
        print(p)
