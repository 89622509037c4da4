"""The HTTP API and the subscribable feed (FastAPI). Not built yet: see the API issue."""
