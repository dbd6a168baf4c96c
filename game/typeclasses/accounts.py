"""Player accounts (Evennia's default behaviour)."""

from evennia.accounts.accounts import DefaultAccount


class Account(DefaultAccount):
    """A player's login. Its character is created on account creation."""
