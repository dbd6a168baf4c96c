"""Loads a world folder of JSON, checks every file and the links between them,
and either returns the whole world or raises `ContentError` listing every
problem as (file, JSON path, reason). An invalid world is never half-loaded.

A world folder holds:
  world.json        WorldHeader
  factions.json     FactionList
  archetypes.json   ArchetypeList
  items.json        ItemList
  zones/*.json      one Zone each
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .models.common import DIRECTION_DELTA, OPPOSITE
from .models.world import (
    Archetype,
    ArchetypeList,
    Faction,
    FactionList,
    ItemList,
    ItemTemplate,
    Room,
    WorldHeader,
    Zone,
    table_problem,
)

FILE_MODELS: dict[str, type[BaseModel]] = {
    "world.json": WorldHeader,
    "factions.json": FactionList,
    "archetypes.json": ArchetypeList,
    "items.json": ItemList,
}
ZONE_GLOB = "zones/*.json"


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file} {self.path}: {self.reason}"


class ContentError(Exception):
    """Raised with every problem found; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} content problem(s):\n" + "\n".join(f"  {p}" for p in problems)
        )


@dataclass
class World:
    """A checked world: models plus lookup tables by content id."""

    root: Path
    header: WorldHeader
    zones: list[Zone]
    factions: dict[str, Faction]
    archetypes: dict[str, Archetype]
    items: dict[str, ItemTemplate]
    rooms: dict[str, Room] = field(default_factory=dict)
    room_zone: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for zone in self.zones:
            for room in zone.rooms:
                self.rooms[room.id] = room
                self.room_zone[room.id] = zone.id

    def table(self, name: str) -> list[ItemTemplate]:
        """The item templates in the stock or loot table `name` (e.g. stock.market), by name."""
        return sorted((t for t in self.items.values() if t.table == name), key=lambda t: (t.name, t.id))


def json_path(loc) -> str:
    """Turn a pydantic error location into a JSON path like $.rooms[2].exits[0].to."""
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def parse_file(path: Path, model: type[BaseModel], rel: str, problems: list[Problem]):
    """Read and validate one file; append problems and return the model or None."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "$", f"cannot read: {exc}"))
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        problems.append(Problem(rel, "$", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"))
        return None
    return validate_data(data, model, rel, problems)


def validate_data(data, model: type[BaseModel], rel: str, problems: list[Problem]):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(Problem(rel, json_path(err["loc"]), err["msg"]))
        return None


def load_world(root: str | Path) -> World:
    parts = parse_world_files(root)
    problems: list[Problem] = []
    world = assemble_world(parts, problems)
    if problems:
        raise ContentError(problems)
    return world


@dataclass
class WorldFiles:
    """The parsed files of a world folder before cross-file checks; `zones`
    pairs each zone with the file (relative to `prefix`) it came from."""

    root: Path
    header: WorldHeader
    factions: FactionList
    archetypes: ArchetypeList
    items: ItemList
    zones: list[tuple[str, Zone]]


def parse_world_files(root: str | Path, prefix: str = "") -> WorldFiles:
    """Read and validate every file of a world folder; ContentError lists
    every problem (file names are given as `prefix` + path in the folder)."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentError([Problem(prefix or str(root), "$", "world folder does not exist")])
    parsed: dict[str, BaseModel | None] = {}
    for name, model in FILE_MODELS.items():
        path = root / name
        if not path.exists():
            problems.append(Problem(prefix + name, "$", "file is missing"))
            parsed[name] = None
        else:
            parsed[name] = parse_file(path, model, prefix + name, problems)
    zones: list[tuple[str, Zone]] = []
    zone_files = sorted(root.glob(ZONE_GLOB))
    if not zone_files:
        problems.append(Problem(prefix + "zones/", "$", "a world needs at least one zone file"))
    for path in zone_files:
        rel = prefix + str(path.relative_to(root))
        zone = parse_file(path, Zone, rel, problems)
        if zone is not None:
            zones.append((rel, zone))
    if problems:
        raise ContentError(problems)
    return WorldFiles(root, parsed["world.json"], parsed["factions.json"], parsed["archetypes.json"],
                      parsed["items.json"], zones)


