"""What every drafter returns, and the shared ways they roll numbers."""

from dataclasses import dataclass, field

from ..models.proposal import Tags
from ..rng import Rng


@dataclass(frozen=True)
class Draft:
    payload: dict
    tags: Tags
    dependencies: list[str] = field(default_factory=list)


def leaning(rng: Rng, strength: float) -> float:
    """A position in [0, 1): a uniform roll pulled toward `strength` (the
    director's slider), so strength 0 means low rolls and 1 high ones."""
    return (rng.random() + max(0.0, min(1.0, strength))) / 2


def lerp_int(span: list[int], t: float) -> int:
    low, high = span
    return min(high, low + int((high - low + 1) * t))


def is_generated(content_id: str) -> bool:
    """Generated ids are `gen.<kind>.<key>`, block rooms `<region>.gen_<key>_<n>`."""
    return content_id.startswith("gen.") or ".gen_" in content_id


def generated_refs(*ids: str | None) -> list[str]:
    """Referenced ids that are generated content (their proposals come first)."""
    return sorted({i for i in ids if i and is_generated(i)})
