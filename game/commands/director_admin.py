"""Admin command `director`: watch and steer the generative director and its
approval queue. Everything that touches a file, SQLite, the broker or a
worker runs in a thread (`later`), so neither a dead Redis, a slow disk
nor a large decision log ever freezes the game; the command's Deferreds are
kept in `pending` (tests wait on them)."""

from game import steering
from game.director_bridge import service
from generation.director import Switch
from generation.runtime import Bounds, RuntimePaths

from .proposal_admin import approve, reject
from .threaded import ThreadedAdminCommand

SLIDERS = steering.SLIDERS
RECENT_DECISIONS = 5


def _switch() -> Switch:
    return Switch(RuntimePaths.from_env().director_state)


def _status_lines() -> list[str]:
    """Mode, sliders, disk and recent decisions (file work: run in a thread)."""
    from generation.director.decision_log import DecisionLog
    from generation.health import disk_line

    paths, bounds = RuntimePaths.from_env(), Bounds.from_env()
    state = _switch().read()
    sliders = ", ".join(f"{k} {v:.2f}" for k, v in state.sliders.model_dump().items())
    low, disk = disk_line(paths, bounds)
    lines = [f"|wDirector|n {state.mode.value.upper()}" + (f" (by {state.changed_by}: {state.reason})" if state.changed_by else ""),
             f"sliders: {sliders}", ("|r" + disk + "|n") if low else disk]
    for record in DecisionLog(paths.decision_log).records()[-RECENT_DECISIONS:]:
        if record.get("type") == "skipped":
            counts = ", ".join(f"{k} x{n}" for k, n in sorted(record.get("counts", {}).items()))
            lines.append(f"  skipped: {counts}")
        else:
            lines.append(f"  {record.get('type')}: {record.get('rule') or record.get('status')} {record.get('why') or ''}")
    return lines


def _queue_report() -> tuple[dict, dict, dict | None]:
    from generation.broker import broker_status
    from generation.tasks import journal

    return broker_status(), journal().counts(), journal().last_failure()


def _waiting():
    """(pending, held) proposals of the approval queue."""
    from generation.approval import ApprovalQueue

    queue = ApprovalQueue(RuntimePaths.from_env().approval_db)
    return queue.pending(), queue.held()


def _trace(job_id: str) -> list[dict]:
    from generation.director.decision_log import DecisionLog

    return DecisionLog.from_env(RuntimePaths.from_env().decision_log).trace(job_id)


def _carry_out_decisions() -> str:
    from generation.tasks import carry_out_decisions

    try:
        carry_out_decisions.delay()
    except Exception as exc:  # decisions stay journaled: a worker's next round carries them out
        return f" Approved and held proposals are published at a worker's next round (broker: {exc})."
    return " Approved and held proposals are being published."


