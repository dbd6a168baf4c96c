"""One module per simulation system, run in this fixed order every tick:
ai, movement, gathering, trade, combat, population, reputation, calendar,
macro, social, bookkeeping.  Per-agent parts are numba functions fused into the
two agent passes of world/kernels.py; region parts run on small arrays.
"""
