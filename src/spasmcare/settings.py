"""The application's settings: one object, each field with its default, the
environment variable that sets it, and a line of help (``spasmcare settings``
prints them)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")


HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9.-]+?)\.?(:[0-9]{1,5})?")


def host_name(host: str) -> str:
    """The name in a Host header (or a name a person typed), lower case,
    without its port or final dot; IPv6 addresses in brackets."""
    host = host.strip().lower()
    if host.count(":") > 1 and not host.startswith("["):  # a bare IPv6 address
        return f"[{host}]"
    found = HOST.fullmatch(host)
    return found.group(1) if found else host  # anything else matches no allowed name


def _setting(default: str, env: str, help: str) -> str:
    return field(default=default, metadata={"env": env, "help": help})


@dataclass(frozen=True)
class Settings:
    database_url: str = _setting(
        "", "SPASMCARE_DATABASE_URL",
        "SQLAlchemy URL of the database; empty means the SQLite file in your data folder.")
    host: str = _setting("127.0.0.1", "SPASMCARE_HOST", "Address the web app listens on.")
    port: str = _setting("8000", "SPASMCARE_PORT", "Port the web app listens on.")
    allowed_hosts: str = _setting(
        "", "SPASMCARE_ALLOWED_HOSTS",
        "Host names the web app answers to besides 127.0.0.1, localhost and [::1] "
        "(comma-separated); any other Host header is refused, against DNS rebinding.")
    passphrase: str = _setting(
        "", "SPASMCARE_PASSPHRASE",
        "Passphrase every browser must give before seeing the diary; required when the "
        "web app listens beyond this machine.")
    max_body_bytes: str = _setting(
        "1048576", "SPASMCARE_MAX_BODY_BYTES",
        "Largest request body the web app accepts, in bytes.")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(**{f.name: env.get(f.metadata["env"], f.default) for f in fields(cls)})

    def effective_database_url(self) -> str:
        from spasmcare.store.database import database_url

        return self.database_url or database_url({})

    def listens_beyond_this_machine(self) -> bool:
        return self.host not in LOOPBACK

    def host_names(self) -> frozenset[str]:
        """The names a request's Host header may carry (as ``host_name`` gives them)."""
        names = {host_name(n) for n in LOOPBACK}
        names |= {host_name(n) for n in self.allowed_hosts.split(",") if n.strip()}
        if self.host not in WILDCARD:
            names.add(host_name(self.host))
        return frozenset(names)

    def port_number(self) -> int:
        return self._whole("port", self.port, 1, 65535)

    def body_limit(self) -> int:
        return self._whole("max_body_bytes", self.max_body_bytes, 1024, 2**31)

    @staticmethod
    def _whole(name: str, value: str, low: int, high: int) -> int:
        from spasmcare.core.errors import BadInput

        env = next(f.metadata["env"] for f in fields(Settings) if f.name == name)
        text = value.strip()
        if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
            raise BadInput(f"{env} must be a whole number from {low} to {high:,} "
                           f"(got {value!r})")
        return int(text)

    @staticmethod
    def described() -> list[tuple[str, str, str, str]]:
        """(name, environment variable, default, help) for every setting."""
        return [(f.name, f.metadata["env"], str(f.default), f.metadata["help"])
                for f in fields(Settings)]
