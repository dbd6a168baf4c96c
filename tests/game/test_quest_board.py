"""Quest records: upsert, read back as plain dicts exactly as the model dumps
them, list by giver, replace and remove; they live in the database."""

from evennia.scripts.models import ScriptDB
from evennia.utils.test_resources import EvenniaTest

from game import quest_board
from generation.models.generated import QuestBlueprint


def blueprint(quest_id: str, giver: str, title: str = "Lost Herbs", region: str = "forest") -> dict:
    return QuestBlueprint.model_validate({
        "id": quest_id, "region": region, "giver": giver, "title": title,
        "intro": "Bring me herbs.", "outro": "Thank you.",
        "nodes": [{"id": "n1", "kind": "fetch", "target": "item.herb", "count": 2, "text": "Find herbs."}],
        "rewards": {"gold": 10},
    }).model_dump(mode="json")


class QuestBoardTest(EvenniaTest):
    def test_upserted_quest_reads_back_as_the_model_dump(self):
        quest = blueprint("gen.quest.a", "npc.priest")
        quest_board.upsert(quest, "patches/quest/quest.a.json")
        got = quest_board.get("gen.quest.a")
        self.assertEqual(got, quest)
        self.assertIs(type(got), dict)
        self.assertIs(type(got["nodes"]), list)
        self.assertEqual(quest_board.origin("gen.quest.a"), "patches/quest/quest.a.json")
        self.assertEqual(QuestBlueprint.model_validate(got).model_dump(mode="json"), quest)

    def test_listing_by_giver_replace_and_remove(self):
        quest_board.upsert(blueprint("gen.quest.b", "npc.hunter"), "p/b")
        quest_board.upsert(blueprint("gen.quest.a", "npc.priest"), "p/a")
        quest_board.upsert(blueprint("gen.quest.c", "npc.priest"), "p/c")
        self.assertEqual([q["id"] for q in quest_board.all()], ["gen.quest.a", "gen.quest.b", "gen.quest.c"])
        self.assertEqual([q["id"] for q in quest_board.offered_by("npc.priest")], ["gen.quest.a", "gen.quest.c"])
        self.assertEqual(quest_board.offered_by("npc.nobody"), [])

        quest_board.upsert(blueprint("gen.quest.a", "npc.priest", title="Found Herbs"), "p/a2")
        self.assertEqual(quest_board.get("gen.quest.a")["title"], "Found Herbs")
        self.assertEqual(len(quest_board.all()), 3)

        quest_board.remove("gen.quest.a")
        quest_board.remove("gen.quest.missing")
        self.assertIsNone(quest_board.get("gen.quest.a"))
        self.assertIsNone(quest_board.origin("gen.quest.a"))
        self.assertEqual([q["id"] for q in quest_board.offered_by("npc.priest")], ["gen.quest.c"])

    def test_records_live_in_one_persistent_script(self):
        quest_board.upsert(blueprint("gen.quest.a", "npc.priest"), "p/a")
        quest_board.upsert(blueprint("gen.quest.b", "npc.priest"), "p/b")
        boards = ScriptDB.objects.filter(db_key=quest_board.BOARD_KEY)
        self.assertEqual(boards.count(), 1)
        self.assertTrue(boards[0].persistent)
        self.assertEqual(sorted(a.key for a in boards[0].attributes.all(category=quest_board.QUEST)),
                         ["gen.quest.a", "gen.quest.b"])
