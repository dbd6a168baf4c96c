"""What a player sees when a command fails: a short apology with an error id.
The traceback goes to the server log under that id, the staff's MudInfo
channel gets one line about it (id, caller, exception), and staff (Admin and
up) who hit the error themselves see the traceback in game.

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

from django.conf import settings
from evennia.commands import cmdhandler
from evennia.comms.models import ChannelDB
from evennia.utils import logger

from game.player_text import escape_markup, escape_player_text

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
        text = f"{escape_markup(trace)}\n{stringtuple[0].strip()}\n(error {error_id}, logged)"
    else:
        text = APOLOGY.format(error_id=error_id)
        tell_staff(f"Command error {error_id} for {receiver}: {trace.strip().splitlines()[-1]}")
    receiver.msg(cmdhandler.err_helper(text, cmdid=cmdid))


def tell_staff(line: str) -> None:
    """`line` on the MudInfo channel; the exception's text may quote the
    player's input, so it goes out as player text."""
    if not settings.CHANNEL_MUDINFO:
        return
    channel = ChannelDB.objects.filter(db_key__iexact=settings.CHANNEL_MUDINFO["key"]).first()
    if channel is not None:
        channel.msg(escape_player_text(line))


def install() -> None:
    cmdhandler._msg_err = report_command_error
