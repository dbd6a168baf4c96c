"""The simulation's regional figures as the director's "kpi" events (generation.director.rules).

One event per region: its inflation (prices against what the region's own
scarcity sets, i.e. the money factor times any macro price effect; 1.0 is
none), its population against twice a fair share of the living agents, and
whether a gold-sink merchant is live there.  A region's price index against
the base prices is no measure of inflation: a trading hub that produces
nothing (the Market) keeps its supply far below the reference and its prices
near the scarcity ceiling, with no excess coin at all.
"""


def kpi_events(kpis: dict, populations: dict[str, int], gold_sinks: set[str]) -> list[dict]:
    """`kpis` from `Simulation.kpis()`, `populations` per region id, `gold_sinks` the regions with one live."""
    regions = list(kpis["inflation"])
    fair_share = max(1, kpis["agents_alive"] // max(1, len(regions)))
    return [{"type": "kpi", "region": r, "inflation": kpis["inflation"][r], "population": populations[r],
             "capacity": 2 * fair_share, "tick": kpis["tick"], "gold_sink_present": r in gold_sinks}
            for r in regions]
