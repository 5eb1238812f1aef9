"""The reference for the cost of a create: a bare FastAPI endpoint that
validates a pain score and inserts one row into an SQLite file, with the same
durability as SpasmCare's (WAL, full fsync on commit)."""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from datetime import UTC, datetime

from fastapi import FastAPI
from pydantic import BaseModel, Field

DATABASE = os.environ["BARE_DATABASE"]
_local = threading.local()


def _connection() -> sqlite3.Connection:
    conn: sqlite3.Connection | None = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(DATABASE, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("CREATE TABLE IF NOT EXISTS pain (id TEXT PRIMARY KEY, at TEXT, pain INT)")
        _local.conn = conn
    return conn


class Pain(BaseModel):
    pain: int = Field(ge=0, le=10)


app = FastAPI()


@app.get("/ready")
def ready() -> dict[str, bool]:
    _connection()
    return {"ready": True}


@app.post("/pain", status_code=201)
def log_pain(body: Pain) -> dict[str, object]:
    rid, at = uuid.uuid4().hex, datetime.now(UTC).isoformat()
    conn = _connection()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO pain (id, at, pain) VALUES (?, ?, ?)", (rid, at, body.pain))
    conn.execute("COMMIT")
    return {"id": rid, "at": at, "pain": body.pain}
