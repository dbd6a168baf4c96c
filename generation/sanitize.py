"""Makes untrusted text (LLM replies, admin edits) safe to store and show.

Applied to every flavor string before anything stores it:
  * the text is NFKC-normalised (full-width `｜`, `｛` and `﹩` become the
    ASCII characters the next steps escape or drop; `ſ` becomes `s`);
  * ANSI escape sequences are removed (CSI, OSC, and two-byte ESC forms);
  * invisible and formatting characters are removed: Unicode categories Cf
    (zero-width space and joiners, word joiner, U+FEFF, U+061C, soft hyphen,
    tag characters), Zl and Zp (U+2028, U+2029);
  * C0 and C1 control characters are removed, except newline; so are the
    telnet IAC byte (U+00FF, which some clients pass raw) and bidi overrides;
  * Evennia colour/markup: every `|` is escaped as `||` (so `|r`, `|[x`,
    `|/`, `|lc` show as typed; an input `||` becomes `||||`);
  * inline functions: every `$` is removed (TERA prose never needs it, and
    no `$func(...)` can survive);
  * format braces: every `{` and `}` is removed (nothing can reach
    str.format or Evennia's old `{r` markup);
  * surrounding whitespace is trimmed and the text is cut to its cap, never
    splitting a `||` pair.
The flavor models' `max_length`s are the caps (`sanitize_flavor`)."""

import re
import unicodedata

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]")
# C0 but newline, DEL, C1, telnet IAC (U+00FF), bidi overrides.
_CONTROL_CHARS = "\x00-\x09\x0b-\x1f\x7f-\x9f\xff\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
# ... and `$`, `{`, `}`.
_DROP = re.compile(f"[{_CONTROL_CHARS}${{}}]")


def strip_control(text: str) -> str:
    """`text` without ANSI escape sequences and control characters (the first
    two rules above; newlines are kept). Player text shares this step."""
    return _CONTROL.sub("", _ANSI.sub("", str(text)))


_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})


def _drop_invisible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE_CATEGORIES)


def _stripped(text: str) -> str:
    """Normalise and drop until nothing changes: NFKC can make a character
    to drop (`﹩` → `$`) and dropping can make text unnormalised again."""
    while True:
        out = unicodedata.normalize("NFKC", _drop_invisible(_DROP.sub("", _ANSI.sub("", text))))
        if out == text:
            return text
        text = out


def sanitize_text(text: str, cap: int | None = None) -> str:
    text = _stripped(str(text)).strip()
    text = text.replace("|", "||")
    if cap is not None and len(text) > cap:
        text = text[:cap]
        trailing = len(text) - len(text.rstrip("|"))
        if trailing % 2:
            text = text[:-1]
        text = _stripped(text.rstrip())
    return text


_ODD_PIPES = re.compile(r"(?<!\|)\|(?:\|\|)*(?!\|)")


def is_clean(text: str, cap: int | None = None) -> bool:
    """True for text `sanitize_text` could have produced (it is not
    idempotent: `|` doubles each pass, so stored text is checked, not re-run)."""
    return (
        unicodedata.is_normalized("NFKC", text)
        and _drop_invisible(text) == text
        and not _DROP.search(text)
        and not _ANSI.search(text)
        and not _ODD_PIPES.search(text)
        and text == text.strip()
        and (cap is None or len(text) <= cap)
    )


def _walk(value, schema: dict, defs: dict, on_text):
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if isinstance(value, str):
        return on_text(value, schema.get("maxLength"))
    if isinstance(value, list):
        return [_walk(v, schema.get("items", {}), defs, on_text) for v in value]
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: _walk(v, props.get(k, {}), defs, on_text) for k, v in value.items()}
    return value


def sanitize_flavor(flavor, schema: dict):
    """Sanitize every string in `flavor`, each capped by its `maxLength` in the
    flavor JSON Schema `schema` (unknown keys are kept for validation to refuse)."""
    return _walk(flavor, schema, schema.get("$defs", {}), sanitize_text)


def flavor_is_clean(flavor, schema: dict) -> bool:
    dirty: list[str] = []
    _walk(flavor, schema, schema.get("$defs", {}), lambda t, cap: dirty.append(t) if not is_clean(t, cap) else None)
    return not dirty
