"""The game's side of the simulation: NPC level of detail, region news,
room descriptions, the tick service and the `sim` admin command."""

import tempfile
import threading
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.test import override_settings
from evennia.objects.models import ObjectDB
from evennia.utils.test_resources import BaseEvenniaCommandTest

from game import combat, materialize, simulation_bridge
from game.commands.sim_admin import CmdSim
from game.region_news import RegionNews, as_news
from world.config import load_config
from world.events import Event
from world.simulation import Simulation
from world.snapshot import SnapshotStore
from twisted.internet import reactor
from evennia.utils.create import create_object
from game.typeclasses.rooms import ZONE
from tests.support.tera_world import CHARACTER, ROOM, live_tera, tera

_SIM = None

ROOMS = {"village.square": "village", "village.south_gate": "village", "plains.north_road": "plains",
         "market.auction_hall": "market", "forest.old_growth": "forest", "desert.last_well": "desert"}


def pump(condition, timeout: float = 60.0) -> None:
    """Run the (otherwise idle) Twisted reactor loop here until `condition()`:
    the service's thread jobs and their callbacks then run for real."""
    pool = reactor.getThreadPool()
    if not pool.started:
        pool.start()
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting on the reactor")
        reactor.iterate(0.01)


def arrivals_pending() -> bool:
    return any(call.func is materialize._arrive for call in reactor.getDelayedCalls())


def teardown_module():
    """The reactor's thread pool (started by pump) has non-daemon threads: stop
    them, and drop the pool (a stopped one cannot start again: the next test
    module in this process gets a new one)."""
    pool = reactor.getThreadPool()
    if pool.started:
        pool.stop()
    reactor.threadpool = None


def small_sim():
    """One 3,000-agent simulation for the module (kernels compile once)."""
    global _SIM
    if _SIM is None:
        _SIM = Simulation.create(load_config(), agents=3000, seed=11)
        _SIM.run(3)
    return _SIM