class CmdDirector(ThreadedAdminCommand):
    """
    watch and steer the generative director

    Usage:
      director [status]                 mode, sliders, disk, broker, jobs, recent decisions
      director pause | resume [reason]  stop or restart new jobs (resume also publishes
                                        what was approved or held while stopped)
      director stop [reason]            emergency stop: no new jobs, nothing published
      director set <slider>=<0..1> ...  sliders: chaos, aggression, expansion
                                        (several at once: director set chaos=0.3 aggression=0.7)
      director approvals                proposals waiting for an admin, and those held by a stop
      director approve <proposal id>    publish it (through a worker; same as `approve`)
      director reject <proposal id> <reason>  (same as `reject`)
      director why <job id>             the decision trace of one job

    Example:
      director set chaos=0.3 aggression=0.7 expansion=0.2
      director stop too many quests tonight
    """

    key = "director"

    def func(self):
        verb, *rest = (self.args.split() or ["status"])
        handler = getattr(self, f"do_{verb.lower()}", None)
        if handler is None:
            self.msg(f"Unknown director action '{verb}'. See |whelp director|n.")
            return
        handler(rest)

    def do_status(self, rest):
        running = service()
        local = []
        if running is not None:
            local.append(f"jobs queued from this server: {running.queued}")
            if running.last_error:
                local.append(f"|rlast problem:|n {running.last_error}")
            if running.director.log.last_error:
                local.append(f"|rdecision log:|n {running.director.log.last_error}")
            skips = running.director.log.skip_counts()
            if skips:
                local.append("skipped since the last summary: " + ", ".join(f"{k} x{n}" for k, n in sorted(skips.items())))

        def report(result):
            status, counts, failure = result
            broker = "ok" if status["ok"] else f"|rDOWN|n: {status['reason']} (jobs wait in the journal)"
            if failure:
                self.msg(f"|rlast failed job|n {failure['job_id']}: {failure['error']}")
            self.msg(f"broker {status['broker']}: {broker}; journal: {counts}")

        def show(lines):
            self.msg("\n".join(lines + local))
            self.later(_queue_report, done=report)  # after the status: the broker probe may take seconds

        self.later(_status_lines, done=show)

    def _set_mode(self, action: str, rest, then=None):
        def change():
            state = getattr(_switch(), action)(by=self.caller.key, reason=" ".join(rest) or None)
            return f"Director is now {state.mode.value}." + (then() if then is not None else "")

        self.later(change, done=self.msg)

    def do_pause(self, rest):
        self._set_mode("pause", rest)

    def do_resume(self, rest):
        self._set_mode("resume", rest, then=_carry_out_decisions)

    def do_stop(self, rest):
        self._set_mode("emergency_stop", rest)

    def do_set(self, rest):
        words = rest if any("=" in w for w in rest) else ["=".join(rest)] if len(rest) == 2 else []
        usage = f"Usage: director set <slider>=<0..1> [<slider>=<0..1> ...]  sliders: {', '.join(SLIDERS)}"
        try:
            values = steering.parse_assignments(words)
        except steering.Refused as exc:
            self.msg(f"{usage} ({exc})")
            return

        def failed(failure):
            text = failure.getErrorMessage()
            if not failure.check(steering.Refused):
                self.msg(f"|rFailed:|n {text}")
            else:
                self.msg(text if "takes a number" in text else f"{usage} ({text})")

        def report(state):
            self.msg("; ".join(f"Director {k} set to {getattr(state.sliders, k):.2f}" for k in values) + ".")

        self.later(steering.set_sliders, self.caller.key, values, done=report, failed=failed)

    def do_approvals(self, rest):
        def line(proposal):
            name = steering.title_of(proposal)
            return f"  {proposal.id}  {proposal.kind.value:<11} {proposal.tags.region:<8} {name}"

        def show(waiting):
            pending, held = waiting
            lines = [f"|w{len(pending)} waiting:|n", *map(line, pending)] if pending else ["No proposal waits for approval."]
            if held:
                lines += [f"|w{len(held)} held by the emergency stop|n (published after resume; approve or reject them now):",
                          *map(line, held)]
            self.msg("\n".join(lines))

        self.later(_waiting, done=show)

    def do_approve(self, rest):
        if not rest:
            self.msg("Usage: director approve <proposal id>")
            return
        approve(self, rest[0])

    def do_reject(self, rest):
        if len(rest) < 2:
            self.msg("Usage: director reject <proposal id> <reason>")
            return
        reject(self, rest[0], " ".join(rest[1:]))

    def do_why(self, rest):
        if not rest:
            self.msg("Usage: director why <job id>")
            return

        def show(trace):
            if not trace:
                self.msg(f"No decision mentions job {rest[0]}.")
                return
            keys = ("type", "rule", "why", "skipped", "proposal_id", "status", "reasons")
            self.msg("\n".join("  " + "; ".join(f"{k}={record[k]}" for k in keys if record.get(k)) for record in trace))

        self.later(_trace, rest[0], done=show)
