"""A tiny valid world as data, and a writer that puts it in a folder."""

import json


def mini_world() -> dict[str, dict]:
    """File name -> JSON data of a valid two-room world."""
    return {
        "world.json": {"id": "mini", "name": "Mini", "desc": "Two rooms.", "start_room": "town.gate", "seed": 1},
        "factions.json": {
            "factions": [{"id": "guild", "name": "Guild", "desc": "Traders.", "home_biomes": ["market"], "reputation": "credit"}]
        },
        "archetypes.json": {
            "archetypes": [
                {"id": "npc.trader", "role": "merchant", "name": "trader", "desc": "A trader.", "faction": "guild",
                 "stats": {"health": 10, "attack": 1, "defense": 1}, "threat": 1}
            ]
        },
        "items.json": {
            "items": [
                {"id": "item.stick", "kind": "weapon", "slot": "weapon", "name": "stick", "desc": "A stick.", "power": 1, "value": 1},
                {"id": "item.herb", "kind": "herb", "name": "herb", "desc": "A herb.", "value": 1},
            ]
        },
        "zones/town.json": {
            "id": "town", "name": "Town", "biome": "village", "desc": "A town.", "faction": "guild",
            "rooms": [
                {"id": "town.gate", "name": "Gate", "desc": "A gate.", "coords": {"x": 0, "y": 0},
                 "exits": [{"direction": "north", "to": "town.square"}],
                 "items": [{"template": "item.stick"}], "npcs": [{"template": "npc.trader"}]},
                {"id": "town.square", "name": "Square", "desc": "A square.", "coords": {"x": 0, "y": 1},
                 "exits": [{"direction": "south", "to": "town.gate"}]},
            ],
        },
    }


def write_world(root, files: dict[str, dict | str]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2))
