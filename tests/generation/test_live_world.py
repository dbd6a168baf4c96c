"""The content library as the live world: the seed commit is the shipped base
world, published patches merge into one checked world, a changed shipped world
is one "Upgrade base world" commit, and bad files are refused (strict) or
left out and reported (lenient)."""

import json
import shutil

import pytest

from generation.base_world import upgrade_base_world
from generation.enrich import PROCEDURAL
from generation.live_world import load_library, load_library_lenient
from generation.loader import ContentError, load_world
from generation.models.proposal import Kind
from generation.pipeline import make
from generation.publish import Library, patch_path
from generation.world_index import WorldIndex

from .conftest import TERA


@pytest.fixture
def shipped(tmp_path):
    folder = tmp_path / "shipped"
    shutil.copytree(TERA, folder)
    return folder


@pytest.fixture
def library(tmp_path, shipped):
    lib = Library(tmp_path / "library", base_world=shipped)
    lib.ensure()
    return lib


def subjects(lib):
    return lib.git("log", "--format=%s").splitlines()


def test_seed_commit_is_the_shipped_base_world(library, shipped):
    assert subjects(library) == ["Content library: seed"]
    tracked = library.git("ls-files").splitlines()
    assert "world/world.json" in tracked and "world/zones/village.json" in tracked
    live = load_library(library.root)
    assert set(live.world.rooms) == set(load_world(shipped).rooms)
    assert live.spawns == [] and live.quests == {}


def test_published_patches_merge_into_one_world(library, index):
    npc = make(Kind.npc, 3, "village", index, PROCEDURAL)
    block = make(Kind.room_block, 1, None, index, PROCEDURAL)
    library.publish(npc)
    library.publish(block)
    live = load_library(library.root)
    archetype = npc.payload["id"]
    assert archetype in live.world.archetypes and live.made_by[archetype] == npc.id
    home = next(z for z in live.world.zones if z.id == "village").rooms[0].id
    assert [(s.template, s.room, s.proposal_id) for s in live.spawns] == [(archetype, home, npc.id)]
    anchor = block.payload["anchor"]
    exits = {e.direction.value: e.to for e in live.world.rooms[anchor["room"]].exits}
    assert exits[anchor["direction"]] == anchor["entrance"]
    assert live.world.room_zone[anchor["entrance"]] == block.payload["region"]
    assert live.patch_files[block.id] == patch_path("room_block", block.id)


def test_a_bad_patch_is_refused_strictly_and_left_out_leniently(library, index):
    good = make(Kind.npc, 3, "village", index, PROCEDURAL)
    bad = make(Kind.npc, 4, "forest", index, PROCEDURAL)
    library.publish(good)
    library.publish(bad)
    bad_file = library.root / patch_path("npc", bad.id)
    data = json.loads(bad_file.read_text())
    data["content"]["stats"]["health"] = -5
    bad_file.write_text(json.dumps(data))
    with pytest.raises(ContentError) as refused:
        load_library(library.root)
    [problem] = refused.value.problems
    assert (problem.file, problem.path) == (patch_path("npc", bad.id), "$.content.stats.health")
    live = load_library_lenient(library.root)
    assert good.payload["id"] in live.world.archetypes and bad.payload["id"] not in live.world.archetypes
    assert [p.file for p in live.left_out] == [patch_path("npc", bad.id)]
    bad_file.write_text("{not json")
    assert [p.path for p in load_library_lenient(library.root).left_out] == ["$"]


def test_broken_base_world_file_names_file_and_path(library):
    zone = library.root / "world" / "zones" / "village.json"
    data = json.loads(zone.read_text())
    data["rooms"][0]["exits"][0]["to"] = "village.nowhere"
    zone.write_text(json.dumps(data))
    with pytest.raises(ContentError) as refused:
        load_library(library.root)
    assert any(p.file == "world/zones/village.json" and p.path == "$.rooms[0].exits[0].to"
               for p in refused.value.problems)


def test_changed_shipped_world_is_one_upgrade_commit(library, shipped):
    assert upgrade_base_world(library) is None
    header = json.loads((shipped / "world.json").read_text())
    header["desc"] = "An upgraded continent."
    (shipped / "world.json").write_text(json.dumps(header))
    commit = upgrade_base_world(library)
    assert commit and subjects(library)[0] == "Upgrade base world"
    assert library.git("show", "--name-only", "--format=", commit).splitlines() == ["world/world.json"]
    assert load_library(library.root).world.header.desc == "An upgraded continent."
    assert upgrade_base_world(library) is None


