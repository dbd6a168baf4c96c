"""Admin commands on the live world's content library: `content status`,
`content quests`, and `undo <proposal id | commit>` (git work runs in a thread;
the library watcher then applies the revert like any other change)."""

from collections import Counter

from evennia.commands.default.muxcommand import MuxCommand
from evennia.objects.models import ObjectDB
from twisted.internet import threads

from game import content_service, quest_board
from game.content_applier import PATCH
from generation.library_sync import dirty_files
from generation.publish import LibraryError


def spawned_by_patch() -> Counter:
    """How many live objects each patch spawned (proposal id -> count)."""
    keys = ObjectDB.objects.filter(db_tags__db_category=PATCH).values_list("db_tags__db_key", flat=True)
    return Counter(keys)


class CmdContent(MuxCommand):
    """
    the content library behind the live world

    Usage:
      content [status]   library HEAD, last applied commit, pending and refused
                         changes, what each patch spawned
      content quests     the quest records in the game and who offers them

    The library is a git repository (server/runtime/library by default): edit
    its files while the game runs; a valid edit is applied and committed as
    "Hand edit: <file>", an invalid one is refused and listed here until fixed.
    """

    key = "content"
    locks = "cmd:perm(Admin)"
    help_category = "admin"

    def func(self):
        verb = (self.args.strip() or "status").lower()
        running = content_service.service()
        if running is None:
            self.msg("The content service is not running.")
        elif verb == "status":
            d = threads.deferToThread(self._status_facts, running)
            d.addCallbacks(lambda facts: self._status(running, facts),
                           lambda f: self.msg(f"|rFailed:|n {f.getErrorMessage()}"))
        elif verb == "quests":
            self._quests()
        else:
            self.msg(f"Unknown content action '{verb}'. See |whelp content|n.")

    @staticmethod
    def _status_facts(running) -> dict:
        library = running.library
        return {"head": library.git("rev-parse", "HEAD"), "dirty": dirty_files(library)}

    def _status(self, running, facts: dict) -> None:
        applier, watcher = running.applier, running.watcher
        lines = [f"|wContent library|n {running.library.root}",
                 f"HEAD {facts['head'][:12]}"]
        refused = [f for f in facts["dirty"] if f in running.refused]
        pending = [f for f in facts["dirty"] if f not in running.refused]
        busy = " (a change is being applied)" if watcher is not None and watcher.pending else ""
        lines.append(f"pending: {', '.join(pending) or 'nothing'}{busy}")
        if running.refused:
            lines.append("|rrefused|n:")
            lines += [_plain(f"  {p.file} {p.path}: {p.reason}") for ps in running.refused.values() for p in ps]
        else:
            lines.append("refused: nothing")
        lines += [_plain(f"  library problem: {p}") for p in running.problems]
        counts = spawned_by_patch()
        if applier.live is not None:
            for pid, rel in sorted(applier.live.patch_files.items()):
                lines.append(f"  {rel}: {counts.get(pid, 0)} object(s) spawned")
        lines.append(f"applied {applier.head[:12] if applier.head else 'nothing yet'}"
                     f" (in {applier.last_apply_ms:.0f} ms, {applier.batches} batches, longest batch"
                     f" {applier.longest_batch_ms:.1f} ms [{applier.longest_batch_cpu_ms:.1f} ms CPU],"
                     f" longest step {applier.longest_step_ms:.1f} ms"
                     f" [{applier.longest_step_cpu_ms:.1f} ms CPU]"
                     f"{': ' + applier.longest_step if applier.longest_step else ''};"
                     f" longest commit {applier.longest_commit_ms:.1f} ms)")
        self.msg("\n".join(lines))

    def _quests(self) -> None:
        quests = quest_board.all()
        if not quests:
            self.msg("No quests in the game.")
            return
        self.msg("\n".join([f"|wQuests|n ({len(quests)})"] + [
            _plain(f"  {q['id']}: {q['title']} — offered by {q['giver']} in {q['region']} ({quest_board.origin(q['id'])})")
            for q in quests]))


def _plain(text: str) -> str:
    """Library text shown as typed (Evennia colour markup escaped)."""
    return text.replace("|", "||")


class CmdUndo(MuxCommand):
    """
    undo one published patch

    Usage:
      undo <proposal id | commit>

    Reverts the library commit that published the patch; what it spawned is
    removed (anything a player holds goes to the Lost and Found room, players
    in a removed room move to the nearest one).
    """

    key = "undo"
    locks = "cmd:perm(Admin)"
    help_category = "admin"

    def func(self):
        target = self.args.strip()
        running = content_service.service()
        if not target or running is None:
            self.msg("Usage: undo <proposal id | commit>")
            return
        d = threads.deferToThread(undo, running.library, target)
        d.addCallbacks(lambda done: self.msg(f"Undone {done[0]}: commit {done[1][:12]}; removing what it spawned."),
                       lambda f: self.msg(f"|rCannot undo {target}:|n {f.getErrorMessage()}"))


def undo(library, target: str) -> tuple[str, str]:
    """Revert the patch named by proposal id or by (a prefix of) its commit; (proposal id, revert commit)."""
    from generation.pipeline import Pipeline

    proposal_id = target
    if library.commit_of(target) is None:
        full = library.git("rev-parse", "--verify", "-q", f"{target}^{{commit}}", check=False)
        if not full:
            raise LibraryError(f"no published patch or commit {target}")
        proposal_id = library.git("log", "-1", "--format=%(trailers:key=Proposal,valueonly)", full).strip()
        if not proposal_id:
            raise LibraryError(f"commit {target} published no patch")
    return proposal_id, Pipeline().undo(proposal_id)
