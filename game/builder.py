"""Builds the live world from a loaded content world, idempotently.

Every object carries its content id as a tag: building twice creates nothing
new, and building after a JSON change updates the live objects in place.
Item and NPC placements are spawned once per room (recorded on the room), so
what players pick up is not spawned again on every start."""

from dataclasses import dataclass, field

from evennia.utils.create import create_object
from evennia.objects.models import ObjectDB
from evennia.prototypes import spawner

from generation.loader import World
from generation.models.common import DIRECTION_ALIASES

from .prototypes import item_prototype, npc_prototype
from .typeclasses.objects import CONTENT_ID
from .typeclasses.rooms import COORDS, ZONE, coords_key

ROOM_TYPECLASS = "game.typeclasses.rooms.Room"
EXIT_TYPECLASS = "game.typeclasses.exits.Exit"


@dataclass
class BuildReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    spawned: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.removed)} removed, {len(self.spawned)} spawned"
        )


def tagged(key: str, category: str):
    """The objects with the tag (`key`, `category`), by id. One indexed query:
    tags are stored lower case, and Evennia's get_by_tag matches them
    case-blind (which SQLite cannot look up by index) and counts the matches."""
    return ObjectDB.objects.filter(db_tags__db_key=key.lower(), db_tags__db_category=category,
                                   db_tags__db_tagtype=None, db_tags__db_model="objectdb").order_by("id")


def find_by_content_id(content_id: str):
    """The live object built from `content_id`, or None."""
    return tagged(content_id, CONTENT_ID).first()


def set_changed(obj, values: dict) -> bool:
    """Write the attributes of `values` that differ on `obj`; whether any did."""
    changed = {attr: value for attr, value in values.items() if obj.attributes.get(attr) != value}
    for attr, value in changed.items():
        obj.attributes.add(attr, value)
    return bool(changed)


def replace_tag(obj, key: str, category: str) -> None:
    """`obj`'s one tag of `category` becomes `key`."""
    if obj.tags.get(category=category) != key:
        obj.tags.remove(category=category)
        obj.tags.add(key, category=category)


def build_room(room, zone, report: BuildReport):
    attributes = {"desc": room.desc, "coords": (room.coords.x, room.coords.y, room.coords.z),
                  "zone_name": zone.name, "room_tags": list(room.tags)}
    tags = {ZONE: zone.id, COORDS: coords_key(room.coords.x, room.coords.y, room.coords.z)}
    obj = find_by_content_id(room.id)
    if obj is None:  # made whole at once, its tags and attributes written in bulk
        report.created.append(room.id)
        return create_object(ROOM_TYPECLASS, key=room.name, attributes=list(attributes.items()),
                             tags=[(room.id, CONTENT_ID), *((key, cat) for cat, key in tags.items())])
    renamed = obj.key != room.name
    if renamed:
        obj.key = room.name
    if set_changed(obj, attributes) or renamed:
        report.updated.append(room.id)
    for category, key in tags.items():
        replace_tag(obj, key, category)
    return obj


def exit_id(room, ex) -> str:
    return f"{room.id}>{ex.direction.value}"


def build_exit(room, ex, room_obj, rooms: dict, report: BuildReport) -> None:
    """Create or update the exit `ex` of `room` (its object `room_obj`)."""
    cid = exit_id(room, ex)
    key = ex.name or ex.direction.value
    aliases = sorted({DIRECTION_ALIASES[ex.direction], ex.direction.value} - {key})
    destination = rooms[ex.to]
    obj = find_by_content_id(cid)
    if obj is None:
        create_object(
            EXIT_TYPECLASS,
            key=key,
            location=room_obj,
            destination=destination,
            aliases=aliases,
            tags=[(cid, CONTENT_ID)],
        )
        report.created.append(cid)
        return
    if (obj.key, obj.location, obj.destination, sorted(obj.aliases.all())) != (key, room_obj, destination, aliases):
        obj.key, obj.location, obj.destination = key, room_obj, destination
        obj.aliases.clear()
        obj.aliases.add(aliases)
        report.updated.append(cid)


def remove_stale_exits(room, room_obj, report: BuildReport) -> None:
    """Delete the exits of `room_obj` its content no longer has (the applier
    checks first that no room is cut off by it)."""
    wanted = {exit_id(room, ex) for ex in room.exits}
    for obj in room_obj.exits:
        cid = obj.tags.get(category=CONTENT_ID)
        if cid and cid not in wanted:
            report.removed.append(cid)
            obj.delete()


def build_exits(room, room_obj, rooms: dict, report: BuildReport) -> None:
    for ex in room.exits:
        build_exit(room, ex, room_obj, rooms, report)
    remove_stale_exits(room, room_obj, report)


def update_templates(world: World, report: BuildReport) -> dict[str, dict]:
    """Bring every live object spawned from a template up to date; return the prototypes."""
    prototypes = {t.id: item_prototype(t) for t in world.items.values()}
    prototypes.update({a.id: npc_prototype(a) for a in world.archetypes.values()})
    for key, proto in prototypes.items():
        for obj in tagged(key, spawner.PROTOTYPE_TAG_CATEGORY):
            if template_changed(proto, obj):
                spawner.batch_update_objects_with_prototype(proto, objects=[obj])
                report.updated.append(f"{key}#{obj.id}")
    return prototypes


def template_changed(prototype: dict, obj) -> bool:
    """Whether the object's name or attributes differ from its template's."""
    diff, _ = spawner.prototype_diff_from_object(prototype, obj)
    flat = spawner.flatten_diff(diff)
    return any(flat.get(field, "KEEP") != "KEEP" for field in ("key", "attrs"))


def placements(room) -> list[tuple[str, str, int]]:
    """(placement id, template, count) of each item and NPC placement of `room`."""
    return [(f"{room.id}#{kind}{i}:{placement.template}", placement.template, placement.count)
            for kind, found in (("item", room.items), ("npc", room.npcs)) for i, placement in enumerate(found)]


def place_one(room_obj, pid: str, prototype: dict, n: int, count: int, report: BuildReport) -> None:
    """Spawn the `n`th (from 1) of the `count` objects of placement `pid` into
    `room_obj`, unless it has it. The room records each object placed
    (`<pid>/<n>`) and, with the last one, the placement (`<pid>`) alone."""
    placed = set(room_obj.db.placed or [])
    if pid in placed or f"{pid}/{n}" in placed:
        return
    [obj] = spawner.spawn(prototype)
    obj.location = obj.home = room_obj
    if n < count:
        placed.add(f"{pid}/{n}")
    else:
        placed = {p for p in placed if not p.startswith(f"{pid}/")} | {pid}
        report.spawned.append(pid)
    room_obj.db.placed = sorted(placed)


def place_contents(room, room_obj, prototypes: dict, report: BuildReport) -> None:
    for pid, template, count in placements(room):
        for n in range(1, count + 1):
            place_one(room_obj, pid, prototypes[template], n, count, report)


def build_world(world: World) -> BuildReport:
    """Create or update every room, exit, item and NPC of `world`."""
    report = BuildReport()
    room_objs = {}
    for zone in world.zones:
        for room in zone.rooms:
            room_objs[room.id] = build_room(room, zone, report)
    for zone in world.zones:
        for room in zone.rooms:
            build_exits(room, room_objs[room.id], room_objs, report)
    prototypes = update_templates(world, report)
    for zone in world.zones:
        for room in zone.rooms:
            place_contents(room, room_objs[room.id], prototypes, report)
    return report
