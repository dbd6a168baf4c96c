"""Publish stage: one commit per proposal, idempotent, undo, the kill switch,
and recovery from a killed git (stale index.lock, written-but-uncommitted file)."""

import json
import os
import subprocess
import time

import pytest

from generation.director.switch import Switch
from generation.enrich import PROCEDURAL
from generation.models.proposal import Kind
from generation.pipeline import make
from generation.publish import Library, PublishBlocked, patch_for, patch_path
from generation.world_index import WorldIndex
from generation.runtime import CONTENT_DIR


@pytest.fixture
def library(tmp_path):
    return Library(tmp_path / "library", stale_lock_s=1.0)


def commits_for(library, pid):
    return library.git("log", "--format=%H", "-F", f"--grep=Proposal: {pid}").split()


def fsck_clean(library):
    done = subprocess.run(["git", "-C", str(library.root), "fsck", "--strict"], capture_output=True, text=True)
    return done.returncode == 0


def test_publish_is_one_idempotent_commit_and_undo_reverts(library, index):
    p = make(Kind.room_block, 1, None, index, PROCEDURAL)
    first = library.publish(p)
    again = library.publish(p)
    assert first.created and not again.created and first.commit == again.commit
    assert commits_for(library, p.id) == [first.commit]
    data = json.loads((library.root / patch_path("room_block", p.id)).read_text())
    assert data["hash"] == patch_for(p).hash and data["proposal_id"] == p.id
    assert f"Content-Hash: {data['hash']}" in library.git("log", "-1", "--format=%B")
    grown = WorldIndex.load(CONTENT_DIR / "worlds" / "tera", library.root)
    assert p.payload["anchor"]["entrance"] in grown.rooms and p.id in grown.published
    undo = library.undo(p.id)
    assert library.undo(p.id) == undo
    assert not (library.root / patch_path("room_block", p.id)).exists()
    assert fsck_clean(library)


def test_stopped_director_publishes_nothing(library, index, tmp_path):
    switch = Switch(tmp_path / "switch.json")
    switch.emergency_stop(by="admin")
    p = make(Kind.npc, 2, None, index, PROCEDURAL)
    with pytest.raises(PublishBlocked):
        library.publish(p, switch)
    assert commits_for(library, p.id) == []
    switch.resume(by="admin")
    assert library.publish(p, switch).created


def test_recovers_from_a_killed_git(library, index):
    p = make(Kind.item, 3, None, index, PROCEDURAL)
    library.ensure()
    path = library.root / patch_path("item", p.id)
    path.parent.mkdir(parents=True)
    path.write_text("half-written")  # a killed publisher left this
    lock = library.root / ".git" / "index.lock"
    lock.write_text("")
    old = time.time() - 60
    os.utime(lock, (old, old))
    published = library.publish(p)
    assert published.created and not lock.exists()
    assert json.loads(path.read_text())["proposal_id"] == p.id
    assert commits_for(library, p.id) == [published.commit]
    assert fsck_clean(library)
