"""Admin command `director`: watch and steer the generative director and its
approval queue. Anything that touches the broker or a worker runs in a
thread, so a dead Redis never freezes the game."""

from evennia.commands.default.muxcommand import MuxCommand
from twisted.internet import threads

from game import steering
from game.director_bridge import service
from generation.director import Switch
from generation.pipeline import Pipeline
from generation.runtime import RuntimePaths

SLIDERS = steering.SLIDERS


def _switch() -> Switch:
    return Switch(RuntimePaths.from_env().director_state)


class CmdDirector(MuxCommand):
    """
    watch and steer the generative director

    Usage:
      director [status]                 mode, sliders, broker, jobs, recent decisions
      director pause | resume [reason]  stop or restart new jobs
      director stop [reason]            emergency stop: no new jobs, nothing published
      director set <slider>=<0..1> ...  sliders: chaos, aggression, expansion
                                        (several at once: director set chaos=0.3 aggression=0.7)
      director approvals                proposals waiting for an admin
      director approve <proposal id>    publish it (through a worker)
      director reject <proposal id> [reason]
      director why <job id>             the decision trace of one job

    Example:
      director set chaos=0.3 aggression=0.7 expansion=0.2
      director stop too many quests tonight
    """

    key = "director"
    locks = "cmd:perm(Admin)"
    help_category = "admin"

    def func(self):
        verb, *rest = (self.args.split() or ["status"])
        handler = getattr(self, f"do_{verb.lower()}", None)
        if handler is None:
            self.msg(f"Unknown director action '{verb}'. See |whelp director|n.")
            return
        handler(rest)

    def _later(self, work, *args, done=None):
        """Run blocking `work` in a thread; report its result or its error."""
        d = threads.deferToThread(work, *args)
        d.addCallbacks(done or (lambda _: None), lambda f: self.msg(f"|rFailed:|n {f.getErrorMessage()}"))

    def do_status(self, rest):
        from generation.broker import broker_status
        from generation.tasks import journal

        state = _switch().read()
        running = service()
        sliders = ", ".join(f"{k} {v:.2f}" for k, v in state.sliders.model_dump().items())
        lines = [f"|wDirector|n {state.mode.value.upper()}" + (f" (by {state.changed_by}: {state.reason})" if state.changed_by else ""),
                 f"sliders: {sliders}"]
        if running is not None:
            lines.append(f"jobs queued from this server: {running.queued}")
            if running.last_error:
                lines.append(f"|rlast problem:|n {running.last_error}")
        decisions = Pipeline().log.records()[-5:]
        for record in decisions:
            lines.append(f"  {record.get('type')}: {record.get('rule') or record.get('status')} "
                         f"{record.get('why') or ''} {('-> ' + record['skipped']) if record.get('skipped') else ''}")
        self.msg("\n".join(lines))

        def report(result):
            status, counts = result
            broker = "ok" if status["ok"] else f"|rDOWN|n: {status['reason']} (jobs wait in the journal)"
            self.msg(f"broker {status['broker']}: {broker}; journal: {counts}")

        self._later(lambda: (broker_status(), journal().counts()), done=report)

    def _set_mode(self, action: str, rest):
        state = getattr(_switch(), action)(by=self.caller.key, reason=" ".join(rest) or None)
        self.msg(f"Director is now {state.mode.value}.")

    def do_pause(self, rest):
        self._set_mode("pause", rest)

    def do_resume(self, rest):
        self._set_mode("resume", rest)

    def do_stop(self, rest):
        self._set_mode("emergency_stop", rest)

    def do_set(self, rest):
        """Sliders are one small state file, written like pause and resume."""
        words = rest if any("=" in w for w in rest) else ["=".join(rest)] if len(rest) == 2 else []
        usage = f"Usage: director set <slider>=<0..1> [<slider>=<0..1> ...]  sliders: {', '.join(SLIDERS)}"
        try:
            values = steering.parse_assignments(words)
            state = steering.set_sliders(self.caller.key, values)
        except steering.Refused as exc:
            self.msg(str(exc) if "takes a number" in str(exc) else f"{usage} ({exc})")
            return
        self.msg("; ".join(f"Director {k} set to {getattr(state.sliders, k):.2f}" for k in values) + ".")

    def do_approvals(self, rest):
        pending = Pipeline().approvals.pending()
        if not pending:
            self.msg("No proposal waits for approval.")
            return
        lines = [f"|w{len(pending)} waiting:|n"]
        for proposal in pending:
            name = proposal.flavor.get("name") or proposal.flavor.get("title") or ""
            lines.append(f"  {proposal.id}  {proposal.kind.value:<11} {proposal.tags.region:<8} {name}")
        self.msg("\n".join(lines))

    def do_approve(self, rest):
        if not rest:
            self.msg("Usage: director approve <proposal id>")
            return
        from generation.tasks import publish_approved

        try:
            Pipeline().approvals.approve(rest[0], by=self.caller.key)
        except (KeyError, ValueError) as err:
            self.msg(f"Cannot approve {rest[0]}: {err}")
            return
        self.msg(f"Approved {rest[0]}; a worker will publish it.")
        self._later(publish_approved.delay, rest[0])

    def do_reject(self, rest):
        if not rest:
            self.msg("Usage: director reject <proposal id> [reason]")
            return
        try:
            Pipeline().reject(rest[0], by=self.caller.key, reason=" ".join(rest[1:]))
        except (KeyError, ValueError) as err:
            self.msg(f"Cannot reject {rest[0]}: {err}")
            return
        self.msg(f"Rejected {rest[0]}.")

    def do_why(self, rest):
        if not rest:
            self.msg("Usage: director why <job id>")
            return
        trace = Pipeline().log.trace(rest[0])
        if not trace:
            self.msg(f"No decision mentions job {rest[0]}.")
            return
        for record in trace:
            keys = ("type", "rule", "why", "skipped", "proposal_id", "status", "reasons")
            self.msg("  " + "; ".join(f"{k}={record[k]}" for k in keys if record.get(k)))
