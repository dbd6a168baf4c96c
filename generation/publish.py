"""Publish stage: one atomic, idempotent git commit per proposal into the
content library, and `undo` (a revert of that commit).

Library layout (a git repo; created with a seed commit if missing):
  README.md                         what this repo is
  world/                            the base world (the seed commit copies the
                                    shipped one; see generation.base_world)
  patches/<kind>/<proposal_id>.json one `Patch` (generation.models.proposal.Patch):
      {proposal_id, kind, hash, payload, flavor, tags, content}
      canonical JSON; `hash` = sha256 of canonical {kind, payload, flavor, tags};
      `content` = the assembled content model the applier spawns.
Each publish commit's message ends with the trailers
  Proposal: <proposal_id>
  Content-Hash: <hash>
and an undo commit (a revert) with `Undo: <proposal_id>`. A world snapshot's
restore (`restore_tree`) is one more commit whose files are an older commit's.

How a commit is made (git plumbing, never the working tree or the shared
index): the blob is written (`hash-object -w`), a tree is built from HEAD's
tree in a private index file (`GIT_INDEX_FILE`, a fresh temp file per
commit), `commit-tree` makes the commit and `update-ref HEAD <new> <old>`
moves the branch only if it still points where the tree was read from
(compare-and-swap: an admin's commit that landed meanwhile makes the
publisher rebuild on top of it, never overwrite it). A publisher killed at
any point leaves at most unreachable objects (pruned by `git gc`): the
library's history and files are the old ones or the new ones. An admin's
`index.lock` (a `git commit` with its editor open) is never touched.

The checkout follows HEAD: right after the ref moves, the publisher brings
the working-tree files of the paths it changed to HEAD's content (atomic
temp file + rename, or removal) and records them in the shared index
(`git update-index`, which never waits for nor removes anyone's
`index.lock`). If the index is locked at that moment the paths are kept in
`.git/mud-checkout-pending` and `sync_checkout()` (run before every publish
and undo, and callable by the server's watcher) finishes the job. Readers
that must see only committed content (the director's world index,
`patches`, `published_ids`) read HEAD, never the working tree, so a stray
or half-written file is never taken for published content.

Safety: publishers serialize on an flock (`.git/mud-publish.lock`, `lock()`,
dropped by the kernel if a publisher dies). The director's switch is read
under the lock, right before committing: a stopped director publishes
nothing."""

import io
import json
import os
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .canonical import canonical_bytes, digest
from .director.switch import Switch
from .fsutil import atomic_write, file_lock
from .kinds import KINDS
from .models.proposal import Patch, Proposal

# git sees only these of the caller's environment (never the LLM key or the admin's password)
GIT_PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")
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


