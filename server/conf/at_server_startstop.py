"""Server start/stop hooks (Evennia calls the ones defined here)."""

DEFAULT_SEED = 1


def at_server_start():
    """Every start, cold or reload: build (or update) the live world from the
    content library and watch it, bring the simulation up from its last
    snapshot, and start the director."""
    from game import content_service, director_bridge, simulation_bridge

    world = content_service.start()
    simulation_bridge.start(world.header.seed if world else DEFAULT_SEED)
    director_bridge.start()


def at_server_stop():
    """Every stop, reload included: stop watching the library, snapshot the simulation."""
    from game import content_service, simulation_bridge

    content_service.stop()
    simulation_bridge.stop()
