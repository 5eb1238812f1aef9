"""The passphrase of a diary opened to the network: what was set, which
browsers have given it (for how long), and how often an address has guessed
wrong. Kept in memory: restarting the server locks every browser again."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

MIN_LENGTH = 10
TRIES_PER_MINUTE = 5
SESSION_SECONDS = 30 * 86400
MAX_SESSIONS = 1_000
MAX_ADDRESSES = 10_000  # addresses whose wrong guesses are remembered


@dataclass
class Lock:
    passphrase: str
    sessions: dict[str, float] = field(default_factory=dict)  # session -> expiry
    failures: dict[str, deque[float]] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return bool(self.passphrase)

    def attempt(self, address: str, given: str) -> Literal["right", "wrong", "wait"]:
        """One try at the passphrase from ``address``, on the unlock form or
        as a bearer token alike: "wait" once it has guessed wrong too often,
        else whether it was right (a wrong guess is counted)."""
        if self.too_many_tries(address):
            return "wait"
        if self.matches(given):
            return "right"
        self.failed(address)
        return "wrong"

    def matches(self, given: str) -> bool:
        """Compared as digests, in constant time."""
        digest = hashlib.sha256
        return hmac.compare_digest(digest(given.encode("utf-8", "replace")).digest(),
                                   digest(self.passphrase.encode()).digest())

    def unlocked(self, session: str | None, now: float | None = None) -> bool:
        expiry = self.sessions.get(session or "")
        return expiry is not None and expiry > (time.time() if now is None else now)

    def too_many_tries(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        recent = self.failures.get(address)
        if recent is None:
            return False
        while recent and now - recent[0] > 60:
            recent.popleft()
        if not recent:
            del self.failures[address]
            return False
        return len(recent) >= TRIES_PER_MINUTE

    def failed(self, address: str) -> None:
        if address not in self.failures and len(self.failures) >= MAX_ADDRESSES:
            self.failures.pop(next(iter(self.failures)))  # forget the oldest address
        self.failures.setdefault(address, deque()).append(time.monotonic())

    def open_session(self) -> str:
        now = time.time()
        for stale in [s for s, expiry in self.sessions.items() if expiry <= now]:
            del self.sessions[stale]
        while len(self.sessions) >= MAX_SESSIONS:
            self.sessions.pop(next(iter(self.sessions)))
        session = secrets.token_urlsafe(32)
        self.sessions[session] = now + SESSION_SECONDS
        return session

    def close(self, session: str | None) -> None:
        self.sessions.pop(session or "", None)

    def close_every_session(self) -> None:
        self.sessions.clear()


def check_passphrase(given: str) -> str:
    """The passphrase, or BadInput when it is too short to set."""
    from spasmcare.core.errors import BadInput

    if len(given) < MIN_LENGTH:
        raise BadInput(f"the passphrase must be at least {MIN_LENGTH} characters")
    return given
