"""The web app and its JSON API: FastAPI adapters over the same core as the CLI."""
