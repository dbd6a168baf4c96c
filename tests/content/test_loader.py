"""The world loader: a valid world loads; every kind of invalid file is
reported with file, JSON path and reason, and nothing is half-loaded."""

import pytest

from generation.loader import ContentError, load_world


def problems_of(root) -> list[tuple[str, str, str]]:
    with pytest.raises(ContentError) as info:
        load_world(root)
    return [(p.file, p.path, p.reason) for p in info.value.problems]


def test_valid_mini_world_loads(write, world_files):
    world = load_world(write(world_files))
    assert set(world.rooms) == {"town.gate", "town.square"}
    assert world.room_zone["town.square"] == "town"
    assert world.items["item.stick"].slot.value == "weapon"


def test_missing_folder_is_reported(tmp_path):
    assert problems_of(tmp_path / "nope")[0][2] == "world folder does not exist"


def test_broken_json_reports_line_and_column(write, world_files):
    world_files["items.json"] = '{"items": [\n  {"id": "item.x",,}\n]}'
    (file, path, reason), = problems_of(write(world_files))
    assert file == "items.json" and path == "$"
    assert "line 2 column" in reason


def test_missing_file_and_missing_zones(write, world_files):
    del world_files["factions.json"]
    del world_files["zones/town.json"]
    found = problems_of(write(world_files))
    assert ("factions.json", "$", "file is missing") in found
    assert any(f == "zones/" for f, _, _ in found)


def test_schema_errors_name_the_json_path(write, world_files):
    zone = world_files["zones/town.json"]
    zone["rooms"][1]["coords"]["x"] = "east"
    zone["rooms"][0]["exits"][0]["direction"] = "sideways"
    zone["rooms"][0]["colour"] = "red"
    world_files["items.json"]["items"][0]["slot"] = None
    world_files["world.json"]["id"] = "Not An Id"
    found = problems_of(write(world_files))
    paths = {(f, p) for f, p, _ in found}
    assert ("zones/town.json", "$.rooms[1].coords.x") in paths
    assert ("zones/town.json", "$.rooms[0].exits[0].direction") in paths
    assert ("zones/town.json", "$.rooms[0].colour") in paths
    assert ("items.json", "$.items[0]") in paths
    assert ("world.json", "$.id") in paths


def test_dangling_exit_and_missing_way_back(write, world_files):
    rooms = world_files["zones/town.json"]["rooms"]
    rooms[1]["exits"] = [{"direction": "east", "to": "town.nowhere"}]
    found = problems_of(write(world_files))
    assert ("zones/town.json", "$.rooms[1].exits[0].to", "no room town.nowhere") in found
    assert any(p == "$.rooms[0].exits[0]" and "no south exit back" in r for _, p, r in found)


def test_one_way_exit_needs_no_way_back(write, world_files):
    rooms = world_files["zones/town.json"]["rooms"]
    rooms[0]["exits"][0]["one_way"] = True
    rooms[1]["exits"] = [{"direction": "south", "to": "town.gate", "one_way": True}]
    assert load_world(write(world_files)).rooms["town.gate"].exits[0].one_way


def test_exit_must_match_grid(write, world_files):
    world_files["zones/town.json"]["rooms"][1]["coords"] = {"x": 0, "y": 2}
    found = problems_of(write(world_files))
    assert any("north of town.gate is (0, 1, 0)" in r for _, _, r in found)


def test_duplicate_ids_and_coordinates(write, world_files):
    rooms = world_files["zones/town.json"]["rooms"]
    rooms.append(dict(rooms[1], exits=[{"direction": "south", "to": "town.gate", "one_way": True}]))
    world_files["items.json"]["items"].append(world_files["items.json"]["items"][1])
    found = problems_of(write(world_files))
    assert any("town.square is used twice" in r for _, _, r in found)
    assert any("item.herb already used" in r for _, _, r in found)


def test_unknown_references(write, world_files):
    world_files["world.json"]["start_room"] = "town.moon"
    world_files["zones/town.json"]["faction"] = "pirates"
    world_files["zones/town.json"]["rooms"][0]["items"] = [{"template": "item.ghost"}]
    world_files["zones/town.json"]["rooms"][0]["npcs"] = [{"template": "npc.ghost"}]
    world_files["archetypes.json"]["archetypes"][0]["faction"] = "pirates"
    found = problems_of(write(world_files))
    reasons = {r for _, _, r in found}
    assert {"no room town.moon", "unknown faction pirates", "unknown item template item.ghost",
            "unknown archetype npc.ghost"} <= reasons
    assert len(found) == 5


def test_room_without_exit_is_refused(write, world_files):
    rooms = world_files["zones/town.json"]["rooms"]
    rooms.append({"id": "town.cell", "name": "Cell", "desc": "Shut in.", "coords": {"x": 5, "y": 5}})
    found = problems_of(write(world_files))
    assert ("zones/town.json", "$.rooms[2].exits", "room town.cell has no exit") in found


def test_not_utf8_is_reported(write, world_files, tmp_path):
    root = write(world_files)
    (root / "world.json").write_bytes(b'{"id": "\xff\xfe"}')
    (file, path, reason), = problems_of(root)
    assert file == "world.json" and reason.startswith("cannot read")
