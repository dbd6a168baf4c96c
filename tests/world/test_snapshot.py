import json
import os

import numpy as np
import pytest

from world.simulation import Simulation
from world.snapshot import SnapshotError, SnapshotStore


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


# ---- a snapshot cannot poison the world ------------------------------------------------------

def _rewrite(path, **changes):
    """Rewrite the snapshot at `path` with arrays replaced (None drops one)."""
    with np.load(path) as data:
        arrays = {k: data[k].copy() for k in data.files}
    for name, value in changes.items():
        if value is None:
            del arrays[name]
        else:
            arrays[name] = value
    np.savez(path, **arrays)


@pytest.fixture
def saved(make_sim, tmp_path):
    sim = make_sim(agents=800, seed=3)
    sim.run(3)
    return sim, sim.save(tmp_path / "snap.npz")


def test_load_rejects_a_role_outside_the_enum(saved):
    sim, path = saved
    role = sim.state.role.copy()
    role[17] = 200
    _rewrite(path, role=role)
    with pytest.raises(SnapshotError, match=r"role: 1 value\(s\) in 200\.\.200 outside 0\.\.5"):
        Simulation.load(path)


def test_load_rejects_a_region_index_beyond_the_world(saved):
    sim, path = saved
    region = sim.state.region.copy()
    region[0] = len(sim.config.regions)
    _rewrite(path, region=region)
    with pytest.raises(SnapshotError, match=r"region: 1 value\(s\) in 5\.\.5 outside 0\.\.4"):
        Simulation.load(path)


def test_load_rejects_a_region_array_of_the_wrong_length(saved):
    sim, path = saved
    _rewrite(path, stability=np.zeros(len(sim.config.regions) + 2, np.int64))
    with pytest.raises(SnapshotError, match=r"stability: shape \(7,\), expected \(5,\)"):
        Simulation.load(path)


def test_load_rejects_an_agent_array_of_another_length_or_dtype(saved):
    sim, path = saved
    _rewrite(path, fame=sim.state.fame[:-1].copy(), wealth=sim.state.wealth.astype(np.int64))
    with pytest.raises(SnapshotError) as err:
        Simulation.load(path)
    assert "fame: shape (799,), expected (800,)" in str(err.value)
    assert "wealth: dtype int64, expected int32" in str(err.value)


def test_load_rejects_missing_and_unexpected_arrays(saved):
    _, path = saved
    _rewrite(path, treasury=None, stowaway=np.zeros(3))
    with pytest.raises(SnapshotError) as err:
        Simulation.load(path)
    assert "missing array 'treasury'" in str(err.value) and "unexpected array 'stowaway'" in str(err.value)


def test_load_rejects_a_bad_config_or_header(saved):
    _, path = saved
    with np.load(path) as data:
        arrays = {k: data[k].copy() for k in data.files}
    header = json.loads(bytes(arrays["__header__"]).decode())
    header["config"]["regions"] = []
    arrays["__header__"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(SnapshotError, match="regions"):
        Simulation.load(path)
    header["tick"] = -4
    arrays["__header__"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(SnapshotError, match="tick -4"):
        Simulation.load(path)


def test_truncated_file_is_a_snapshot_error(saved):
    _, path = saved
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(SnapshotError, match="unreadable"):
        Simulation.load(path)


def test_store_keeps_generations_and_falls_back_past_a_bad_one(make_sim, tmp_path):
    store = SnapshotStore(tmp_path / "sim", keep=3)
    sim = make_sim(agents=600, seed=9)
    digests = {}
    for _ in range(5):
        sim.step()
        path = store.save(sim.state, sim.config.to_json())
        digests[path.name] = sim.digest()
    kept = store.generations()
    assert [p.name for p in kept] == [f"snapshot-{g:06d}-t{t}.npz" for g, t in ((5, 5), (4, 4), (3, 3))]
    kept[0].write_bytes(b"PK\x03\x04 torn")
    loaded, path, rejected = store.load_newest(Simulation.load)
    assert path == kept[1] and loaded.digest() == digests[kept[1].name]
    assert [p for p, _ in rejected] == [kept[0]] and "unreadable" in rejected[0][1]
    assert not kept[0].exists() and (tmp_path / "sim" / (kept[0].name + ".rejected")).exists()
    # the next save is a new generation, never the rejected one's number
    assert store.save(sim.state, sim.config.to_json()).name == "snapshot-000006-t5.npz"


def test_store_with_only_bad_generations_loads_nothing(tmp_path):
    store = SnapshotStore(tmp_path, keep=2)
    (tmp_path / "snapshot-000001-t4.npz").write_bytes(b"")
    assert store.load_newest(Simulation.load)[:2] == (None, None)
    assert store.generations() == []


def test_store_reads_the_single_snapshot_of_earlier_versions(make_sim, tmp_path):
    sim = make_sim(agents=300)
    sim.save(tmp_path / "snapshot.npz")
    store = SnapshotStore(tmp_path, keep=2)
    loaded, path, _ = store.load_newest(Simulation.load)
    assert path.name == "snapshot.npz" and loaded.digest() == sim.digest()
    store.save(sim.state, sim.config.to_json())
    store.save(sim.state, sim.config.to_json())
    assert [p.name for p in store.generations()] == ["snapshot-000002-t0.npz", "snapshot-000001-t0.npz"]


def test_adopt_makes_another_snapshot_the_newest_generation(make_sim, tmp_path):
    sim = make_sim(agents=500, seed=3)
    elsewhere = sim.save(tmp_path / "world-snapshot" / "sim.npz")
    store = SnapshotStore(tmp_path / "sim", keep=2)
    sim.run(5)
    store.save(sim.state, sim.config.to_json())
    adopted = store.adopt(elsewhere)
    assert store.generations()[0] == adopted
    assert Simulation.load(adopted).digest() == Simulation.load(elsewhere).digest() != sim.digest()
    (tmp_path / "bad.npz").write_bytes(b"not a snapshot")
    with pytest.raises(SnapshotError):
        store.adopt(tmp_path / "bad.npz")
    assert store.generations()[0] == adopted
