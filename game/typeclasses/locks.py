"""Locks set once per access type.

Evennia's typeclasses each add their default locks on top of their parent's
(an exit turns the object's `get:all()` into `get:false()`, a character's
creation sets `puppet` twice, ...), and its lock handler logs every such
override as a "changed from ... to ..." warning: about 100 KB of
lockwarnings.log at a start that builds the world. Our typeclasses use
`ReplacingLockHandler`, whose `add` replaces an access type's lock quietly,
so that log keeps only real problems (syntax errors, unknown lock functions)."""

from evennia.locks.lockhandler import LockHandler
from evennia.utils.utils import lazy_property


class ReplacingLockHandler(LockHandler):
    def add(self, lockstring, validate_only=False):
        """Add locks; a new lock for an access type replaces the old one."""
        checked = super().add(lockstring, validate_only=True)
        if validate_only:
            return checked
        if not checked[0]:
            return super().add(lockstring)  # reports the error Evennia's way
        new = lockstring if isinstance(lockstring, str) else ";".join(lockstring)
        merged = {}
        for lockdef in f"{self.obj.lock_storage or ''};{new}".split(";"):
            if lockdef.strip():
                merged[lockdef.split(":", 1)[0].strip()] = lockdef.strip()
        self._cache_locks(";".join(merged.values()))
        self._save_locks()
        return True


class LocksSetOnceMixin:
    """Mix into a typeclass (before Evennia's class) to use `ReplacingLockHandler`."""

    @lazy_property
    def locks(self):
        return ReplacingLockHandler(self)