# (library root, kind) -> (HEAD, its patches of that kind): one entry per kind read
_PATCHES_AT_HEAD: dict[tuple[str, str], tuple[str | None, list[dict]]] = {}


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

    def __init__(self, root: Path, base_world: Path | None = None):
        self.root = Path(root)
        self.git_dir = self.root / ".git"
        self.base_world = Path(base_world) if base_world else None

    def _run(self, args: tuple[str, ...], input: bytes | None = None, index: Path | None = None) -> subprocess.CompletedProcess:
        """git in the library; `index`: a private index file instead of the shared one."""
        env = {**{k: os.environ[k] for k in GIT_PASSED_ENV if k in os.environ}, **GIT_ENV}
        if index is not None:
            env["GIT_INDEX_FILE"] = str(index)
        return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, input=input, env=env, timeout=60)

    def git_bytes(self, *args: str, input: bytes | None = None, index: Path | None = None) -> bytes:
        done = self._run(args, input, index)
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip() or done.stdout.decode("utf-8", "replace").strip()
            raise LibraryError(f"git {' '.join(args)} failed: {err}")
        return done.stdout

    def git(self, *args: str, check: bool = True, input: bytes | None = None, index: Path | None = None) -> str:
        """git's output as text; LibraryError when it fails (unless not `check`)."""
        if check:
            return self.git_bytes(*args, input=input, index=index).decode("utf-8", "replace").strip()
        return self._run(args, input, index).stdout.decode("utf-8", "replace").strip()

    def _git_ok(self, *args: str) -> bool:
        return self._run(args).returncode == 0

    def lock(self):
        """The lock every writer of the library holds while it commits."""
        return file_lock(self.git_dir / "mud-publish.lock")

    def ensure(self) -> None:
        """Create the repo if it is missing; its seed commit holds the README
        and, with `base_world`, the shipped base world in `world/`."""
        from .base_world import copy_base_world

        with file_lock(self.root.parent / f".{self.root.name}.init.lock"):
            if self.git_dir.is_dir() and self.head():
                return
            self.root.mkdir(parents=True, exist_ok=True)
            if not self.git_dir.is_dir():
                self.git("init", "-q")
            atomic_write(self.root / "README.md", README)
            message = "Content library: seed"
            if self.base_world is not None:
                message += f"\n\nBase-World: {copy_base_world(self.base_world, self.root)}\n"
            self.git("add", "-A", "--", ".")
            self.git("commit", "-q", "-m", message)

    def head(self) -> str | None:
        """The commit HEAD points to, or None before the seed commit. Read
        from `.git/HEAD` and its loose ref file when it can (no subprocess:
        cheap enough for the reactor), else from `git rev-parse`."""
        try:
            ref = (self.git_dir / "HEAD").read_text(encoding="ascii").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if ref.startswith("ref: "):
            try:
                sha = (self.git_dir / ref[5:]).read_text(encoding="ascii").strip()
            except FileNotFoundError:
                sha = ""  # packed, or no commit yet
            if len(sha) == 40:
                return sha
        return self.git("rev-parse", "--verify", "-q", "HEAD^{commit}", check=False) or None

    def commit_of(self, proposal_id: str, trailer: str = "Proposal") -> str | None:
        """The commit carrying `<trailer>: <proposal_id>`, if any."""
        if self.head() is None:
            return None
        out = self.git("log", "--format=%H", "-F", f"--grep={trailer}: {proposal_id}", "HEAD")
        return out.splitlines()[0] if out else None

    def publish(self, proposal: Proposal, switch: Switch | None = None) -> Published:
        patch = patch_for(proposal)
        rel = patch_path(proposal.kind.value, proposal.id)
        self.ensure()
        with self.lock():
            self._sync_pending()
            done = self.commit_of(proposal.id)
            if done:
                return Published(proposal.id, done, rel, patch.hash, created=False)
            if switch is not None and not switch.read().allows_publish:
                raise PublishBlocked(f"director is {switch.read().mode.value}; {proposal.id} not published")
            blob = self.git("hash-object", "-w", "--stdin", input=canonical_bytes(patch.model_dump(mode="json")))
            message = f"Publish {proposal.kind.value} {proposal.id}\n\nProposal: {proposal.id}\nContent-Hash: {patch.hash}\n"
            commit = self._commit({rel: blob}, message)
            self._checkout([rel])
            return Published(proposal.id, commit, rel, patch.hash, created=True)

    def undo(self, proposal_id: str) -> str:
        """Revert the commit that published `proposal_id`; returns the revert
        commit (the existing one if it was already undone). Refused, changing
        nothing, when a file of that commit was changed since."""
        self.ensure()
        with self.lock():
            self._sync_pending()
            done = self.commit_of(proposal_id, "Undo")
            if done:
                return done
            target = self.commit_of(proposal_id)
            if target is None:
                raise LibraryError(f"{proposal_id} was never published")
            changes = self._reverting(target)
            commit = self._commit(changes, f"Undo {proposal_id}\n\nUndo: {proposal_id}\nReverts: {target}\n")
            self._checkout(list(changes))
            return commit

    def commit_files(self, paths: list[str], message: str) -> str:
        """One commit of the working-tree content of `paths` (a missing file is
        removed), made like a publish; the caller holds `lock()`."""
        changes = {rel: self.git("hash-object", "-w", "--", rel) if (self.root / rel).is_file() else None
                   for rel in paths}
        commit = self._commit(changes, message)
        self._checkout(list(changes))
        return commit

    def restore_tree(self, commit: str, message: str) -> str:
        """Make the library's files those of `commit` again with one new commit
        on top of HEAD (the history between stays); the new commit, or HEAD
        when its files already are those of `commit`."""
        self.ensure()
        with self.lock():
            self._sync_pending()
            target = self.git("rev-parse", "--verify", "-q", f"{commit}^{{commit}}", check=False)
            if not target:
                raise LibraryError(f"no commit {commit} in the library")
            changes: dict[str, str | None] = {}
            fields = self.git("diff-tree", "-r", "-z", "--no-renames", "HEAD", target).split("\0")
            for meta, path in zip(fields[0::2], fields[1::2]):
                new = meta.lstrip(":").split(" ")[3]
                changes[path] = None if set(new) == {"0"} else new
            if not changes:
                return self.head()
            done = self._commit(changes, message)
            self._checkout(list(changes))
            return done

    def _reverting(self, target: str) -> dict[str, str | None]:
        """path -> blob before `target` (None: absent), for every path `target`
        changed; LibraryError if HEAD no longer has `target`'s version."""
        changes: dict[str, str | None] = {}
        fields = self.git("diff-tree", "-r", "-z", "--no-commit-id", "--no-renames", f"{target}^", target).split("\0")
        for meta, path in zip(fields[0::2], fields[1::2]):
            _, _, old, new, _ = meta.lstrip(":").split(" ")
            now = self._blob_at_head(path)
            if now != (None if set(new) == {"0"} else new):
                raise LibraryError(f"{path} changed since {target[:12]}; undo it by hand")
            changes[path] = None if set(old) == {"0"} else old
        return changes

    def _blob_at_head(self, path: str) -> str | None:
        return self.git("rev-parse", "--verify", "-q", f"HEAD:{path}", check=False) or None

    def _commit(self, changes: dict[str, str | None], message: str, attempts: int = 5) -> str:
        """One commit on HEAD setting each path to its blob (None: removed),
        made in a private index and landed by compare-and-swap."""
        entries = "".join(f"0 {'0' * 40}\t{path}\n" if blob is None else f"100644 {blob}\t{path}\n" for path, blob in changes.items())
        for _ in range(attempts):
            parent = self.head()
            fd, name = tempfile.mkstemp(dir=self.git_dir, prefix="mud-publish-", suffix=".index")
            os.close(fd)
            index = Path(name)
            try:
                index.unlink()  # git wants to create it
                self.git("read-tree", parent, index=index)
                self.git("update-index", "--index-info", input=entries.encode(), index=index)
                tree = self.git("write-tree", index=index)
            finally:
                index.unlink(missing_ok=True)
            commit = self.git("commit-tree", tree, "-p", parent, "-F", "-", input=message.encode())
            moved = self._run(("update-ref", "-m", message.splitlines()[0], "HEAD", commit, parent))
            if moved.returncode == 0:
                return commit
            if self.head() == parent:  # nobody moved HEAD: the ref itself cannot be written
                raise LibraryError(f"git update-ref failed: {moved.stderr.decode('utf-8', 'replace').strip()}")
        raise LibraryError(f"HEAD kept moving under the publisher; gave up after {attempts} attempts")

    def _checkout(self, paths: list[str]) -> None:
        """Bring the working tree and the shared index to HEAD for `paths`;
        remember them for `sync_checkout` when the index is locked."""
        pending = self._pending() | set(paths)
        for rel in sorted(pending):
            blob = self._blob_at_head(rel)
            path = self.root / rel
            if blob is None:
                path.unlink(missing_ok=True)
            else:
                data = self.git_bytes("cat-file", "blob", blob)
                if not path.exists() or path.read_bytes() != data:
                    atomic_write(path, data)
        done = self._git_ok("update-index", "--add", "--remove", "--", *sorted(pending)) \
            and not self._index_differs(sorted(pending))
        marker = self.git_dir / "mud-checkout-pending"
        if done:
            marker.unlink(missing_ok=True)
        else:
            atomic_write(marker, json.dumps(sorted(pending)).encode())

    def _index_differs(self, paths: list[str]) -> bool:
        return bool(self.git("diff-index", "--cached", "--name-only", "HEAD", "--", *paths, check=False))

    def _pending(self) -> set[str]:
        try:
            return set(json.loads((self.git_dir / "mud-checkout-pending").read_text(encoding="utf-8")))
        except (FileNotFoundError, ValueError):
            return set()

    def _sync_pending(self) -> None:
        if self._pending():
            self._checkout([])

    def sync_checkout(self) -> None:
        """Finish a checkout that found the shared index locked."""
        with self.lock():
            self._sync_pending()

    def _head_files(self, prefix: str) -> list[tuple[str, str]]:
        """(path, blob) of the files under `prefix` at HEAD."""
        if self.head() is None:
            return []
        out = self.git("ls-tree", "-r", "-z", "HEAD", "--", prefix)
        rows = []
        for entry in filter(None, out.split("\0")):
            meta, path = entry.split("\t", 1)
            rows.append((path, meta.split()[2]))
        return sorted(rows)

    def published_ids(self) -> list[str]:
        """Proposal ids with a patch at HEAD."""
        return sorted(Path(path).stem for path, _ in self._head_files("patches/") if path.endswith(".json"))

    def patches(self, kind: str) -> list[dict]:
        """The published patches of one kind, as HEAD holds them (read once
        per HEAD: later calls at the same HEAD cost two small file reads; the
        list is shared, do not change it)."""
        head = self.head()
        key = (str(self.root), kind)
        cached = _PATCHES_AT_HEAD.get(key)
        if cached is not None and cached[0] == head:
            return cached[1]
        files = [(p, b) for p, b in self._head_files(f"patches/{kind}/") if p.endswith(".json")]
        patches = [json.loads(blob) for blob in self.blobs([blob for _, blob in files])] if files else []
        _PATCHES_AT_HEAD[key] = (head, patches)
        return patches

    def blobs(self, ids: list[str]) -> list[bytes]:
        """The contents of many blobs in one `git cat-file --batch`."""
        out = self.git_bytes("cat-file", "--batch", input="".join(f"{b}\n" for b in ids).encode())
        pos, contents = 0, []
        for _ in ids:
            header_end = out.index(b"\n", pos)
            size = int(out[pos:header_end].split()[2])
            contents.append(out[header_end + 1:header_end + 1 + size])
            pos = header_end + 1 + size + 1
        return contents

    @contextmanager
    def head_snapshot(self):
        """HEAD's files in a temporary folder (for readers that must see only
        committed content); yields None before the seed commit."""
        if self.head() is None:
            yield None
            return
        archive = self.git_bytes("archive", "--format=tar", "HEAD")
        with tempfile.TemporaryDirectory(prefix="library-head-") as tmp:
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(tmp, filter="data")
            yield Path(tmp)
