"""Locks set once per access type.

Evennia's typeclasses each add their default locks on top of their parent's
(an exit turns the object's `get:all()` into `get:false()`, a character's
creation sets `puppet` twice, ...), and its lock handler logs every such
override as a "changed from ... to ..." warning: about 100 KB of
lockwarnings.log at a start that builds the world. Our typeclasses use
`ReplacingLockHandler`, whose `add` replaces an access type's lock quietly,
so that log keeps only real problems (syntax errors, unknown lock functions).
While an object is being created its locks are written once, at the end: each
typeclass's hook used to write them again (a query each)."""

from evennia.locks.lockhandler import LockHandler
from evennia.utils.utils import lazy_property


class ReplacingLockHandler(LockHandler):
    holding = False  # locks are kept in memory only (the object is being created)

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

    def _save_locks(self):
        if self.holding:  # on the object only: write_held saves it
            self.obj.db_lock_storage = ";".join(tup[2] for tup in self.locks.values())
        else:
            super()._save_locks()


class LocksSetOnceMixin:
    """Mix into a typeclass (before Evennia's class) to use `ReplacingLockHandler`."""

    @lazy_property
    def locks(self):
        return ReplacingLockHandler(self)

    def at_first_save(self):
        """The creation hooks' locks are written once, after them."""
        self.locks.holding = True
        try:
            super().at_first_save()
        finally:
            self.locks.holding = False
        self.save(update_fields=["db_lock_storage"])
