"""The game's quest records: every quest blueprint the live world holds, with
where it came from (the library patch or file that made it).

Records live in the attributes of one persistent Evennia script
(`quest_board`), so they survive restarts and snapshots with the database.
Blueprints are stored and returned exactly as `QuestBlueprint.model_dump(
mode="json")` gives them; callers get plain dicts, never database-backed ones.
Only the server process writes here (the content applier); quest gameplay
reads with `get`, `all` and `offered_by`."""

from evennia.scripts.models import ScriptDB
from evennia.utils.create import create_script
from evennia.utils.dbserialize import deserialize

BOARD_KEY = "quest_board"
QUEST = "quest"
ORIGIN = "quest_origin"


def _board():
    found = ScriptDB.objects.filter(db_key=BOARD_KEY).first()
    if found is not None:
        return found
    return create_script("evennia.scripts.scripts.DefaultScript", key=BOARD_KEY, persistent=True,
                         desc="Quest records of the live world (game.quest_board)")


def upsert(blueprint: dict, origin: str) -> None:
    """Add or replace the quest `blueprint["id"]`; `origin` names what made it
    (e.g. the library patch `patches/quest/<proposal id>.json`)."""
    board = _board()
    quest_id = blueprint["id"]
    if deserialize(board.attributes.get(quest_id, category=QUEST)) != blueprint:
        board.attributes.add(quest_id, blueprint, category=QUEST)
    if board.attributes.get(quest_id, category=ORIGIN) != origin:
        board.attributes.add(quest_id, origin, category=ORIGIN)


def remove(quest_id: str) -> None:
    """Forget the quest (nothing happens when it is not on the board)."""
    board = _board()
    board.attributes.remove(quest_id, category=QUEST)
    board.attributes.remove(quest_id, category=ORIGIN)


def get(quest_id: str) -> dict | None:
    value = _board().attributes.get(quest_id, category=QUEST)
    return deserialize(value) if value is not None else None


def origin(quest_id: str) -> str | None:
    """What made the quest, as given to `upsert`."""
    return _board().attributes.get(quest_id, category=ORIGIN)


def all() -> list[dict]:  # noqa: A001 - the interface other modules call
    """Every quest on the board, sorted by id."""
    attrs = _board().attributes.all(category=QUEST)
    return [deserialize(a.value) for a in sorted(attrs, key=lambda a: a.key)]


def offered_by(giver: str) -> list[dict]:
    """The quests whose giver is the archetype `giver`, sorted by id."""
    return [q for q in all() if q["giver"] == giver]
