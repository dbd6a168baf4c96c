import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_same_seed_same_digest(make_sim):
    a, b = make_sim(seed=11), make_sim(seed=11)
    a.run(25)
    b.run(25)
    assert a.digest() == b.digest()


def test_different_seed_different_digest(make_sim):
    a, b = make_sim(seed=11), make_sim(seed=12)
    a.run(5)
    b.run(5)
    assert a.digest() != b.digest()


def test_digest_changes_with_state(make_sim):
    sim = make_sim()
    before = sim.digest()
    sim.step()
    assert sim.digest() != before


def run_cli(*args, env_threads=None):
    env = dict(os.environ)
    env.pop("NUMBA_NUM_THREADS", None)
    if env_threads is not None:
        env["NUMBA_NUM_THREADS"] = str(env_threads)
    out = subprocess.run([sys.executable, "-m", "world", "run", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300, check=True)
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    return json.loads(lines[0])


@pytest.fixture(scope="module")
def cli_runs():
    base = ("--agents", "20000", "--seed", "7", "--ticks", "30")
    return {
        "threads1": run_cli(*base, "--threads", "1"),
        "threads2": run_cli(*base, "--threads", "2"),
        "env1": run_cli(*base, env_threads=1),
        "env2": run_cli(*base, env_threads=2),
    }


def test_cli_digest_independent_of_threads(cli_runs):
    assert cli_runs["threads1"]["threads"] == 1
    assert cli_runs["threads2"]["threads"] == 2
    assert cli_runs["env1"]["threads"] == 1
    assert cli_runs["env2"]["threads"] == 2
    assert len({r["digest"] for r in cli_runs.values()}) == 1


def test_cli_json_contract(cli_runs):
    doc = cli_runs["threads1"]
    assert doc["tick"] == 30 and doc["agents"] == 20000
    assert len(doc["digest"]) == 64 and int(doc["digest"], 16) >= 0
    assert isinstance(doc["ms_per_tick"], float) and doc["ms_per_tick"] > 0


def test_cli_matches_library(cli_runs, make_sim):
    sim = make_sim(agents=20000, seed=7)
    sim.run(30)
    assert sim.digest() == cli_runs["threads1"]["digest"]


def test_cli_preset_and_errors():
    doc = run_cli("--preset", "tiny", "--seed", "1", "--ticks", "1")
    assert doc["agents"] == 50000 and doc["tick"] == 1
    bad = subprocess.run([sys.executable, "-m", "world", "run", "--preset", "nope"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode != 0 and "unknown preset" in bad.stderr
