"""Server start/stop hooks (Evennia calls the ones defined here; settings name
this module as AT_SERVER_STARTSTOP_MODULE and AT_INITIAL_SETUP_HOOK_MODULE)."""

DEFAULT_SEED = 1

# Set in the process that ran Evennia's initial setup (a fresh database): that
# process restarts at once, so it neither builds the world nor starts the
# simulation; the restarted server does both.
_restarting_after_initial_setup = False


def at_initial_setup():
    global _restarting_after_initial_setup
    _restarting_after_initial_setup = True


def at_server_init():
    """First thing at every start: a world snapshot restore the previous
    process handed over is carried out before anything is loaded
    (game.world_snapshots), and players see an apology with an error id
    instead of a traceback when a command fails (game.command_errors)."""
    from game import command_errors, world_snapshots

    world_snapshots.finish_pending_restore()
    command_errors.install()


def at_server_start():
    """Every start, cold or reload: build (or update) the live world from the
    content library and watch it, bring the simulation up from its last
    snapshot, and start the director."""
    if _restarting_after_initial_setup:
        return
    from game import content_service, director_bridge, simulation_bridge, world_snapshots

    world = content_service.start()
    restored = world_snapshots.restored()
    simulation_bridge.start(world.header.seed if world else DEFAULT_SEED, restored=restored.sim if restored else None)
    director_bridge.start()


def at_server_stop():
    """Every stop, reload included: stop watching the library, snapshot the simulation."""
    from game import content_service, simulation_bridge

    content_service.stop()
    simulation_bridge.stop()
