"""The game's side of the director: player moves and simulation figures
become director events; the `director` admin command steers it."""

import json
import os
import time
import tempfile
from pathlib import Path
from unittest import mock

from evennia.utils import ansi
from evennia.utils.create import create_object
from evennia.utils.test_resources import BaseEvenniaCommandTest

from twisted.internet import reactor

from game import director_bridge, quest_board
from game.commands.director_admin import CmdDirector
from game.typeclasses.objects import CONTENT_ID
from game.typeclasses.rooms import ZONE
from generation.director import DecisionLog, Director, Switch
from generation.guardrails import GuardrailsFile
from generation.runtime import RuntimePaths
from world.config import load_config
from world.simulation import Simulation
from tests.game.test_quest_board import blueprint

ROOM = "game.typeclasses.rooms.Room"


class DirectorBridgeTest(BaseEvenniaCommandTest):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        root = Path(self.tmp.name)
        self.switch = Switch(root / "director.json")
        self.switch.set_sliders(chaos=1.0, expansion=1.0)
        self.jobs = []
        self.guardrails = root / "guardrails.json"
        self.guardrails.write_text(RuntimePaths.from_env().guardrails.read_text())
        director = Director(self.switch, GuardrailsFile(self.guardrails),
                            DecisionLog(root / "decisions.jsonl"), submit=self.jobs.append)
        self.service = director_bridge.DirectorService(director)

    def room(self, key, zone, tags):
        return create_object(ROOM, key=key, tags=[(zone, ZONE), (f"{zone}.{key}", CONTENT_ID)],
                             attributes=[("room_tags", tags)])

    def test_player_at_the_edge_asks_for_a_room_block(self):
        self.service.player_moved(self.room("cliff", "forest", ["edge"]), tick=10)
        self.service.player_moved(self.room("glade", "forest", []), tick=11)
        self.assertEqual([(j.kind.value, j.region, j.rule) for j in self.jobs], [("room_block", "forest", "dead_end")])
        self.assertEqual(self.jobs[0].params["anchor"], "forest.cliff")

    def test_paused_director_queues_nothing_but_counts_why(self):
        self.switch.pause(by="test")
        self.service.player_moved(self.room("cliff", "forest", ["dead_end"]), tick=10)
        self.assertEqual(self.jobs, [])
        self.service.director.log.flush_skips()
        record = self.service.director.log.records()[-1]
        self.assertEqual(record["counts"], {"dead_end: director is paused": 1})

    def test_simulation_figures_reach_the_director(self):
        sim = Simulation.create(load_config(), agents=3000, seed=5)
        while sim.tick % director_bridge.KPI_EVERY_TICKS:
            sim.step()
        quest_board.upsert(blueprint("gen.quest.v", "npc.priest", region="village"), "patches/quest/v.json")
        self.service.simulation_stepped(sim, [])
        quests = sorted(j.region for j in self.jobs if j.rule == "stale_quests")
        self.assertEqual(quests, ["desert", "forest", "market", "plains"])  # the village has a quest in game
        kpis = [r["trigger"] for r in self.service.director.log.records() if r.get("trigger", {}).get("type") == "kpi"]
        self.assertEqual(kpis, [])  # no kpi rule fired: prices and crowding within bounds
        # a sudden shortage in the Market is scarcity, not inflation: no gold sink
        sim.run(director_bridge.KPI_EVERY_TICKS - 1)
        sim.set_supply("market", "hides", 0)
        sim.step()
        self.service.simulation_stepped(sim, [])
        self.assertEqual([j for j in self.jobs if j.rule == "gold_sink"], [])
        # players pour in coin: inflation; an admin tightens the bound in guardrails.json: read again, no restart
        doc = json.loads(self.guardrails.read_text())
        doc["director"]["price_index_bound"] = 1.01
        self.guardrails.write_text(json.dumps(doc))
        sim.players.queue_flow("quest_reward", int(sim.state.money[0]) // 10)
        sim.run(director_bridge.KPI_EVERY_TICKS)
        self.service.simulation_stepped(sim, [])
        inflated = {region for region, level in sim.kpis()["inflation"].items() if level > 1.01}
        self.assertTrue(inflated)
        self.assertEqual({j.region for j in self.jobs if j.rule == "gold_sink"}, inflated)

    def test_a_failed_enqueue_is_shown_not_raised(self):
        service = director_bridge.DirectorService(self.service.director)
        failure = mock.Mock(getErrorMessage=lambda: "Redis unreachable")
        service._not_queued(failure, mock.Mock(job_id="job-1"))
        self.assertEqual(service.last_error, "job job-1 waits in the journal: Redis unreachable")


class DirectorCommandTest(BaseEvenniaCommandTest):
    """The command's file and SQLite work runs in Twisted's thread pool; each
    check runs the command, lets the pool finish, then runs the reactor's
    queued callbacks (as the running reactor would) and reads what was sent."""

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        env = mock.patch.dict(os.environ, {"MUD_RUNTIME_DIR": self.tmp.name})
        env.start()
        self.addCleanup(env.stop)
        from generation import tasks  # its pipeline and journal are bound to the runtime folder of their first use

        for cached in (tasks.pipeline, tasks.journal):
            cached.cache_clear()
            self.addCleanup(cached.cache_clear)
        self.switch = Switch(RuntimePaths.from_env().director_state)
        pool = reactor.getThreadPool()
        if not pool.started:  # the reactor is not running in tests: start the pool by hand, drop it after
            pool.start()
            self.addCleanup(setattr, reactor, "threadpool", None)
            self.addCleanup(pool.stop)

    def director(self, args: str) -> str:
        sent = []
        self.char1.msg = lambda text=None, **kw: sent.append(text[0] if isinstance(text, tuple) else text)
        cmd = CmdDirector()
        sent.append(self.call(cmd, args))
        deadline = time.monotonic() + 20
        while not all(d.called for d in cmd.pending) and time.monotonic() < deadline:
            reactor.runUntilCurrent()
            time.sleep(0.01)
        reactor.runUntilCurrent()
        self.assertTrue(all(d.called for d in cmd.pending), f"director {args} never finished")
        del self.char1.msg
        return ansi.strip_ansi("\n".join(t for t in sent if t))

    def test_pause_resume_stop_and_sliders(self):
        self.assertIn("Director is now paused.", self.director("pause quiet night"))
        self.assertEqual(self.switch.read().mode.value, "paused")
        self.assertIn("Director is now stopped.", self.director("stop too much"))
        self.assertFalse(self.switch.read().allows_publish)
        self.assertIn("Director is now running.", self.director("resume"))
        self.assertIn("Director chaos set to 0.90.", self.director("set chaos 0.9"))
        self.assertIn("chaos takes a number from 0 to 1.", self.director("set chaos 7"))
        self.assertIn("Usage: director set", self.director("set luck 1"))
        status = self.director("status")
        self.assertIn("Director RUNNING", status)
        self.assertIn("MB free", status)

    def test_approval_queue_commands(self):
        self.assertIn("No proposal waits for approval.", self.director("approvals"))
        self.assertIn("no proposal 'nope' in the approval queue", self.director("approve nope"))
        self.assertIn("no proposal 'nope' in the approval queue", self.director("reject nope spam"))
        self.assertIn("Usage: director reject <proposal id> <reason>", self.director("reject nope"))
        self.assertIn("No decision mentions job nope.", self.director("why nope"))
        self.assertIn("Unknown director action 'fly'.", self.director("fly"))

    def test_a_second_decision_is_told_it_was_already_decided(self):
        from generation.approval import ApprovalQueue
        from generation.enrich import PROCEDURAL
        from generation.pipeline import make
        from generation.world_index import WorldIndex

        paths = RuntimePaths.from_env()
        proposal = make("npc", 3, None, WorldIndex.load(paths.world), PROCEDURAL)
        queue = ApprovalQueue(paths.approval_db)
        queue.submit(proposal)
        queue.reject(proposal.id, by="other admin")
        self.assertIn(f"{proposal.id} is already rejected", self.director(f"approve {proposal.id}"))
        self.assertEqual(queue.state(proposal.id), "rejected")

    def test_approvals_lists_what_a_stop_holds(self):
        from generation.approval import ApprovalQueue
        from generation.enrich import PROCEDURAL
        from generation.pipeline import make
        from generation.world_index import WorldIndex

        paths = RuntimePaths.from_env()
        proposal = make("item", 4, None, WorldIndex.load(paths.world), PROCEDURAL)
        ApprovalQueue(paths.approval_db).hold(proposal, "director is stopped")
        shown = self.director("approvals")
        self.assertIn("No proposal waits for approval.", shown)
        self.assertIn("1 held by the emergency stop", shown)
        self.assertIn(proposal.id, shown)
