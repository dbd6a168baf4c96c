"""Admin command `generate`: force one generation job. It skips the
director's rules and dice, not the pipeline: the proposal is still checked
by the gate and published (or held for approval) like any other."""

from game import steering

from .threaded import ThreadedAdminCommand


class CmdGenerate(ThreadedAdminCommand):
    """
    force the generation of one piece of content

    Usage:
      generate <kind> [here|<region>]

    Kinds: npc, item, quest, room_block, world_event. `here` is the region
    of the room you stand in (and, for a room block, this very room is the
    anchor it grows from); without a region one is picked. The job still
    goes through the gate, and waits for approval when the guardrails ask
    for it; the director's emergency stop still blocks publishing.

    Example:
      generate npc market
      generate room_block here
    """

    key = "generate"

    def func(self):
        words = self.args.split()
        if not 1 <= len(words) <= 2:
            self.msg("Usage: generate <kind> [here|<region>]")
            return
        kind, where = words[0].lower(), (words[1].lower() if len(words) > 1 else None)
        anchor = None
        if where == "here":
            room = self.caller.location
            where = getattr(room, "zone", None)
            anchor = getattr(room, "content_id", None)
            if where is None:
                self.msg("This room belongs to no region; name one: generate <kind> <region>")
                return
        self.later(steering.force_generation, kind, where, self.caller.key, anchor=anchor,
                   done=lambda job: self.msg(f"Queued {job.kind.value} job {job.job_id}"
                                             f"{' in ' + job.region if job.region else ''}; "
                                             f"follow it with |wdirector why {job.job_id}|n."))
