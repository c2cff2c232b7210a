"""Teacher accounts: registration, sign-in with rate limits, password changes.

Passwords are hashed with Argon2id (memory-hard); they are never stored, logged or shown, and a new one must
pass the policy of `quizapp/domain/passwords.py`.

Sign-in failures are counted per account *and address* (a student at one address cannot lock the teacher out
everywhere), per address (one address trying many accounts) and per account in all (guessing spread over many
addresses, with a higher ceiling). A browser that has signed in to the account before counts on its own
(`browser`), so even a student on the school's shared address cannot lock the teacher out of their own laptop.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy.exc import IntegrityError

from quizapp.caches import Cache
from quizapp.database import write_transaction
from quizapp.domain import DomainError
from quizapp.domain.passwords import password_problem
from quizapp.extensions import db
from quizapp.models import Teacher, utc_now
from quizapp.services.rate_limits import Limit, give_back, take

# A hash to verify against when the e-mail is unknown, so both cases take the same time (by memory cost).
_DUMMY_HASH: Cache[int, str] = Cache(max_size=4)


class AccountError(DomainError):
    """An account request that cannot be granted; the message is safe to show."""


class PasswordRefused(AccountError):
    """The new password does not pass the policy; `problem` is what to show beside the field."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"Password refused: {problem}")
        self.problem = problem


class EmailTaken(AccountError):
    """An account with this e-mail exists (said to the administrator's command, never on the web form)."""

    def __init__(self) -> None:
        super().__init__("An account with this e-mail already exists. Sign in instead.")


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


def _check_password(password: str, personal: tuple[str, ...]) -> None:
    problem = password_problem(password, personal)
    if problem:
        raise PasswordRefused(problem)


def create_teacher(email: str, name: str, password: str) -> Teacher:
    """Open an account; AccountError if the e-mail is taken, PasswordRefused if the password is weak."""
    _check_password(password, (email, name))
    password_hash = _hasher().hash(password)  # before the look-up: a taken e-mail takes as long as a new one
    try:
        with write_transaction():
            if find_teacher(email) is not None:
                raise EmailTaken()
            teacher = Teacher(
                email=normalise_email(email),
                name=name.strip(),
                password_hash=password_hash,
                session_token=secrets.token_urlsafe(24),
            )
            db.session.add(teacher)
    except IntegrityError:
        # PostgreSQL: the same e-mail registered at the same moment (both found none); SQLite's write
        # transactions run one at a time, so the second finds the first.
        if find_teacher(email) is None:
            raise
        raise EmailTaken() from None
    return teacher


def register_teacher(email: str, name: str, password: str, address: str) -> Teacher | None:
    """Open an account for a registration form; None, and nothing created, if the e-mail is taken.

    The caller answers both alike, so the form does not tell who has an account. Every registration from
    an address counts (REGISTER_LIMIT); RateLimited past it.
    """
    take([(f"register:address:{address}", Limit.parse(current_app.config["REGISTER_LIMIT"]))])
    try:
        return create_teacher(email, name, password)
    except EmailTaken:
        return None


def pair_key(email: str, address: str) -> str:
    """The counter of one account's sign-ins from one address (hashed: keys hold 300 characters at most)."""
    pair = hashlib.sha256(f"{normalise_email(email)}|{address}".encode()).hexdigest()
    return f"login:account-address:{pair}"


def _login_limits(email: str, address: str, browser: str | None) -> list[tuple[str, Limit]]:
    """The counters a sign-in attempt takes from (see the module's docstring)."""
    config, email = current_app.config, normalise_email(email)
    per_account = Limit.parse(config["LOGIN_LIMIT_ACCOUNT"])
    if browser:
        return [(f"login:browser:{browser}:{email}", per_account)]
    return [
        (pair_key(email, address), per_account),
        (f"login:address:{address}", Limit.parse(config["LOGIN_LIMIT_ADDRESS"])),
        (f"login:account:{email}", Limit.parse(config["LOGIN_LIMIT_ACCOUNT_TOTAL"])),
    ]


def authenticate(email: str, password: str, address: str, browser: str | None = None) -> Teacher:
    """The teacher these credentials belong to; WrongCredentials or RateLimited otherwise.

    `browser` is set when this browser has signed in to this account before (its own id). Every attempt
    counts until it succeeds, so the limits hold even when many attempts arrive at once on different workers.
    """
    hits = take(_login_limits(email, address, browser))
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
    return _DUMMY_HASH.get_or_make(hasher.memory_cost, lambda: hasher.hash(secrets.token_urlsafe(16)))


def change_password(teacher: Teacher, current: str, new: str) -> Teacher:
    """Set a new password after checking the current one; signs out every other browser.

    Wrong current passwords count like failed sign-ins (LOGIN_LIMIT_ACCOUNT per account): RateLimited past it.
    """
    limit = Limit.parse(current_app.config["LOGIN_LIMIT_ACCOUNT"])
    hits = take([(f"password:teacher:{teacher.id}", limit)])
    hasher = _hasher()
    try:
        hasher.verify(teacher.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise AccountError("The current password is not right.") from None
    give_back(hits)
    _check_password(new, (teacher.email, teacher.name))
    with write_transaction():
        row = db.session.get(Teacher, teacher.id)
        row.password_hash = hasher.hash(new)  # type: ignore[union-attr]
        row.session_token = secrets.token_urlsafe(24)  # type: ignore[union-attr]
    return row  # type: ignore[return-value]


def rename_teacher(teacher: Teacher, name: str) -> Teacher:
    """Change the name the teacher is shown by (surrounding spaces dropped); AccountError when it is empty."""
    name = name.strip()
    if not name:
        raise AccountError("Tell us your name.")
    with write_transaction():
        row = db.session.get(Teacher, teacher.id)
        row.name = name  # type: ignore[union-attr]
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
