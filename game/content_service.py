"""The live world's content, owned by the server: at start it creates the
content library (its seed commit is the shipped base world), commits a
changed shipped world as "Upgrade base world", builds the game from the
library (never from the checkout), then watches the library and applies every
change (game.library_watcher, game.content_applier; a change that adds a room
block waits for an automatic world snapshot first, game.world_snapshots). A
library that does not validate is refused: the last good world stays live,
admins online are told the file, JSON path and reason, and `content status`
lists it until fixed."""

from django.conf import settings
from evennia.objects.models import ObjectDB
from evennia.utils import logger
from twisted.internet import defer

from generation.base_world import upgrade_base_world
from generation.library_sync import SyncResult, sync
from generation.live_world import LiveWorld
from generation.loader import World
from generation.publish import Library

from . import world_snapshots
from .builder import find_by_content_id
from .content_applier import ContentApplier, online_admins

LIMBO_ID = 2  # the room Evennia creates first; our world does not use it
_current: World | None = None
_service: "ContentService | None" = None


def current_world() -> World | None:
    """The content world last applied to the game (None before the first good build)."""
    return _current


def service() -> "ContentService | None":
    return _service


def use_start_room(room_id: str) -> None:
    """New characters start (and have their home) in the world's start room;
    characters left in Evennia's empty Limbo (the admin's, at first) move there."""
    room = find_by_content_id(room_id)
    if room is None:
        return
    settings.START_LOCATION = settings.DEFAULT_HOME = room.dbref
    limbo = ObjectDB.objects.filter(id=LIMBO_ID).first()
    for obj in limbo.contents if limbo else []:
        if obj.is_typeclass("game.typeclasses.characters.Character", exact=False):
            obj.home = room
            obj.move_to(room, quiet=True, move_type="teleport")


class ContentService:
    def __init__(self, library: Library):
        self.library = library
        self.applier = ContentApplier()
        self.refused: dict[str, list] = {}
        self.problems: list = []
        self.head: str | None = None
        self.watcher = None

    def take(self, result: SyncResult, now: bool = False):
        """Record a look at the library and apply its world (on the reactor
        thread); a Deferred, or None when applied at once or nothing to apply."""
        global _current
        self.head = result.head
        newly_refused = {f: p for f, p in result.refused.items() if self.refused.get(f) != p}
        new_problems = [p for p in result.problems if p not in self.problems]
        self.refused, self.problems = result.refused, result.problems
        for rel in result.committed:
            logger.log_info(f"Content library: hand edit of {rel} committed")
        self._tell_admins(newly_refused, new_problems)
        if result.live is None:
            return None
        if not now and result.head == self.applier.head and not result.committed:
            return None  # the commit of what was just applied, seen again: nothing new
        if now:
            self.applier.apply_now(result.live, result.head)
            _current = result.live.world
            return None

        def applied(_):
            global _current
            _current = result.live.world

        expansions = new_room_blocks(self.applier.live, result.live)
        d = world_snapshots.before_expansion(expansions) if expansions else defer.succeed(None)
        d.addCallback(lambda _: self.applier.apply(result.live, result.head))
        d.addCallback(applied)
        d.addErrback(lambda f: logger.log_err(f"Content {result.head[:10]} failed to apply: {f.getTraceback()}"))
        return d

    def _tell_admins(self, refused: dict, problems: list) -> None:
        lines = [f"{p.file} {p.path}: {p.reason}" for ps in refused.values() for p in ps]
        lines += [f"{p.file} {p.path}: {p.reason}" for p in problems]
        if not lines:
            return
        what = f"Hand edit refused ({', '.join(sorted(refused))})" if refused else "Content library refused"
        text = f"{what}; the live world keeps its last good version:\n" + "\n".join(f"  {line}" for line in lines)
        logger.log_err(text)
        for account in online_admins():
            account.msg(f"|r{what}|n; the live world keeps its last good version:\n"
                        + "\n".join(f"  {line.replace('|', '||')}" for line in lines))


def new_room_blocks(old: LiveWorld | None, new: LiveWorld) -> list[str]:
    """Proposal ids of the room blocks `new` adds to the world last applied."""
    before = set(old.patch_files) if old is not None else set()
    return sorted(pid for pid, rel in new.patch_files.items()
                  if rel.startswith("patches/room_block/") and pid not in before)


def library(root: str | None = None, shipped: str | None = None) -> Library:
    return Library(root or settings.LIBRARY_DIR, base_world=shipped or settings.WORLD_CONTENT_DIR)


def start(root: str | None = None, shipped: str | None = None, watch: bool = True) -> World | None:
    """Bring the library up to date with the shipped world, build the game from
    it and (with `watch`) start watching it. The world built, or None when the
    library was refused and nothing could be built."""
    global _service
    lib = library(root, shipped)
    upgrade_base_world(lib)
    _service = ContentService(lib)
    _service.take(sync(lib, None), now=True)
    if watch:
        from .library_watcher import LibraryWatcher

        _service.watcher = LibraryWatcher(_service).start()
    world = current_world()
    if world is not None:
        logger.log_info(f"World {world.header.name} built from the content library {lib.root}")
    return world


def stop() -> None:
    """Stop watching the library; the service is gone until the next start."""
    global _service, _current
    if _service is not None and _service.watcher is not None:
        _service.watcher.stop()
    _service = _current = None
