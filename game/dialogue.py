"""Dialogue: what NPCs say, what they remember of each player, and their mood.

Lines come from the NPC's archetype (its barks, from the base world or a
generated patch) and a few lines per topic; the greeting depends on the
player's standing with the NPC's faction (game.reputation) and the NPC's mood
colours every line.  With an LLM configured, the answer may be enriched
(game.dialogue_llm); these lines are then the fallback.

Memory is per NPC and per player, bounded: each memory has a kind
(short-term: what was said lately; long-term: what mattered; emotional: how
the player made them feel) and an importance score 0..10.  Short-term
memories fade after SHORT_TERM_KEEP newer ones unless important enough to be
kept long-term; an NPC keeps at most MAX_MEMORIES, dropping the least
important (then oldest) first.  Mood is one of calm, joy, fear, anger; events
shift it (`feel`) and it settles back to calm after MOOD_SECONDS.

Memories live in one persistent script (`npc_memories`), keyed by who the NPC
is: `agent:<id>:<life>` for a materialized simulation agent (so it still
remembers you when it is materialized again) or `obj:<id>` for a fixed NPC;
at most MAX_NPCS NPCs are remembered (least recently spoken to forgotten).
"""

import time

from evennia.scripts.models import ScriptDB
from evennia.utils.create import create_script

from . import reputation
from .content_service import current_world
from .player_text import escape_player_text
from .simulation_bridge import service

STORE_KEY = "npc_memories"
MAX_MEMORIES = 24
SHORT_TERM_KEEP = 6
LONG_TERM_IMPORTANCE = 6
MAX_NPCS = 2000
MOOD_SECONDS = 600
TOPIC_MAX = 40
MOODS = ("calm", "joy", "fear", "anger")
MOOD_TONE = {
    "calm": "{npc} says, \"{line}\"",
    "joy": "{npc} beams and says, \"{line}\"",
    "fear": "{npc} glances about nervously and whispers, \"{line}\"",
    "anger": "{npc} scowls and snaps, \"{line}\"",
}
# event -> (mood it brings, memory kind, importance, what the NPC remembers)
EVENTS = {
    "talked": (None, "short", 2, "talked with me about {topic}"),
    "traded": ("joy", "emotional", 5, "traded fairly with me"),
    "helped": ("joy", "long", 8, "helped me: {topic}"),
    "fought_near": ("fear", "emotional", 7, "fought right in front of me"),
    "attacked": ("anger", "emotional", 9, "attacked me"),
}
TOPIC_LINES = {
    "prices": "Prices? Ask me with `list` if you mean to buy; they change with every caravan.",
    "bandits": "The clans grow bold at Nightfall. Keep to the roads.",
    "work": "If you want work, ask around with `quests`.",
    "weather": "The season turns soon enough. It always does.",
}


def _store():
    found = ScriptDB.objects.filter(db_key=STORE_KEY).first()
    if found is not None:
        return found
    return create_script("evennia.scripts.scripts.DefaultScript", key=STORE_KEY, persistent=True,
                         desc="What NPCs remember of players (game.dialogue)")


def npc_identity(npc) -> str:
    if npc.db.agent_id is not None:
        running = service()
        agent = int(npc.db.agent_id)
        life = int(running.sim.state.gen[agent]) if running is not None and agent < running.sim.n_agents else 0
        return f"agent:{agent}:{life}"
    return f"obj:{npc.id}"


def clean_topic(text: str) -> str:
    """A player's topic, short and safe to store and repeat: it shows exactly as typed (game.player_text)."""
    return escape_player_text(" ".join(text.split())[:TOPIC_MAX])


def _load(identity: str) -> dict:
    raw = _store().attributes.get(identity, category="npc")
    doc = {"mood": "calm", "mood_at": 0.0, "seen": 0.0, "players": {}}
    if raw:
        doc.update({"mood": raw["mood"], "mood_at": raw["mood_at"], "seen": raw["seen"],
                    "players": {k: [dict(m) for m in v] for k, v in raw["players"].items()}})
    return doc


