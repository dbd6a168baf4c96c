"""The director's decision log stays bounded: skips are counted, not logged
one by one; the file rotates by size and keeps N files; readers take only
the tail and skip torn or bad lines; a write that fails is reported and
breaks nothing."""

import json

import pytest

from generation.director import Director
from generation.director.decision_log import DecisionLog
from generation.guardrails import GuardrailsFile
from generation.pipeline import Pipeline

EDGE = {"type": "player_moved", "region": "forest", "room": "forest.deep_thicket", "tags": ["edge"]}


def test_a_player_pacing_an_edge_room_adds_a_few_lines_not_one_per_move(runtime):
    pipe = Pipeline(runtime)
    log = DecisionLog(runtime.decision_log, summary_every_s=60.0)
    director = Director(pipe.switch, GuardrailsFile(runtime.guardrails), log)
    pipe.switch.set_sliders(chaos=0.0, expansion=1.0)
    fired = sum(len(director.handle({**EDGE, "tick": tick // 50})) for tick in range(5000))
    director.log.flush_skips()
    records = log.records()
    decisions = [r for r in records if r["type"] == "decision"]
    summaries = [r for r in records if r["type"] == "skipped"]
    assert len(decisions) == fired and fired <= 3
    assert sum(sum(s["counts"].values()) for s in summaries) == 5000 - fired
    assert any("dead_end: cooling down" in s["counts"] for s in summaries)
    assert runtime.decision_log.stat().st_size < 64 * 1024


def test_skip_summaries_wait_for_their_interval(tmp_path):
    log = DecisionLog(tmp_path / "d.jsonl", summary_every_s=3600)
    for _ in range(100):
        log.skipped("dead_end", "cooling down (3/60 ticks)")
    assert log.records() == []
    log.flush_skips()
    [summary] = log.records()
    assert summary["counts"] == {"dead_end: cooling down": 100}


def test_the_log_rotates_by_size_and_keeps_n_files(tmp_path):
    path = tmp_path / "d.jsonl"
    log = DecisionLog(path, max_bytes=4096, keep=2)
    for n in range(1000):
        log.write({"type": "outcome", "job_id": f"job{n}", "status": "published"})
    files = sorted(p.name for p in tmp_path.glob("d.jsonl*"))
    assert files == ["d.jsonl", "d.jsonl.1", "d.jsonl.2"]
    assert all((tmp_path / f).stat().st_size <= 4096 for f in files)
    assert log.records()[-1]["job_id"] == "job999"
    assert log.trace("job999") and log.trace("job3") == []  # rotated away


def test_readers_skip_torn_and_bad_lines_and_read_only_the_tail(tmp_path):
    path = tmp_path / "d.jsonl"
    log = DecisionLog(path, max_bytes=64 * 2**20)
    log.write({"type": "decision", "job": {"job_id": "a"}, "rule": "dead_end"})
    with open(path, "ab") as f:
        f.write(b'{"type": "outc\xff\xfe\n[1, 2]\n"just a string"\n')
    log.write({"type": "outcome", "job_id": "a", "status": "published"})
    with open(path, "ab") as f:
        f.write(b'{"type": "torn by a crash')
    assert [r["type"] for r in log.records()] == ["decision", "outcome"]
    assert [r["type"] for r in log.trace("a")] == ["decision", "outcome"]
    with open(path, "ab") as f:
        f.write(b"\n" + (json.dumps({"type": "outcome", "job_id": "filler", "pad": "x" * 900}).encode() + b"\n") * 5000)
    tail = log.records(tail_bytes=10_000)
    assert 5 <= len(tail) <= 11 and all(r["job_id"] == "filler" for r in tail)


@pytest.fixture
def tiny_disk(tmpfs):
    return tmpfs("1m")


def test_a_full_disk_is_reported_and_loses_nothing_written(tiny_disk):
    mount, fill, free = tiny_disk
    log = DecisionLog(mount / "d.jsonl")
    assert log.write({"type": "outcome", "job_id": "kept"}) is True
    fill()
    assert log.write({"type": "outcome", "job_id": "lost", "pad": "x" * 8192}) is False
    assert "No space left on device" in log.last_error
    free()
    assert log.write({"type": "outcome", "job_id": "later"}) is True and log.last_error is None
    assert [r["job_id"] for r in log.records()] == ["kept", "later"]
