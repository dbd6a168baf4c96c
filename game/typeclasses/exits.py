"""Exits between rooms; each is named by its direction and answers to its alias."""

from evennia.objects.objects import DefaultExit

from .creation import BulkCreationMixin
from .locks import LocksSetOnceMixin
from .objects import ContentMixin


class Exit(ContentMixin, BulkCreationMixin, LocksSetOnceMixin, DefaultExit):
    """A one-way link; the builder creates the way back as its own exit."""