def _keep(identity: str, doc: dict) -> None:
    store = _store()
    doc["seen"] = time.time()
    store.attributes.add(identity, doc, category="npc")
    known = store.attributes.all(category="npc")
    if len(known) > MAX_NPCS:
        oldest = sorted(known, key=lambda a: a.value["seen"])[: len(known) - MAX_NPCS]
        for attr in oldest:
            store.attributes.remove(attr.key, category="npc")


def mood(npc, now: float | None = None) -> str:
    doc = _load(npc_identity(npc))
    now = time.time() if now is None else now
    return doc["mood"] if now - doc["mood_at"] < MOOD_SECONDS else "calm"


def _bound(memories: list[dict]) -> list[dict]:
    """Fade old short-term memories (keeping important ones as long-term), then cap the total."""
    shorts = [m for m in memories if m["kind"] == "short"]
    fading = shorts[:-SHORT_TERM_KEEP] if len(shorts) > SHORT_TERM_KEEP else []
    kept = []
    for m in memories:
        if any(m is f for f in fading):
            if m["importance"] >= LONG_TERM_IMPORTANCE:
                kept.append(dict(m, kind="long"))
            continue
        kept.append(m)
    return kept


def _cap(doc: dict) -> None:
    everything = [(pk, m) for pk, ms in doc["players"].items() for m in ms]
    if len(everything) <= MAX_MEMORIES:
        return
    drop = sorted(everything, key=lambda pm: (pm[1]["importance"], pm[1]["at"]))[: len(everything) - MAX_MEMORIES]
    for pk, m in drop:
        doc["players"][pk] = [x for x in doc["players"][pk] if x is not m]
        if not doc["players"][pk]:
            del doc["players"][pk]


def feel(npc, char, event: str, topic: str = "", now: float | None = None) -> None:
    """Something happened between `char` and `npc`: remember it, and shift the mood."""
    new_mood, kind, importance, text = EVENTS[event]
    identity = npc_identity(npc)
    doc = _load(identity)
    now = time.time() if now is None else now
    if new_mood is not None:
        doc["mood"], doc["mood_at"] = new_mood, now
    memories = doc["players"].setdefault(char.key, [])
    memories.append({"kind": kind, "text": text.format(topic=topic or "this and that"), "importance": importance,
                     "at": now})
    doc["players"][char.key] = _bound(memories)
    _cap(doc)
    _keep(identity, doc)


def memories_of(npc, char) -> list[dict]:
    return _load(npc_identity(npc))["players"].get(char.key, [])


def _barks(npc) -> list[str]:
    if npc.db.barks:
        return list(npc.db.barks)
    world = current_world()
    arch = world.archetypes.get(npc.db.archetype) if world is not None and npc.db.archetype else None
    return list(arch.barks) if arch is not None else []


def recollection(memories: list[dict], player: str) -> str | None:
    """What the NPC says it remembers of the player (the most important memory)."""
    if not memories:
        return None
    best = max(memories, key=lambda m: (m["importance"], m["at"]))
    return f"I remember you, {player}. You {best['text']}."


def compose(npc, char, topic: str | None, pick: int) -> tuple[list[str], str, str]:
    """(opening lines: greeting and what it remembers, the line it answers with, its mood) for `npc`
    answering `char` (before remembering this talk); `pick` chooses a bark."""
    faction = reputation.faction_of(npc)
    opening = [reputation.greeting(char, npc.key, faction)]
    memory = recollection(memories_of(npc, char), char.key)
    feeling = mood(npc)
    if memory:
        opening.append(say(npc.key, feeling, memory))
    if topic:
        line = TOPIC_LINES.get(topic.lower(), f"{topic.capitalize()}? I know little enough about that.")
    else:
        barks = _barks(npc)
        line = barks[pick % len(barks)] if barks else "Well met."
    return opening, line, feeling


def say(npc_name: str, feeling: str, line: str) -> str:
    """A line as the NPC says it, coloured by its mood."""
    return MOOD_TONE[feeling].format(npc=npc_name, line=line)
