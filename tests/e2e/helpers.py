"""Waits shared by the end-to-end tests that steer the director: they read
the server's approval queue file (as any worker does) to know when a
proposal reached a state."""

import time

from generation.approval import ApprovalQueue


def wait_for_proposal(server, kind: str, state: str = "pending", timeout: float = 120, exclude=()) -> str:
    """Id of a proposal of `kind` in `state` (several: "approved|published"),
    not in `exclude`, waiting for one."""
    queue = ApprovalQueue(server.runtime / "approval.sqlite")
    deadline = time.monotonic() + timeout
    while True:
        found = [p.id for one in state.split("|") for p in queue.in_state(one) if p.kind.value == kind and p.id not in exclude]
        if found:
            return found[-1]
        assert time.monotonic() < deadline, f"no {state} {kind} proposal after {timeout} s"
        time.sleep(0.5)