class BridgeTest(BaseEvenniaCommandTest):
    character_typeclass = CHARACTER

    def setUp(self):
        super().setUp()
        self.rooms = {
            rid: create_object(ROOM, key=rid, tags=[(zone, ZONE)], attributes=[("zone_name", tera().zones[0].name)])
            for rid, zone in ROOMS.items()
        }
        self.square = self.rooms["village.square"]
        live_tera(self)
        self.tmp = tempfile.TemporaryDirectory()
        self.service = simulation_bridge.SimulationService(small_sim(), Path(self.tmp.name))
        patcher = mock.patch.object(simulation_bridge, "_service", self.service)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.addCleanup(self.tmp.cleanup)
        for _ in range(settings.SIM_NPCS_PER_ROOM * materialize.POOL_ROOMS):
            materialize.stock_pool(self.service)  # what a live server's ticks do

    def enter(self, char, room):
        """Move a character as a player would (it counts as having an account)."""
        with mock.patch.object(type(char), "has_account", new_callable=mock.PropertyMock, return_value=True):
            char.move_to(room, quiet=True)

    def test_player_entering_a_room_materializes_bound_agents(self):
        self.enter(self.char1, self.square)
        npcs = materialize.materialized(self.square)
        self.assertEqual(len(npcs), 3)
        sim = self.service.sim
        for npc in npcs:
            view = sim.agent_view(npc.db.agent_id)
            self.assertEqual(view["region"], "village")
            self.assertTrue(npc.key.startswith(view["name"]))
            self.assertEqual(npc.db.state, view["state"])
            self.assertTrue(npc.db.desc)  # the archetype's look
        self.assertGreater(len({npc.db.role for npc in npcs}), 1, "a room shows a mix of roles")

    def test_agents_go_back_to_the_arrays_when_nobody_is_near(self):
        self.enter(self.char1, self.square)
        self.assertTrue(materialize.materialized(self.square))
        self.enter(self.char1, self.rooms["village.south_gate"])
        self.assertEqual(materialize.materialized(self.square), [])

    def test_npc_count_stays_bounded_whatever_players_do(self):
        rooms = list(self.rooms.values())
        with override_settings(SIM_MAX_NPCS=10), mock.patch.object(materialize, "has_players", return_value=True):
            for room in rooms:
                materialize.populate(room, self.service)
            pump(lambda: not arrivals_pending())  # the objects the pool lacked, made on later turns
            for _ in range(10):
                materialize.stock_pool(self.service)
            self.assertEqual(len(materialize.materialized()), 10)
            self.assertLessEqual(ObjectDB.objects.filter(db_tags__db_category=materialize.LOD).count(), 10,
                                 "the pool counts too")
            ids = [npc.db.agent_id for npc in materialize.materialized()]
            self.assertEqual(len(ids), len(set(ids)), "an agent is materialized at most once")

    def test_walking_dresses_pooled_objects_instead_of_making_new_ones(self):
        gate = self.rooms["village.south_gate"]
        newest = ObjectDB.objects.order_by("-id").first().id
        self.enter(self.char1, self.square)
        objects = set(ObjectDB.objects.filter(db_tags__db_category=materialize.LOD).values_list("id", flat=True))
        people = {npc.id: npc.db.agent_id for npc in materialize.materialized(self.square)}
        for _ in range(3):
            self.enter(self.char1, gate)
            self.assertTrue(materialize.materialized(gate))
            self.assertLessEqual({npc.id for npc in materialize.materialized(gate)}, objects, "pooled objects")
            self.enter(self.char1, self.square)
            self.assertEqual({npc.id: npc.db.agent_id for npc in materialize.materialized(self.square)}, people,
                             "each agent comes back in the object it had")
        self.assertEqual(ObjectDB.objects.order_by("-id").first().id, newest, "no object was made")
        self.assertFalse(arrivals_pending())
        for npc in materialize.materialized(self.square) + materialize.materialized(gate):
            view = self.service.sim.agent_view(npc.db.agent_id)
            self.assertTrue(npc.key.startswith(view["name"]))
            self.assertEqual((npc.db.role, npc.db.state, npc.db.hp), (view["role"], view["state"], None))

    def test_a_room_the_pool_cannot_fill_gets_its_people_on_the_next_turns(self):
        for npc in ObjectDB.objects.filter(db_tags__db_category=materialize.LOD):
            npc.delete()
        with mock.patch.object(type(self.char1), "has_account", new_callable=mock.PropertyMock, return_value=True), \
                mock.patch.object(self.char1, "msg") as told:
            self.char1.move_to(self.square, quiet=True)
            self.assertEqual(materialize.materialized(self.square), [], "the move made no object")
            pump(lambda: len(materialize.materialized(self.square)) == 3)
        arrived = [c for c in told.call_args_list if "arrives." in str(c.kwargs.get("text"))]
        self.assertEqual(len(arrived), 3, told.call_args_list)

    def test_refresh_follows_the_agents(self):
        self.enter(self.char1, self.square)
        sim = self.service.sim
        for _ in range(40):
            self.service._steps(1)  # the step thread's work: a tick, then the notable-agent index
            materialize.refresh_all(self.service, {self.square})
            for npc in materialize.materialized(self.square):
                view = sim.agent_view(npc.db.agent_id)
                self.assertTrue(view["alive"])
                self.assertEqual(view["region"], "village")
                self.assertEqual(npc.db.state, view["state"])
        self.assertEqual(len(materialize.materialized(self.square)), 3)

    def test_an_npc_in_a_fight_stays_when_its_agent_moves_on_and_leaves_after(self):
        self.enter(self.char1, self.square)
        sim = self.service.sim
        fighter, bystander = materialize.materialized(self.square)[:2]
        for npc in (fighter, bystander):  # both agents walk off to the forest
            sim.state.region[npc.db.agent_id] = sim.config.region_index("forest")
        combat.engage(fighter)  # a player struck it just now
        materialize.refresh_all(self.service, set())
        self.assertEqual(fighter.location, self.square, "it stays to finish the fight")
        self.assertIsNone(bystander.location, "it heads off on the road")
        fighter.ndb.struck_at -= combat.ENGAGED_SECONDS  # the fight is long over
        materialize.refresh_all(self.service, set())
        self.assertIsNone(fighter.location)

    def test_room_description_shows_live_region_state(self):
        text = self.square.return_appearance(self.char1)
        view = self.service.sim.region_view("village")
        self.assertIn(f"{view['season']}, {view['epoch']}", text)
        self.assertIn(f"About {view['population']:,} souls roam {view['name']}", text)
        self.assertIn("Prices here:", text)

    def test_news_reaches_only_the_region_and_is_rate_limited(self):
        news = RegionNews(min_interval=10)
        audience = {"village": {self.room1}, "forest": {self.room2}}
        self.char1.location, self.char2.location = self.room1, self.room2
        event = Event(5, "combat", "village", (1, 2), {}, '[Tick 5] Bandit "A|rX" ambushed Merchant "B".')
        with mock.patch.object(self.room1, "msg_contents") as village, mock.patch.object(self.room2, "msg_contents") as forest:
            self.assertEqual(news.publish([event], now=100.0, audience=audience), 1)
            self.assertEqual(news.publish([event], now=105.0, audience=audience), 0)
            self.assertEqual(news.publish([event], now=111.0, audience=audience), 1)
        self.assertEqual(village.call_count, 2)
        forest.assert_not_called()
        self.assertEqual(as_news(event.text), 'Bandit "A||rX" ambushed Merchant "B".')

    def test_most_notable_event_wins(self):
        news = RegionNews(min_interval=0)
        events = [Event(1, "trade", "village", text="[Tick 1] trade"), Event(1, "death", "village", text="[Tick 1] death")]
        with mock.patch.object(self.room1, "msg_contents") as sent:
            news.publish(events, audience={"village": {self.room1}})
        self.assertIn("death", sent.call_args.kwargs["text"][0])

    def test_sim_admin_command(self):
        self.call(CmdSim(), "status", "Simulation tick")
        self.call(CmdSim(), "pause", "Simulation paused")
        self.assertIsNone(self.service.tick(), "a paused world does not tick")
        self.call(CmdSim(), "resume", "Simulation resumed")
        self.call(CmdSim(), "event drought plains", "")
        pump(lambda: not self.service.is_busy())
        self.assertIn("drought", self.service.sim.region_view("plains")["active_events"])
        self.call(CmdSim(), "event plague", "Cannot start that event:")
        self.call(CmdSim(), "event drought atlantis", "Cannot start that event:")
        self.call(CmdSim(), "step lots", "Usage: sim step [n]")
        self.call(CmdSim(), "step 5000", "sim step takes 1 to 1000 ticks.")
        self.call(CmdSim(), "dance", "Unknown sim action 'dance'.")
        self.call(CmdSim(), "save", "")
        pump(lambda: not self.service.is_busy())
        newest = self.service.snapshots.generations()[0]
        self.assertEqual(Simulation.load(newest).digest(), self.service.sim.digest())
        self.call(CmdSim(), "reactor 0", "Usage: sim reactor [seconds]")

    def test_steps_leave_a_core_for_the_reactor(self):
        import numba

        self.assertEqual(self.service.numba_threads, max(1, numba.config.NUMBA_NUM_THREADS - 1))
        tick = self.service.sim.tick
        self.service._steps(2)
        self.assertEqual(numba.get_num_threads(), self.service.numba_threads)
        self.assertEqual(self.service.sim.tick, tick + 2)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)

    def test_a_tick_in_flight_makes_the_next_one_skipped(self):
        self.service.busy = "step"
        self.assertIsNone(self.service.tick())
        self.assertIsNone(self.service.tick())
        self.assertEqual(self.service.skipped, 2)
        self.service.busy = None

    def test_one_agent_in_one_place(self):
        """Walking between rooms of a region meets each room's own people, and the
        same ones again on coming back (issue 9: the same merchant was in every room)."""
        gate = self.rooms["village.south_gate"]
        self.enter(self.char1, self.square)
        in_square = {npc.db.agent_id for npc in materialize.materialized(self.square)}
        self.enter(self.char1, gate)
        at_gate = {npc.db.agent_id for npc in materialize.materialized(gate)}
        self.assertTrue(in_square and at_gate)
        self.assertFalse(in_square & at_gate, "an agent met in the square is not also at the gate")
        self.enter(self.char1, self.square)
        self.assertEqual({npc.db.agent_id for npc in materialize.materialized(self.square)}, in_square)
        for room in (self.square, gate):
            slot, slots = materialize.place(room)
            self.assertEqual(slots, 2)
            for npc in materialize.materialized(room):
                self.assertEqual(npc.db.agent_id % slots, slot)

    def test_busy_simulation_answers_at_once_instead_of_blocking(self):
        """While a step holds the simulation lock in its thread, admin commands
        answer "busy" on the spot: the reactor never waits on the lock."""
        held, release = threading.Event(), threading.Event()

        def long_step():
            with self.service.lock:
                held.set()
                release.wait(30)

        worker = threading.Thread(target=long_step)
        worker.start()
        held.wait(5)
        try:
            started = time.monotonic()
            self.call(CmdSim(), "save", "The simulation is busy")
            self.call(CmdSim(), "event drought plains", "The simulation is busy")
            self.call(CmdSim(), "step 3", "The simulation is busy")
            self.call(CmdSim(), "event plague", "Cannot start that event:")
            self.call(CmdSim(), "status", "Simulation tick")
            self.assertIsNone(self.service.tick())
            self.assertLess(time.monotonic() - started, 5)
        finally:
            release.set()
            worker.join()

    def test_shutdown_ends_a_long_forced_step_at_a_tick_then_saves(self):
        start = self.service.sim.tick
        self.call(CmdSim(), "step 1000", "Stepping 1000 tick(s)")
        pump(lambda: self.service.sim.tick >= start + 2)
        done = self.service.shutdown()
        fired = []
        done.addCallback(fired.append)
        pump(lambda: fired)
        stepped = self.service.sim.tick - start
        self.assertLess(stepped, 1000, "the forced step stopped at a tick boundary")
        newest = self.service.snapshots.generations()[0]
        self.assertEqual(Simulation.load(newest).digest(), self.service.sim.digest())
        self.assertIsNone(self.service.tick(force=True), "a stopping service does not step")


    def test_pause_ends_a_long_forced_step_at_its_next_tick(self):
        start = self.service.sim.tick
        self.call(CmdSim(), "step 1000", "Stepping 1000 tick(s)")
        pump(lambda: self.service.sim.tick >= start + 2)
        self.call(CmdSim(), "pause", "Simulation paused at tick")
        pump(lambda: not self.service.is_busy())
        self.assertLess(self.service.sim.tick - start, 1000)
        self.service.paused = False


