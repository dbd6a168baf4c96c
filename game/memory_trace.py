"""Evennia server plugin (SERVER_SERVICES_PLUGIN_MODULES): an admin's tool for
finding what makes the server process grow.  Off unless MUD_TRACEMALLOC is set
to a number of seconds: that long after the start the server begins to trace
its allocations (Python's tracemalloc, MUD_TRACEMALLOC_FRAMES frames a block)
and takes the first report, the baseline, so a long interval lets the warm-up
pass untraced and at full speed.  Every MUD_TRACEMALLOC seconds after that it
rewrites one report, <runtime>/memory/tracemalloc.txt: the simulation tick, the
process's RSS and the traced total, then the sites (file and line) whose live
memory grew the most since the first report and since the previous one, and
the call stacks of the top growth sites.  A report is made in a thread; still,
tracing slows every allocation and taking a snapshot holds the interpreter
for a moment: meant for a diagnostic run, not for everyday play."""

import linecache
import re
import tracemalloc
from pathlib import Path

from django.conf import settings
from evennia.utils import logger
from twisted.internet import task, threads

from . import simulation_bridge

REPORT = "tracemalloc.txt"
# left out: tracing's own memory, and the source lines read to show call stacks (at most a copy of the code)
UNREPORTED = (tracemalloc.__file__, linecache.__file__, "<frozen importlib._bootstrap>")
TOP_SITES = 25  # sites listed per comparison
TOP_STACKS = 5  # growth sites shown with their call stacks


class MemoryTrace:
    """Snapshots compared with the first one and with the previous one."""

    def __init__(self, folder: Path, frames: int = 5):
        self.folder, self.frames = folder, frames
        self.baseline = self.previous = None
        self.reports = 0

    def report(self) -> Path:
        """Take a snapshot and rewrite the report; returns its path.  The first
        report starts the tracing (unless it runs already, with `frames`)."""
        if not tracemalloc.is_tracing():
            tracemalloc.start(self.frames)
        snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, name) for name in UNREPORTED])
        self.baseline = self.baseline or snapshot
        lines = [f"report {self.reports} at tick {current_tick()}, RSS {rss_bytes() / 2**20:.1f} MiB, "
                 f"traced {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MiB"]
        for title, before in (("since the first report", self.baseline), ("since the previous report", self.previous)):
            if before is None or before is snapshot:
                continue
            lines += ["", f"== growth {title} (by line)"]
            lines += [str(stat) for stat in snapshot.compare_to(before, "lineno")[:TOP_SITES]]
        if self.baseline is not snapshot:
            lines += ["", f"== call stacks of the {TOP_STACKS} largest growth sites since the first report"]
            for stat in snapshot.compare_to(self.baseline, "traceback")[:TOP_STACKS]:
                lines += ["", f"{stat.size_diff / 1024:+.1f} KiB, {stat.count_diff:+d} blocks:"]
                lines += stat.traceback.format(most_recent_first=True)
        self.previous = snapshot
        self.reports += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / REPORT
        partial = path.with_suffix(".partial")
        partial.write_text("\n".join(lines) + "\n")
        partial.replace(path)
        return path


def current_tick():
    running = simulation_bridge.service()
    return running.sim.tick if running is not None else None


def rss_bytes() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024


def start_plugin_services(evennia_server) -> None:
    interval = settings.TRACEMALLOC_S
    if interval <= 0:
        return
    trace = MemoryTrace(Path(settings.RUNTIME_DIR) / "memory", settings.TRACEMALLOC_FRAMES)

    def report():
        d = threads.deferToThread(trace.report)
        d.addErrback(lambda f: logger.log_err(f"tracemalloc report failed: {f.getTraceback()}"))
        return d  # the next report waits for this one

    task.LoopingCall(report).start(interval, now=False)
    logger.log_info(f"tracemalloc: tracing from {interval:g} s on, a report every {interval:g} s in {trace.folder / REPORT}")
