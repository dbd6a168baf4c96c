"""The REST API's OpenAPI 3 document, written out by hand next to the views
it describes (the views take plain parameters, not serializers, so a
generator would have nothing to read). The property test in
tests/e2e/test_api.py generates requests from it."""

from django.conf import settings
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .access import ReadView

OBJ = {"type": "object"}
ERR = {"description": "bad parameter", "content": {"application/json": {"schema": OBJ}}}


def _ok(description: str, schema: dict | None = None) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema or OBJ}}}


def _q(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _p(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _read(summary: str, params: list, ok: dict, extra: dict | None = None) -> dict:
    responses = {"200": ok, "400": ERR, "429": {"description": "rate limit reached"}, **(extra or {})}
    return {"get": {"summary": summary, "parameters": params, "responses": responses, "security": [{}, {"basic": []}, {"session": []}]}}


STAFF = {"401": {"description": "not logged in"}, "403": {"description": "not an admin"}}


def _staff(method: str, summary: str, ok: dict, params: list | None = None, body: dict | None = None, extra: dict | None = None,
           ok_status: str = "200") -> dict:
    op = {"summary": summary, "parameters": params or [], "security": [{"basic": []}, {"session": []}],
          "responses": {ok_status: ok, "400": ERR, **STAFF, **(extra or {})}}
    if body is not None:
        op["requestBody"] = {"required": False, "content": {"application/json": {"schema": body}}}
    return {method: op}


WORLD_STATE = {"type": "object", "required": ["running", "paused", "tick", "regions", "kpis"], "properties": {
    "running": {"type": "boolean"}, "paused": {"type": "boolean"},
    "tick": {"type": ["integer", "null"]}, "at": {"type": "number"},
    "calendar": {"type": ["object", "null"], "properties": {"season": {"type": "string"}, "epoch": {"type": "string"}}},
    "regions": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "population": {"type": "integer"},
        "prices": OBJ, "price_index": {"type": "number"}, "controller": {"type": "string"},
        "sway": {"type": "object", "additionalProperties": {"type": "integer"}}, "active_events": {"type": "array"}}}},
    "active_events": {"type": "array"}, "kpis": {"type": ["object", "null"]}}}
PROPOSAL_ID = {"type": "string", "maxLength": 120}
SNAPSHOTS = {"type": "object", "required": ["snapshots", "restoring", "restored"], "properties": {
    "snapshots": {"type": "array", "items": {"type": "object", "required": ["id", "label", "auto", "created"], "properties": {
        "id": {"type": "string"}, "label": {"type": "string"}, "auto": {"type": "boolean"},
        "created": {"type": "number"}, "taken": {"type": "string"}, "library_commit": {"type": ["string", "null"]},
        "db": {"type": "object", "properties": {"engine": {"type": "string"}, "file": {"type": "string"}}},
        "sim": {"type": ["object", "null"], "properties": {"tick": {"type": "integer"}, "digest": {"type": "string"},
                                                           "paused": {"type": "boolean"}}},
        "bytes": {"type": "integer"}}}},
    "restoring": {"type": ["string", "null"]}, "restored": {"type": ["string", "null"]}}}