def test_world_index_reads_the_validated_library(library, index):
    npc = make(Kind.npc, 3, "village", index, PROCEDURAL)
    library.publish(npc)
    (library.root / patch_path("npc", "npc.broken")).write_text("{oops")
    grown = WorldIndex.load(TERA, library.root)
    assert npc.payload["id"] in grown.archetypes and npc.id in grown.published


def test_sync_commits_a_good_hand_edit_and_refuses_a_bad_one(library):
    from generation.library_sync import sync

    first = sync(library, None)
    assert first.committed == [] and first.live is not None
    zone = library.root / "world" / "zones" / "village.json"
    good = json.loads(zone.read_text())
    good["rooms"][0]["desc"] = "Freshly painted."
    zone.write_text(json.dumps(good))
    done = sync(library, first.live.world)
    assert done.committed == ["world/zones/village.json"] and done.refused == {}
    assert subjects(library)[0] == "Hand edit: world/zones/village.json"
    assert done.live.world.rooms[good["rooms"][0]["id"]].desc == "Freshly painted."

    zone.write_text("[1, 2")
    refused = sync(library, done.live.world)
    assert list(refused.refused) == ["world/zones/village.json"]
    assert refused.live.world.rooms[good["rooms"][0]["id"]].desc == "Freshly painted."  # HEAD's world
    assert subjects(library)[0] == "Hand edit: world/zones/village.json"


def test_a_block_anchored_in_an_earlier_block_loads_whatever_the_file_order(library):
    """The director grows generated rooms too: a block anchored in a block published before it
    goes live even when its file name sorts first (files are read in name order)."""
    first = make(Kind.room_block, 1, "village", WorldIndex.load(TERA, library.root), PROCEDURAL)
    library.publish(first)
    grown = WorldIndex.load(TERA, library.root)
    chained = next(p for p in (make(Kind.room_block, seed, "village", grown, PROCEDURAL,
                                    {"anchor": first.payload["rooms"][-1]["id"]}) for seed in range(2, 200))
                   if p.id < first.id)
    library.publish(chained)
    live = load_library(library.root)
    anchor = chained.payload["anchor"]
    assert {e.direction.value: e.to for e in live.world.rooms[anchor["room"]].exits}[anchor["direction"]] \
        == anchor["entrance"]


def test_an_item_naming_a_stock_or_loot_table_goes_there_not_into_a_room(library, index):
    """Issue 8: an item patch puts its item in its region's first room, or in the stock or loot table it names."""
    placed = {p: make(Kind.item, 5, "market", index, PROCEDURAL, {"placement": p}) for p in ("room", "stock", "loot")}
    assert placed["stock"].payload["table"] == "stock.market"
    assert placed["loot"].payload["table"].startswith("loot.") and "table" not in placed["room"].payload
    for proposal in placed.values():
        library.publish(proposal)
    live = load_library(library.root)
    assert [s.proposal_id for s in live.spawns] == [placed["room"].id], "only the room's item is spawned"
    assert [t.id for t in live.world.table("stock.market")] == [placed["stock"].payload["id"]]
    assert [t.id for t in live.world.table(placed["loot"].payload["table"])] == [placed["loot"].payload["id"]]
    stocked = library.root / patch_path("item", placed["stock"].id)
    data = json.loads(stocked.read_text())
    data["content"]["table"] = "stock.atlantis"
    stocked.write_text(json.dumps(data))
    with pytest.raises(ContentError) as refused:
        load_library(library.root)
    [problem] = refused.value.problems
    assert (problem.file, problem.path, problem.reason) == (
        patch_path("item", placed["stock"].id), "$.content.table", "no region atlantis for the stock table stock.atlantis")
    assert placed["stock"].payload["id"] not in load_library_lenient(library.root).world.items


def test_a_committed_bad_patch_is_left_out_and_the_patches_after_it_go_live(library, index):
    """A published patch that the whole library refuses (here broken after its
    commit) must not hold up the world: sync leaves it out, reports it, and the
    patches committed after it go live, as the director's index sees them."""
    from generation.library_sync import sync

    bad, later = make(Kind.npc, 4, "forest", index, PROCEDURAL), make(Kind.npc, 3, "village", index, PROCEDURAL)
    library.publish(bad)
    rel = patch_path("npc", bad.id)
    data = json.loads((library.root / rel).read_text())
    data["content"]["stats"]["health"] = -5
    (library.root / rel).write_text(json.dumps(data))
    library.commit_files([rel], "a bad patch, committed")
    library.publish(later)
    synced = sync(library, None)
    assert synced.live is not None and synced.refused == {}
    assert later.payload["id"] in synced.live.world.archetypes and bad.payload["id"] not in synced.live.world.archetypes
    assert [(p.file, p.path) for p in synced.problems] == [(rel, "$.content.stats.health")]
    assert sync(library, synced.live.world).problems == synced.problems  # reported until fixed
