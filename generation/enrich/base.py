"""The enrich provider interface: a provider writes flavor for a proposal or
raises `EnrichFailed` with the reason (the caller then falls back)."""

from dataclasses import dataclass
from typing import Protocol

from ..models.proposal import Proposal


class EnrichFailed(Exception):
    """The provider gave no usable flavor; the message says why."""


@dataclass(frozen=True)
class FlavorReply:
    flavor: dict  # already sanitized and checked
    model: str | None = None
    prompt_sha256: str | None = None
    raw_reply: str | None = None


class FlavorProvider(Protocol):
    name: str

    def write(self, proposal: Proposal) -> FlavorReply: ...
