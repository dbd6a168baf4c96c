"""The shipped base world inside the content library: its `world/` folder is
a copy of `content/worlds/<world>/` (the world `MUD_WORLD_DIR` names), made
by the library's seed commit. When the shipped files change, the next start
copies them again as one "Upgrade base world" commit, like every other change
to the world. Each of these commits carries `Base-World: <digest of the
shipped files>`, so an unchanged checkout commits nothing."""

import hashlib
import shutil
from pathlib import Path

from .fsutil import atomic_write
from .live_world import BASE_DIR

TRAILER = "Base-World"


def shipped_files(shipped: Path) -> list[Path]:
    return sorted(p for p in Path(shipped).rglob("*.json") if p.is_file())


def shipped_digest(shipped: Path) -> str:
    """sha256 over the shipped world's file names and bytes."""
    h = hashlib.sha256()
    for path in shipped_files(shipped):
        h.update(str(path.relative_to(shipped)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def copy_base_world(shipped: Path, library_root: Path) -> str:
    """Make `world/` in the library an exact copy of the shipped world; its digest."""
    shipped, target = Path(shipped), Path(library_root) / BASE_DIR
    wanted = {path.relative_to(shipped): path for path in shipped_files(shipped)}
    if target.exists():
        for old in [p for p in target.rglob("*") if p.is_file()]:
            if old.relative_to(target) not in wanted:
                old.unlink()
    for rel, path in wanted.items():
        data = path.read_bytes()
        dest = target / rel
        if not dest.exists() or dest.read_bytes() != data:
            atomic_write(dest, data)
    return shipped_digest(shipped)


def upgrade_base_world(library) -> str | None:
    """Commit the shipped base world when it changed since the last base commit;
    the new commit, or None when nothing changed. `library` is a
    generation.publish.Library with `base_world` set."""
    library.ensure()
    digest = shipped_digest(library.base_world)
    with library.lock():
        last = library.git("log", "-1", f"--format=%(trailers:key={TRAILER},valueonly)", "-F",
                           f"--grep={TRAILER}: ", "HEAD")
        if last.strip() == digest:
            return None
        before = {rel for rel in library.git("ls-files", "--", BASE_DIR).splitlines()}
        copy_base_world(library.base_world, library.root)
        now = {f"{BASE_DIR}/{p.relative_to(library.base_world)}" for p in shipped_files(library.base_world)}
        return library.commit_files(sorted(before | now), f"Upgrade base world\n\n{TRAILER}: {digest}\n")
