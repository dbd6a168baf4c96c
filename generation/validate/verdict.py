"""The gate's answer: accepted or not, and every reason, each naming its rule
(the same shape as the loader's `Problem`: where, and why)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    rule: str  # e.g. "schema", "integrity", "balance.item_power", "throttle.jobs_per_minute"
    path: str  # JSON path inside the proposal, "$" when it is about the whole
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.path}: {self.message}"


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reasons: list[Reason] = field(default_factory=list)

    @classmethod
    def of(cls, reasons: list[Reason]) -> "Verdict":
        return cls(not reasons, list(reasons))

    def lines(self) -> list[str]:
        return [str(r) for r in self.reasons]

    def to_dict(self) -> dict:
        return {"accepted": self.accepted, "reasons": self.lines()}
