"""Quest gameplay: what givers offer, each player's quest log, objectives that advance from real
game events, and rewards within the guardrails' budgets.

Offered quests are the hand-made ones shipped in `content/quests/<world>.json`
(QuestBlueprint JSON, checked when read) and the generated ones on the live
quest board (game.quest_board, filled by the content applier from published
quest patches).  A giver offers the quests whose `giver` is its archetype.

A player's log is `db.quests` = {quest id: {"quest": blueprint, "state":
"active" | "done", "progress": {node id: count}}}; the blueprint is copied at
accept time so a later patch cannot change a quest under a player.  Game code
reports events with `advance(char, kind, target, to=None)`: go (room content
id, on arrival), kill (archetype id, on a kill), talk (archetype, from
`talk`), fetch (item template, when one enters the inventory), deliver (item
template given to an NPC of archetype `to`).  A node advances only after the
nodes it comes `after`.  When every node is done the player is paid: gold
(capped by the guardrails' `quest_gold_max` and `quest_gold_per_node` per
node) through game.coins as the faucet "quest_reward", reward items within
the item budgets (at most `quest_reward_items_max`) and the reputation
reward.  Completed quest ids are kept server-wide (`completed_ids`) so the
director's open-quests figure stops counting them.
"""

import json
from pathlib import Path

from django.conf import settings
from evennia.prototypes.spawner import spawn
from evennia.server.models import ServerConfig
from pydantic import ValidationError

from generation.models.generated import QuestBlueprint

from . import coins, quest_board, reputation
from .coins import MoneyError
from .content_service import current_world
from .loot import allowed, guardrails
from .prototypes import item_prototype

HANDMADE_DIR = Path(settings.GAME_DIR) / "content" / "quests"
COMPLETED_KEY = "quests_completed"
_handmade: dict[str, list[dict]] = {}


class QuestError(ValueError):
    """A player-facing reason why a quest action cannot happen."""


def handmade(world_id: str = "tera") -> list[dict]:
    """The world's hand-made quests (validated; a broken file raises QuestError naming it)."""
    if world_id not in _handmade:
        path = HANDMADE_DIR / f"{world_id}.json"
        if not path.exists():
            _handmade[world_id] = []
        else:
            try:
                docs = json.loads(path.read_text(encoding="utf-8"))["quests"]
                _handmade[world_id] = [QuestBlueprint.model_validate(q).model_dump(mode="json") for q in docs]
            except (KeyError, TypeError, json.JSONDecodeError, ValidationError) as exc:
                raise QuestError(f"{path}: not a valid quest file ({exc})") from None
    return _handmade[world_id]


def _world_id() -> str:
    world = current_world()
    return world.header.id if world is not None else "tera"


def offered() -> list[dict]:
    """Every quest a giver may offer: hand-made first, then the live board's."""
    mine = handmade(_world_id())
    ids = {q["id"] for q in mine}
    return mine + [q for q in quest_board.all() if q["id"] not in ids]


def find(quest_id: str) -> dict | None:
    return next((q for q in offered() if q["id"] == quest_id), None)


def givers_here(room) -> dict[str, object]:
    """{archetype id: NPC} of the quest givers standing in `room`."""
    return {str(o.db.archetype): o for o in room.contents if o.db.archetype and not o.has_account}


def offered_here(char) -> list[dict]:
    here = givers_here(char.location)
    return [q for q in offered() if q["giver"] in here]


def log(char) -> dict:
    return dict(char.attributes.get("quests", default=None) or {})


def _save(char, entries: dict) -> None:
    char.db.quests = entries


def completed_ids() -> set[str]:
    return set(ServerConfig.objects.conf(COMPLETED_KEY, default=None) or [])


def _faction_name(content_id: str | None) -> str | None:
    if not content_id:
        return None
    world = current_world()
    faction = world.factions.get(content_id) if world is not None else None
    return faction.name if faction is not None else None


def _check_conditions(char, quest: dict) -> None:
    cond = quest.get("conditions") or {}
    done = {qid for qid, e in log(char).items() if e["state"] == "done"}
    missing = [q for q in cond.get("requires", []) if q not in done]
    if missing:
        raise QuestError(f"You must first finish: {', '.join(missing)}.")
    faction = _faction_name(cond.get("faction"))
    wanted = str(cond.get("min_tier", "unknown")).capitalize()
    if faction and wanted != "Unknown":
        have = reputation.tier(char, faction)
        ladder = reputation.TIERS[:4]
        if wanted == "Infamous" and have != "Infamous":
            raise QuestError(f"Only those Infamous with the {faction} are offered this.")
        if wanted != "Infamous" and (have not in ladder or ladder.index(have) < ladder.index(wanted)):
            raise QuestError(f"You must be {wanted} with the {faction} (you are {have}).")


