"""Applies the content library's world (generation.live_world) to the live
game. It compares the world it applied last with the new one and turns each
difference into a small step: build or update a room, its exits or its
placements; update or remove the objects of a template; spawn what a patch
adds; upsert or remove a quest record (game.quest_board); start a world event
in the simulation. Steps run on the reactor thread in cooperative batches
(a `twisted.internet.task.Cooperator`): a batch takes one more step only while
one as long as the longest step yet would still end it within BATCH_S, then
hands control back to the reactor, so no batch stalls players for longer.
The next batch is due GAP_S later, not at once: Twisted sends what a command
wrote only at the reactor's next look at its sockets, and a batch due at once
would run before that, so every reply would wait out a second batch.  A batch
the reactor comes to late (other work of the same reactor turn ran first: a
simulation tick's NPC refresh, a command) counts that lateness against its
BATCH_S, and one that has no room left for a step ends at once, without one
(for PUT_OFF_S at most: on a reactor that busy, steps go on until it has a
turn on time again).
One step is one room, one exit, one object a template changes or removes, or
one object a placement or a patch puts in a room (a patch's in two: made,
then placed), written in one database transaction: its commit waits for a
disk sync (some 10 ms with SQLite's rollback journal), and a commit per write
would cost one each (a room took 80 ms that way). The sync stays on the
reactor thread: only the server process may write game objects, their caches
live on this thread, and while a rollback-journal commit writes the database
file, every reader of it waits anyway.

The first apply after a start also reconciles the database itself (rooms,
template objects and quests the library no longer has are removed), so
changes made while the server was down (an undo, a restore) still land.
Removal keeps the rules of game.content_rules. Objects a patch spawned carry
the tag (proposal id, category `content_patch`)."""

import time

import evennia
from django.db import transaction
from evennia.objects.models import ObjectDB
from evennia.server.models import ServerConfig
from evennia.prototypes import spawner
from evennia.utils import logger
from twisted.internet import defer, reactor, task

from generation.live_world import LiveWorld, Spawn
from generation.models.world import Room, Zone

from . import quest_board
from .builder import (ROOM_TYPECLASS, BuildReport, build_exit, build_room, find_by_content_id, place_one,
                      placements, remove_stale_exits, tagged, template_changed)
from .content_rules import LOST_AND_FOUND, evacuate, take_out
from .prototypes import item_prototype, npc_prototype
from .region_news import as_news, players_by_zone
from .typeclasses.objects import CONTENT_ID

PATCH = "content_patch"
BATCH_S = 0.02  # a batch of steps should hold the reactor no longer than this
GAP_S = 0.002  # the reactor's time between two batches, free for players' commands and their replies
ON_TIME_S = 0.001  # a batch started within this of its due time found the reactor free
PUT_OFF_S = 0.25  # the longest the next step waits for a batch with room for it
APPLIED = "content_applied"  # ServerConfig key: template ids and world events already applied


class _Rooms(dict):
    """Room objects by content id, looked up on first use."""

    def __missing__(self, room_id):
        obj = find_by_content_id(room_id)
        self[room_id] = obj
        return obj


def prototypes_of(live: LiveWorld) -> dict[str, dict]:
    protos = {t.id: item_prototype(t) for t in live.world.items.values()}
    protos.update({a.id: npc_prototype(a) for a in live.world.archetypes.values()})
    return protos


def _room_entries(live: LiveWorld | None) -> dict[str, tuple[Room, Zone]]:
    if live is None:
        return {}
    return {room.id: (room, zone) for zone in live.world.zones for room in zone.rooms}


def _zone_key(zone: Zone):
    return (zone.id, zone.name)