def assemble_world(parts: WorldFiles, problems: list[Problem], prefix: str = "",
                   room_sources: dict[str, tuple[str, str]] | None = None,
                   item_sources: dict[str, tuple[str, str]] | None = None) -> World:
    """Index the parsed files and run the whole-world checks, appending problems.
    `room_sources` and `item_sources` name the (file, JSON path) of rooms and
    items that did not come from the base world's files (a patch's)."""
    factions = index_by_id(parts.factions.factions, prefix + "factions.json", "factions", problems)
    archetypes = index_by_id(parts.archetypes.archetypes, prefix + "archetypes.json", "archetypes", problems)
    items = index_by_id(parts.items.items, prefix + "items.json", "items", problems)
    check_integrity(parts.header, parts.zones, factions, archetypes, items, problems, prefix, room_sources or {})
    regions = {zone.id for _, zone in parts.zones}
    for i, item in enumerate(parts.items.items):
        why = table_problem(item.table, regions) if item.table else None
        if why:
            file, where = (item_sources or {}).get(item.id, (prefix + "items.json", f"$.items[{i}]"))
            problems.append(Problem(file, f"{where}.table", why))
    return World(parts.root, parts.header, [z for _, z in parts.zones], factions, archetypes, items)


def index_by_id(entries, file: str, field: str, problems: list[Problem]) -> dict:
    """Entries by content id; a repeated id is a problem."""
    table = {}
    for i, entry in enumerate(entries):
        if entry.id in table:
            problems.append(Problem(file, f"$.{field}[{i}].id", f"id {entry.id} already used"))
        table[entry.id] = entry
    return table


def check_integrity(header, zones, factions, archetypes, items, problems: list[Problem], prefix: str = "",
                    room_sources: dict[str, tuple[str, str]] | None = None) -> None:
    """Cross-file checks: unique ids, references, paired exits, consistent grid."""
    room_sources = room_sources or {}
    owners: dict[str, str] = {}
    for kind, table in (("faction", factions), ("archetype", archetypes), ("item", items)):
        for cid in table:
            if cid in owners:
                problems.append(Problem(f"{prefix}{kind}s.json", "$", f"id {cid} already used for {owners[cid]}"))
            owners[cid] = kind
    rooms: dict[str, tuple[str, str, Room]] = {}
    coords: dict[tuple[int, int, int], str] = {}
    zone_ids: dict[str, str] = {}
    for rel, zone in zones:
        if zone.id in zone_ids:
            problems.append(Problem(rel, "$.id", f"zone id {zone.id} already used in {zone_ids[zone.id]}"))
        zone_ids[zone.id] = rel
        if zone.faction not in factions:
            problems.append(Problem(rel, "$.faction", f"unknown faction {zone.faction}"))
        for i, room in enumerate(zone.rooms):
            file, where = room_sources.get(room.id, (rel, f"$.rooms[{i}]"))
            if room.id in rooms or room.id in owners:
                problems.append(Problem(file, f"{where}.id", f"id {room.id} is used twice"))
                continue
            rooms[room.id] = (file, where, room)
            xyz = (room.coords.x, room.coords.y, room.coords.z)
            if xyz in coords:
                problems.append(Problem(file, f"{where}.coords", f"same coordinates as room {coords[xyz]}"))
            coords[xyz] = room.id
    for rel, where, room in rooms.values():
        if not room.exits:
            problems.append(Problem(rel, f"{where}.exits", f"room {room.id} has no exit"))
        for j, ex in enumerate(room.exits):
            epath = f"{where}.exits[{j}]"
            target = rooms.get(ex.to)
            if target is None:
                problems.append(Problem(rel, f"{epath}.to", f"no room {ex.to}"))
                continue
            dx, dy, dz = DIRECTION_DELTA[ex.direction]
            want = (room.coords.x + dx, room.coords.y + dy, room.coords.z + dz)
            have = (target[2].coords.x, target[2].coords.y, target[2].coords.z)
            if want != have:
                problems.append(
                    Problem(rel, f"{epath}", f"{ex.direction.value} of {room.id} is {want}, but {ex.to} is at {have}")
                )
            if not ex.one_way:
                back = OPPOSITE[ex.direction]
                if not any(b.direction == back and b.to == room.id for b in target[2].exits):
                    problems.append(
                        Problem(rel, f"{epath}", f"{ex.to} has no {back.value} exit back to {room.id} (mark one_way if meant)")
                    )
        for j, placed in enumerate(room.items):
            if placed.template not in items:
                problems.append(Problem(rel, f"{where}.items[{j}].template", f"unknown item template {placed.template}"))
        for j, placed in enumerate(room.npcs):
            if placed.template not in archetypes:
                problems.append(Problem(rel, f"{where}.npcs[{j}].template", f"unknown archetype {placed.template}"))
    for aid, arch in archetypes.items():
        if arch.faction not in factions:
            problems.append(Problem(f"{prefix}archetypes.json", f"$.archetypes[{aid}].faction", f"unknown faction {arch.faction}"))
    if header.start_room not in rooms:
        problems.append(Problem(f"{prefix}world.json", "$.start_room", f"no room {header.start_room}"))
