"""Typeclasses of the game: accounts, characters, rooms, exits, items and NPCs."""
