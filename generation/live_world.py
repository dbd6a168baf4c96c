"""The content library read as the live world: its `world/` folder (the base
world, first committed from the shipped `content/worlds/<world>/`) plus every
published patch (`patches/<kind>/<proposal id>.json`), merged and checked as
one world by the loader's whole-world checks.

What each patch kind adds:
  npc         an archetype, and one NPC of it in its home room
  item        an item template, and one item of it in its home room, or in
              the stock table (stock.<region>: its merchants sell it) or loot
              table (loot.<role>: slain NPCs of that role may drop it) it names
  room_block  rooms in the zone of its region, plus the anchor room's exit into it
  quest       a quest blueprint (its giver and region must exist)
  world_event a world event (its region must exist)
A patch's home room is the first room of its region's zone file.

`load_library` is strict (any problem refuses the whole library: the game
keeps its last good world); `load_library_lenient` leaves out the patch files
that have problems and reports them, so generation never stops on one bad
file. No Evennia here: workers and the server both use it."""

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .kinds import KINDS
from .loader import (
    ContentError,
    Problem,
    World,
    WorldFiles,
    assemble_world,
    parse_file,
    parse_world_files,
    validate_data,
)
from .models.generated import QuestBlueprint, RoomBlock, WorldEvent
from .models.proposal import Kind, Patch, Tags
from .models.world import ArchetypeList, Exit, ItemList, Zone

BASE_DIR = "world"
PATCH_GLOB = "patches/*/*.json"


@dataclass(frozen=True)
class Spawn:
    """One object a patch puts in the world: `kind` npc or item, of `template`, in `room`."""

    proposal_id: str
    kind: str
    template: str
    room: str


@dataclass
class LiveWorld:
    world: World
    quests: dict[str, QuestBlueprint] = field(default_factory=dict)
    events: dict[str, WorldEvent] = field(default_factory=dict)
    spawns: list[Spawn] = field(default_factory=list)
    made_by: dict[str, str] = field(default_factory=dict)  # content id -> proposal id of its patch
    patch_files: dict[str, str] = field(default_factory=dict)  # proposal id -> file in the library
    zone_files: dict[str, str] = field(default_factory=dict)  # zone id -> its file in the library
    tags: dict[str, Tags] = field(default_factory=dict)  # proposal id -> its patch's tags (region, purpose, ...)

    def purposes(self, kind: str) -> dict[str, set[str]]:
        """Region -> purposes of the applied patches of `kind` there (e.g. {"market": {"gold_sink"}})."""
        out: dict[str, set[str]] = {}
        for pid, rel in self.patch_files.items():
            tags = self.tags.get(pid)
            if tags is not None and tags.purpose and rel.startswith(f"patches/{kind}/"):
                out.setdefault(tags.region, set()).add(tags.purpose)
        return out
    left_out: list[Problem] = field(default_factory=list)  # lenient loads: problems of skipped patches


@dataclass
class _Patches:
    archetypes: list = field(default_factory=list)
    items: list = field(default_factory=list)
    blocks: list[tuple[str, RoomBlock]] = field(default_factory=list)
    quests: list[tuple[str, QuestBlueprint]] = field(default_factory=list)
    events: list[tuple[str, WorldEvent]] = field(default_factory=list)
    patch_ids: dict[str, str] = field(default_factory=dict)  # file -> proposal id
    tags: dict[str, Tags] = field(default_factory=dict)  # file -> its tags


def read_patches(root: Path, problems: list[Problem], skip: set[str] = frozenset()) -> _Patches:
    """Parse every patch file (but `skip`) into its kind's content model."""
    out = _Patches()
    for path in sorted(root.glob(PATCH_GLOB)):
        rel = str(path.relative_to(root))
        if rel in skip:
            continue
        patch = parse_file(path, Patch, rel, problems)
        if patch is None:
            continue
        if path.parent.name != patch.kind.value or path.stem != patch.proposal_id:
            problems.append(Problem(rel, "$", f"a {patch.kind.value} patch {patch.proposal_id} belongs in "
                                              f"patches/{patch.kind.value}/{patch.proposal_id}.json"))
            continue
        content: BaseModel | None = validate_data(patch.content, KINDS[patch.kind].content, rel, sub := [])
        problems.extend(Problem(p.file, p.path.replace("$", "$.content", 1), p.reason) for p in sub)
        if content is None:
            continue
        out.patch_ids[rel] = patch.proposal_id
        out.tags[rel] = patch.tags
        {Kind.npc: out.archetypes, Kind.item: out.items, Kind.room_block: out.blocks, Kind.quest: out.quests,
         Kind.world_event: out.events}[patch.kind].append((rel, content))
    return out


def _home_rooms(zones: list[tuple[str, Zone]]) -> dict[str, str]:
    return {zone.id: zone.rooms[0].id for _, zone in zones}


