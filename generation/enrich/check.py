"""Turns a candidate flavor (LLM reply, admin edit, procedural text) into
stored flavor: only flavor keys, sanitized, valid against the flavor model,
paired lists as long as the payload's, and assembling into valid content."""

from pydantic import ValidationError

from ..kinds import KINDS
from ..models.proposal import Kind
from ..sanitize import flavor_is_clean, sanitize_flavor


class FlavorRejected(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def _errors(exc: ValidationError, where: str) -> list[str]:
    return [f"{where}.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]


def checked_flavor(kind: Kind, payload: dict, candidate) -> dict:
    """The sanitized flavor, or FlavorRejected listing every problem."""
    _only_flavor_keys(kind, payload, candidate)
    flavor = sanitize_flavor(candidate, KINDS[Kind(kind)].flavor_json_schema(payload))
    verify_flavor(kind, payload, flavor)
    return flavor


def sanitized_fields(kind: Kind, payload: dict, fields: dict) -> dict:
    """Sanitize just `fields` (e.g. an admin's edit), to merge into stored flavor."""
    _only_flavor_keys(kind, payload, fields)
    return sanitize_flavor(fields, KINDS[Kind(kind)].flavor_json_schema(payload))


def _only_flavor_keys(kind: Kind, payload: dict, candidate) -> None:
    if not isinstance(candidate, dict):
        raise FlavorRejected([f"flavor must be a JSON object, got {type(candidate).__name__}"])
    foreign = sorted(set(candidate) - set(KINDS[Kind(kind)].flavor.model_fields))
    if foreign:
        raise FlavorRejected(
            [f"key {k!r} is not a flavor field" + (" (it is mechanical payload; the enricher may not change it)" if k in payload else "")
             for k in foreign]
        )


def verify_flavor(kind: Kind, payload: dict, flavor: dict) -> None:
    """Stored flavor as it must be: only flavor keys, clean text, valid model,
    paired lists as long as the payload's, assembling into valid content."""
    _only_flavor_keys(kind, payload, flavor)
    spec = KINDS[Kind(kind)]
    if not flavor_is_clean(flavor, spec.flavor_json_schema(payload)):
        raise FlavorRejected(["flavor text is not sanitized"])
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
