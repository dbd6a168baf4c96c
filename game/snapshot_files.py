"""Whole-world snapshots on disk: ids, manifests, listing, pruning and the
pending-restore marker (plain files; no Django, no Evennia, so it tests fast).

    <root>/<id>/manifest.json   {id, label, auto, created, library_commit,
                                 sim: {tick, digest, paused, file} or null,
                                 db: {engine, file}, bytes}
    <root>/<id>/db.sqlite3 | db.pgdump, <root>/<id>/sim.npz
    <root>/next-id              the next id's number (ids are never reused)
    <root>/restore-pending.json the snapshot the next server start restores

Ids are short and ordered: `s1`, `s2`, ... A snapshot is written into
`<id>.partial/` and renamed into place once its manifest is complete, so a
crash never leaves a half snapshot that lists as good (`sweep` removes the
leftovers). Folders are 0700 and files 0600: a snapshot holds the accounts
table, password hashes included. Pruning drops the oldest automatic
snapshots beyond `keep`; manual ones are only ever deleted by an admin.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from generation.fsutil import atomic_write, file_lock

ID = re.compile(r"^s(\d+)$")
MANIFEST = "manifest.json"
PARTIAL = ".partial"
PENDING = "restore-pending.json"


class SnapshotMissing(LookupError):
    """No complete snapshot with that id."""


@dataclass
class Manifest:
    id: str
    label: str
    auto: bool
    created: float  # unix time
    library_commit: str | None
    db: dict  # {"engine": "sqlite" | "postgresql", "file": name}
    sim: dict | None = None  # {"tick", "digest", "paused", "file"}
    bytes: int = 0

    @property
    def number(self) -> int:
        return int(ID.match(self.id).group(1))

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> "Manifest":
        return cls(**json.loads(data))


def _private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


class SnapshotFolder:
    """The snapshots under `root` (created 0700 on first use)."""

    def __init__(self, root):
        self.root = Path(root)

    # ---- ids and folders -------------------------------------------------------------------
    def _take_id(self) -> str:
        _private_dir(self.root)
        with file_lock(self.root / ".next-id.lock"):
            counter = self.root / "next-id"
            try:
                number = int(counter.read_text())
            except (FileNotFoundError, ValueError):
                number = 1
            number = max([number] + [m.number + 1 for m in self.list()])
            atomic_write(counter, f"{number + 1}\n".encode())
        return f"s{number}"

    def begin(self) -> tuple[str, Path]:
        """A new id and its private, empty work folder (`<id>.partial`)."""
        snapshot_id = self._take_id()
        work = self.root / f"{snapshot_id}{PARTIAL}"
        shutil.rmtree(work, ignore_errors=True)
        return snapshot_id, _private_dir(work)

    def finish(self, work: Path, manifest: Manifest) -> Manifest:
        """Seal a work folder: files 0600, sizes counted, manifest written, renamed into place."""
        total = 0
        for path in work.iterdir():
            path.chmod(0o600)
            total += path.stat().st_size
        manifest.bytes = total
        atomic_write(work / MANIFEST, manifest.to_json())
        (work / MANIFEST).chmod(0o600)
        os.replace(work, self.root / manifest.id)
        return manifest

    def abandon(self, work: Path) -> None:
        shutil.rmtree(work, ignore_errors=True)

    def sweep(self) -> list[str]:
        """Remove work folders a crash left behind; their names."""
        if not self.root.is_dir():
            return []
        left = [p for p in self.root.iterdir() if p.is_dir() and p.name.endswith(PARTIAL)]
        for path in left:
            shutil.rmtree(path, ignore_errors=True)
        return sorted(p.name for p in left)

    # ---- reading ---------------------------------------------------------------------------
    def path(self, snapshot_id: str) -> Path:
        if not ID.match(snapshot_id or ""):
            raise SnapshotMissing(f"no snapshot {snapshot_id!r} (ids look like s1, s2, ...)")
        return self.root / snapshot_id

    def get(self, snapshot_id: str) -> Manifest:
        try:
            return Manifest.from_json((self.path(snapshot_id) / MANIFEST).read_bytes())
        except (FileNotFoundError, NotADirectoryError):
            raise SnapshotMissing(f"no snapshot {snapshot_id!r}") from None

    def file(self, manifest: Manifest, name: str) -> Path:
        """A file of a snapshot, which must exist."""
        path = self.path(manifest.id) / name
        if not path.is_file():
            raise SnapshotMissing(f"snapshot {manifest.id} lost its file {name}")
        return path

    def list(self) -> list[Manifest]:
        """Complete snapshots, oldest first (an unreadable manifest is skipped)."""
        if not self.root.is_dir():
            return []
        found = []
        for path in self.root.iterdir():
            if ID.match(path.name) and (path / MANIFEST).is_file():
                try:
                    found.append(Manifest.from_json((path / MANIFEST).read_bytes()))
                except (ValueError, TypeError):
                    continue
        return sorted(found, key=lambda m: m.number)

    # ---- removing --------------------------------------------------------------------------
    def delete(self, snapshot_id: str) -> Manifest:
        manifest = self.get(snapshot_id)
        pending = self.pending()
        if pending == snapshot_id:
            raise ValueError(f"snapshot {snapshot_id} is about to be restored")
        shutil.rmtree(self.path(snapshot_id))
        return manifest

    def prune(self, keep: int) -> list[str]:
        """Delete the oldest automatic snapshots beyond `keep`; the ids deleted."""
        autos = [m for m in self.list() if m.auto]
        doomed = autos[:max(0, len(autos) - keep)]
        for manifest in doomed:
            if manifest.id != self.pending():
                shutil.rmtree(self.path(manifest.id), ignore_errors=True)
        return [m.id for m in doomed if m.id != self.pending()]

    # ---- the restore the next start carries out --------------------------------------------
    def mark_restore(self, snapshot_id: str) -> None:
        self.get(snapshot_id)
        atomic_write(self.root / PENDING, json.dumps({"id": snapshot_id}).encode())

    def pending(self) -> str | None:
        try:
            return json.loads((self.root / PENDING).read_text())["id"]
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def clear_restore(self) -> None:
        (self.root / PENDING).unlink(missing_ok=True)
