"""Drafts a room block: rooms grown cell by cell from the entrance (next to
the anchor room, through its free side), exits paired both ways, and
growth points on free sides (see content/tables/room_block.json)."""

from ..models.common import DIRECTION_DELTA, OPPOSITE, Direction
from ..models.proposal import Tags
from ..rng import Rng
from ..tables import table
from .common import Draft, generated_refs, leaning, lerp_int

TABLES = ["room_block"]
FLAT = [d for d in Direction if d not in (Direction.up, Direction.down)]


def _step(xyz: tuple, direction: Direction) -> tuple:
    dx, dy, dz = DIRECTION_DELTA[direction]
    return (xyz[0] + dx, xyz[1] + dy, xyz[2] + dz)


def _room(room_id: str, xyz: tuple, purpose: str) -> dict:
    return {"id": room_id, "coords": {"x": xyz[0], "y": xyz[1], "z": xyz[2]}, "exits": [], "tags": [purpose]}


def _link(a: dict, b: dict, direction: Direction) -> None:
    a["exits"].append({"direction": direction.value, "to": b["id"]})
    b["exits"].append({"direction": OPPOSITE[direction].value, "to": a["id"]})


def draft(rng: Rng, inputs: dict, key: str) -> Draft:
    t = table("room_block")
    region, purpose, anchor = inputs["region"], inputs["purpose"], inputs["anchor"]
    taken = {tuple(c) for c in inputs["occupied"]} | {tuple(anchor["coords"])}
    into = Direction(anchor["direction"])
    start = _step(tuple(anchor["coords"]), into)
    size = lerp_int(t["sizes"][purpose], leaning(rng, inputs["strength"]))
    base = f"{region}.gen_{key[:10]}"
    rooms = [_room(f"{base}_1", start, purpose)]
    rooms[0]["exits"].append({"direction": OPPOSITE[into].value, "to": anchor["room"]})
    cells = {start: rooms[0]}
    taken.add(start)
    for n in range(2, size + 1):
        open_sides = [(c, d) for c, room in cells.items() for d in FLAT if _step(c, d) not in taken]
        if not open_sides:
            break
        cell, direction = rng.choice(open_sides)
        new = _room(f"{base}_{n}", _step(cell, direction), purpose)
        _link(cells[cell], new, direction)
        cells[_step(cell, direction)] = new
        taken.add(_step(cell, direction))
    growth = []
    for cell, room in cells.items():
        used = {e["direction"] for e in room["exits"]}
        for d in FLAT:
            if d.value not in used and _step(cell, d) not in taken and rng.random() < t["growth_point_chance"]:
                growth.append({"room": room["id"], "direction": d.value})
                room["tags"] = sorted(set(room["tags"]) | {"edge"})
    payload = {
        "id": f"gen.room_block.{key}",
        "region": region,
        "purpose": purpose,
        "anchor": {"room": anchor["room"], "direction": into.value, "entrance": rooms[0]["id"]},
        "rooms": list(cells.values()),
        "growth_points": growth,
    }
    tags = Tags(region=region, faction=inputs["faction"], purpose=purpose)
    return Draft(payload, tags, generated_refs(anchor["room"]))
