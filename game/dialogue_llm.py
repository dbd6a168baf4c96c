"""Optional LLM enrichment of what NPCs say, off the reactor.

With `MUD_LLM_BASE_URL` set (any OpenAI-compatible server) and
`MUD_DIALOGUE_LLM` not 0, `talk` asks the model for the NPC's line.  The call
runs in a small dedicated thread pool (DIALOGUE_LLM_THREADS workers; when all
are busy the generated line is used at once), so neither the reactor nor the
simulation's step thread ever waits on the network.  If no reply has come
after DIALOGUE_THINKING_S the player sees a "thinking" line; a reply is
cleaned through generation's sanitizing path (`generation.sanitize.
sanitize_text`: control bytes and markup neutralised, length-capped) and the
guardrails' banned words and themes; a slow (over the guardrails'
`llm.timeout_s`), failed or rejected reply falls back to the generated line.
"""

import re

from django.conf import settings
from twisted.internet import reactor, threads
from twisted.python.threadpool import ThreadPool

from generation.sanitize import sanitize_text
from generation.validate.content_filter import normalized_for_matching

from .loot import guardrails

REPLY_CAP = 300
SYSTEM = ("You are an NPC in TERA, a low-fantasy world. Answer the player in character with one or two short "
          "sentences of plain prose: no markup, no lists, no modern words, no quotation marks.")
_pool = None


def enabled() -> bool:
    return bool(settings.LLM_BASE_URL) and settings.DIALOGUE_LLM


def _threads() -> ThreadPool:
    global _pool
    if _pool is None:
        _pool = ThreadPool(minthreads=0, maxthreads=settings.DIALOGUE_LLM_THREADS, name="dialogue-llm")
        _pool.start()
        reactor.addSystemEventTrigger("before", "shutdown", _pool.stop)
    return _pool


def busy() -> bool:
    pool = _pool
    return pool is not None and len(pool.working) >= pool.max


def prompt(npc_name: str, role: str, mood: str, memory: str | None, topic: str | None, fallback: str) -> list:
    facts = [f"You are {npc_name}, a {role}. Your mood: {mood}."]
    if memory:
        facts.append(f"What you remember of this player: {memory}")
    facts.append(f"The player asks about: {topic}." if topic else "The player greets you.")
    facts.append(f"Something you might say: {fallback}")
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": " ".join(facts)}]


def banned(text: str, rails) -> str | None:
    """The first banned word or theme term the text contains (None if clean)."""
    matchable = normalized_for_matching(text)
    terms = list(rails.banned_words) + [t for ts in rails.banned_themes.values() for t in ts]
    for term in terms:
        if re.search(rf"(?<![a-z]){re.escape(term.lower())}", matchable):
            return term
    return None


def clean_reply(raw: str, rails) -> str | None:
    """The model's line made safe to show (None when there is nothing acceptable)."""
    text = sanitize_text(" ".join(str(raw).split()).strip().strip('"'), cap=REPLY_CAP)
    if not text or banned(text, rails) is not None:
        return None
    return text


def _ask(messages: list) -> str:
    """Runs in the dialogue thread pool: one chat completion, bounded by the guardrails' timeout."""
    import openai

    rails = guardrails()
    client = openai.OpenAI(base_url=settings.LLM_BASE_URL, api_key=settings.LLM_API_KEY or "none",
                           timeout=rails.llm.timeout_s, max_retries=0)
    raw = client.chat.completions.with_raw_response.create(
        model=settings.LLM_MODEL, messages=messages, max_tokens=rails.llm.max_tokens.get("npc", 200),
        temperature=rails.llm.temperature)
    if len(raw.http_response.content) > rails.llm.max_reply_bytes:
        raise ValueError("reply over the byte cap")
    line = clean_reply(raw.parse().choices[0].message.content or "", rails)
    if line is None:
        raise ValueError("reply rejected")
    return line


def enrich(messages: list, on_line, on_thinking, fallback: str) -> None:
    """Ask for a line without waiting: `on_line(text, enriched)` is called on the reactor with the
    model's line or `fallback`; `on_thinking()` once if the reply is slower than DIALOGUE_THINKING_S."""
    if busy():
        on_line(fallback, False)
        return
    d = threads.deferToThreadPool(reactor, _threads(), _ask, messages)
    thinking = reactor.callLater(settings.DIALOGUE_THINKING_S, on_thinking)

    def done(result, enriched):
        if thinking.active():
            thinking.cancel()
        on_line(result if enriched else fallback, enriched)

    d.addCallbacks(done, lambda failure: done(None, False), callbackArgs=(True,))
