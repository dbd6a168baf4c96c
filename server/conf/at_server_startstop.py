"""Server start/stop hooks (Evennia calls the ones defined here)."""


def at_server_start():
    """Every start, cold or reload: build (or update) the content world."""
    from game.content_service import build_base_world

    build_base_world()