class FailedStepTest(BaseEvenniaCommandTest):
    """A step that fails half-way leaves a state that is never saved."""

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        sim = Simulation.create(load_config(), agents=1000, seed=3)
        self.service = simulation_bridge.SimulationService(sim, Path(self.tmp.name))
        self.good = self.service._save()
        patcher = mock.patch.object(simulation_bridge, "_service", self.service)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_failed_step_pauses_and_nothing_is_saved_from_it(self):
        self.service.sim.state.money[0] += 1  # the ledger check at the end of the next step fails
        d = self.service.tick(force=True)
        pump(lambda: not self.service.is_busy())
        self.assertTrue(self.service.paused)
        self.assertIn("money supply", self.service.failed)
        self.assertTrue(d.called)
        self.call(CmdSim(), "save", "Snapshot refused: the last step failed")
        self.call(CmdSim(), "resume", "The simulation cannot resume: the last step failed")
        self.call(CmdSim(), "step 2", "The simulation cannot step: the last step failed")
        self.assertIn("FAILED", self.call(CmdSim(), "status", "Simulation tick"))
        fired = []
        self.service.shutdown().addCallback(fired.append)
        pump(lambda: fired)
        self.assertEqual(self.service.snapshots.generations(), [self.good], "no snapshot of the failed state")


