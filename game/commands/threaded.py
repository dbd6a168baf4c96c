"""Base for admin commands whose work blocks (SQLite, files, the broker):
`self.later(work, ...)` runs it in a thread and reports its result, a
refusal (`game.steering.Refused`) or an error to the admin, so the reactor
never waits on a disk or a dead broker."""

from evennia.commands.default.muxcommand import MuxCommand
from twisted.internet import threads

from game.steering import Refused


class ThreadedAdminCommand(MuxCommand):
    locks = "cmd:perm(Admin)"
    help_category = "admin"

    def at_pre_cmd(self):
        self.pending = []  # this run's deferreds (tests wait on them)

    def later(self, work, *args, done=None, failed=None, **kwargs):
        """Run `work(*args, **kwargs)` in a thread; `done(result)` on the
        reactor, or `failed(failure)` (default: report it to the admin)."""
        d = threads.deferToThread(work, *args, **kwargs)
        d.addCallbacks(done or (lambda _: None), failed or self._failed)
        self.pending.append(d)
        return d

    def _failed(self, failure):
        if failure.check(Refused):
            self.msg(f"|r{failure.getErrorMessage()}|n")
        else:
            self.msg(f"|rFailed:|n {failure.getErrorMessage()}")
