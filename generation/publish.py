"""Publish stage: one atomic, idempotent git commit per proposal into the
content library, and `undo` (git revert of that commit).

Library layout (a git repo; created with a seed commit if missing):
  README.md                         what this repo is
  patches/<kind>/<proposal_id>.json one `Patch` (generation.models.proposal.Patch):
      {proposal_id, kind, hash, payload, flavor, tags, content}
      canonical JSON; `hash` = sha256 of canonical {kind, payload, flavor, tags};
      `content` = the assembled content model the applier spawns.
Each publish commit's message ends with the trailers
  Proposal: <proposal_id>
  Content-Hash: <hash>
and an undo commit (a revert) with `Undo: <proposal_id>`.

Safety: publishers serialize on an flock (`.git/mud-publish.lock`, dropped by
the kernel if a publisher dies); a git `index.lock` older than
`STALE_LOCK_S` is a leftover of a killed git and is removed; a patch file
written but not committed is picked up by the retry. The director's switch
is read under the lock, right before committing: a stopped director
publishes nothing."""

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .canonical import canonical_bytes, digest
from .director.switch import Switch
from .fsutil import atomic_write, file_lock
from .kinds import KINDS
from .models.proposal import Patch, Proposal

STALE_LOCK_S = 30.0
GIT_ENV = {
    "GIT_AUTHOR_NAME": "mud-generation",
    "GIT_AUTHOR_EMAIL": "generation@mud.invalid",
    "GIT_COMMITTER_NAME": "mud-generation",
    "GIT_COMMITTER_EMAIL": "generation@mud.invalid",
    "GIT_TERMINAL_PROMPT": "0",
}
README = b"""# Content library

The live world: the base world and published generated content, one commit
per change. See generation/publish.py and generation/live_world.py.

    world/                              the base world (world.json, zones/*.json, ...)
    patches/<kind>/<proposal_id>.json   {proposal_id, kind, hash, payload, flavor, tags, content}

Edit any file here while the game runs: a valid edit is applied and committed
as "Hand edit: <file>"; an invalid one is refused and admins are told why.
"""


class PublishBlocked(Exception):
    """The director is stopped; nothing was written."""


class LibraryError(Exception):
    pass


@dataclass(frozen=True)
class Published:
    proposal_id: str
    commit: str
    path: str
    hash: str
    created: bool  # False when it was already published


def patch_for(proposal: Proposal) -> Patch:
    core = {"kind": proposal.kind.value, "payload": proposal.payload, "flavor": proposal.flavor,
            "tags": proposal.tags.model_dump(mode="json")}
    content = KINDS[proposal.kind].assemble(proposal.payload, proposal.flavor).model_dump(mode="json")
    return Patch(proposal_id=proposal.id, hash=digest(core), content=content, **core)


def patch_path(kind: str, proposal_id: str) -> str:
    return f"patches/{kind}/{proposal_id}.json"


class Library:
    """The content library at `root`; `base_world` is the shipped world folder
    its seed commit copies into `world/` (see generation.base_world)."""

    def __init__(self, root: Path, stale_lock_s: float = STALE_LOCK_S, base_world: Path | None = None):
        self.root = Path(root)
        self.stale_lock_s = stale_lock_s
        self.base_world = Path(base_world) if base_world else None

    def lock(self):
        """The lock every writer of the library holds while it writes and commits."""
        return file_lock(self.root / ".git" / "mud-publish.lock")

    def git(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True,
                              env={**os.environ, **GIT_ENV}, timeout=60)
        if check and done.returncode != 0:
            raise LibraryError(f"git {' '.join(args)} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout.strip()

    def ensure(self) -> None:
        """Create the repo if it is missing; its seed commit holds the README
        and, with `base_world`, the shipped base world in `world/`."""
        from .base_world import copy_base_world

        with file_lock(self.root.parent / f".{self.root.name}.init.lock"):
            if (self.root / ".git").is_dir() and self.git("rev-parse", "--verify", "-q", "HEAD", check=False):
                return
            self.root.mkdir(parents=True, exist_ok=True)
            if not (self.root / ".git").is_dir():
                self.git("init", "-q")
            atomic_write(self.root / "README.md", README)
            message = "Content library: seed"
            if self.base_world is not None:
                message += f"\n\nBase-World: {copy_base_world(self.base_world, self.root)}\n"
            self.git("add", "-A", "--", ".")
            self.git("commit", "-q", "-m", message)

    def commit_of(self, proposal_id: str, trailer: str = "Proposal") -> str | None:
        """The commit carrying `<trailer>: <proposal_id>`, if any."""
        if not (self.root / ".git").is_dir():
            return None
        out = self.git("log", "--format=%H", "-F", f"--grep={trailer}: {proposal_id}", "HEAD")
        return out.splitlines()[0] if out else None

    def _clear_stale_index_lock(self) -> None:
        lock = self.root / ".git" / "index.lock"
        deadline = time.monotonic() + self.stale_lock_s
        while lock.exists():
            try:
                age = time.time() - lock.stat().st_mtime
            except FileNotFoundError:
                return
            if age > self.stale_lock_s:
                lock.unlink(missing_ok=True)
                return
            if time.monotonic() > deadline:
                raise LibraryError(f"{lock} is held by a live git for over {self.stale_lock_s} s")
            time.sleep(0.05)

    def publish(self, proposal: Proposal, switch: Switch | None = None) -> Published:
        patch = patch_for(proposal)
        rel = patch_path(proposal.kind.value, proposal.id)
        self.ensure()
        with self.lock():
            done = self.commit_of(proposal.id)
            if done:
                return Published(proposal.id, done, rel, patch.hash, created=False)
            if switch is not None and not switch.read().allows_publish:
                raise PublishBlocked(f"director is {switch.read().mode.value}; {proposal.id} not published")
            self._clear_stale_index_lock()
            path = self.root / rel
            data = canonical_bytes(patch.model_dump(mode="json"))
            if not path.exists() or path.read_bytes() != data:
                atomic_write(path, data)
            self.git("add", "--", rel)
            message = f"Publish {proposal.kind.value} {proposal.id}\n\nProposal: {proposal.id}\nContent-Hash: {patch.hash}\n"
            self.git("commit", "-q", "-m", message, "--", rel)
            return Published(proposal.id, self.git("rev-parse", "HEAD"), rel, patch.hash, created=True)

    def undo(self, proposal_id: str) -> str:
        """Revert the commit that published `proposal_id`; returns the revert
        commit (the existing one if it was already undone)."""
        self.ensure()
        with self.lock():
            done = self.commit_of(proposal_id, "Undo")
            if done:
                return done
            target = self.commit_of(proposal_id)
            if target is None:
                raise LibraryError(f"{proposal_id} was never published")
            self._clear_stale_index_lock()
            if (self.root / ".git" / "REVERT_HEAD").exists():
                self.git("revert", "--abort")  # a killed undo left its revert half-done
            self.git("revert", "--no-edit", "--no-commit", target)
            self.git("commit", "-q", "-m", f"Undo {proposal_id}\n\nUndo: {proposal_id}\nReverts: {target}\n")
            return self.git("rev-parse", "HEAD")

    def published_ids(self) -> list[str]:
        return sorted(p.stem for p in self.root.glob("patches/*/*.json"))

    def patches(self, kind: str) -> list[dict]:
        """The published patches of one kind, as the library holds them now."""
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.root.glob(f"patches/{kind}/*.json"))]
