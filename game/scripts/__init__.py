"""Scripts: timers that live in the server process."""
