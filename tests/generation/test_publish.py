"""Publish stage: one commit per proposal, idempotent, undo, the kill switch;
publishing never uses the working tree or the shared index (an admin's
index.lock is never touched, a stray uncommitted file is never read), and
the working tree ends up matching HEAD."""

import json
import os
import shutil
import subprocess
import time

import pytest

from generation.director.switch import Switch
from generation.enrich import PROCEDURAL
from generation.models.proposal import Kind
from generation.pipeline import make
from generation.canonical import canonical_bytes
from generation.publish import Library, LibraryError, PublishBlocked, patch_for, patch_path
from generation.world_index import WorldIndex
from generation.runtime import CONTENT_DIR


@pytest.fixture
def library(tmp_path):
    return Library(tmp_path / "library")


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


def git_status(library):
    return library.git("status", "--porcelain", "--untracked-files=all")


def test_a_live_index_lock_is_left_alone_and_the_checkout_catches_up(library, index):
    p = make(Kind.item, 3, None, index, PROCEDURAL)
    library.ensure()
    lock = library.root / ".git" / "index.lock"
    lock.write_text("an admin's git commit, editor open")
    old = time.time() - 600
    os.utime(lock, (old, old))
    published = library.publish(p)
    assert published.created and lock.read_text() == "an admin's git commit, editor open"
    assert commits_for(library, p.id) == [published.commit] == [library.git("rev-parse", "HEAD")]
    assert json.loads((library.root / patch_path("item", p.id)).read_text())["proposal_id"] == p.id
    lock.unlink()  # the admin's commit ended
    library.sync_checkout()
    assert git_status(library) == ""
    assert fsck_clean(library)


def test_a_leftover_file_is_overwritten_and_never_read_until_committed(library, index):
    p = make(Kind.item, 4, None, index, PROCEDURAL)
    library.ensure()
    path = library.root / patch_path("item", p.id)
    path.parent.mkdir(parents=True)
    path.write_text("half-written")  # a killed publisher of the old kind left this
    stray = make(Kind.npc, 5, None, index, PROCEDURAL)
    stray_path = library.root / patch_path("npc", stray.id)
    stray_path.parent.mkdir(parents=True)
    stray_path.write_bytes(canonical_bytes(patch_for(stray).model_dump(mode="json")))  # written, never committed
    assert stray.id not in library.published_ids() and library.patches("npc") == []
    published = library.publish(p)
    assert published.created and json.loads(path.read_text())["proposal_id"] == p.id
    assert library.published_ids() == [p.id]
    assert [patch["proposal_id"] for patch in library.patches("item")] == [p.id]
    assert git_status(library) == f"?? {patch_path('npc', stray.id)}"
    assert fsck_clean(library)


def test_the_director_index_reads_head_not_the_working_tree(runtime, index):
    from generation.pipeline import Pipeline

    pipe = Pipeline(runtime)
    pipe.library.ensure()
    stray = make(Kind.npc, 6, None, index, PROCEDURAL)
    stray_path = runtime.library / patch_path("npc", stray.id)
    stray_path.parent.mkdir(parents=True)
    stray_path.write_bytes(canonical_bytes(patch_for(stray).model_dump(mode="json")))
    assert stray.id not in pipe.index().published
    p = make(Kind.item, 7, None, index, PROCEDURAL)
    pipe.library.publish(p)
    assert p.id in pipe.index().published and stray.id not in pipe.index().published


def test_undo_keeps_the_checkout_matching_head(library, index):
    a, b = (make(Kind.npc, s, None, index, PROCEDURAL) for s in (8, 9))
    library.publish(a)
    library.publish(b)
    library.undo(a.id)
    assert library.published_ids() == [b.id] and git_status(library) == ""
    assert not (library.root / patch_path("npc", a.id)).exists() and (library.root / patch_path("npc", b.id)).exists()
    assert f"Undo: {a.id}" in library.git("log", "-1", "--format=%B")
    assert fsck_clean(library)


def test_undo_of_a_patch_edited_since_is_refused(library, index):
    p = make(Kind.npc, 10, None, index, PROCEDURAL)
    library.publish(p)
    rel = patch_path("npc", p.id)
    (library.root / rel).write_text((library.root / rel).read_text().replace(p.flavor["name"], "Renamed"))
    library.git("commit", "-q", "-am", "Hand edit")
    head = library.git("rev-parse", "HEAD")
    with pytest.raises(LibraryError, match="changed since"):
        library.undo(p.id)
    assert library.git("rev-parse", "HEAD") == head and git_status(library) == ""


def test_git_sees_none_of_the_callers_secrets(library, index, tmp_path, monkeypatch):
    seen = tmp_path / "git-env.txt"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nenv >> "{seen}"\nexec "{shutil.which("git")}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("MUD_LLM_API_KEY", "sk-very-secret")
    monkeypatch.setenv("EVENNIA_SUPERUSER_PASSWORD", "admin-very-secret")
    published = library.publish(make(Kind.npc, 3, None, index, PROCEDURAL))
    assert published.created and seen.read_text().count("GIT_AUTHOR_NAME=") >= 2
    assert "very-secret" not in seen.read_text()


def test_head_and_patches_follow_the_branch_even_when_refs_are_packed(library, index):
    a, b = (make(Kind.quest, s, None, index, PROCEDURAL) for s in (11, 12))
    library.publish(a)
    assert [p["proposal_id"] for p in library.patches("quest")] == [a.id]
    library.git("pack-refs", "--all")  # no loose ref file any more
    assert library.head() == library.git("rev-parse", "HEAD")
    library.publish(b)
    assert library.head() == library.git("rev-parse", "HEAD")
    assert sorted(p["proposal_id"] for p in Library(library.root).patches("quest")) == sorted([a.id, b.id])
    library.undo(a.id)
    assert [p["proposal_id"] for p in library.patches("quest")] == [b.id]


def test_restore_tree_brings_an_old_commits_files_back_as_a_new_commit(library, index):
    library.ensure()
    old = library.head()
    old_tree = library.git("rev-parse", f"{old}^{{tree}}")
    p = make(Kind.room_block, 3, None, index, PROCEDURAL)
    library.publish(p)
    (library.root / "README.md").write_text("hand edited\n")
    with library.lock():
        library.commit_files(["README.md"], "Hand edit: README.md")
    before = library.head()

    restored = library.restore_tree(old, "Restore snapshot s1")
    assert library.git("rev-parse", f"{restored}^{{tree}}") == old_tree
    assert library.git("rev-parse", f"{restored}^") == before  # history kept: one commit on top
    assert library.git("log", "-1", "--format=%s") == "Restore snapshot s1"
    assert not (library.root / patch_path("room_block", p.id)).exists()
    assert (library.root / "README.md").read_text() != "hand edited\n"
    assert library.git("status", "--porcelain") == ""
    assert library.restore_tree(old, "again") == restored  # nothing to change: no commit
    with pytest.raises(LibraryError, match="no commit"):
        library.restore_tree("0" * 40, "x")
    assert fsck_clean(library)
