"""The students' stamp of each session, kept a fraction of a second in each worker.

A class's phones each keep asking for their session's stamp (web/student_stamps.py: in gevent workers a
poll waits for a change; elsewhere 300 phones asking every two seconds are 150 requests a second). Each worker
reads a session's stamp from the database at most once per `STAMP_CACHE_SECONDS` (default 0.5 s), one request
reading while the others of that moment wait for it, and answers the other requests from memory; a change of
state made in this worker is seen at once (`forget`), one made in another worker within that fraction of a
second.
"""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.engine import Engine

from quizapp.caches import Cache
from quizapp.extensions import db
from quizapp.models import ClassSession

MAX_SESSIONS = 1_000  # sessions remembered per worker; past this the least recently asked is forgotten


class StampCache:
    """Session public id -> its students' stamp, kept `seconds` from the time it was read."""

    def __init__(self, engine: Engine, seconds: float) -> None:
        self.engine, self.seconds = engine, seconds
        self._stamps: Cache[str, str | None] = Cache(max_size=MAX_SESSIONS, seconds=seconds)

    def get(self, public_id: str) -> str | None:
        """The stamp of session `public_id` (None: there is no such session, and that is not kept); at most
        `seconds` old."""
        return self._stamps.get_or_make(public_id, lambda: self.read(public_id))

    def read(self, public_id: str) -> str | None:
        """The stamp as stored now (one indexed query, no ORM objects)."""
        query = select(ClassSession.state, ClassSession.position, ClassSession.question_state).where(
            ClassSession.public_id == public_id
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return stamp_of(row.state, row.position, row.question_state) if row else None

    def forget(self, public_id: str) -> None:
        """Read this session's stamp from the database next time (its state just changed)."""
        self._stamps.forget(public_id)


def stamp_of(state: str, position: int, question_state: str | None) -> str:
    """The students' stamp of a session in this state (the page renders it, the poll compares with it)."""
    return f"{state}.{position}.{question_state or ''}"


def init_app(app: Flask) -> None:
    """Give the app its cache (in `app.extensions`)."""
    with app.app_context():
        engine = db.engine
    app.extensions["stamp_cache"] = StampCache(engine, float(app.config["STAMP_CACHE_SECONDS"]))


def stamp_cache() -> StampCache:
    """The current app's cache."""
    cache: StampCache = current_app.extensions["stamp_cache"]
    return cache