REASON = {"type": "object", "properties": {"reason": {"type": "string", "maxLength": 500}}}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "TERA world API", "version": "1",
             "description": "The live world of the TERA MUD. Reads are open to anyone and rate limited; "
                            "steering needs an admin account (HTTP Basic, or the site's login session with its CSRF token)."},
    "components": {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"},
                                       "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"}}},
    "paths": {
        "/api/world/state": _read("Tick, calendar, regions (population, prices, faction sway, events) and KPIs", [], _ok("the world now", WORLD_STATE)),
        "/api/world/history": _read("Chart points, one per tick, oldest first", [
            _q("after", "only points with seq greater than this", {"type": "integer", "minimum": 0}),
            _q("limit", "at most this many (the newest)", {"type": "integer", "minimum": 1, "maximum": settings.OBSERVE_HISTORY_POINTS})],
            _ok("points", {"type": "object", "required": ["points"], "properties": {"points": {"type": "array"}}})),
        "/api/world/logs": _read("Simulation events after a tick, paged (follow `next`)", [
            _q("from", "events with a tick greater than this", {"type": "integer", "minimum": -1}),
            _q("cursor", "continue from a previous page's next_cursor", {"type": "integer", "minimum": 0}),
            _q("limit", "events per page", {"type": "integer", "minimum": 1, "maximum": 500})],
            _ok("a page of events", {"type": "object", "required": ["events", "next_cursor"], "properties": {
                "events": {"type": "array"}, "next_cursor": {"type": "integer"}, "next": {"type": ["string", "null"]}}})),
        "/api/world/logs/stream": _read("The same events as server-sent events, live, for `seconds` (reconnect with Last-Event-ID)", [
            _q("from", "events with a tick greater than this", {"type": "integer", "minimum": -1}),
            _q("cursor", "continue from an event id", {"type": "integer", "minimum": 0}),
            _q("seconds", "how long to stream before closing", {"type": "integer", "minimum": 1, "maximum": 30})],
            {"description": "text/event-stream", "content": {"text/event-stream": {"schema": {"type": "string"}}}}),
        "/api/npc/{agent_id}": _read("One simulation agent, and its NPC object if it is materialized", [_p("agent_id", {"type": "integer", "minimum": 0})],
                                     _ok("the agent", {"type": "object", "required": ["agent", "materialized"]}),
                                     {"404": {"description": "no such agent, or no simulation"}}),
        "/api/admin/tick": _staff("post", "Step the simulation now", _ok("the new tick"),
                                  body={"type": "object", "properties": {"ticks": {"type": "integer", "minimum": 1, "maximum": 100}}},
                                  extra={"409": {"description": "no simulation, or a step is running"}}),
        "/api/director": _staff("get", "The director's mode and sliders", _ok("state")),
        "/api/director/log": _staff("get", "The director's decision log with why-traces", _ok("records"), params=[
            _q("after", "records written after this time stamp (a record's `at`)", {"type": "string", "maxLength": 40}),
            _q("limit", "records per page", {"type": "integer", "minimum": 1, "maximum": 500})]),
        "/api/director/{action}": _staff("post", "pause, resume or stop (emergency stop) the director", _ok("state"),
                                         params=[_p("action", {"type": "string", "enum": ["pause", "resume", "stop"]})], body=REASON,
                                         extra={"404": {"description": "unknown action"}}),
        "/api/snapshots": _staff("get", "World snapshots (database, simulation, library commit), oldest first",
                                 _ok("snapshots", SNAPSHOTS)),
        "/api/snapshots/{snapshot_id}/restore": _staff(
            "post", "Restore a world snapshot (the body repeats its id); the server reloads, connections stay",
            {"description": "restore under way: the server reloads", "content": {"application/json": {"schema": OBJ}}},
            params=[_p("snapshot_id", {"type": "string", "maxLength": 40})],
            body={"type": "object", "required": ["confirm"], "properties": {"confirm": {"type": "string", "maxLength": 40}}},
            extra={"404": {"description": "no such snapshot"},
                   "409": {"description": "a restore is under way, or the snapshot does not check out"}},
            ok_status="202"),
        "/api/proposals": _staff("get", "Proposals in one state of the approval queue", _ok("proposals"), params=[
            _q("state", "pending (default), held, approved, rejected or published",
               {"type": "string", "enum": ["pending", "held", "approved", "rejected", "published"]})]),
        "/api/proposals/{proposal_id}": _staff("get", "Draft, enriched text, validated result and their diff, budgets, why-trace",
                                               _ok("the proposal"), params=[_p("proposal_id", PROPOSAL_ID)],
                                               extra={"404": {"description": "not in the queue"}}),
        "/api/proposals/{proposal_id}/approve": _staff("post", "Approve; a worker publishes it", _ok("the proposal"),
                                                       params=[_p("proposal_id", PROPOSAL_ID)],
                                                       extra={"404": {"description": "not in the queue"}, "409": {"description": "not pending"}}),
        "/api/proposals/{proposal_id}/reject": _staff("post", "Reject, saying why", _ok("the proposal"),
                                                      params=[_p("proposal_id", PROPOSAL_ID)],
                                                      body={**REASON, "required": ["reason"]},
                                                      extra={"404": {"description": "not in the queue"}, "409": {"description": "not pending"}}),
    },
}


class OpenApiDocument(ReadView):
    renderer_classes = [JSONRenderer]
    throttle_classes = []

    def get(self, request):
        return Response(DOCUMENT)