class ContentApplier:
    def __init__(self):
        self.live: LiveWorld | None = None
        self.head: str | None = None
        self.applied_at: float | None = None
        self.report = BuildReport()
        self.longest_step_ms = 0.0  # of the last apply
        self.longest_step = ""  # what that step did
        self.longest_step_cpu_ms = 0.0  # the reactor thread's CPU time in it (the wall time less waiting for a core)
        self.expected_step_ms = 0.0  # the longest step of the apply before: what the next step may take
        self.longest_commit_ms = 0.0  # of the last apply: a step's commit, mostly its wait for the disk sync
        self.longest_batch_ms = 0.0  # of the last apply: the longest the reactor was held at once
        self.longest_batch_cpu_ms = 0.0
        self.batches = 0  # of the last apply
        self.last_apply_ms = 0.0  # first step to last, of the last apply
        self.batch_due = self.batch_began = 0.0  # the running batch's due time and start (perf_counter)
        self.batch_late = 0.0  # how late the reactor came to it
        self.put_off_since: float | None = None  # when steps were first put off since an on-time batch
        self.reconciled = False

    # ---- the steps -------------------------------------------------------------------------
    def steps(self, new: LiveWorld):
        """Yield one small step (what it does, a callable) per difference between the last applied world and `new`."""
        old, report, rooms = self.live, self.report, _Rooms()
        before, after = _room_entries(old), _room_entries(new)
        for rid, (room, zone) in after.items():
            was = before.get(rid)
            if was is None or was[0].model_dump() != room.model_dump() or _zone_key(was[1]) != _zone_key(zone):
                yield f"room {room.id}", lambda room=room, zone=zone: rooms.__setitem__(room.id, build_room(room, zone, report))
        for rid, (room, _zone) in after.items():
            was = before.get(rid)
            if was is None or was[0].exits != room.exits:
                for ex in room.exits:  # one step per exit: each may create an object
                    if was is None or ex not in was[0].exits:
                        yield (f"exit {room.id} {ex.direction.value}",
                               lambda room=room, ex=ex: build_exit(room, ex, rooms[room.id], rooms, report))
                yield f"stale exits of {room.id}", lambda room=room: remove_stale_exits(room, rooms[room.id], report)
        protos = prototypes_of(new)
        old_protos = prototypes_of(old) if old else {}
        for key, proto in protos.items():
            if old_protos.get(key) != proto:
                for obj_id in _made_from(key):  # one step per object: a template may have many
                    yield (f"template {key} #{obj_id}",
                           lambda key=key, proto=proto, obj_id=obj_id: self._update_object(key, proto, obj_id))
        gone_templates = (set(old_protos) if self.reconciled else set(_applied()["templates"])) - set(protos)
        for key in sorted(gone_templates):
            for obj_id in _made_from(key):
                yield (f"removed template {key} #{obj_id}",
                       lambda key=key, obj_id=obj_id: self._remove_object(key, obj_id))
        for rid, (room, _zone) in after.items():
            was = before.get(rid)
            if was is None or (was[0].items, was[0].npcs) != (room.items, room.npcs):
                for pid, template, count in placements(room):
                    for n in range(1, count + 1):  # one step per object
                        yield (f"contents of {room.id}: {pid} {n}/{count}",
                               lambda room=room, pid=pid, template=template, n=n, count=count:
                               place_one(rooms[room.id], pid, protos[template], n, count, report))
        old_spawns, made = set(old.spawns) if old else set(), {}
        for spawn in new.spawns:
            if spawn not in old_spawns:
                yield (f"spawn of {spawn.proposal_id}",
                       lambda spawn=spawn: made.__setitem__(spawn, self._make(spawn, protos, rooms)))
                yield f"arrival of {spawn.proposal_id}", lambda spawn=spawn: self._arrive(spawn, made.get(spawn), rooms)
        gone_rooms = set(before) - set(after) | (self._db_rooms() - set(after) if not self.reconciled else set())
        for rid in sorted(gone_rooms):
            yield f"removed room {rid}", lambda rid=rid: self._remove_room(rid, rooms, after)
        yield "quests", lambda: self._sync_quests(old, new)
        started = set(_applied()["events"])
        for event_id, event in new.events.items():
            if event_id not in started:
                yield f"event {event_id}", lambda event=event: self._start_event(event)
        yield "bookkeeping", lambda: _remember(protos, new)

    def _db_rooms(self) -> set[str]:
        rooms = ObjectDB.objects.filter(db_typeclass_path=ROOM_TYPECLASS, db_tags__db_category=CONTENT_ID)
        return set(rooms.values_list("db_tags__db_key", flat=True)) - {LOST_AND_FOUND}

    def _update_object(self, key: str, proto: dict, obj_id: int) -> None:
        """Bring one object of template `key` up to date (if it is still there)."""
        obj = ObjectDB.objects.filter(id=obj_id).first()
        if obj is not None and template_changed(proto, obj):
            spawner.batch_update_objects_with_prototype(proto, objects=[obj])
            self.report.updated.append(f"{key}#{obj.id}")

    def _remove_object(self, key: str, obj_id: int) -> None:
        """Take one object of the removed template `key` out of the world (if it is still there)."""
        obj = ObjectDB.objects.filter(id=obj_id).first()
        if obj is None or obj.location is not None and obj.location.tags.get(LOST_AND_FOUND, category=CONTENT_ID):
            return  # gone already, or kept for its owner
        take_out(obj, "is no longer part of the world")
        self.report.removed.append(key)

    def _made(self, spawn: Spawn):
        """The object made for `spawn` and not yet placed (it is nowhere), or None."""
        for obj in tagged(spawn.proposal_id, PATCH).filter(db_location__isnull=True):
            if obj.tags.get(category=spawner.PROTOTYPE_TAG_CATEGORY) == spawn.template.lower():
                return obj
        return None

    def _make(self, spawn: Spawn, protos: dict, rooms: _Rooms):
        """The first half of spawning a patch's object: made, nowhere (the next
        step places it); none if its room has it already. One an apply cut short
        made is taken up, not made again."""
        if _spawn_id(spawn) in (rooms[spawn.room].db.placed or []):
            return None
        proto = protos[spawn.template]
        tags = [*proto.get("tags", []), (spawn.proposal_id, PATCH, None)]
        return self._made(spawn) or spawner.spawn({**proto, "tags": tags})[0]

    def _arrive(self, spawn: Spawn, obj, rooms: _Rooms) -> None:
        """The second half: the object made goes into its room, and the room records it."""
        room, sid = rooms[spawn.room], _spawn_id(spawn)
        placed = set(room.db.placed or [])
        obj = None if sid in placed else obj or self._made(spawn)
        if obj is None:
            return
        obj.location = obj.home = room
        if spawn.kind == "npc":
            room.msg_contents(f"{obj.get_display_name(room)} arrives.", exclude=[obj])
        room.db.placed = sorted(placed | {sid})
        self.report.spawned.append(sid)

    def _remove_room(self, room_id: str, rooms: _Rooms, after: dict) -> None:
        obj = find_by_content_id(room_id)
        if obj is None:
            return
        remaining = [rooms[rid] for rid in after if rooms[rid] is not None]
        evacuate(obj, remaining)
        obj.delete()
        self.report.removed.append(room_id)

    def _sync_quests(self, old: LiveWorld | None, new: LiveWorld) -> None:
        on_board = {q["id"] for q in quest_board.all()}
        for quest_id, quest in new.quests.items():
            origin = new.patch_files.get(new.made_by.get(quest_id, ""), "")
            quest_board.upsert(quest.model_dump(mode="json"), origin)
        for quest_id in on_board - set(new.quests):
            quest_board.remove(quest_id)

    def _start_event(self, event) -> None:
        from . import simulation_bridge

        sim = simulation_bridge.service()
        if sim is not None:
            try:
                sim.trigger(event.kind.value, event.region, wait=True)  # started once the sim is free
            except ValueError as exc:  # a kind the simulation has no macro for, there
                logger.log_info(f"World event {event.id}: the simulation has no such macro ({exc})")
        for room in players_by_zone().get(event.region, set()):
            room.msg_contents(f"|y{as_news(event.title)}: {as_news(event.text)}|n")

    # ---- running them ----------------------------------------------------------------------
    def _timed(self, steps):
        self.expected_step_ms = self.longest_step_ms
        self.longest_step_ms, self.longest_step, began = 0.0, "", time.perf_counter()
        self.longest_commit_ms = 0.0
        for label, step in steps:
            while self._no_room_for_a_step():
                yield  # this batch ends without a step; the next one is due GAP_S later
            started, cpu = time.perf_counter(), time.thread_time()
            with transaction.atomic():  # one commit per step, not one per write
                step()
                ran = time.perf_counter()
            self.longest_commit_ms = max(self.longest_commit_ms, (time.perf_counter() - ran) * 1000)
            took = (time.perf_counter() - started) * 1000
            if took > self.longest_step_ms:
                self.longest_step_ms, self.longest_step = took, label
                self.longest_step_cpu_ms = (time.thread_time() - cpu) * 1000
            self.last_apply_ms = (time.perf_counter() - began) * 1000
            yield

    def _expected_step_s(self) -> float:
        """What the next step may take: the longest step of this apply or the one before."""
        return max(self.longest_step_ms, self.expected_step_ms) / 1000

    def _no_room_for_a_step(self) -> bool:
        """Whether the running batch, started late, has no room for one more step
        (never so in a batch the reactor came to on time, nor outside a batch,
        nor since steps were put off for PUT_OFF_S without an on-time batch)."""
        now = time.perf_counter()
        if self.batch_late <= ON_TIME_S:
            self.put_off_since = None  # the reactor has free turns again
            return False
        if self.batch_late + (now - self.batch_began) + self._expected_step_s() <= BATCH_S:
            return False
        self.put_off_since = self.put_off_since or now
        return now - self.put_off_since < PUT_OFF_S

    def _schedule(self, batch):
        """The Cooperator's scheduler: the next batch is due GAP_S from now."""
        self.batch_due = time.perf_counter() + GAP_S
        return reactor.callLater(GAP_S, batch)

    def _batch(self):
        """The end of one batch (a Cooperator's termination predicate, asked after
        each step): when one more step as long as the longest yet (of this apply
        or the one before) would take it past BATCH_S, less how late the reactor
        came to the batch. Keeps the longest batch."""
        began, cpu = time.perf_counter(), time.thread_time()
        self.batch_began, self.batch_late = began, max(0.0, began - self.batch_due)
        self.batches += 1

        def ends() -> bool:
            held = time.perf_counter() - began
            if held * 1000 > self.longest_batch_ms:
                self.longest_batch_ms, self.longest_batch_cpu_ms = held * 1000, (time.thread_time() - cpu) * 1000
            return self.batch_late + held + self._expected_step_s() > BATCH_S

        return ends

    def _finish(self, new: LiveWorld, head: str):
        self.live, self.head, self.applied_at, self.reconciled = new, head, time.time(), True
        from .content_service import use_start_room

        use_start_room(new.world.header.start_room)
        logger.log_info(f"Content {head[:10]} applied: {self.report}")
        self.report = BuildReport()

    def apply_now(self, new: LiveWorld, head: str) -> None:
        """Apply every step at once (the server's start, before players are served): one batch."""
        cpu, self.batch_late = time.thread_time(), 0.0  # no batches: a step always has room
        for _ in self._timed(self.steps(new)):
            pass
        self.batches, self.longest_batch_ms = 1, self.last_apply_ms
        self.longest_batch_cpu_ms = (time.thread_time() - cpu) * 1000
        self._finish(new, head)

    def apply(self, new: LiveWorld, head: str) -> defer.Deferred:
        """Apply in cooperative batches; the Deferred fires when all is live."""
        self.batches, self.longest_batch_ms, self.longest_batch_cpu_ms = 0, 0.0, 0.0
        batches = task.Cooperator(terminationPredicateFactory=self._batch, scheduler=self._schedule)
        d = batches.cooperate(self._timed(self.steps(new))).whenDone()
        d.addCallback(lambda _: self._finish(new, head))
        return d


def _made_from(template: str) -> list[int]:
    """Ids of the objects spawned from `template`."""
    return list(tagged(template, spawner.PROTOTYPE_TAG_CATEGORY).values_list("id", flat=True))


def _spawn_id(spawn: Spawn) -> str:
    """What the room of `spawn` records (in db.placed) once it has the object."""
    return f"patch:{spawn.proposal_id}:{spawn.template}"


def _applied() -> dict:
    return ServerConfig.objects.conf(APPLIED, default=None) or {"templates": [], "events": []}


def _remember(protos: dict, live: LiveWorld) -> None:
    """Persist what was applied, so a restart knows what to remove and never restarts an event."""
    ServerConfig.objects.conf(APPLIED, {"templates": sorted(protos), "events": sorted(live.events)})


def online_admins():
    return [a for a in evennia.SESSION_HANDLER.all_connected_accounts() if a.check_permstring("Admin")]
