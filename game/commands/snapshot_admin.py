"""Admin command `snapshot`: create, list, restore and delete whole-world
snapshots (game.world_snapshots). File work runs in threads; a restore asks
for confirmation first."""

import time

from game import world_snapshots
from game.simulation_bridge import SimulationFailed
from game.snapshot_files import Manifest, SnapshotMissing

from .threaded import ThreadedAdminCommand

BUSY = "The simulation is busy ({}); try again in a moment."


def size_text(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def row(m: Manifest) -> str:
    tick = str(m.sim["tick"]) if m.sim else "-"
    commit = (m.library_commit or "-")[:10]
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(m.created))
    kind = "auto" if m.auto else "manual"
    return f"  {m.id:<6} {kind:<6} {when}  tick {tick:>7}  {commit:<10} {size_text(m.bytes):>9}  {_plain(m.label)}"


def _plain(text: str) -> str:
    return text.replace("|", "||")


class CmdSnapshot(ThreadedAdminCommand):
    """
    snapshots of the whole world: database, simulation and content library

    Usage:
      snapshot [list]            every snapshot: id, auto/manual, time (UTC),
                                 simulation tick, library commit, size, label
      snapshot create [label]    take one now (the simulation pauses for the copy)
      snapshot restore <id>      put the world back as it was (asks first);
                                 players stay connected and are told
      snapshot delete <id>       remove one

    An automatic snapshot is taken before a room-block expansion goes live and
    before every restore; the newest MUD_SNAPSHOT_KEEP of those are kept,
    manual ones until deleted. Snapshots live in server/runtime/snapshots/.

    Example:
      snapshot create before the siege
      snapshot restore s4
    """

    key = "snapshot"
    aliases = ["snapshots"]

    def func(self):
        verb, _, rest = self.args.strip().partition(" ")
        verb, rest = (verb.lower() or "list"), rest.strip()
        if verb == "restore":
            yield from self.do_restore(rest)
            return
        handler = getattr(self, f"do_{verb}", None)
        if handler is None:
            self.msg(f"Unknown snapshot action '{verb}'. See |whelp snapshot|n.")
            return
        handler(rest)

    def _failed_as(self, failure, what: str):
        self.msg(f"|r{what} failed:|n {_plain(failure.getErrorMessage())}")

    def do_list(self, rest):
        self.later(world_snapshots.folder().list, done=self._show_list)

    def _show_list(self, manifests):
        if not manifests:
            self.msg("No snapshots yet. |wsnapshot create [label]|n takes one.")
            return
        header = f"|wSnapshots|n ({len(manifests)}, newest last)\n  {'id':<6} {'kind':<6} {'taken (UTC)':<17} " \
                 f"{'sim tick':>12}  {'library':<10} {'size':>9}  label"
        self.msg("\n".join([header] + [row(m) for m in manifests]))

    def do_create(self, rest):
        try:
            d = world_snapshots.create(rest, auto=False)
        except (world_snapshots.SnapshotBusy, SimulationFailed) as err:
            self.msg(f"|rNo snapshot:|n {err}")
            return
        if d is None:
            self.msg(BUSY.format("stepping"))
            return
        self.msg("Taking a snapshot...")
        d.addCallbacks(lambda m: self.msg(f"Snapshot {m.id} taken:\n{row(m)}"), self._failed_as,
                       errbackArgs=("The snapshot",))

    def do_delete(self, rest):
        if not rest:
            self.msg("Usage: snapshot delete <id>")
            return
        self.later(world_snapshots.folder().delete, rest, done=lambda m: self.msg(f"Snapshot {m.id} deleted."))

    def do_restore(self, rest):
        if not rest:
            self.msg("Usage: snapshot restore <id>")
            return
        try:
            manifest = world_snapshots.folder().get(rest)
        except SnapshotMissing as err:
            self.msg(f"|r{err}|n")
            return
        tick = f", simulation tick {manifest.sim['tick']}" if manifest.sim else ""
        answer = yield (f"Restore snapshot {manifest.id} ({world_snapshots.describe_time(manifest)}{tick})? "
                        "The database, the simulation and the content library go back to it; everything since "
                        "is lost (an automatic snapshot is taken first). [yes/N]")
        if answer.strip().lower() not in ("y", "yes"):
            self.msg("Restore cancelled.")
            return
        try:
            d = world_snapshots.restore(manifest.id)
        except (world_snapshots.SnapshotBusy, SnapshotMissing) as err:
            self.msg(f"|rNot restored:|n {err}")
            return
        self.msg(f"Checking snapshot {manifest.id} and taking an automatic snapshot first...")
        d.addErrback(self._failed_as, f"Restoring {manifest.id}")
