"""The game's REST API (Django REST framework, served by the game's own
site under /api/): world state, history and event log for anyone (rate
limited), steering the director and the approval queue for staff. The
OpenAPI document is `openapi.DOCUMENT`, served at /api/openapi.json."""
