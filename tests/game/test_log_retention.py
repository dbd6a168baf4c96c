"""The server's own log keeps its bound through a burst of lines: each
rotation prunes the copies at once (the timer alone let a burst rotate
several copies between two rounds)."""

from django.conf import settings
from evennia.utils import logger

from game.log_retention import prune_after_rotating


class PruningLogFile(logger.WeeklyLogFile):
    rotate = prune_after_rotating(logger.WeeklyLogFile.rotate)


def test_a_burst_of_lines_never_leaves_more_than_the_kept_copies(tmp_path):
    keep = settings.GENERATION_BOUNDS.log_keep
    log = PruningLogFile("server.log", str(tmp_path), max_size=200)
    most = 0
    for n in range(200):  # some 40 rotations, far within a second
        log.write(f"line {n:04d} " + "x" * 50 + "\n")
        most = max(most, len(list(tmp_path.iterdir())))
    log.close()
    assert most <= keep + 1
    assert any(p.name != "server.log" for p in tmp_path.iterdir()), "it rotated"


def test_the_rotate_method_is_wrapped_once():
    once = prune_after_rotating(logger.WeeklyLogFile.rotate)
    assert prune_after_rotating(once) is once
