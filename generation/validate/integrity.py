"""Rule `integrity`: every reference exists in the world index (base world plus
published patches), ids are new, and a room block fits: it hangs off an
existing room's free side, its rooms sit on free cells, every room has an
exit, exits match the grid and pair up."""

from ..models.common import DIRECTION_DELTA, OPPOSITE, Direction
from ..models.proposal import Kind, Proposal
from ..models.world import table_problem
from ..world_index import WorldIndex
from .verdict import Reason

RULE = "integrity"


def _ref(reasons: list, path: str, value, table, what: str) -> None:
    if value is not None and value not in table:
        reasons.append(Reason(RULE, path, f"unknown {what} {value}"))


def _npc(p: dict, index: WorldIndex, reasons: list) -> None:
    _ref(reasons, "$.payload.faction", p["faction"], index.factions, "faction")


def _quest(p: dict, index: WorldIndex, reasons: list) -> None:
    tables = {"go": (index.rooms, "room"), "kill": (index.archetypes, "archetype"), "talk": (index.archetypes, "archetype"),
              "fetch": (index.items, "item"), "deliver": (index.items, "item")}
    _ref(reasons, "$.payload.giver", p["giver"], index.archetypes, "archetype")
    for i, node in enumerate(p["nodes"]):
        table, what = tables[node["kind"]]
        _ref(reasons, f"$.payload.nodes[{i}].target", node["target"], table, what)
        _ref(reasons, f"$.payload.nodes[{i}].to", node.get("to"), index.archetypes, "archetype")
    for i, item in enumerate(p["rewards"]["items"]):
        _ref(reasons, f"$.payload.rewards.items[{i}]", item, index.items, "item")
    for i, quest in enumerate(p["conditions"]["requires"]):
        _ref(reasons, f"$.payload.conditions.requires[{i}]", quest, index.quests, "quest")
    for path, faction in (("conditions.faction", p["conditions"]["faction"]), ("rewards.reputation.faction", (p["rewards"].get("reputation") or {}).get("faction"))):
        _ref(reasons, f"$.payload.{path}", faction, index.factions, "faction")


def _xyz(room: dict) -> tuple[int, int, int]:
    c = room["coords"]
    return (c["x"], c["y"], c.get("z", 0))


def _step(xyz, direction: str):
    dx, dy, dz = DIRECTION_DELTA[Direction(direction)]
    return (xyz[0] + dx, xyz[1] + dy, xyz[2] + dz)


def _room_block(p: dict, index: WorldIndex, reasons: list) -> None:
    anchor = p["anchor"]
    host = index.rooms.get(anchor["room"])
    block = {r["id"]: r for r in p["rooms"]}
    if host is None:
        reasons.append(Reason(RULE, "$.payload.anchor.room", f"anchor room {anchor['room']} does not exist"))
    elif anchor["direction"] in host.exits:
        reasons.append(Reason(RULE, "$.payload.anchor.direction", f"{anchor['room']} already has a {anchor['direction']} exit"))
    entrance = block.get(anchor["entrance"])
    if entrance is None:
        reasons.append(Reason(RULE, "$.payload.anchor.entrance", f"entrance {anchor['entrance']} is not a room of the block"))
    elif host is not None:
        if _xyz(entrance) != _step(host.coords, anchor["direction"]):
            reasons.append(Reason(RULE, "$.payload.anchor", f"entrance is not {anchor['direction']} of {anchor['room']}"))
        back = OPPOSITE[Direction(anchor["direction"])].value
        if not any(e["direction"] == back and e["to"] == anchor["room"] for e in entrance["exits"]):
            reasons.append(Reason(RULE, "$.payload.anchor", f"entrance has no {back} exit back to {anchor['room']}"))
    cells: dict = {}
    for i, room in enumerate(p["rooms"]):
        where = f"$.payload.rooms[{i}]"
        xyz = _xyz(room)
        if room["id"] in index.rooms:
            reasons.append(Reason(RULE, f"{where}.id", f"room id {room['id']} already exists"))
        if xyz in index.coords or xyz in cells:
            reasons.append(Reason(RULE, f"{where}.coords", f"cell {xyz} is taken by {index.coords.get(xyz) or cells.get(xyz)}"))
        cells[xyz] = room["id"]
        if not room["exits"]:
            reasons.append(Reason(RULE, f"{where}.exits", f"room {room['id']} has no exit"))
        for j, ex in enumerate(room["exits"]):
            epath = f"{where}.exits[{j}]"
            if ex["to"] == anchor["room"] and room["id"] == anchor["entrance"]:
                continue
            target = block.get(ex["to"])
            if target is None:
                reasons.append(Reason(RULE, epath, f"exit leads out of the block to {ex['to']}; only the entrance may"))
                continue
            if _xyz(target) != _step(xyz, ex["direction"]):
                reasons.append(Reason(RULE, epath, f"{ex['to']} is not {ex['direction']} of {room['id']}"))
            back = OPPOSITE[Direction(ex["direction"])].value
            if not ex.get("one_way") and not any(b["direction"] == back and b["to"] == room["id"] for b in target["exits"]):
                reasons.append(Reason(RULE, epath, f"{ex['to']} has no {back} exit back to {room['id']}"))
        for k, placed in enumerate(room.get("npcs", [])):
            _ref(reasons, f"{where}.npcs[{k}].template", placed["template"], index.archetypes, "archetype")
        for k, placed in enumerate(room.get("items", [])):
            _ref(reasons, f"{where}.items[{k}].template", placed["template"], index.items, "item")
    for i, gp in enumerate(p["growth_points"]):
        room = block.get(gp["room"])
        if room is None:
            reasons.append(Reason(RULE, f"$.payload.growth_points[{i}]", f"{gp['room']} is not a room of the block"))
        elif any(e["direction"] == gp["direction"] for e in room["exits"]):
            reasons.append(Reason(RULE, f"$.payload.growth_points[{i}]", f"{gp['room']} already has a {gp['direction']} exit"))


def _item(p: dict, index: WorldIndex, reasons: list) -> None:
    why = table_problem(p["table"], index.regions) if p.get("table") else None
    if why:
        reasons.append(Reason(RULE, "$.payload.table", why))


def _world_event(p: dict, index: WorldIndex, reasons: list) -> None:
    _ref(reasons, "$.payload.cause", p.get("cause"), index.archetypes, "archetype")


CHECKS = {Kind.npc: _npc, Kind.item: _item, Kind.quest: _quest, Kind.room_block: _room_block, Kind.world_event: _world_event}


def check_integrity(proposal: Proposal, index: WorldIndex) -> list[Reason]:
    reasons: list[Reason] = []
    _ref(reasons, "$.tags.region", proposal.tags.region, index.regions, "region")
    region = proposal.payload.get("region")
    _ref(reasons, "$.payload.region", region, index.regions, "region")
    if proposal.id in index.published:
        reasons.append(Reason(RULE, "$.id", f"proposal {proposal.id} is already published"))
    check = CHECKS.get(proposal.kind)
    if check:
        check(proposal.payload, index, reasons)
    return reasons
