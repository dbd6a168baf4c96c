"""Web side of the game: URL routes, templates that load only local assets,
and (later) the admin dashboard and REST API."""
