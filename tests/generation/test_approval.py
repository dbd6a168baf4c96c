"""Approve stage: the persistent queue, and the pipeline's approval path."""

import json

import pytest

from generation.approval import ApprovalQueue
from generation.enrich import PROCEDURAL
from generation.jobs import JobRequest
from generation.models.proposal import Kind
from generation.pipeline import Pipeline, make
from generation.validate import check


def test_queue_survives_reopen_and_decides(tmp_path, index):
    p = make(Kind.npc, 1, None, index, PROCEDURAL)
    ApprovalQueue(tmp_path / "q.sqlite").submit(p)
    queue = ApprovalQueue(tmp_path / "q.sqlite")
    assert [q.id for q in queue.pending()] == [p.id]
    approved = queue.approve(p.id, by="ada")
    assert approved.status[-1].status.value == "approved" and queue.approved()[0].id == p.id
    with pytest.raises(ValueError):
        queue.reject(p.id, by="ada")


def test_edit_resanitizes_and_rechecks(tmp_path, index, guardrails):
    p = make(Kind.npc, 2, None, index, PROCEDURAL)
    queue = ApprovalQueue(tmp_path / "q.sqlite")
    queue.submit(p)
    recheck = lambda q: check(q, index, guardrails)  # noqa: E731
    edited, verdict = queue.edit(p.id, {"name": "|rGrim $x{y} Tam"}, "ada", recheck)
    assert verdict.accepted and edited.flavor["name"] == "||rGrim xy Tam"
    assert queue.get(p.id).flavor["name"] == "||rGrim xy Tam"
    refused, verdict = queue.edit(p.id, {"desc": "He browses the internet."}, "ada", recheck)
    assert not verdict.accepted and queue.get(p.id).flavor["desc"] == p.flavor["desc"]
    _, verdict = queue.edit(p.id, {"stats": {"health": 1}}, "ada", recheck)
    assert not verdict.accepted


def test_pipeline_waits_for_approval_then_publishes(runtime):
    rails = json.loads(runtime.guardrails.read_text()) | {"require_approval": True}
    runtime.guardrails.write_text(json.dumps(rails))
    pipe = Pipeline(runtime)
    outcome = pipe.run_job(JobRequest(kind=Kind.quest, seed=4))
    assert outcome["status"] == "pending" and pipe.library.commit_of(outcome["proposal_id"]) is None
    pipe.approvals.approve(outcome["proposal_id"], by="ada")
    published = pipe.publish_approved(outcome["proposal_id"])
    assert published["status"] == "published"
    assert pipe.publish_approved(outcome["proposal_id"])["commit"] == published["commit"]
    assert pipe.approvals.state(outcome["proposal_id"]) == "published"
