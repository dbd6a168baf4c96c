"""LLM enricher over any OpenAI-compatible endpoint (official `openai` client).

Asks for the flavor fields only, as a JSON-schema structured reply, with a
per-kind max_tokens cap, a per-call timeout and a calls-per-minute budget.
A reply that is not JSON, breaks the schema or tries to set a payload key is
sent back to the model with the errors, up to `attempts` calls; transport
failures (timeout, 5xx, refused connection) and a reply body over
`max_reply_bytes` (refused before it is parsed) end the attempt at once.
Every failure raises `EnrichFailed`, on which `enrich` falls back to
procedural. With a `UsageLedger`, every call is counted there (outcome and
tokens)."""

import json
from typing import Callable

import openai

from ..canonical import digest
from ..guardrails import LlmLimits
from ..kinds import KINDS
from ..models.proposal import Proposal
from ..tables import table
from .base import EnrichFailed, FlavorReply
from .budget import CallBudget
from .check import FlavorRejected, checked_flavor
from .usage import UsageLedger

SYSTEM_PROMPT = (
    "You write flavor text for TERA, a low-fantasy continent of five lands (forest, plains, desert, village, "
    "market) with merchants, bandits, farmers, priests, explorers and hunters. You receive the mechanical "
    "content of one generated thing as JSON. Write ONLY the flavor fields the JSON schema asks for: names, "
    "descriptions, barks, quest text. Never restate or change numbers, ids or references. Plain prose: no "
    "markup, no code, no placeholders, no modern words. Reply with one JSON object and nothing else."
)
DEFAULT_MAX_TOKENS = 500


class OpenAIProvider:
    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str, limits: Callable[[], LlmLimits], budget: CallBudget | None = None,
                 usage: UsageLedger | None = None):
        self.model = model
        self.usage = usage
        self.limits = limits
        self.budget = budget or CallBudget()
        self.client = openai.OpenAI(base_url=base_url, api_key=api_key or "none", timeout=limits().timeout_s, max_retries=0)

    def messages(self, proposal: Proposal) -> list[dict]:
        region = table("regions")["regions"][proposal.tags.region]["name"]
        brief = {
            "kind": proposal.kind.value,
            "region": region,
            "payload": proposal.payload,
            "tags": proposal.tags.model_dump(mode="json"),
            "names_of_references": {**proposal.inputs.get("rooms", {}), **proposal.inputs.get("npcs", {}), **proposal.inputs.get("items", {})},
        }
        return [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": json.dumps(brief, sort_keys=True)},
        ]

    def write(self, proposal: Proposal) -> FlavorReply:
        limits = self.limits()
        messages = self.messages(proposal)
        response_format = {
            "type": "json_schema",
            "json_schema": {"name": f"{proposal.kind.value}_flavor", "schema": KINDS[proposal.kind].flavor_json_schema(proposal.payload), "strict": True},
        }
        max_tokens = limits.max_tokens.get(proposal.kind.value, DEFAULT_MAX_TOKENS)
        prompt_sha = digest({"model": self.model, "messages": messages, "response_format": response_format, "max_tokens": max_tokens})
        problems: list[str] = []
        for attempt in range(1, limits.attempts + 1):
            if not self.budget.take(limits.calls_per_minute):
                raise EnrichFailed(f"calls-per-minute budget ({limits.calls_per_minute}) spent" + _so_far(problems))
            content = self._call(messages, response_format, max_tokens, limits)
            try:
                flavor = checked_flavor(proposal.kind, proposal.payload, _parse(content))
            except FlavorRejected as exc:
                problems.append(f"attempt {attempt}: {exc}")
                messages = messages + [
                    {"role": "assistant", "content": content},
                    {"role": "user", "content": f"Rejected: {exc}. Reply again with only the JSON object the schema describes."},
                ]
                continue
            return FlavorReply(flavor=flavor, model=self.model, prompt_sha256=prompt_sha, raw_reply=content)
        raise EnrichFailed(f"no valid reply in {limits.attempts} attempt(s)" + _so_far(problems))

    def _call(self, messages, response_format, max_tokens: int, limits: LlmLimits) -> str:
        outcome, tokens = "failed", (0, 0)
        try:
            raw = self.client.chat.completions.with_raw_response.create(
                model=self.model,
                messages=messages,
                response_format=response_format,
                max_tokens=max_tokens,
                temperature=limits.temperature,
                timeout=limits.timeout_s,
            )
            size = len(raw.http_response.content)
            if size > limits.max_reply_bytes:
                outcome = "oversized"
                raise EnrichFailed(f"LLM reply of {size} bytes is over the {limits.max_reply_bytes}-byte cap; not parsed")
            reply = raw.parse()
            used = getattr(reply, "usage", None)
            tokens = (getattr(used, "prompt_tokens", 0) or 0, getattr(used, "completion_tokens", 0) or 0)
            content = reply.choices[0].message.content
            if not isinstance(content, str) or not content.strip():
                outcome = "empty"
                raise EnrichFailed("LLM reply had no content")
            outcome = "ok"
            return content
        except openai.APITimeoutError:
            outcome = "timeout"
            raise EnrichFailed(f"LLM timed out after {limits.timeout_s} s") from None
        except openai.APIStatusError as exc:
            outcome = "http_error"
            raise EnrichFailed(f"LLM answered HTTP {exc.status_code}") from None
        except (openai.OpenAIError, IndexError, AttributeError) as exc:
            raise EnrichFailed(f"LLM call failed: {type(exc).__name__}: {exc}") from None
        finally:
            if self.usage is not None:
                self.usage.record(self.model, outcome, *tokens)


def _parse(content: str):
    try:
        return json.loads(content)
    except json.JSONDecodeError as exc:
        raise FlavorRejected([f"reply is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"]) from None


def _so_far(problems: list[str]) -> str:
    return (": " + " | ".join(problems)) if problems else ""
