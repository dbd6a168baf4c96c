"""Text a player types that other players see: shown exactly as typed.

Evennia gives text three meanings beyond its letters: `|r`, `|[b`, `|/`, ...
colour and layout codes (rendered by every protocol on the way out),
`$func(...)` inline functions and `{key}` format braces (both run by
`msg_contents` on its message template). A player's text must mean nothing
but its letters, so every command that takes player text (say, whisper,
emote/pose, page, channel messages, setdesc) does two things:

  * it passes the text through `escape_player_text`: ANSI escape sequences
    and control characters are removed (no terminal tricks on the people
    reading it), line breaks become spaces (no forged extra lines), and the
    two characters Evennia's renderer un-doubles on the way out, `|` and
    `{`, are doubled, so `|r` shows as `|r`, `{{` as `{{`. TERA has no
    player colour codes: what you type is what others read. One more step:
    the web client and MXP telnet clients turn `|lc..|lt..|le` links into
    clickable commands *after* un-doubling, so an invisible word joiner
    (U+2060) goes between every `|` and a following `l`.
  * it puts the text into a message only as a *value* of the format
    mapping, never into the template: `msg_contents` runs the funcparser
    and `str.format` on the template first and substitutes values after,
    so `$space(2000000000)` or `{x}` in a value stays literal text.

The same `|`-doubling is how stored player text (descriptions, page and
channel history) stays literal when it is shown again later.
"""

import re

from generation.sanitize import strip_control

_LINE_BREAKS = re.compile(r"[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Evennia's renderer shows each of these doubled characters once
_RENDER_ESCAPES = str.maketrans({"|": "||", "{": "{{"})
WORD_JOINER = "\u2060"


def escape_markup(text: str) -> str:
    """`text` with Evennia's markup made literal (lines and control characters kept)."""
    return str(text).translate(_RENDER_ESCAPES).replace("||l", f"||{WORD_JOINER}l")


def escape_player_text(text: str) -> str:
    """`text` made to show literally to anyone (see the module docstring)."""
    return escape_markup(strip_control(_LINE_BREAKS.sub(" ", str(text))))