def merge(base: WorldFiles, patches: _Patches, problems: list[Problem]) -> LiveWorld:
    """Base world + patches as one checked LiveWorld (problems appended)."""
    taken = {a.id for a in base.archetypes.archetypes} | {i.id for i in base.items.items}
    zones = {zone.id: [rel, zone] for rel, zone in base.zones}
    homes = _home_rooms(base.zones)
    live = LiveWorld(world=None)  # type: ignore[arg-type]  (filled below)
    archetypes, items = list(base.archetypes.archetypes), list(base.items.items)

    def claim(rel: str, cid: str) -> bool:
        if cid in taken:
            problems.append(Problem(rel, "$.content.id", f"id {cid} already exists"))
            return False
        taken.add(cid)
        live.made_by[cid] = patches.patch_ids[rel]
        live.patch_files[patches.patch_ids[rel]] = rel
        live.tags[patches.patch_ids[rel]] = patches.tags[rel]
        return True

    item_sources: dict[str, tuple[str, str]] = {}
    for kind, entries, table in (("npc", patches.archetypes, archetypes), ("item", patches.items, items)):
        for rel, content in entries:
            region = patches.tags[rel].region
            if claim(rel, content.id):
                table.append(content)
                pid = patches.patch_ids[rel]
                home = homes.get(region)
                if kind == "item":
                    item_sources[content.id] = (rel, "$.content")
                if home is None:
                    problems.append(Problem(rel, "$.tags.region", f"no region {region}"))
                elif getattr(content, "table", None) is None:  # an item in a stock or loot table has no room
                    live.spawns.append(Spawn(pid, kind, content.id, home))
    room_sources: dict[str, tuple[str, str]] = {}
    merged_blocks = []
    for rel, block in patches.blocks:
        if block.region not in zones or not claim(rel, block.id):
            if block.region not in zones:
                problems.append(Problem(rel, "$.content.region", f"no region {block.region}"))
            continue
        entry = zones[block.region]
        rooms = list(entry[1].rooms)
        for i, room in enumerate(block.rooms):
            room_sources[room.id] = (rel, f"$.content.rooms[{i}]")
            live.made_by[room.id] = patches.patch_ids[rel]
        rooms.extend(block.rooms)
        entry[1] = entry[1].model_copy(update={"rooms": rooms})
        merged_blocks.append((rel, block))
    for rel, block in merged_blocks:  # every block's rooms first: a block may be anchored in another
        _attach_anchor(zones, rel, block, problems)
    for rel, quest in patches.quests:
        if claim(rel, quest.id):
            if quest.region not in zones:
                problems.append(Problem(rel, "$.content.region", f"no region {quest.region}"))
            if quest.giver not in {a.id for a in archetypes}:
                problems.append(Problem(rel, "$.content.giver", f"no archetype {quest.giver}"))
            live.quests[quest.id] = quest
    for rel, event in patches.events:
        if claim(rel, event.id):
            if event.region not in zones:
                problems.append(Problem(rel, "$.content.region", f"no region {event.region}"))
            live.events[event.id] = event
    merged = WorldFiles(base.root, base.header, base.factions, ArchetypeList(archetypes=archetypes),
                        ItemList(items=items), [(rel, zone) for rel, zone in zones.values()])
    live.world = assemble_world(merged, problems, f"{BASE_DIR}/", room_sources, item_sources)
    live.zone_files = {zone_id: rel for zone_id, (rel, _) in zones.items()}
    return live


def _attach_anchor(zones: dict, rel: str, block: RoomBlock, problems: list[Problem]) -> None:
    """Add the anchor room's exit into the block (the block's entrance has the way back)."""
    anchor = block.anchor
    for entry in zones.values():
        rooms = entry[1].rooms
        for i, room in enumerate(rooms):
            if room.id != anchor.room:
                continue
            existing = next((e for e in room.exits if e.direction == anchor.direction), None)
            if existing is not None and existing.to != anchor.entrance:
                problems.append(Problem(rel, "$.content.anchor.direction",
                                        f"{anchor.room} already has a {anchor.direction.value} exit to {existing.to}"))
                return
            if existing is None:
                exits = [*room.exits, Exit(direction=anchor.direction, to=anchor.entrance)]
                rooms = [*rooms[:i], room.model_copy(update={"exits": exits}), *rooms[i + 1:]]
                entry[1] = entry[1].model_copy(update={"rooms": rooms})
            return
    problems.append(Problem(rel, "$.content.anchor.room", f"no room {anchor.room}"))


def load_library(root: str | Path) -> LiveWorld:
    """The whole library as one world; ContentError lists every problem."""
    root = Path(root)
    base = parse_world_files(root / BASE_DIR, f"{BASE_DIR}/")
    problems: list[Problem] = []
    live = merge(base, read_patches(root, problems), problems)
    if problems:
        raise ContentError(problems)
    return live


def load_library_lenient(root: str | Path, fallback_base: str | Path | None = None) -> LiveWorld:
    """The library without the patch files that have problems (they are listed
    in `left_out`). A broken base world falls back to `fallback_base` (the
    shipped one) when given; otherwise its ContentError is raised."""
    root = Path(root)
    left_out: list[Problem] = []
    try:
        base = parse_world_files(root / BASE_DIR, f"{BASE_DIR}/")
    except ContentError as exc:
        if fallback_base is None:
            raise
        left_out.extend(exc.problems)
        base = parse_world_files(fallback_base, f"{BASE_DIR}/")
    skip: set[str] = set()
    for _ in range(8):  # each round drops the files that had problems; few rounds ever happen
        problems: list[Problem] = []
        live = merge(base, read_patches(root, problems, skip), problems)
        bad = {p.file for p in problems if p.file.startswith("patches/")}
        if not problems:
            live.left_out = left_out
            return live
        if not bad:
            raise ContentError(left_out + problems)
        left_out.extend(problems)
        skip |= bad
    raise ContentError(left_out)
