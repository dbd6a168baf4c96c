"""Exported JSON Schemas are current, and the shipped world passes them."""

import json
from pathlib import Path

import jsonschema
import pytest

from generation.models.schemas import EXPORTED, SCHEMA_DIR, render

TERA = Path(__file__).resolve().parents[2] / "content" / "worlds" / "tera"


@pytest.mark.parametrize("name", sorted(EXPORTED))
def test_exported_schema_is_current(name):
    on_disk = (SCHEMA_DIR / f"{name}.schema.json").read_text()
    assert on_disk == render(EXPORTED[name]), (
        f"content/schemas/{name}.schema.json is stale: run `python -m generation.models.schemas`"
    )


SHIPPED = [("world.json", "world"), ("factions.json", "factions"), ("archetypes.json", "archetypes"),
           ("items.json", "items")] + [(f"zones/{p.name}", "zone") for p in sorted((TERA / "zones").glob("*.json"))]


@pytest.mark.parametrize("file,schema", SHIPPED)
def test_shipped_tera_file_matches_schema(file, schema):
    jsonschema.validate(json.loads((TERA / file).read_text()), json.loads((SCHEMA_DIR / f"{schema}.schema.json").read_text()))


def test_tera_world_loads_with_five_biomes():
    from generation.loader import load_world

    world = load_world(TERA)
    assert sorted(z.biome.value for z in world.zones) == ["desert", "forest", "market", "plains", "village"]
    assert all(len(z.rooms) >= 8 for z in world.zones)
    assert world.header.start_room == "village.square"
    assert {a.role.value for a in world.archetypes.values()} == {"merchant", "bandit", "farmer", "priest", "explorer", "hunter"}
    kinds = {i.kind.value for i in world.items.values()}
    assert {"weapon", "armor", "herb", "timber", "mineral", "relic", "currency"} <= kinds
