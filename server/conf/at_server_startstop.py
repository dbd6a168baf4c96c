"""Server start/stop hooks (Evennia calls the ones defined here)."""

DEFAULT_SEED = 1


def at_server_init():
    """First thing at every start: players see an apology with an error id
    instead of a traceback when a command fails (game.command_errors)."""
    from game import command_errors

    command_errors.install()


def at_server_start():
    """Every start, cold or reload: build (or update) the content world, bring
    the simulation up from its last snapshot, and start the director."""
    from game import director_bridge, simulation_bridge
    from game.content_service import build_base_world

    world = build_base_world()
    simulation_bridge.start(world.header.seed if world else DEFAULT_SEED)
    director_bridge.start()


def at_server_stop():
    """Every stop, reload included: snapshot the simulation."""
    from game import simulation_bridge

    simulation_bridge.stop()