def pick(candidates: list[dict], name: str) -> dict | None:
    """The quest `name` means among `candidates`: the one with that id, else the
    only one whose id and title hold every word of it (`quest accept bread`)."""
    exact = next((q for q in candidates if q["id"] == name), None)
    if exact is not None:
        return exact
    words = name.lower().split()
    hits = [q for q in candidates if words and all(w in f"{q['id']} {q['title']}".lower() for w in words)]
    return hits[0] if len(hits) == 1 else None


def accept(char, quest_id: str) -> dict:
    quest = pick(offered_here(char), quest_id)
    if quest is None:
        raise QuestError(f"Nobody here offers a quest {quest_id!r}. Type `quests` to see what is offered.")
    quest_id = quest["id"]
    entries = log(char)
    if quest_id in entries:
        state = entries[quest_id]["state"]
        raise QuestError("You have already done that quest." if state == "done" else "You are already on it.")
    _check_conditions(char, quest)
    entries[quest_id] = {"quest": quest, "state": "active", "progress": {n["id"]: 0 for n in quest["nodes"]}}
    _save(char, entries)
    return quest


def abandon(char, quest_id: str) -> dict:
    entries = log(char)
    quest = pick([e["quest"] for e in entries.values() if e["state"] == "active"], quest_id)
    if quest is None:
        raise QuestError(f"You are not on a quest {quest_id!r}.")
    entry = entries.pop(quest["id"])
    _save(char, entries)
    return entry["quest"]


def node_done(entry: dict, node: dict) -> bool:
    return entry["progress"].get(node["id"], 0) >= node["count"]


def open_nodes(entry: dict) -> list[dict]:
    """Nodes that may advance now: not done, and every node they come after is done."""
    nodes = {n["id"]: n for n in entry["quest"]["nodes"]}
    return [n for n in entry["quest"]["nodes"]
            if not node_done(entry, n) and all(node_done(entry, nodes[a]) for a in n.get("after", []))]


def advance(char, kind: str, target: str | None, to: str | None = None) -> bool:
    """A game event happened to `char`; returns True if it advanced any of their quests."""
    if not target:
        return False
    entries = log(char)
    moved = False
    for quest_id, entry in entries.items():
        if entry["state"] != "active":
            continue
        for node in open_nodes(entry):
            if node["kind"] == kind and node["target"] == target and (kind != "deliver" or node.get("to") == to):
                entry["progress"][node["id"]] = entry["progress"].get(node["id"], 0) + 1
                char.msg(f"|gQuest {entry['quest']['title']}: {node['text']} "
                         f"({min(entry['progress'][node['id']], node['count'])}/{node['count']})|n")
                moved = True
                break
    if moved:
        _save(char, entries)
        for quest_id, entry in list(entries.items()):
            if entry["state"] == "active" and all(node_done(entry, n) for n in entry["quest"]["nodes"]):
                complete(char, quest_id)
    return moved


def reward_gold(quest: dict, rails) -> int:
    return min(int(quest["rewards"]["gold"]), rails.quest_gold_max, rails.quest_gold_per_node * len(quest["nodes"]))


def complete(char, quest_id: str) -> None:
    """Pay the rewards of a finished quest and mark it done (for the player and the director)."""
    entries = log(char)
    entry = entries[quest_id]
    quest = entry["quest"]
    rails = guardrails()
    entry["state"] = "done"
    _save(char, entries)
    char.msg(f"|wQuest complete: {quest['title']}|n\n{quest['outro']}")
    gold = reward_gold(quest, rails)
    if gold:
        try:
            coins.credit(char, "quest_reward", gold)
            char.msg(f"You receive {gold} coins. You have {coins.coins(char)} coins.")
        except MoneyError as err:
            char.msg(str(err))
    world = current_world()
    budgets = dict(rails.item_value_by_rarity)
    for template_id in quest["rewards"].get("items", [])[:rails.quest_reward_items_max]:
        template = world.items.get(template_id) if world is not None else None
        if template is not None and allowed(template, budgets):
            obj = spawn(item_prototype(template))[0]
            obj.move_to(char, quiet=True, move_type="give")
            char.msg(f"You receive {obj.key}.")
    rep = quest["rewards"].get("reputation")
    faction = _faction_name(rep["faction"]) if rep else None
    if faction:
        amount = int(rep["amount"])
        before, after = reputation.add(char, faction, fame=max(amount, 0), infamy=max(-amount, 0))
        if before != after:
            char.msg(f"Your standing with the {faction} is now {after}.")
    ServerConfig.objects.conf(COMPLETED_KEY, sorted(completed_ids() | {quest_id}))


def template_of(obj) -> str | None:
    """The item template (prototype key) an object was spawned from."""
    return obj.tags.get(category="from_prototype")
