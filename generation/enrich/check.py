"""Turns a candidate flavor (LLM reply, admin edit, procedural text) into
stored flavor: only flavor keys, sanitized, valid against the flavor model,
paired lists as long as the payload's, and assembling into valid content."""

from pydantic import ValidationError

from ..kinds import KINDS
from ..models.proposal import Kind
from ..sanitize import sanitize_flavor


class FlavorRejected(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def _errors(exc: ValidationError, where: str) -> list[str]:
    return [f"{where}.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]


def checked_flavor(kind: Kind, payload: dict, candidate) -> dict:
    """The sanitized flavor, or FlavorRejected listing every problem."""
    spec = KINDS[Kind(kind)]
    if not isinstance(candidate, dict):
        raise FlavorRejected([f"flavor must be a JSON object, got {type(candidate).__name__}"])
    allowed = set(spec.flavor.model_fields)
    foreign = sorted(set(candidate) - allowed)
    if foreign:
        touched = [k for k in foreign if k in payload]
        raise FlavorRejected(
            [f"key {k!r} is not a flavor field" + (" (it is mechanical payload; the enricher may not change it)" if k in touched else "")
             for k in foreign]
        )
    flavor = sanitize_flavor(candidate, spec.flavor_json_schema(payload))
    try:
        spec.flavor.model_validate(flavor)
    except ValidationError as exc:
        raise FlavorRejected(_errors(exc, "flavor")) from None
    problems = spec.aligned_problems(payload, flavor)
    if problems:
        raise FlavorRejected(problems)
    try:
        spec.assemble(payload, flavor)
    except ValidationError as exc:
        raise FlavorRejected(_errors(exc, "content")) from None
    return flavor
