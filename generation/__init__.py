"""Content generation: content models, the world loader, and (later) the
director and the draft → enrich → validate → approve → publish pipeline.

Free of Evennia, so it tests in milliseconds and runs inside Celery workers."""
