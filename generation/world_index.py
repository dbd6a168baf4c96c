"""What exists: the base world plus every patch already published in the
content library, as far as they validate (`generation.live_world`: files with
problems are left out and listed in `left_out`, so one bad file never stops
generation). Drafters read it to pick anchors and targets; the gate checks
references against it."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from .live_world import BASE_DIR, load_library_lenient
from .loader import Problem, World, load_world
from .models.common import DIRECTION_DELTA, OPPOSITE, Direction

XYZ = tuple[int, int, int]


@dataclass
class IndexedRoom:
    id: str
    region: str
    coords: XYZ
    exits: dict[str, str]  # direction value -> target room id
    tags: tuple[str, ...] = ()

    def free_directions(self) -> list[str]:
        return [d.value for d in Direction if d.value not in self.exits]


@dataclass
class WorldIndex:
    regions: dict[str, str] = field(default_factory=dict)  # region id -> faction holding sway
    factions: set[str] = field(default_factory=set)
    archetypes: dict[str, str | None] = field(default_factory=dict)  # id -> region made for (None: base)
    items: set[str] = field(default_factory=set)
    rooms: dict[str, IndexedRoom] = field(default_factory=dict)
    coords: dict[XYZ, str] = field(default_factory=dict)
    quests: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    region_npcs: dict[str, set[str]] = field(default_factory=dict)
    region_items: dict[str, set[str]] = field(default_factory=dict)
    published: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)  # content id -> display name
    left_out: list[Problem] = field(default_factory=list)  # library files that did not validate

    @classmethod
    def from_world(cls, world: World) -> "WorldIndex":
        index = cls(factions=set(world.factions), archetypes={a: None for a in world.archetypes}, items=set(world.items))
        index.names.update({a.id: a.name for a in world.archetypes.values()})
        index.names.update({i.id: i.name for i in world.items.values()})
        for zone in world.zones:
            index.regions[zone.id] = zone.faction
            for room in zone.rooms:
                index.add_room(room.model_dump(mode="json"), zone.id)
        return index

    @classmethod
    def load(cls, world_dir: Path, library_dir: Path | None = None) -> "WorldIndex":
        """The shipped world at `world_dir`, or, when the library holds a base
        world, the library's validated world (its base world falling back to
        `world_dir` when broken)."""
        if library_dir is None or not (Path(library_dir) / BASE_DIR).is_dir():
            index = cls.from_world(load_world(world_dir))
            for path in sorted(Path(library_dir).glob("patches/*/*.json")) if library_dir else []:
                index.add_patch(json.loads(path.read_text(encoding="utf-8")))
            return index
        live = load_library_lenient(library_dir, fallback_base=world_dir)
        index = cls.from_world(live.world)
        for rel in sorted(live.patch_files.values()):
            index.add_patch(json.loads((Path(library_dir) / rel).read_text(encoding="utf-8")))
        index.left_out = live.left_out
        return index

    def add_room(self, room: dict, region: str) -> None:
        c = room["coords"]
        xyz = (c["x"], c["y"], c.get("z", 0))
        self.rooms[room["id"]] = IndexedRoom(
            room["id"], region, xyz, {e["direction"]: e["to"] for e in room.get("exits", [])}, tuple(room.get("tags", []))
        )
        self.coords[xyz] = room["id"]
        self.names[room["id"]] = room["name"]
        self.region_npcs.setdefault(region, set()).update(p["template"] for p in room.get("npcs", []))
        self.region_items.setdefault(region, set()).update(p["template"] for p in room.get("items", []))

    def add_patch(self, patch: dict) -> None:
        """Record one published patch (the library's `patches/<kind>/<id>.json`)."""
        content, kind = patch["content"], patch["kind"]
        self.published.add(patch["proposal_id"])
        if "name" in content:
            self.names[content["id"]] = content["name"]
        if kind == "npc":
            self.archetypes[content["id"]] = patch["tags"]["region"]
            self.region_npcs.setdefault(patch["tags"]["region"], set()).add(content["id"])
        elif kind == "item":
            self.items.add(content["id"])
        elif kind == "quest":
            self.quests.add(content["id"])
        elif kind == "world_event":
            self.events.add(content["id"])
        elif kind == "room_block":
            for room in content["rooms"]:
                self.add_room(room, content["region"])
            anchor = content["anchor"]
            self.rooms[anchor["room"]].exits[anchor["direction"]] = anchor["entrance"]

    def neighbour(self, xyz: XYZ, direction: str) -> XYZ:
        dx, dy, dz = DIRECTION_DELTA[Direction(direction)]
        return (xyz[0] + dx, xyz[1] + dy, xyz[2] + dz)

    def regional_archetypes(self, region: str) -> list[str]:
        made_here = {a for a, r in self.archetypes.items() if r == region}
        return sorted((self.region_npcs.get(region, set()) | made_here) & set(self.archetypes))

    def open_sides(self, room_id: str, flat: bool = True) -> list[str]:
        """Directions out of `room_id` with no exit and a free grid cell."""
        room = self.rooms[room_id]
        return [
            d for d in room.free_directions()
            if not (flat and d in ("up", "down")) and self.neighbour(room.coords, d) not in self.coords
        ]


def opposite(direction: str) -> str:
    return OPPOSITE[Direction(direction)].value
