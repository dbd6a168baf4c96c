"""Enrich stage: fill a proposal's flavor (names, descriptions, barks, quest
text) from a provider; the payload is never touched. Providers: `procedural`
(default, offline, deterministic) and `openai` (any OpenAI-compatible
endpoint, chosen when MUD_LLM_BASE_URL is set; MUD_LLM_MODEL, MUD_LLM_API_KEY).
On any LLM failure the procedural text is used and provenance says why."""

import json
import os
from typing import Callable

from ..clock import utc_now
from ..guardrails import LlmLimits
from ..models.proposal import Proposal, Status, StatusEntry
from .base import EnrichFailed, FlavorProvider, FlavorReply
from .check import FlavorRejected, checked_flavor
from .openai_provider import OpenAIProvider
from .procedural import ProceduralProvider
from .usage import UsageLedger

PROCEDURAL = ProceduralProvider()


def provider_from_env(limits: Callable[[], LlmLimits], usage: UsageLedger | None = None) -> FlavorProvider:
    base_url = os.environ.get("MUD_LLM_BASE_URL")
    if not base_url:
        return PROCEDURAL
    return OpenAIProvider(base_url, os.environ.get("MUD_LLM_MODEL", "default"), os.environ.get("MUD_LLM_API_KEY", ""), limits,
                          usage=usage)


def enrich(proposal: Proposal, provider: FlavorProvider = PROCEDURAL) -> Proposal:
    fallback = None
    try:
        reply = provider.write(proposal)
    except EnrichFailed as exc:
        fallback = f"{provider.name}: {exc}"
        reply = PROCEDURAL.write(proposal)
    return _with_flavor(proposal, reply, PROCEDURAL.name if fallback else provider.name, fallback)


def _with_flavor(proposal: Proposal, reply: FlavorReply, provider: str, fallback: str | None) -> Proposal:
    provenance = proposal.provenance.model_copy(
        update={
            "provider": provider,
            "model": reply.model,
            "prompt_sha256": reply.prompt_sha256,
            "llm_reply": reply.raw_reply,
            "fallback_reason": fallback,
        }
    )
    status = proposal.status + [StatusEntry(status=Status.enriched, at=utc_now(), reasons=[fallback] if fallback else [])]
    return proposal.model_copy(update={"flavor": reply.flavor, "provenance": provenance, "status": status})


def replay_flavor(proposal: Proposal, stored: Proposal) -> Proposal:
    """Enrich `proposal` (a fresh draft) exactly as `stored` was, without
    calling any LLM: a stored reply is re-checked, else procedural is re-run."""
    prov = stored.provenance
    if prov.llm_reply is not None:
        flavor = checked_flavor(stored.kind, proposal.payload, json.loads(prov.llm_reply))
        reply = FlavorReply(flavor, prov.model, prov.prompt_sha256, prov.llm_reply)
    else:
        reply = PROCEDURAL.write(proposal)
    return _with_flavor(proposal, reply, prov.provider, prov.fallback_reason)


__all__ = ["EnrichFailed", "FlavorRejected", "OpenAIProvider", "PROCEDURAL", "enrich", "provider_from_env", "replay_flavor"]
