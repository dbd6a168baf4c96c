"""The command line: draft/enrich/run print canonical JSON, replay reproduces
stored proposals byte for byte."""

import json
import subprocess
import sys

import pytest

from generation.runtime import REPO_ROOT


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "generation", *args], cwd=REPO_ROOT, capture_output=True, env=env, timeout=120)


@pytest.fixture
def cli_env(runtime):
    import os

    return dict(os.environ)


@pytest.mark.parametrize("kind", ["npc", "item", "quest", "room_block", "world_event"])
def test_run_then_replay_is_byte_identical(kind, cli_env, tmp_path):
    done = cli("run", kind, "--seed", "17", "--region", "desert", env=cli_env)
    assert done.returncode == 0, done.stderr
    proposal = json.loads(done.stdout)
    assert proposal["kind"] == kind and proposal["status"][-1]["status"] in ("accepted", "rejected")
    stored = tmp_path / "p.json"
    stored.write_bytes(done.stdout)
    again = cli("replay", str(stored), env=cli_env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == done.stdout


def test_draft_is_deterministic_and_flavorless(cli_env):
    one, two = cli("draft", "item", "--seed", "5", env=cli_env), cli("draft", "item", "--seed", "5", env=cli_env)
    assert json.loads(one.stdout)["payload"] == json.loads(two.stdout)["payload"]
    assert json.loads(one.stdout)["flavor"] == {}
    assert json.loads(cli("enrich", "item", "--seed", "5", env=cli_env).stdout)["flavor"]["name"]


def test_replay_refuses_a_tampered_file(cli_env, tmp_path):
    done = cli("run", "npc", "--seed", "3", env=cli_env)
    data = json.loads(done.stdout)
    data["payload"]["threat"] = 10
    stored = tmp_path / "p.json"
    stored.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
    again = cli("replay", str(stored), env=cli_env)
    assert again.returncode == 1 and b"differs" in again.stderr
