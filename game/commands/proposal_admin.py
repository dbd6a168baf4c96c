"""Admin commands on the approval queue: `proposals`, `proposal` (with
/edit), `approve`, `reject`. The work is in `game.steering`, shared with
the REST API; here it runs in a thread and is shown as text. Flavor text is
stored sanitized (its `|` already escaped) and is shown as stored; every
other text (reasons, fallback messages) has its `|` escaped here."""

import json

from game import steering

from .threaded import ThreadedAdminCommand

COLUMN = 38
DIFF_COLOURS = {" ": "", "~": "|y", "-": "|r", "+": "|g"}


def escape_markup(text) -> str:
    return str(text).replace("|", "||")


def _cell(text: str) -> str:
    """One column of the diff: JSON lines whose strings are stored flavor
    (escaped) or payload; cut without leaving half of a `||` pair."""
    if len(text) <= COLUMN:
        return text.ljust(COLUMN)
    cut = text[: COLUMN - 1]
    if (len(cut) - len(cut.rstrip("|"))) % 2:
        cut = cut[:-1]
    return (cut + "…").ljust(COLUMN)


def render_detail(d: dict) -> str:
    lines = [f"|w{d['id']}|n  {d['kind']} in {d['region']}  |w{d['state']}|n  seed {d['seed']}",
             f"title: {d['title']}",
             f"enriched by {d['provider']}" + (f" (fallback: {escape_markup(d['fallback_reason'])})" if d["fallback_reason"] else ""),
             "|wEnriched text|n"]
    lines += ["  " + line for line in json.dumps(d["enriched"], indent=2, ensure_ascii=False).splitlines()]
    lines.append(f"|w{'Draft (payload)'.ljust(COLUMN)}   Validated result|n")
    for tag, left, right in d["diff"]:
        colour = DIFF_COLOURS[tag]
        lines.append(f"{colour}{tag} {_cell(left)} {_cell(right)}|n")
    lines.append("|wBudgets used|n")
    lines += [f"  {b['budget']}: {b['used']:g} of {b['allowed']:g}" for b in d["budgets"]]
    lines.append("|wHistory|n")
    lines += [f"  {h['at']} {h['status']}: {escape_markup('; '.join(h['reasons']))}" for h in d["history"]]
    lines.append("|wWhy|n")
    for r in d["why"] or [{"type": "none", "why": "no decision-log record names it"}]:
        keys = ("rule", "why", "status", "skipped", "commit", "by", "reason")
        lines.append("  " + r.get("type", "?") + ": " + escape_markup("; ".join(f"{k}={r[k]}" for k in keys if r.get(k))))
    return "\n".join(lines)


class CmdProposals(ThreadedAdminCommand):
    """
    list the generated proposals in one state of the approval queue

    Usage:
      proposals [pending||held||approved||rejected||published]

    Example:
      proposals            (pending ones: waiting for an admin; held ones
                            wait for the director's resume)
      proposals published
    """

    key = "proposals"

    def func(self):
        state = self.args.strip().lower() or "pending"

        def show(found):
            if not found:
                self.msg(f"No {state} proposals.")
                return
            lines = [f"|w{len(found)} {state}:|n"]
            for p in found:
                s = steering.summary(p)
                lines.append(f"  {s['id']}  {s['kind']:<11} {s['region']:<8} {s['title']}")
            self.msg("\n".join(lines))

        self.later(steering.proposals, state, done=show)


class CmdProposal(ThreadedAdminCommand):
    """
    show one proposal, or edit a flavor text of a pending one

    Usage:
      proposal <id>
      proposal/edit <id> <field>=<value>

    Shows the draft (mechanical payload), the enriched text and the validated
    result side by side as a diff, the budgets it uses, its history and the
    director's why-trace. An edit changes one flavor text (a field such as
    name or desc, or a dotted place such as steps.1 or rooms.0.desc); it is
    sanitized and validated again, refused if it fails, and recorded in the
    proposal's history.

    Example:
      proposal npc.3f2a9c01d2
      proposal/edit npc.3f2a9c01d2 name=Orsa the Tallyman
      proposal/edit room_block.77aa01 rooms.0.desc=Wind combs the dry grass.
    """

    key = "proposal"
    switch_options = ("edit",)

    def func(self):
        if "edit" in self.switches:
            self.do_edit()
            return
        if not self.args.strip():
            self.msg("Usage: proposal <id>  or  proposal/edit <id> <field>=<value>")
            return
        self.later(steering.detail, self.args.strip(), done=lambda d: self.msg(render_detail(d)))

    def do_edit(self):
        words = self.lhs.split()
        if len(words) != 2 or not self.rhs:
            self.msg("Usage: proposal/edit <id> <field>=<value>")
            return
        proposal_id, field = words
        self.later(steering.edit, proposal_id, field, self.rhs, self.caller.key,
                   done=lambda p: self.msg(f"Edited {p.id}: {field} changed and validated."))


class CmdApprove(ThreadedAdminCommand):
    """
    approve a pending proposal; a worker then publishes it

    Usage:
      approve <id>

    Example:
      approve npc.3f2a9c01d2
    """

    key = "approve"

    def func(self):
        if not self.args.strip():
            self.msg("Usage: approve <id>")
            return
        approve(self, self.args.strip())


class CmdReject(ThreadedAdminCommand):
    """
    reject a pending proposal, saying why

    Usage:
      reject <id> <reason>

    Example:
      reject npc.3f2a9c01d2 too close to an existing merchant
    """

    key = "reject"

    def func(self):
        words = self.args.split(None, 1)
        if len(words) < 2:
            self.msg("Usage: reject <id> <reason>")
            return
        reject(self, words[0], words[1])


def approve(cmd: ThreadedAdminCommand, proposal_id: str) -> None:
    """Approve for the admin running `cmd` (`approve` and `director approve`)."""
    def report(result):
        proposal, note = result
        cmd.msg(f"Approved {proposal.id}; " + (note or "a worker will publish it") + ".")

    cmd.later(steering.approve, proposal_id, cmd.caller.key, done=report)


def reject(cmd: ThreadedAdminCommand, proposal_id: str, reason: str) -> None:
    """Reject with a reason for the admin running `cmd` (`reject` and `director reject`)."""
    cmd.later(steering.reject, proposal_id, cmd.caller.key, reason, done=lambda p: cmd.msg(f"Rejected {p.id}."))
