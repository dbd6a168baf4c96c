"""Pydantic models: the one source of truth for every content type.

Their JSON Schemas are exported to `content/schemas/` (see `schemas.py`)."""
