"""Admin actions on the generative director, shared by the in-game admin
commands and the REST API: list and show proposals (draft, enriched text and
validated result as a diff, budgets used, why-trace), approve, reject and
edit them, force a generation, switch the director and set its sliders,
change a guardrail.

Every function here blocks (SQLite, files, the broker): the commands run them
with `deferToThread`, the REST views already run in the web thread pool.
Bad input raises `Refused` with a message meant for the admin; nothing is
changed then."""

import difflib
import json
import secrets

from pydantic import ValidationError

from generation.approval import NotInQueue
from generation.director.switch import SwitchState
from generation.enrich.check import FlavorRejected
from generation.guardrails import GuardrailRefused, Guardrails
from generation.jobs import JobRequest
from generation.kinds import KINDS
from generation.models.proposal import Kind, Proposal
from generation.tasks import enqueue, pipeline, publish_approved
from generation.validate import check
from generation.validate.balance import budget_usage

STATES = ("pending", "held", "approved", "rejected", "published")
MODES = {"pause": "pause", "resume": "resume", "stop": "emergency_stop"}
SLIDERS = ("chaos", "aggression", "expansion")


class Refused(ValueError):
    """An admin action that cannot be done; the message says why."""


def title_of(proposal: Proposal) -> str:
    return proposal.flavor.get("name") or proposal.flavor.get("title") or ""


def _found(proposal_id: str) -> tuple[str, Proposal]:
    queue = pipeline().approvals
    try:
        return queue.state(proposal_id), queue.get(proposal_id)
    except NotInQueue:
        raise Refused(f"no proposal {proposal_id!r} in the approval queue") from None


# ---- reading -----------------------------------------------------------------------------------
def proposals(state: str = "pending") -> list[Proposal]:
    if state not in STATES:
        raise Refused(f"unknown state {state!r}; one of: {', '.join(STATES)}")
    return pipeline().approvals.in_state(state)


def summary(proposal: Proposal) -> dict:
    return {"id": proposal.id, "kind": proposal.kind.value, "region": proposal.tags.region, "title": title_of(proposal),
            "status": proposal.current_status.value if proposal.current_status else None}


