"""What a player sees when a command fails: a short apology with an error id.
The traceback goes to the server log under that id; staff (Admin and up) who
hit the error see the traceback in game too.

Evennia reports every failure on the command path (a command's code, cmdset
merging, the command handler itself) through one function,
`evennia.commands.cmdhandler._msg_err`. Stock, it shows the traceback when
`IN_GAME_ERRORS` is on and the exception's last line (which can quote the
player's input or internal data) when it is off. `install()`, called once at
server init, puts `report_command_error` in its place; the game's tests
drive the real command handler to prove the swap still takes effect.
"""

import uuid
from traceback import format_exc

from evennia.commands import cmdhandler
from evennia.utils import logger

STAFF_PERMISSION = "Admin"
APOLOGY = "Sorry, that did not work because of an error on our side (error {error_id}). It has been logged for the staff."


def new_error_id() -> str:
    return uuid.uuid4().hex[:10]


def is_staff(receiver) -> bool:
    """True when the account behind `receiver` (a session, object or account) is Admin or higher."""
    account = getattr(receiver, "account", None) or receiver
    if getattr(account, "is_superuser", False):
        return True
    permissions = getattr(account, "permissions", None)
    return bool(permissions and permissions.check(STAFF_PERMISSION))


def report_command_error(receiver, stringtuple, cmdid=None):
    """Drop-in for Evennia's `_msg_err`: log the current exception under a
    new error id and tell `receiver` (staff: with the traceback)."""
    error_id = new_error_id()
    trace = format_exc()
    logger.log_trace(f"Command error {error_id} (caller: {receiver}): {stringtuple[0].strip()}")
    if is_staff(receiver):
        text = f"{trace.replace('|', '||')}\n{stringtuple[0].strip()}\n(error {error_id}, logged)"
    else:
        text = APOLOGY.format(error_id=error_id)
    receiver.msg(cmdhandler.err_helper(text, cmdid=cmdid))


def install() -> None:
    cmdhandler._msg_err = report_command_error
