"""The application's settings: one object, each field with its default, the
environment variable that sets it, and a line of help (``spasmcare settings``
prints them)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields


def _setting(default: str, env: str, help: str) -> str:
    return field(default=default, metadata={"env": env, "help": help})


@dataclass(frozen=True)
class Settings:
    database_url: str = _setting(
        "", "SPASMCARE_DATABASE_URL",
        "SQLAlchemy URL of the database; empty means the SQLite file in your data folder.")
    host: str = _setting("127.0.0.1", "SPASMCARE_HOST", "Address the web app listens on.")
    port: str = _setting("8000", "SPASMCARE_PORT", "Port the web app listens on.")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(**{f.name: env.get(f.metadata["env"], f.default) for f in fields(cls)})

    def effective_database_url(self) -> str:
        from spasmcare.store.database import database_url

        return self.database_url or database_url({})

    @staticmethod
    def described() -> list[tuple[str, str, str, str]]:
        """(name, environment variable, default, help) for every setting."""
        return [(f.name, f.metadata["env"], str(f.default), f.metadata["help"])
                for f in fields(Settings)]