def side_by_side(left: list[str], right: list[str]) -> list[list[str]]:
    """Aligned rows [tag, left line, right line]; tag is ' ' (same), '~'
    (changed), '-' (only left) or '+' (only right)."""
    rows = []
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(a=left, b=right, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [[" ", left[i], right[b0 + i - a0]] for i in range(a0, a1)]
            continue
        olds, news = left[a0:a1], right[b0:b1]
        for k in range(max(len(olds), len(news))):
            old = olds[k] if k < len(olds) else ""
            new = news[k] if k < len(news) else ""
            rows.append(["~" if old and new else ("-" if old else "+"), old, new])
    return rows


def _json_lines(data) -> list[str]:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def why_trace(proposal_id: str) -> list[dict]:
    """Decision-log records about this proposal: the director's decision for
    its job (trigger, rule, why) and every outcome (verdict, status, commit)."""
    log = pipeline().log
    about = [r for r in log.records() if r.get("proposal_id") == proposal_id]
    jobs = sorted({r["job_id"] for r in about if r.get("job_id")})
    seen, trace = set(), []
    for record in [r for job in jobs for r in log.trace(job)] + about:
        key = json.dumps(record, sort_keys=True)
        if key not in seen:
            seen.add(key)
            trace.append(record)
    return sorted(trace, key=lambda r: r.get("at", ""))


def detail(proposal_id: str) -> dict:
    """Everything an admin needs to judge a proposal."""
    state, proposal = _found(proposal_id)
    limits = pipeline().guardrails.current()
    try:
        result = KINDS[proposal.kind].assemble(proposal.payload, proposal.flavor).model_dump(mode="json")
    except ValidationError as exc:
        result = {"invalid": [e["msg"] for e in exc.errors()]}
    return {
        **summary(proposal), "state": state, "seed": proposal.seed,
        "provider": proposal.provenance.provider, "fallback_reason": proposal.provenance.fallback_reason,
        "draft": proposal.payload, "enriched": proposal.flavor, "result": result,
        "diff": side_by_side(_json_lines(proposal.payload), _json_lines(result)),
        "budgets": [{"budget": name, "used": used, "allowed": allowed} for name, used, allowed in budget_usage(proposal, limits)],
        "history": [{"status": s.status.value, "at": s.at, "reasons": s.reasons} for s in proposal.status],
        "why": why_trace(proposal_id),
    }


# ---- deciding ----------------------------------------------------------------------------------
def approve(proposal_id: str, by: str) -> tuple[Proposal, str | None]:
    """Approve a pending (or held) proposal and ask a worker to publish it.
    The approval is journaled in the queue, so when the broker is down the
    publish still happens at a worker's next round; the second value says so."""
    _found(proposal_id)
    try:
        approved = pipeline().approvals.approve(proposal_id, by=by)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    try:
        publish_approved.delay(proposal_id)
    except Exception as exc:  # broker down: the approval stands and is carried out later
        return approved, f"the broker is unreachable ({exc}); a worker publishes it when it is back"
    return approved, None


def reject(proposal_id: str, by: str, reason: str) -> Proposal:
    _found(proposal_id)
    if not reason.strip():
        raise Refused("say why: reject <id> <reason>")
    try:
        return pipeline().reject(proposal_id, by=by, reason=reason.strip())
    except ValueError as exc:
        raise Refused(str(exc)) from None


def _child(node, part: str):
    """(key, child) of a JSON node; Refused when there is none."""
    key = int(part) if isinstance(node, list) and part.isdigit() else part
    try:
        return key, node[key]
    except (KeyError, IndexError, TypeError):
        raise Refused(f"{part!r} is not a place in the flavor") from None


def _with_path(flavor: dict, path: str, value: str) -> tuple[str, object]:
    """(top-level field, its new value) for a dotted path such as `desc`,
    `steps.2` or `rooms.0.name` inside the stored flavor."""
    field, *rest = path.split(".")
    if field not in flavor:
        raise Refused(f"no flavor field {field!r}; fields: {', '.join(sorted(flavor))}")
    if not rest:
        return field, value
    top = json.loads(json.dumps(flavor[field]))
    node = top
    for part in rest[:-1]:
        node = _child(node, part)[1]
    key, _ = _child(node, rest[-1])
    node[key] = value
    return field, top


def edit(proposal_id: str, path: str, value: str, by: str) -> Proposal:
    """Change one flavor text of a pending proposal; re-sanitized and
    re-validated, recorded in its status history. Refused if it fails."""
    state, proposal = _found(proposal_id)
    if state != "pending":
        raise Refused(f"{proposal_id} is {state}, not pending")
    field, new = _with_path(proposal.flavor, path, value)
    p = pipeline()
    try:
        edited, verdict = p.approvals.edit(proposal_id, {field: new}, by=f"{by} ({path})",
                                           recheck=lambda cand: check(cand, p.index(), p.guardrails.current()))
    except (FlavorRejected, ValueError) as exc:
        raise Refused(str(exc)) from None
    if not verdict.accepted:
        raise Refused("the edit fails validation: " + "; ".join(verdict.lines()))
    return edited


# ---- steering ----------------------------------------------------------------------------------
def force_generation(kind: str, region: str | None, by: str, anchor: str | None = None, seed: int | None = None) -> JobRequest:
    """Queue a generation job an admin asked for; it goes through the gate
    and is published (or held for approval) like any other."""
    try:
        kind = Kind(kind)
    except ValueError:
        raise Refused(f"unknown kind {kind!r}; one of: {', '.join(k.value for k in Kind)}") from None
    regions = sorted(pipeline().index().regions)
    if region is not None and region not in regions:
        raise Refused(f"unknown region {region!r}; one of: {', '.join(regions)}")
    params = {"anchor": anchor} if anchor and kind == Kind.room_block else {}
    job = JobRequest(kind=kind, seed=secrets.randbits(63) if seed is None else seed, region=region,
                     params=params, rule="admin")
    pipeline().log.write({"type": "decision", "trigger": {"type": "admin", "by": by}, "rule": "admin",
                          "why": f"forced by {by}", "job": job.model_dump(mode="json"), "skipped": None})
    enqueue(job)
    return job


def set_mode(action: str, by: str, reason: str | None = None) -> SwitchState:
    if action not in MODES:
        raise Refused(f"unknown director action {action!r}; one of: {', '.join(MODES)}")
    return getattr(pipeline().switch, MODES[action])(by=by, reason=reason)


def parse_assignments(words: list[str]) -> dict[str, str]:
    """`a=1 b=2` (or `a = 1`) into {"a": "1", "b": "2"}."""
    pairs, text = {}, " ".join(words).replace(" =", "=").replace("= ", "=")
    for word in text.split():
        key, eq, value = word.partition("=")
        if not eq or not key or not value:
            raise Refused(f"{word!r} is not <name>=<value>")
        pairs[key] = value
    if not pairs:
        raise Refused("nothing to set")
    return pairs


def set_sliders(by: str, values: dict[str, str]) -> SwitchState:
    unknown = sorted(set(values) - set(SLIDERS))
    if unknown:
        raise Refused(f"unknown slider(s) {', '.join(unknown)}; sliders: {', '.join(SLIDERS)}")
    numbers = {}
    for key, raw in values.items():
        try:
            numbers[key] = float(raw)
        except ValueError:
            numbers[key] = -1.0
        if not 0 <= numbers[key] <= 1:
            raise Refused(f"{key} takes a number from 0 to 1.")
    return pipeline().switch.set_sliders(by=by, **numbers)


def set_guardrail(key: str, raw: str) -> Guardrails:
    """`raw` is JSON (`true`, `12`, `["a","b"]`) or else a plain string."""
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    try:
        return pipeline().guardrails.set(key, value)
    except GuardrailRefused as exc:
        raise Refused(f"guardrail not changed: {exc}") from None
