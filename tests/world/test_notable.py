import numpy as np

from world.enums import DEAD, ROLES
from world.notable import notable_agents


def test_notable_agents_match_a_full_scan_per_region_and_role(make_sim):
    sim = make_sim(agents=5000, seed=4)
    sim.run(20)
    s, n_regions = sim.state, len(sim.config.regions)
    index = notable_agents(s, n_regions, 7)
    assert index.shape == (n_regions, len(ROLES), 7)
    for r, region in enumerate(sim.config.regions):
        for ro, role in enumerate(ROLES):
            ids = [int(i) for i in index[r, ro] if i >= 0]
            assert ids == sim.agents_in_region(region.id, 7, roles=[role])
            alive = np.flatnonzero((s.region == r) & (s.role == ro) & (s.state != DEAD))
            assert len(ids) == min(7, alive.size)
