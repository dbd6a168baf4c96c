"""Exits between rooms; each is named by its direction and answers to its alias."""

from evennia.objects.objects import DefaultExit

from .objects import ContentMixin


class Exit(ContentMixin, DefaultExit):
    """A one-way link; the builder creates the way back as its own exit."""
