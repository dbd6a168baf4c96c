"""Reading the event log by tick: binary search to the first event after
tick N, pages that continue by cursor, half-written lines left alone."""

import json

import pytest

from world.event_reader import BadCursor, offset_after_tick, read_page
from world.events import Event, EventLog


@pytest.fixture
def log(tmp_path):
    events = EventLog(tmp_path)
    # ticks 1..40, some with several events, some with none
    for tick in range(1, 41):
        events.write([Event(tick, "trade", "market", (tick, n), {"n": n}, f"[Tick {tick}] trade {n}")
                      for n in range(tick % 4)])
    return events.jsonl_path


def all_events(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("after", [-1, 0, 1, 3, 4, 17, 38, 39, 40, 1000])
def test_events_after_tick_match_a_full_scan(log, after):
    offset = offset_after_tick(log, after)
    events, _ = read_page(log, offset, 10_000)
    assert events == [e for e in all_events(log) if e["tick"] > after]


def test_pages_continue_by_cursor_without_gaps_or_repeats(log):
    offset, seen = offset_after_tick(log, 5), []
    while True:
        page, offset = read_page(log, offset, 7)
        if not page:
            break
        assert len(page) <= 7
        seen += page
    assert seen == [e for e in all_events(log) if e["tick"] > 5]


def test_a_half_written_line_waits_for_the_next_read(log):
    whole = len(all_events(log))
    end = offset_after_tick(log, 40)
    with open(log, "ab") as f:
        f.write(b'{"actors": [], "detail": {}, "kind": "trade", "region": "market", "text": "x", "ti')
    assert offset_after_tick(log, 40) == end
    events, cursor = read_page(log, 0, 10_000)
    assert len(events) == whole and cursor == end


def test_bad_cursors_are_refused(log):
    with pytest.raises(BadCursor):
        read_page(log, 3, 10)
    with pytest.raises(BadCursor):
        read_page(log, 10**9, 10)
