"""The exit rule of content changes: a change may remove exits only when every
room stays reachable from the start room (generated patches only add routes;
an admin's hand edit may cut one only this way)."""

from collections import deque

from .loader import Problem, World


def exits_of(world: World) -> set[tuple[str, str, str]]:
    return {(room.id, ex.direction.value, ex.to) for room in world.rooms.values() for ex in room.exits}


def unreachable(world: World) -> list[str]:
    """Rooms that cannot be walked to from the start room, sorted."""
    start = world.header.start_room
    seen, todo = {start}, deque([start])
    while todo:
        for ex in world.rooms[todo.popleft()].exits:
            if ex.to not in seen:
                seen.add(ex.to)
                todo.append(ex.to)
    return sorted(set(world.rooms) - seen)


def exit_removal_problems(old: World | None, new: World, zone_files: dict[str, str]) -> list[Problem]:
    """Problems when `new` drops exits of `old` and leaves rooms cut off;
    `zone_files` names the file of each zone (zone id -> library file)."""
    if old is None:
        return []
    removed = sorted((src, d, to) for src, d, to in exits_of(old) - exits_of(new) if src in new.rooms)
    if not removed:
        return []
    cut_off = unreachable(new)
    if not cut_off:
        return []
    return [
        Problem(zone_files.get(new.room_zone[src], "world/zones/"), f"$.rooms[{_index(new, src)}].exits",
                f"removing the {d} exit of {src} cuts off {', '.join(cut_off[:5])}"
                f"{' and more' if len(cut_off) > 5 else ''} from the start room")
        for src, d, _to in removed
    ]


def _index(world: World, room_id: str) -> int:
    zone = next(z for z in world.zones if z.id == world.room_zone[room_id])
    return next(i for i, r in enumerate(zone.rooms) if r.id == room_id)
