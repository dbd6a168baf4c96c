"""Freeze what a drafter needs from the live world into its inputs, so the
draft itself depends on nothing but (kind, seed, inputs, tables)."""

from ..models.proposal import Kind
from ..rng import Rng
from ..world_index import WorldIndex

OCCUPIED_RADIUS = 7
POOL_SIZE = 12


def resolve_inputs(kind: Kind | str, seed: int, region: str | None, index: WorldIndex, params: dict | None = None) -> dict:
    """Inputs for `draft`. `params` come from the job (e.g. role, purpose,
    anchor room, event kind, strength); unknown regions raise ValueError."""
    kind = Kind(kind)
    params = dict(params or {})
    rng = Rng(seed, f"inputs/{kind.value}")
    region = region or params.pop("region", None) or rng.choice(sorted(index.regions))
    if region not in index.regions:
        raise ValueError(f"unknown region {region!r}; known: {', '.join(sorted(index.regions))}")
    inputs = {"region": region, "faction": index.regions[region], "strength": float(params.pop("strength", 0.5))}
    if kind == Kind.quest:
        inputs |= _quest_pools(index, region, rng)
    if kind == Kind.room_block:
        inputs |= _anchor(index, region, rng, params.pop("anchor", None))
        inputs["purpose"] = params.pop("purpose", "expansion")
    inputs |= {k: v for k, v in params.items() if v is not None}
    return inputs


def _pool(index: WorldIndex, ids, rng: Rng) -> dict[str, str]:
    chosen = rng.sample(sorted(ids), POOL_SIZE)
    return {i: index.names.get(i, i.rsplit(".", 1)[-1].replace("_", " ")) for i in sorted(chosen)}


def _quest_pools(index: WorldIndex, region: str, rng: Rng) -> dict:
    rooms = [r.id for r in index.rooms.values() if r.region == region]
    items = index.region_items.get(region, set()) | {i for i in index.items if i.startswith("gen.")}
    return {
        "rooms": _pool(index, rooms, rng.child("rooms")),
        "npcs": _pool(index, index.regional_archetypes(region), rng.child("npcs")),
        "items": _pool(index, items or index.items, rng.child("items")),
    }


def _anchor(index: WorldIndex, region: str, rng: Rng, wanted: str | None) -> dict:
    """An existing room with an open side: the wanted one if it has one, else
    a dead end or edge room of the region, else any room there."""
    if wanted is not None and wanted not in index.rooms:
        raise ValueError(f"anchor room {wanted!r} does not exist")
    candidates = [wanted] if wanted and index.open_sides(wanted) else []
    if not candidates:
        regional = sorted(r.id for r in index.rooms.values() if r.region == region and index.open_sides(r.id))
        preferred = [r for r in regional if {"dead_end", "edge"} & set(index.rooms[r].tags)]
        candidates = preferred or regional
    if not candidates:
        raise ValueError(f"no room in {region} has a free side to build on")
    room = index.rooms[rng.choice(candidates)]
    direction = rng.choice(index.open_sides(room.id))
    x, y, z = room.coords
    occupied = sorted(
        list(xyz) for xyz in index.coords
        if max(abs(xyz[0] - x), abs(xyz[1] - y), abs(xyz[2] - z)) <= OCCUPIED_RADIUS
    )
    return {"anchor": {"room": room.id, "direction": direction, "coords": [x, y, z]}, "occupied": occupied}
