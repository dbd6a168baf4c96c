"""One look at the content library: what the live world should be now.

`sync` runs under the library's writer lock (so a publisher's half-written
patch is never mistaken for a hand edit). Files changed in the working tree
but not committed are hand edits: when the whole library validates with them
(schema, ids, references, paired exits, coordinates, and no exit removed that
cuts a room off from the start room) each is committed as
"Hand edit: <file>"; when it does not, they are refused, stay uncommitted
until fixed, and the world is read from the last commit (HEAD) instead, so
new published patches still go live. A committed patch file with problems
(HEAD itself does not validate) is left out and reported, the rest of HEAD
goes live: one bad published patch never holds up those after it (the
director's index reads the library the same way). Runs in a thread: it
shells out to git."""

from dataclasses import dataclass, field

from .live_world import BASE_DIR, LiveWorld, load_library, load_library_lenient
from .loader import ContentError, Problem, World
from .reachability import exit_removal_problems

WATCHED = (BASE_DIR, "patches")


@dataclass
class SyncResult:
    head: str
    live: LiveWorld | None  # None: nothing valid to apply, keep the current world
    committed: list[str] = field(default_factory=list)  # hand-edited files now committed
    refused: dict[str, list[Problem]] = field(default_factory=dict)  # file -> its problems
    problems: list[Problem] = field(default_factory=list)  # problems of the committed library itself


def dirty_files(library) -> list[str]:
    """Library files under world/ and patches/ that differ from HEAD (or are new)."""
    changed = library.git("diff", "--name-only", "HEAD", "--", *WATCHED).splitlines()
    new = library.git("ls-files", "--others", "--exclude-standard", "--", *WATCHED).splitlines()
    return sorted(set(changed) | set(new))


def load_head(library) -> LiveWorld:
    """The library as committed at HEAD (working-tree edits ignored), without
    its patch files that have problems (listed in `left_out`)."""
    with library.head_snapshot() as committed:
        return load_library_lenient(committed)


def checked(library, current: World | None) -> LiveWorld:
    """The working tree as one world; ContentError also when an exit removal cuts rooms off."""
    live = load_library(library.root)
    cut = exit_removal_problems(current, live.world, live.zone_files)
    if cut:
        raise ContentError(cut)
    return live


def sync(library, current: World | None) -> SyncResult:
    """Validate the library against the live world `current`; commit good hand edits."""
    library.ensure()
    with library.lock():
        dirty = dirty_files(library)
        try:
            live = checked(library, current)
        except ContentError as exc:
            return _refuse(library, dirty, exc.problems) if dirty else _from_head(library, {})
        for rel in dirty:
            library.commit_files([rel], f"Hand edit: {rel}")
        return SyncResult(library.git("rev-parse", "HEAD"), live, committed=dirty)


def _refuse(library, dirty: list[str], problems: list[Problem]) -> SyncResult:
    refused: dict[str, list[Problem]] = {}
    for problem in problems:
        owner = problem.file if problem.file in dirty else dirty[0]
        refused.setdefault(owner, []).append(problem)
    return _from_head(library, refused)


def _from_head(library, refused: dict[str, list[Problem]]) -> SyncResult:
    head = library.git("rev-parse", "HEAD")
    try:
        live = load_head(library)
    except ContentError as exc:  # the committed base world itself is broken
        return SyncResult(head, None, refused=refused, problems=exc.problems)
    return SyncResult(head, live, refused=refused, problems=live.left_out)
