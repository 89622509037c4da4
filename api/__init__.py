"""The HTTP API and the subscribable .ics feed (FastAPI). `create_app()` in api.main."""
