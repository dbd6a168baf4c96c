"""The director: rules, not an LLM. `Director.handle(event)` turns one game
event into job requests (see `rules`), shaped by the sliders (chaos,
aggression, expansion), cooldowns and the switch (pause, resume, emergency
stop), and writes each decision that asks for a job, with its why-trace, to
the JSONL log (matches that ask for nothing are only counted there, see
`decision_log`). With `submit` (e.g. `generation.tasks.enqueue`) it also
sends the jobs. With `cooldowns` (a file) the ticks each rule last fired
per region survive a restart."""

import json
from pathlib import Path
from typing import Any, Callable

from ..fsutil import atomic_write
from ..guardrails import GuardrailsFile
from ..jobs import JobRequest
from ..rng import Rng
from ..runtime import RuntimePaths
from .decision_log import DecisionLog
from .rules import RULES, Plan
from .switch import Mode, Sliders, Switch, SwitchState


class Director:
    def __init__(self, switch: Switch, guardrails: GuardrailsFile, log: DecisionLog, submit: Callable[[JobRequest], Any] | None = None,
                 cooldowns: Path | None = None):
        self.switch = switch
        self.guardrails = guardrails
        self.log = log
        self.submit = submit
        self.events_seen = 0
        self.cooldowns = Path(cooldowns) if cooldowns else None
        self.last_fired: dict[tuple[str, str], int] = self._load_cooldowns()

    def _load_cooldowns(self) -> dict[tuple[str, str], int]:
        try:
            rows = json.loads(self.cooldowns.read_text(encoding="utf-8")) if self.cooldowns else []
            return {(rule, region): int(tick) for rule, region, tick in rows}
        except (FileNotFoundError, ValueError, TypeError):  # none yet, or unreadable: start cold
            return {}

    def _save_cooldowns(self) -> None:
        if self.cooldowns is not None:
            rows = sorted([rule, region, tick] for (rule, region), tick in self.last_fired.items())
            atomic_write(self.cooldowns, json.dumps(rows).encode())

    @classmethod
    def from_env(cls, submit: Callable[[JobRequest], Any] | None = None) -> "Director":
        paths = RuntimePaths.from_env()
        return cls(Switch(paths.director_state), GuardrailsFile.of(paths), DecisionLog.from_env(paths.decision_log), submit,
                   cooldowns=paths.root / "director-cooldowns.json")

    def handle(self, event: dict) -> list[JobRequest]:
        state = self.switch.read()
        limits = self.guardrails.current().director
        rng = Rng(state.seed, f"director/{self.events_seen}")
        self.events_seen += 1
        jobs = []
        for rule in RULES:
            plan = rule(event, state.sliders, limits)
            if plan is None:
                continue
            job, why_not = self._decide(plan, event, state, limits.cooldown_ticks.get(plan.rule, 0), rng.child(plan.rule))
            if job is None:
                self.log.skipped(plan.rule, why_not)
                continue
            self.log.write({"type": "decision", "trigger": event, "rule": plan.rule, "why": plan.why,
                            "job": job.model_dump(mode="json"), "mode": state.mode.value, "sliders": state.sliders.model_dump()})
            jobs.append(job)
            if self.submit is not None:
                self.submit(job)
        return jobs

    def _decide(self, plan: Plan, event: dict, state: SwitchState, cooldown: int, rng: Rng) -> tuple[JobRequest | None, str | None]:
        if state.mode != Mode.running:
            return None, f"director is {state.mode.value}"
        tick = int(event.get("tick", 0))
        last = self.last_fired.get((plan.rule, plan.region))
        if last is not None and tick - last < cooldown:
            return None, f"cooling down ({tick - last}/{cooldown} ticks)"
        chaos = state.sliders.chaos
        chance = min(1.0, plan.chance + 0.3 * chaos)
        roll = rng.random()
        if roll >= chance:
            return None, f"chance {chance:.2f} not met (roll {roll:.2f})"
        strength = max(0.0, min(1.0, plan.strength + chaos * (rng.random() - 0.5)))
        self.last_fired[(plan.rule, plan.region)] = tick
        self._save_cooldowns()
        seed = rng.u64() & (2**63 - 1)
        return JobRequest(kind=plan.kind, seed=seed, region=plan.region, rule=plan.rule,
                          params={**plan.params, "strength": round(strength, 3)}), None


__all__ = ["DecisionLog", "Director", "Mode", "Sliders", "Switch", "SwitchState"]
