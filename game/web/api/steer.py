"""Staff endpoints: step the simulation, switch the director, read its
decision log, judge the approval queue, list and restore world snapshots.
The work is `game.steering` and `game.world_snapshots` (shared with the
in-game admin commands); a step of the simulation and a restore are started
on the reactor thread, which owns the simulation service."""

from dataclasses import asdict

from rest_framework.response import Response
from twisted.internet import reactor
from twisted.internet.threads import blockingCallFromThread

from game import simulation_bridge, steering, world_snapshots
from game.db_copy import DatabaseCopyError
from game.snapshot_files import SnapshotMissing
from generation.publish import LibraryError
from world.snapshot import SnapshotError

from .access import StaffView
from .params import Invalid, integer, text

MAX_TICKS = 100
# a restore under way, a failed simulation, or a snapshot part that does not check out
NOT_RESTORED = (world_snapshots.SnapshotBusy, simulation_bridge.SimulationFailed, DatabaseCopyError, LibraryError,
                SnapshotError)
LOG_PAGE_MAX = 500


def _refused(exc: steering.Refused, status: int = 400) -> Response:
    return Response({"detail": str(exc)}, status=status)


def _who(request) -> str:
    return f"{request.user.username} (web)"


class AdminTick(StaffView):
    def post(self, request):
        ticks = integer(request.data, "ticks", 1, minimum=1, maximum=MAX_TICKS)
        running = simulation_bridge.service()
        if running is None:
            return Response({"detail": "no simulation is running"}, status=409)
        events = blockingCallFromThread(reactor, running.tick, ticks, True)
        if events is None:
            return Response({"detail": "a step is running; try again in a moment"}, status=409)
        return Response({"tick": running.sim.tick, "events": len(events)})


def _director_state(state) -> dict:
    return state.model_dump(mode="json", exclude={"seed"})


class DirectorStatus(StaffView):
    def get(self, request):
        return Response(_director_state(steering.pipeline().switch.read()))


class DirectorMode(StaffView):
    def post(self, request, action: str):
        try:
            state = steering.set_mode(action, by=_who(request), reason=text(request.data, "reason"))
        except steering.Refused as exc:
            return _refused(exc, 404)
        return Response(_director_state(state))


class DirectorLog(StaffView):
    """The newest records (from the log's tail), after the `after` time
    stamp when given: poll with the last record's `at`."""

    def get(self, request):
        after = text(request.query_params, "after", max_length=40) or ""
        limit = integer(request.query_params, "limit", 100, minimum=1, maximum=LOG_PAGE_MAX)
        records = [r for r in steering.pipeline().log.records() if str(r.get("at", "")) > after][-limit:]
        return Response({"records": records, "next_after": records[-1].get("at", after) if records else after})


class Proposals(StaffView):
    def get(self, request):
        state = request.query_params.get("state", "pending")
        try:
            found = steering.proposals(state)
        except steering.Refused as exc:
            raise Invalid({"state": str(exc)}) from None
        return Response({"state": state, "proposals": [steering.summary(p) for p in found]})


class ProposalDetail(StaffView):
    def get(self, request, proposal_id: str):
        try:
            return Response(steering.detail(proposal_id))
        except steering.Refused as exc:
            return _refused(exc, 404)


def _decide(work, proposal_id: str, *args) -> Response:
    try:
        return Response(work(proposal_id, *args))
    except steering.Refused as exc:
        missing = "no proposal" in str(exc)
        return _refused(exc, 404 if missing else 409)


def _approved(proposal_id: str, by: str) -> dict:
    proposal, note = steering.approve(proposal_id, by)
    return {**steering.summary(proposal), "note": note}


class ProposalApprove(StaffView):
    def post(self, request, proposal_id: str):
        return _decide(_approved, proposal_id, _who(request))


class ProposalReject(StaffView):
    def post(self, request, proposal_id: str):
        reason = text(request.data, "reason", required=True)
        return _decide(lambda *a: steering.summary(steering.reject(*a)), proposal_id, _who(request), reason)


def _snapshot(manifest) -> dict:
    return {**asdict(manifest), "taken": world_snapshots.describe_time(manifest)}


class Snapshots(StaffView):
    """The world snapshots (database, simulation, library commit), oldest first;
    which one this server started from, and which one is being restored."""

    def get(self, request):
        restored = world_snapshots.restored()
        return Response({"snapshots": [_snapshot(m) for m in world_snapshots.folder().list()],
                         "restoring": world_snapshots.restoring(), "restored": restored.id if restored else None})


class SnapshotRestore(StaffView):
    """Restore a world snapshot; the body must repeat its id (`{"confirm": "s4"}`).
    Answers once the snapshot is checked, the automatic one taken and the
    reload asked for (the server then restarts; connections stay)."""

    def post(self, request, snapshot_id: str):
        confirm = text(request.data, "confirm", max_length=40)
        if confirm != snapshot_id:
            raise Invalid({"confirm": f"repeat the snapshot's id ({snapshot_id[:40]!r}) to restore it"})
        try:
            manifest = blockingCallFromThread(reactor, world_snapshots.restore, snapshot_id)
        except SnapshotMissing as exc:
            return Response({"detail": str(exc)}, status=404)
        except NOT_RESTORED as exc:
            return Response({"detail": f"not restored: {exc}"}, status=409)
        return Response({"restoring": manifest.id, "by": _who(request)}, status=202)
