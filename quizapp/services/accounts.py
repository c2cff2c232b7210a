"""Teacher accounts: registration, sign-in with rate limits, password changes.

Passwords are hashed with Argon2id (memory-hard); they are never stored, logged or shown.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from quizapp.database import write_transaction
from quizapp.domain import DomainError
from quizapp.extensions import db
from quizapp.models import Teacher, utc_now
from quizapp.services.rate_limits import Limit, give_back, take

MIN_PASSWORD = 10
# A hash to verify against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH: dict[int, str] = {}


class AccountError(DomainError):
    """An account request that cannot be granted; the message is safe to show."""


class WrongCredentials(AccountError):
    """Wrong e-mail or password (deliberately not saying which)."""

    def __init__(self) -> None:
        super().__init__("Wrong e-mail or password.")


def _hasher() -> PasswordHasher:
    return PasswordHasher(memory_cost=int(current_app.config["ARGON2_MEMORY_KIB"]))


def normalise_email(email: str) -> str:
    """E-mail addresses compare without case or surrounding spaces."""
    return email.strip().lower()


def find_teacher(email: str) -> Teacher | None:
    """The account with this e-mail, if any."""
    return db.session.scalar(db.select(Teacher).where(Teacher.email == normalise_email(email)))


def create_teacher(email: str, name: str, password: str) -> Teacher:
    """Open an account; AccountError if the e-mail is taken or the password too short."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters for the password.")
    password_hash = _hasher().hash(password)
    with write_transaction():
        if find_teacher(email) is not None:
            raise AccountError("An account with this e-mail already exists. Sign in instead.")
        teacher = Teacher(
            email=normalise_email(email),
            name=name.strip(),
            password_hash=password_hash,
            session_token=secrets.token_urlsafe(24),
        )
        db.session.add(teacher)
    return teacher


def authenticate(email: str, password: str, address: str) -> Teacher:
    """The teacher these credentials belong to; WrongCredentials or RateLimited otherwise.

    Every attempt counts against the account and the address until it succeeds, so the limits hold
    even when many attempts arrive at once on different workers.
    """
    config = current_app.config
    hits = take(
        [
            (f"login:account:{normalise_email(email)}", Limit.parse(config["LOGIN_LIMIT_ACCOUNT"])),
            (f"login:address:{address}", Limit.parse(config["LOGIN_LIMIT_ADDRESS"])),
        ]
    )
    teacher = find_teacher(email)
    hasher = _hasher()
    try:
        hasher.verify(teacher.password_hash if teacher else _dummy_hash(hasher), password)
    except (VerificationError, InvalidHashError):
        raise WrongCredentials() from None
    if teacher is None:
        raise WrongCredentials()
    give_back(hits)
    with write_transaction():
        row = db.session.get(Teacher, teacher.id)
        row.last_login_at = utc_now()  # type: ignore[union-attr]
        if hasher.check_needs_rehash(row.password_hash):  # type: ignore[union-attr]
            row.password_hash = hasher.hash(password)  # type: ignore[union-attr]
    return teacher


def _dummy_hash(hasher: PasswordHasher) -> str:
    if hasher.memory_cost not in _DUMMY_HASH:
        _DUMMY_HASH[hasher.memory_cost] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASH[hasher.memory_cost]


def change_password(teacher: Teacher, current: str, new: str) -> Teacher:
    """Set a new password after checking the current one; signs out every other browser."""
    hasher = _hasher()
    try:
        hasher.verify(teacher.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise AccountError("The current password is not right.") from None
    if len(new) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters for the new password.")
    with write_transaction():
        row = db.session.get(Teacher, teacher.id)
        row.password_hash = hasher.hash(new)  # type: ignore[union-attr]
        row.session_token = secrets.token_urlsafe(24)  # type: ignore[union-attr]
    return row  # type: ignore[return-value]


def end_sessions(teacher: Teacher) -> None:
    """Sign the teacher out of every browser (their login cookies stop working)."""
    with write_transaction():
        db.session.get(Teacher, teacher.id).session_token = secrets.token_urlsafe(24)  # type: ignore[union-attr]


def load_signed_in(session_id: str) -> Teacher | None:
    """The teacher a login cookie's id ('<id>.<token>') stands for, if the token is still current."""
    teacher_id, _, token = session_id.partition(".")
    if not teacher_id.isdigit() or not token:
        return None
    teacher = db.session.get(Teacher, int(teacher_id))
    if teacher is None or not secrets.compare_digest(teacher.session_token, token):
        return None
    return teacher
