"""Web side of the game: URL routes, templates that load only local assets,
the staff dashboard (`dashboard/`) and the REST API (`api/`)."""