class SnapshotFallbackTest(BaseEvenniaCommandTest):
    def test_a_bad_newest_snapshot_falls_back_to_the_one_before_and_admins_are_told(self):
        with tempfile.TemporaryDirectory() as tmp:
            runtime = Path(tmp)
            sim = Simulation.create(load_config(), agents=1000, seed=8)
            store = SnapshotStore(runtime / "sim", keep=3)
            sim.run(2)
            older = store.save(sim.state, sim.config.to_json())
            good_digest = sim.digest()
            sim.step()
            sim.state.role[5] = 200
            newest = store.save(sim.state, sim.config.to_json())
            running = simulation_bridge._load_or_create(8, runtime)
            self.assertEqual(running.sim.tick, 3, "resumed from the older snapshot (and ticked once)")
            self.assertEqual(Simulation.load(older).digest(), good_digest)
            self.assertFalse(newest.exists())
            self.assertTrue(newest.with_name(newest.name + ".rejected").exists())
            self.assertEqual(len(running.notices), 1)
            self.assertIn("role: 1 value(s) in 200..200", running.notices[0])
            player = create_object(CHARACTER, key="Pat")
            with mock.patch.object(simulation_bridge, "_service", running):
                shown = self.call(CmdSim(), "status", "Simulation tick")
            self.assertIn("set aside", shown)
            accounts = [self.account, player]
            with mock.patch("evennia.SESSION_HANDLER.all_connected_accounts", return_value=accounts), \
                    mock.patch.object(self.account, "msg") as admin_msg, mock.patch.object(player, "msg") as player_msg:
                simulation_bridge.notify_admins(running.notices[0])
            self.assertIn("role: 1 value(s)", admin_msg.call_args.args[0])
            player_msg.assert_not_called()


class NoSimulationTest(BaseEvenniaCommandTest):
    def test_sim_command_without_simulation(self):
        with mock.patch.object(simulation_bridge, "_service", None):
            self.call(CmdSim(), "status", "The simulation is not running")
            self.assertEqual(simulation_bridge.region_summary("village"), "")
