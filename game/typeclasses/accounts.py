"""Player accounts (Evennia's default behaviour)."""

from evennia.accounts.accounts import DefaultAccount

from .locks import LocksSetOnceMixin


class Account(LocksSetOnceMixin, DefaultAccount):
    """A player's login. Its character is created on account creation."""
