"""Sessions left open: one nobody has touched for SESSION_IDLE_HOURS is closed, as its teacher would close it.

There is no background thread: the teacher's session list and a session's own pages close what has gone idle
when they are read, and `flask sessions close-idle` does it for every teacher (for a cron job, say).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from quizapp.domain.sessions import State
from quizapp.extensions import db
from quizapp.models import Attempt, ClassSession, Participant, Response, utc_now
from quizapp.services.session_flow import close_session


def idle_hours() -> int:
    """How long a session may go without activity before it is closed (0: never)."""
    return int(current_app.config.get("SESSION_IDLE_HOURS") or 0)


def _last_activity(session: ClassSession) -> datetime:
    """The latest of the session's opening, start, question opened, student joined and answer given."""
    latest_answer = db.session.scalar(
        select(func.max(Response.answered_at))
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(Attempt.session_id == session.id)
    )
    latest_join = db.session.scalar(
        select(func.max(Participant.joined_at)).where(Participant.session_id == session.id)
    )
    stamps = (session.created_at, session.started_at, session.question_opened_at, latest_answer, latest_join)
    return max(stamp for stamp in stamps if stamp is not None)


def close_if_idle(session: ClassSession, now: datetime | None = None) -> bool:
    """Close `session` if it is open and has had no activity for SESSION_IDLE_HOURS; True when it closed.

    Costs nothing more than the session's own columns unless the session is that old.
    """
    hours = idle_hours()
    if not hours or session.state == State.CLOSED:
        return False
    cutoff = (now or utc_now()) - timedelta(hours=hours)
    own = [s for s in (session.created_at, session.started_at, session.question_opened_at) if s is not None]
    if max(own) >= cutoff or _last_activity(session) >= cutoff:
        return False
    closed = close_session(session, idle_hours=hours)
    db.session.refresh(session)
    return closed


def close_idle_sessions(owner_id: int | None = None, now: datetime | None = None) -> int:
    """Close the idle open sessions of teacher `owner_id` (None: of every teacher); how many were closed."""
    hours = idle_hours()
    if not hours:
        return 0
    old = (now or utc_now()) - timedelta(hours=hours)
    query = select(ClassSession).where(ClassSession.state != State.CLOSED, ClassSession.created_at < old)
    if owner_id is not None:
        query = query.where(ClassSession.owner_id == owner_id)
    return sum(close_if_idle(session, now) for session in db.session.scalars(query).all())
