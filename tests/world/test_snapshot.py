import os

import numpy as np
import pytest

from world.simulation import Simulation


def test_round_trip_and_continue(make_sim, tmp_path):
    sim = make_sim(agents=3000, seed=5)
    sim.run(30)
    sim.trigger_macro("invasion", "forest")
    path = sim.save(tmp_path / "snap.npz")
    loaded = Simulation.load(path)
    assert loaded.digest() == sim.digest()
    assert loaded.tick == sim.tick and loaded.seed == sim.seed and loaded.n_agents == sim.n_agents
    assert loaded.kpis()["active_events"] == sim.kpis()["active_events"]
    sim.run(20)
    loaded.run(20)
    assert loaded.digest() == sim.digest()


def test_atomic_write_leaves_no_partial_file(make_sim, tmp_path, monkeypatch):
    sim = make_sim(agents=500)
    target = tmp_path / "snap.npz"
    sim.save(target)
    good = target.read_bytes()
    sim.step()

    def broken(fh, **arrays):
        fh.write(b"partial garbage")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        sim.save(target)
    assert target.read_bytes() == good
    assert os.listdir(tmp_path) == ["snap.npz"]


def test_load_rejects_other_files(tmp_path):
    path = tmp_path / "x.npz"
    np.savez(path, __header__=np.frombuffer(b'{"format": "other"}', np.uint8))
    with pytest.raises(ValueError, match="snapshot"):
        Simulation.load(path)
