"""A teacher's sign-in, kept in the browser's session cookie: new at each sign-in, ended by time.

The same signed cookie names an anonymous learner for a year (web/learner.py); a sign-in is a few keys
beside that, and ending it leaves the learner alone:
- `_user_id` (Flask-Login): '<teacher id>.<session token>'. The token changes at sign-out and at a password
  change, which ends the sign-in of every browser at once (services/accounts.py);
- `login_id`: random and new at every sign-in, so two sign-ins never carry the same session identifier and
  a session planted before the sign-in never becomes a signed-in one;
- `login_at`, `seen_at`: when the teacher signed in and last opened a page, in seconds since the epoch. The
  cookie is signed, so the browser cannot change them. The sign-in ends TEACHER_SESSION_IDLE after `seen_at`
  or TEACHER_SESSION_MAX after `login_at`; the teacher signs in again and comes back to the page;
- `browser`, `known`: this browser's own random id and the accounts signed in from it (as keyed digests),
  kept after sign-out so that the sign-in limit counts this browser's failures on their own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session
from flask_login import login_url, login_user, logout_user
from werkzeug.wrappers import Response

from quizapp.extensions import login_manager
from quizapp.models import Teacher
from quizapp.services.accounts import load_signed_in, normalise_email
from quizapp.web.redirects import safe_local_path

SIGN_IN_KEYS = ("_user_id", "_fresh", "_id", "_remember", "login_id", "login_at", "seen_at")
BROWSER_KEYS = ("browser", "known")
BACKGROUND = frozenset({"classroom.stamp"})  # the live page's script polling: not the teacher's activity
SEEN_EVERY = 60  # seconds: `seen_at` is rewritten (a new cookie) at most once a minute
KNOWN_ACCOUNTS = 5


def start(teacher: Teacher) -> None:
    """A new sign-in for `teacher`: a fresh session, with only this browser's learner and id carried over."""
    kept = {key: session[key] for key in ("learner", *BROWSER_KEYS) if key in session}
    session.clear()
    session.update(kept)
    login_user(teacher)
    now = int(time.time())
    session.update(login_id=secrets.token_urlsafe(16), login_at=now, seen_at=now)
    session.setdefault("browser", secrets.token_urlsafe(16))
    mark = _mark(teacher.email)
    session["known"] = [mark, *(m for m in session.get("known", []) if m != mark)][:KNOWN_ACCOUNTS]
    session.permanent = True


def end() -> None:
    """Sign this browser out and forget its learner; only its id and the accounts it knows stay."""
    kept = {key: session[key] for key in BROWSER_KEYS if key in session}
    logout_user()
    session.clear()
    session.update(kept)
    session.permanent = bool(kept)


def known_browser(email: str) -> str | None:
    """This browser's id if it has signed in to the account of `email` before, else None."""
    return session.get("browser") if _mark(email) in session.get("known", []) else None


def _mark(email: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"{session.get('browser', '')}:{normalise_email(email)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


@login_manager.user_loader
def _load_teacher(session_id: str) -> Teacher | None:
    now = int(time.time())
    ended = _ended(now)
    if ended:
        for key in SIGN_IN_KEYS:
            session.pop(key, None)
        flash(ended, "info")
        g.sign_in_ended = True
        return None
    teacher = load_signed_in(session_id)
    if teacher is not None and request.endpoint not in BACKGROUND and now - session["seen_at"] >= SEEN_EVERY:
        session["seen_at"] = now
    return teacher


def _ended(now: int) -> str | None:
    """Why this browser's sign-in is over by time, or None while it holds."""
    login_at, seen_at = session.get("login_at"), session.get("seen_at")
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return "Please sign in again to continue."  # a sign-in from before these limits
    longest: timedelta = current_app.config["TEACHER_SESSION_MAX"]
    idle: timedelta = current_app.config["TEACHER_SESSION_IDLE"]
    if now - login_at >= longest.total_seconds():
        return (
            f"A sign-in lasts {_in_words(longest)} at most: you were signed out. Sign in again to continue."
        )
    if now - seen_at >= idle.total_seconds():
        return f"You were signed out after {_in_words(idle)} without activity. Sign in again to continue."
    return None


def _in_words(span: timedelta) -> str:
    """'7 days', '12 hours', '30 minutes'."""
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


@login_manager.unauthorized_handler
def _sign_in_first() -> Response:
    """To the sign-in page, and back to this page after it (the sign-in page checks `next`)."""
    if not g.pop("sign_in_ended", False):
        flash(login_manager.login_message, login_manager.login_message_category)
    if request.method in ("GET", "HEAD"):
        return redirect(login_url(login_manager.login_view, next_url=request.url))
    # A form sent after the sign-in ended: nothing was saved; back to the page it was sent from (a POST-only
    # address would answer 405 after the sign-in).
    flash("What you sent was not saved: sign in, then send it again.", "error")
    return redirect(login_url(login_manager.login_view, next_url=_referring_page()))


def _referring_page() -> str | None:
    """The path of the page a form was sent from, when it is one of this site's; else None."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return safe_local_path(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


def no_store(response: Response) -> Response:
    """Teacher pages, and every page a signed-in teacher sees, are not kept by the browser or any cache."""
    if request.endpoint != "static" and (request.path.startswith("/teacher") or "_user_id" in session):
        response.headers["Cache-Control"] = "no-store"
    return response
