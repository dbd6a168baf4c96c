"""Evennia game server folder: configuration (conf/) and, untracked, runtime files."""
