"""Read endpoints on the live world: state, chart history, the event log
(paged from a tick, or streamed as server-sent events) and one agent or
materialized NPC. They read the observatory's latest snapshot and the event
log file from the web thread pool; nothing here waits on the reactor."""

import json
import threading
import time
from pathlib import Path

from django.conf import settings
from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from game import simulation_bridge
from game.observatory import OBSERVATORY
from world.event_reader import BadCursor, offset_after_tick, read_page

from .access import ReadView
from .params import Invalid, integer

PAGE_MAX = 500
STREAM_SECONDS = 30.0
STREAM_POLL_S = 0.5
STREAMS_AT_ONCE = 4
_streams = threading.BoundedSemaphore(STREAMS_AT_ONCE)


def events_path() -> Path:
    running = simulation_bridge.service()
    return running.event_log.jsonl_path if running else Path(settings.RUNTIME_DIR) / "events" / "events.jsonl"


class WorldState(ReadView):
    def get(self, request):
        running = simulation_bridge.service()
        snapshot = OBSERVATORY.snapshot
        return Response({"running": running is not None, "paused": bool(running and running.paused),
                         **(snapshot or {"tick": None, "calendar": None, "regions": [], "active_events": [], "kpis": None})})


class WorldHistory(ReadView):
    def get(self, request):
        after = integer(request.query_params, "after", 0, minimum=0)
        most = OBSERVATORY.history_points
        limit = integer(request.query_params, "limit", most, minimum=1, maximum=most)
        return Response({"points": OBSERVATORY.history(after, limit)})


def _start(request) -> tuple[int, int]:
    """(byte offset to read from, tick the events must be after): `cursor`
    (or Last-Event-ID) if given, else the first event after tick `from`.
    Writers other than the step (a player's kill, a macro event) may append
    an event of the tick before the step's last ones, so events are also
    filtered by tick."""
    path = events_path()
    cursor = request.query_params.get("cursor") or request.META.get("HTTP_LAST_EVENT_ID")
    if cursor is not None:
        return integer({"cursor": cursor}, "cursor", 0, minimum=0), -1
    after = integer(request.query_params, "from", -1, minimum=-1)
    return (offset_after_tick(path, after) if path.exists() else 0), after


class WorldLogs(ReadView):
    def get(self, request):
        limit = integer(request.query_params, "limit", 100, minimum=1, maximum=PAGE_MAX)
        offset, after = _start(request)
        path = events_path()
        if not path.exists():
            return Response({"events": [], "next_cursor": 0, "next": None})
        try:
            events, cursor = read_page(path, offset, limit)
        except BadCursor as exc:
            raise Invalid(str(exc)) from None
        more = request.build_absolute_uri(f"{request.path}?cursor={cursor}&limit={limit}")
        return Response({"events": [e for e in events if e["tick"] > after], "next_cursor": cursor, "next": more})


class EventStreamRenderer(BaseRenderer):
    """Lets EventSource's `Accept: text/event-stream` through; errors go out as JSON text."""

    media_type = "text/event-stream"
    format = "sse"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode()


def _stream(path: Path, offset: int, after: int, seconds: float):
    deadline = time.monotonic() + seconds
    yield "retry: 1000\n\n"
    while time.monotonic() < deadline:
        events = []
        if path.exists():
            events, offset = read_page(path, offset, PAGE_MAX)
            events = [e for e in events if e["tick"] > after]
        for i, event in enumerate(events):
            last = i == len(events) - 1
            yield (f"id: {offset}\n" if last else "") + f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
        if not events:
            yield ": waiting\n\n"
            time.sleep(STREAM_POLL_S)


class WorldLogStream(ReadView):
    renderer_classes = [JSONRenderer, EventStreamRenderer]

    def get(self, request):
        offset, after = _start(request)
        path = events_path()
        if path.exists():
            try:
                read_page(path, offset, 0)
            except BadCursor as exc:
                raise Invalid(str(exc)) from None
        seconds = float(integer(request.query_params, "seconds", int(STREAM_SECONDS), minimum=1, maximum=int(STREAM_SECONDS)))
        if not _streams.acquire(blocking=False):
            return Response({"detail": f"at most {STREAMS_AT_ONCE} live streams at once; poll /api/world/logs"}, status=429,
                            headers={"Retry-After": "5"})
        response = StreamingHttpResponse(_stream(path, offset, after, seconds), content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        response._resource_closers.append(_streams.release)
        return response


class Npc(ReadView):
    def get(self, request, agent_id: int):
        from game.materialize import npc_of

        running = simulation_bridge.service()
        if running is None:
            return Response({"detail": "no simulation is running"}, status=404)
        try:
            agent = running.sim.agent_view(agent_id)
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=404)
        npc = npc_of(agent_id)
        materialized = None
        if npc is not None:
            materialized = {"dbref": npc.dbref, "key": npc.key,
                            "room": npc.location.key if npc.location else None, "state": npc.attributes.get("state")}
        return Response({"agent": agent, "materialized": materialized})
