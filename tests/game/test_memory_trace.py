"""The admin's allocation report (MUD_TRACEMALLOC): memory that a line keeps
between two reports is named, with its size, as the top growth site since the
first report (which starts the tracing) and since the previous one, and its
call stack is shown."""

import tracemalloc

import pytest

from game.memory_trace import REPORT, MemoryTrace

kept = []


def keep_growing(blocks: int) -> None:
    kept.extend(bytearray(4096) for _ in range(blocks))  # the growth site


@pytest.fixture
def untraced():
    assert not tracemalloc.is_tracing()
    yield
    tracemalloc.stop()
    kept.clear()


def test_a_line_that_keeps_memory_tops_the_report(untraced, tmp_path):
    trace = MemoryTrace(tmp_path, frames=5)
    first = trace.report().read_text()  # tracing starts here
    assert tracemalloc.is_tracing() and tracemalloc.get_traceback_limit() == 5
    assert first.startswith("report 0 at tick None, RSS ") and "growth" not in first  # the baseline
    keep_growing(500)
    path = trace.report()
    assert path == tmp_path / REPORT
    text = path.read_text()
    assert text.startswith("report 1 ")
    site = f"{__file__}:{keep_growing.__code__.co_firstlineno + 1}"
    since_first, since_previous = text.split("== growth since the previous report")
    assert since_first.split("(by line)\n")[1].startswith(site), since_first
    assert since_previous.split("(by line)\n")[1].startswith(site), since_previous
    size_kib = float(since_first.split("(+")[1].split(" KiB")[0])
    assert 500 * 4 <= size_kib < 500 * 4.2, since_first
    stacks = text.split("== call stacks")[1]
    assert "keep_growing(500)" in stacks and "kept.extend(bytearray(4096)" in stacks

    text = trace.report().read_text()  # nothing kept since: no growth since the previous report
    since_previous = text.split("== growth since the previous report (by line)\n")[1].split("\n\n")[0]
    line = next((line for line in since_previous.splitlines() if line.startswith(site)), None)
    assert line is None or "(+0 B)" in line, since_previous
    assert text.split("== growth since the first report (by line)\n")[1].startswith(site)
