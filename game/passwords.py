"""Password hashing off the reactor.

Checking or making a PBKDF2 password hash takes some 0.4 s of CPU.  Evennia
does both on the reactor thread (`connect` checks, `create` makes one), so
every login froze the game for every player that long.  The login commands
(game.commands.login) have the hashing done in a thread first (hashlib works
without the GIL), and leave its outcome here; `ThreadedPBKDF2PasswordHasher`,
Django's own PBKDF2 hasher under the same algorithm name, then takes that
outcome instead of hashing again when Evennia asks on the reactor.  Anything
not prepared (a web login, a password change) is hashed as usual, and a hash
made on the reactor thread all the same is logged (REACTOR_WARNING): that
froze the game.

Outcomes are kept under an HMAC of the password (a key made at start, never
stored), used once, and dropped after KEEP_S.
"""

import hashlib
import hmac
import secrets
import threading
import time

from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from evennia.utils import logger
from twisted.internet import threads
from twisted.python import threadable

KEEP_S = 120.0  # a prepared outcome not used within this long is dropped
REACTOR_WARNING = "A password was hashed on the reactor thread, holding up every player"

_KEY = secrets.token_bytes(32)
_lock = threading.Lock()
_prepared: dict[tuple, tuple[float, object]] = {}  # (kind, digest, encoded) -> (when, outcome)


def _slot(kind: str, password: str, encoded: str = "") -> tuple:
    return kind, hmac.new(_KEY, password.encode(), hashlib.sha256).digest(), encoded


def _keep(slot: tuple, outcome) -> None:
    now = time.monotonic()
    with _lock:
        for old in [k for k, (when, _) in _prepared.items() if now - when > KEEP_S]:
            del _prepared[old]
        _prepared[slot] = (now, outcome)


def _take(slot: tuple):
    """The outcome prepared for `slot` (None if there is none, or it is too old); used once."""
    with _lock:
        when, outcome = _prepared.pop(slot, (0.0, None))
    return outcome if time.monotonic() - when <= KEEP_S else None


def check_ahead(password: str, encoded: str) -> bool:
    """(In a thread) whether `password` matches the stored hash `encoded`; kept for
    the hasher's next check of that pair."""
    ok = check_password(password, encoded)
    _keep(_slot("check", password, encoded), ok)
    return ok


def hash_ahead(password: str) -> str:
    """(In a thread) a new hash of `password`; kept for the hasher's next hash of
    that password (an account being created)."""
    encoded = make_password(password)
    _keep(_slot("make", password), encoded)
    return encoded


def prepare_check(password: str, encoded: str):
    """A Deferred: `check_ahead` run in the reactor's thread pool."""
    return threads.deferToThread(check_ahead, password, encoded)


def prepare_hash(password: str):
    """A Deferred: `hash_ahead` run in the reactor's thread pool."""
    return threads.deferToThread(hash_ahead, password)


class ThreadedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 (Django's hashes, algorithm `pbkdf2_sha256`) that uses what a
    thread already worked out for a login, and hashes itself otherwise."""

    def verify(self, password, encoded):
        ok = _take(_slot("check", password, encoded))
        if ok is not None:
            return ok
        _warn_on_reactor("checked")
        return super().verify(password, encoded)

    def encode(self, password, salt, iterations=None):
        made = _take(_slot("make", password))
        if made is not None and (iterations is None or made.split("$")[1] == str(iterations)):
            return made  # its own salt: a fresh one, as good as `salt`
        _warn_on_reactor("made")
        return super().encode(password, salt, iterations)


def _warn_on_reactor(what: str) -> None:
    if threadable.isInIOThread():
        logger.log_warn(f"{REACTOR_WARNING} (a hash {what} that no thread had prepared).")
