"""Bounds on plain log files: Evennia's rotated copies pruned to the newest
few, and a worker's output file rotated under its writer's feet."""

import os

from generation.log_files import prune_rotated, rotate_copy_truncate


def touch(path, mtime):
    path.write_text(path.name)
    os.utime(path, (mtime, mtime))


def test_only_the_newest_rotated_copies_of_each_log_stay(tmp_path):
    live = ["server.log", "portal.log", "channel_mudinfo.log", "notes.txt", "server.log.keepme"]
    for name in live:
        touch(tmp_path / name, 1000)
    server = ["server.log.2026_11_30", "server.log.2026_12_01", "server.log.2026_12_01__1", "server.log.2026_12_01__2"]
    for n, name in enumerate(server):
        touch(tmp_path / name, 100 + n)
    for n in range(1, 5):  # twisted's LogFile: .1 is the newest
        touch(tmp_path / f"channel_mudinfo.log.{n}", 100 - n)
    touch(tmp_path / "portal.log.2026_12_01", 50)

    assert prune_rotated(tmp_path, keep=2) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        live + ["server.log.2026_12_01__1", "server.log.2026_12_01__2", "channel_mudinfo.log.1", "channel_mudinfo.log.2",
                "portal.log.2026_12_01"])
    assert prune_rotated(tmp_path, keep=2) == 0
    assert prune_rotated(tmp_path / "missing", keep=2) == 0


def test_an_output_file_rotates_past_its_size_and_its_writer_carries_on(tmp_path):
    path = tmp_path / "worker.log"
    writer = open(path, "ab")
    for n in range(4):
        writer.write(f"round {n}\n".encode() * 20)
        writer.flush()
        assert rotate_copy_truncate(path, max_bytes=100, keep=2)
    assert not rotate_copy_truncate(path, max_bytes=100, keep=2), "an empty file stays"
    writer.write(b"last\n")
    writer.close()
    assert path.read_bytes() == b"last\n"
    assert (tmp_path / "worker.log.1").read_bytes() == b"round 3\n" * 20
    assert (tmp_path / "worker.log.2").read_bytes() == b"round 2\n" * 20
    assert not (tmp_path / "worker.log.3").exists()


def test_a_workers_log_handler_rotates_its_output_before_a_record_overflows_it(tmp_path):
    import logging

    from generation.log_files import RotateBeforeWrite

    path = tmp_path / "worker.log"
    handler = logging.StreamHandler(open(path, "a"))  # the launcher's file, as the worker's stderr
    handler.addFilter(RotateBeforeWrite(path, max_bytes=200, keep=1))
    log = logging.getLogger("test.worker.output")
    log.addHandler(handler)
    log.propagate = False
    for n in range(100):
        log.warning("record %03d %s", n, "x" * 20)
        assert path.stat().st_size <= 200 + 31, "never more than one record past the size"
    handler.stream.close()
    assert path.read_text().endswith("record 099 " + "x" * 20 + "\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["worker.log", "worker.log.1"]
