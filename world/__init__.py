"""TERA background simulation: numpy + numba, no Evennia.

Entry points: `world.config.load_config`, `world.simulation.Simulation`,
`world.events.EventLog`; CLI `python -m world run ...`; benchmark
`python -m world.bench`.

OpenMP worker threads are told to sleep rather than spin between parallel
regions (OMP_WAIT_POLICY=PASSIVE, unless already set): spinning workers steal
the cores the reactor and the other systems need on small machines.  This
only takes effect if `world` is imported before numba starts its thread pool.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
