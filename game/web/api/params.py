"""Query and body parameters of the REST API, checked: a bad value is a 400
that names the parameter, never a server error."""

from rest_framework.exceptions import ValidationError


class Invalid(ValidationError):
    pass


def integer(source, name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = source.get(name, None) if hasattr(source, "get") else None
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Invalid({name: f"must be a whole number, got {str(raw)[:40]!r}"}) from None
    if minimum is not None and value < minimum:
        raise Invalid({name: f"must be at least {minimum}"})
    if maximum is not None and value > maximum:
        raise Invalid({name: f"must be at most {maximum}"})
    return value


def text(source, name: str, required: bool = False, max_length: int = 500) -> str | None:
    raw = source.get(name, None) if hasattr(source, "get") else None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise Invalid({name: "is required"})
        return None
    if not isinstance(raw, str):
        raise Invalid({name: "must be a string"})
    if len(raw) > max_length:
        raise Invalid({name: f"at most {max_length} characters"})
    return raw.strip()
