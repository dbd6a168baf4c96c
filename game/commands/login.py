"""The login screen's `connect` and `create`, with their password hashing in a
thread (game.passwords): Evennia's own commands, run once that is done, so
logging in or making an account no longer holds the reactor for the 0.4 s a
PBKDF2 hash takes.  What they say and check is Evennia's."""

import re

from evennia.accounts import accounts
from evennia.accounts.models import AccountDB
from evennia.commands.default import unloggedin

from game import passwords

WAIT_S = 0.05  # how often `create` looks whether its hash is made


def name_and_password(args: str) -> tuple[str, str] | None:
    """('name', 'password') from `name password` or `"account name" "pass word"`
    (Evennia's own reading of these commands); None if that is not what was typed."""
    parts = [part.strip() for part in re.split(r"\"", args) if part.strip()]
    if len(parts) == 1:
        parts = parts[0].split(None, 1)
    return (parts[0], parts[1]) if len(parts) == 2 else None


class CmdUnconnectedConnect(unloggedin.CmdUnconnectedConnect):
    __doc__ = unloggedin.CmdUnconnectedConnect.__doc__

    def func(self):
        given = name_and_password(self.args)
        encoded = None
        if given and not accounts.LOGIN_THROTTLE.check(str(self.caller.address)):
            encoded = (AccountDB.objects.filter(username__iexact=given[0])
                       .values_list("password", flat=True).first())
        if not encoded:  # a usage error, a guest, an unknown name, a throttled address: nothing to hash
            return super().func()
        checked = passwords.prepare_check(given[1], encoded)
        # then Evennia's login, on the reactor (had the thread failed, it hashes there itself)
        checked.addBoth(lambda _: super(CmdUnconnectedConnect, self).func())
        return checked  # Evennia's command handler waits for it


class CmdUnconnectedCreate(unloggedin.CmdUnconnectedCreate):
    __doc__ = unloggedin.CmdUnconnectedCreate.__doc__

    def func(self):
        """Evennia's `create`, step by step (its question and the answer pass through),
        with the new hash made in a thread while the player answers; the account is
        made once the hash is ready."""
        given = name_and_password(self.args)
        made = passwords.prepare_hash(given[1]) if given else None
        if made is not None:
            made.addErrback(lambda _: None)  # had the thread failed, Evennia hashes on the reactor itself
        steps = super().func()
        try:
            value = next(steps)
            while True:
                answer = yield value
                while made is not None and not made.called:
                    yield WAIT_S  # a pause: the reactor serves everyone meanwhile
                value = steps.send(answer)
        except StopIteration:
            return
