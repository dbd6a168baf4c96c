"""Communication channels (Evennia's default behaviour, locks set once)."""

from evennia.comms.comms import DefaultChannel

from .locks import LocksSetOnceMixin


class Channel(LocksSetOnceMixin, DefaultChannel):
    """A channel players join and talk on (`channel`, `pub`)."""
