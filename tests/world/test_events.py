import json
import re

from world.enums import RESOURCES, ROLES
from world.events import Event, EventLog, line, who
from world.names import agent_name

ROLE = "|".join(ROLES)
NAME = r'"[A-Z][a-z]+"'
TRADE_LINE = re.compile(rf'^\[Tick \d+\] ({ROLE}) {NAME} traded ({"|".join(RESOURCES)}) with ({ROLE}) {NAME}\.$')


def test_readable_line_format():
    text = line(2313, f'{who("Merchant", "Calix")} traded herbs with {who("Hunter", "Rena")}.')
    assert text == '[Tick 2313] Merchant "Calix" traded herbs with Hunter "Rena".'


def test_simulated_trade_lines_match_format(make_sim):
    sim = make_sim(agents=3000)
    events = sim.run(30)
    trades = [e for e in events if e.kind == "trade" and len(e.actors) == 2]
    assert trades
    for e in trades:
        assert TRADE_LINE.match(e.text), e.text
        assert e.text.startswith(f"[Tick {e.tick}] ")
        a, b = e.actors
        assert f'"{sim.agent_view(a)["name"]}"' in e.text


def test_events_are_sampled_and_capped(make_sim, cfg):
    sim = make_sim(agents=20000)
    k = cfg.events["per_kind_per_region"]
    for _ in range(10):
        events = sim.step()
        for kind in ("combat", "discovery", "death"):
            for region in cfg.region_ids:
                assert sum(e.kind == kind and e.region == region for e in events) <= k
        for region in cfg.region_ids:
            trades = [e for e in events if e.kind == "trade" and e.region == region]
            assert sum(len(e.actors) for e in trades) <= k
    kinds = {e.kind for e in sim.run(30)}
    assert {"trade", "discovery", "combat"} <= kinds


def test_event_fields_are_json_safe(make_sim):
    sim = make_sim(agents=3000)
    for e in sim.run(20) + [sim.trigger_macro("pilgrimage_boon", "village")]:
        doc = json.loads(e.to_json())
        assert set(doc) == {"tick", "kind", "region", "actors", "detail", "text"}
        assert e.kind in ("trade", "combat", "discovery", "death", "social", "macro")


def test_event_log_appends_jsonl_and_text(tmp_path):
    log = EventLog(tmp_path / "log")
    first = [Event(1, "trade", "market", (1, 2), {"resource": "herbs"}, "[Tick 1] a."),
             Event(1, "macro", None, (), {"macro": "drought"}, "[Tick 1] b.")]
    log.write(first)
    log.write([Event(2, "death", "forest", (3,), {}, "[Tick 2] c.")])
    log.write([])
    rows = [json.loads(x) for x in log.jsonl_path.read_text().splitlines()]
    assert [r["tick"] for r in rows] == [1, 1, 2] and rows[0]["actors"] == [1, 2]
    assert log.text_path.read_text().splitlines() == ["[Tick 1] a.", "[Tick 1] b.", "[Tick 2] c."]
    EventLog(tmp_path / "log").write(first)
    assert len(log.jsonl_path.read_text().splitlines()) == 5


def test_names_are_stable(cfg):
    a = agent_name(cfg.names, 7, 42)
    assert a == agent_name(cfg.names, 7, 42) and a[0].isupper()
    assert len({agent_name(cfg.names, 7, i) for i in range(200)}) > 100
    assert [agent_name(cfg.names, 7, i) for i in range(20)] != [agent_name(cfg.names, 8, i) for i in range(20)]


def test_event_log_rotates_and_keeps_a_bounded_number_of_files(tmp_path):
    log = EventLog(tmp_path / "log", max_bytes=2000, keep=3)
    written = []
    for tick in range(400):
        batch = [Event(tick, "trade", "market", (tick,), {"n": tick}, f"[Tick {tick}] trade number {tick}.")]
        log.write(batch)
        written.extend(batch)
    names = sorted(p.name for p in (tmp_path / "log").iterdir())
    assert names == ["events.jsonl", "events.jsonl.1", "events.jsonl.2", "events.jsonl.3",
                     "events.txt", "events.txt.1", "events.txt.2", "events.txt.3"]
    for path in (tmp_path / "log").iterdir():
        assert path.stat().st_size <= 2000, path
    # the kept files are the newest events, whole lines, oldest file last
    kept = []
    for name in ("events.jsonl.3", "events.jsonl.2", "events.jsonl.1", "events.jsonl"):
        kept.extend(json.loads(x)["tick"] for x in (tmp_path / "log" / name).read_text().splitlines())
    assert kept == list(range(400 - len(kept), 400))
    text = (tmp_path / "log" / "events.txt").read_text().splitlines()
    assert text[-1] == "[Tick 399] trade number 399."


def test_event_log_bound_holds_across_restarts(tmp_path):
    for _ in range(3):
        log = EventLog(tmp_path, max_bytes=1000, keep=1)
        for tick in range(60):
            log.write([Event(tick, "death", "forest", (), {}, f"[Tick {tick}] somebody died.")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl", "events.jsonl.1", "events.txt", "events.txt.1"]
    assert all(p.stat().st_size <= 1000 for p in tmp_path.iterdir())


def test_one_batch_larger_than_the_bound_still_fits_in_one_file(tmp_path):
    log = EventLog(tmp_path, max_bytes=100, keep=2)
    log.write([Event(1, "trade", None, (), {}, "x" * 500)])
    log.write([Event(2, "trade", None, (), {}, "y")])
    assert (tmp_path / "events.txt.1").read_text() == "x" * 500 + "\n"
    assert (tmp_path / "events.txt").read_text() == "y\n"
