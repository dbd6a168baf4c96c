"""Admin command `guardrails`: the live limits of generated content, and
changing one. Changes go to the runtime overrides file (see
generation.guardrails), validated first, live at once in the server and
every worker."""

import json

from game import steering

from .threaded import ThreadedAdminCommand


NESTED = ("llm", "director")  # sub-models shown one limit per line


def _rows(limits: dict) -> list[tuple[str, object]]:
    rows = []
    for key, value in sorted(limits.items()):
        if key in NESTED and isinstance(value, dict):
            rows += [(f"{key}.{k}", v) for k, v in sorted(value.items())]
        else:
            rows.append((key, value))
    return rows


def _leaves(data: dict, prefix: str = "") -> list[str]:
    out = []
    for key, value in data.items():
        out += _leaves(value, f"{prefix}{key}.") if isinstance(value, dict) and value else [f"{prefix}{key}"]
    return out


def render(limits: dict, overridden: dict) -> str:
    changed = _leaves(overridden)
    lines = ["|wGuardrails|n (|y*|n = changed by an admin; |wguardrails set <key>=<value>|n to change)"]
    for key, value in _rows(limits):
        mark = "|y*|n" if any(c == key or c.startswith(key + ".") for c in changed) else " "
        text = json.dumps(value, ensure_ascii=False).replace("|", "||")
        lines.append(f"{mark} {key} = {text}")
    return "\n".join(lines)


class CmdGuardrails(ThreadedAdminCommand):
    """
    show or change the limits of generated content

    Usage:
      guardrails
      guardrails set <key>=<value>

    Keys are dotted (llm.timeout_s, director.cooldown_ticks.dead_end,
    item_power_by_rarity.rare); values are JSON (true, 12, 0.5,
    ["a", "b"]) or plain words. A change is checked against every rule of
    the guardrails before it is written, and is live at once in the game
    and in every worker. Changes are kept in the runtime folder
    (guardrails-overrides.json) on top of the shipped
    content/guardrails.json, which stays as shipped.

    Example:
      guardrails set require_approval=true
      guardrails set llm.timeout_s=10
      guardrails set banned_words=["grimdark", "smartphone"]
    """

    key = "guardrails"

    def func(self):
        verb, _, rest = self.args.strip().partition(" ")
        if not verb:
            pipeline = steering.pipeline
            self.later(lambda: (pipeline().guardrails.current().model_dump(mode="json"), pipeline().guardrails.overridden()),
                       done=lambda both: self.msg(render(*both)))
            return
        key, eq, value = rest.partition("=")
        if verb != "set" or not eq or not key.strip() or not value.strip():
            self.msg("Usage: guardrails  or  guardrails set <key>=<value>")
            return
        key, value = key.strip(), value.strip()
        self.later(steering.set_guardrail, key, value,
                   done=lambda _: self.msg(f"Guardrail {key} set to {value.replace('|', '||')}; live now."))
