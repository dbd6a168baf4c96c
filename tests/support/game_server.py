"""The private game server of the end-to-end tests lives in game.private_server
(the network benchmark starts it too); this name keeps imports written before
the move working."""

from game.private_server import ADMIN, REPO, GameServer, free_port_base, ports_free  # noqa: F401
