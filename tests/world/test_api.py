import ast
import json
from pathlib import Path

import pytest

from world.config import ConfigError, DEFAULT_PATH, config_from_dict, load_config
from world.enums import ROLES, STATES
from world.state import bytes_per_agent

WORLD = Path(__file__).resolve().parents[2] / "world"


def test_config_regions_and_presets(cfg):
    assert cfg.region_ids == ["forest", "plains", "desert", "village", "market"]
    assert cfg.presets == {"tiny": 50_000, "small": 150_000, "medium": 300_000, "large": 1_000_000,
                           "huge": 10_000_000}
    assert [s["name"] for s in cfg.seasons] == ["Bloomrise", "Highflame", "Emberfall"]
    assert [e["name"] for e in cfg.epochs] == ["Daybreak", "Highsun", "Nightfall"]
    assert load_config(DEFAULT_PATH).region_ids == cfg.region_ids


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.pop("ticks_per_day"), "missing key 'ticks_per_day'"),
    (lambda d: d["regions"][0]["neighbours"].append("atlantis"), "neighbours"),
    (lambda d: d["regions"][2]["neighbours"].remove("plains"), "symmetric"),
    (lambda d: d["roles"]["Bandit"].update(faction="Pirates"), "unknown faction"),
    (lambda d: d["fsm"].update(idle_to_explore=1.5), "probability"),
    (lambda d: d.update(ticks_per_day=25), "multiple of 3"),
    (lambda d: d["macro_events"].pop("drought"), "macro_events"),
])
def test_config_validation_errors(mutate, message):
    doc = json.loads(DEFAULT_PATH.read_text())
    mutate(doc)
    with pytest.raises(ConfigError, match=message):
        config_from_dict(doc)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "none.json")


def test_world_imports_only_numpy_and_numba():
    banned = {"evennia", "pydantic", "django", "twisted"}
    for path in WORLD.rglob("*.py"):
        if path.name == "bench.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in banned for n in names), (path, names)


def test_state_is_small():
    assert bytes_per_agent() <= 64


def test_views_are_json_safe(make_sim, cfg):
    sim = make_sim(agents=3000)
    sim.run(12)
    k = sim.kpis()
    json.dumps(k)
    assert k["tick"] == 12 and k["agents"] == 3000
    assert set(k["roles"]) == set(ROLES) and set(k["states"]) == set(STATES)
    assert sum(k["states"].values()) == 3000
    assert set(k["price_index"]) == set(cfg.region_ids) == set(k["inflation"])
    for rid in cfg.region_ids:
        view = sim.region_view(rid)
        json.dumps(view)
        assert view["population"] == sum(view["roles"].values())
        assert {"name", "prices", "stocks", "season", "epoch", "active_events", "stability"} <= set(view)
    agent = sim.agent_view(0)
    json.dumps(agent)
    assert {"id", "name", "role", "faction", "state", "health", "wealth", "fame", "reputation", "region",
            "personality"} <= set(agent)
    assert set(agent["personality"]) == {"aggressive", "cautious", "social", "curious"}
    with pytest.raises(ValueError):
        sim.agent_view(3000)
    with pytest.raises(ValueError, match="unknown region"):
        sim.region_view("nowhere")


def test_agents_in_region(make_sim):
    sim = make_sim(agents=3000)
    sim.run(30)
    ids = sim.agents_in_region("market", 10)
    assert 0 < len(ids) <= 10 and ids == sim.agents_in_region("market", 10)
    views = [sim.agent_view(i) for i in ids]
    assert all(v["region"] == "market" and v["alive"] for v in views)
    fames = [v["fame"] for v in views]
    assert fames == sorted(fames, reverse=True)
    assert all(sim.agent_view(i)["role"] == "Priest" for i in sim.agents_in_region("village", 5, roles=["Priest"]))
    assert sim.agents_in_region("market", 0) == []
    with pytest.raises(ValueError, match="unknown roles"):
        sim.agents_in_region("market", 3, roles=["Wizard"])
