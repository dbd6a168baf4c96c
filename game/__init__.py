"""The Evennia game: typeclasses, commands, the world builder, the bridges to
the simulation (world/) and the generation pipeline (generation/), web views,
and the launcher behind `make run`."""
