"""Teacher accounts and rate limits as services, on a real SQLite file: Argon2id hashes, sign-in with limits
that give back on success, password changes and sign-outs that rotate the session token, and the limit
counters themselves (`take`, `give_back`, `Limit.parse`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from quizapp.extensions import db
from quizapp.models import RateLimitHit, Teacher, utc_now
from quizapp.services.accounts import (
    AccountError,
    WrongCredentials,
    authenticate,
    change_password,
    create_teacher,
    end_sessions,
    load_signed_in,
    pair_key,
    register_teacher,
)
from quizapp.services.rate_limits import Limit, RateLimited, give_back, take

PASSWORD = "correct horse battery"
ADDRESS = "192.0.2.1"


@pytest.fixture
def teacher(ctx: Flask) -> Teacher:
    """A teacher account with PASSWORD."""
    return create_teacher("Ada@School.org ", "  Ada Lovelace ", PASSWORD)


def hits(key: str) -> int:
    """How many attempts are counted under `key`."""
    return db.session.scalar(
        db.select(db.func.count()).select_from(RateLimitHit).where(RateLimitHit.key == key)
    )


def fail_login(email: str, times: int, address: str = ADDRESS) -> None:
    """`times` sign-ins with a wrong password, each refused as wrong credentials."""
    for _ in range(times):
        with pytest.raises(WrongCredentials):
            authenticate(email, "not the password", address)


def test_create_teacher_stores_an_argon2id_hash_and_a_normalised_email(teacher: Teacher) -> None:
    row = db.session.get(Teacher, teacher.id)
    assert (row.email, row.name) == ("ada@school.org", "Ada Lovelace")
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert len(row.session_token) >= 24


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("ADA@school.ORG", "another long password", "already exists"),
        ("new@school.org", "short", "at least 12 characters"),
        ("new@school.org", "password2024!", "list of common passwords"),
    ],
)
def test_create_teacher_refuses_a_taken_email_or_a_short_password(
    teacher: Teacher, email: str, password: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        create_teacher(email, "Someone", password)
    assert db.session.scalar(db.select(db.func.count()).select_from(Teacher)) == 1


def test_register_teacher_makes_nothing_for_a_taken_email_and_counts_every_try(
    ctx: Flask, teacher: Teacher
) -> None:
    ctx.config["REGISTER_LIMIT"] = "2/3600"
    before = db.session.get(Teacher, teacher.id).password_hash
    assert register_teacher("ADA@school.org", "Impostor", "another long password", ADDRESS) is None
    assert db.session.get(Teacher, teacher.id).password_hash == before
    assert register_teacher("grace@school.org", "Grace", PASSWORD, ADDRESS).email == "grace@school.org"
    with pytest.raises(RateLimited):
        register_teacher("alan@school.org", "Alan", PASSWORD, ADDRESS)
    assert db.session.scalar(db.select(db.func.count()).select_from(Teacher)) == 2


def test_authenticate_accepts_the_right_password_whatever_the_email_case(teacher: Teacher) -> None:
    assert authenticate(" ADA@school.org", PASSWORD, ADDRESS).id == teacher.id
    assert db.session.get(Teacher, teacher.id).last_login_at is not None


@pytest.mark.parametrize(
    ("email", "password"), [("ada@school.org", "wrong password!"), ("who@x.org", PASSWORD)]
)
def test_wrong_password_and_unknown_email_fail_alike(teacher: Teacher, email: str, password: str) -> None:
    with pytest.raises(WrongCredentials) as failure:
        authenticate(email, password, ADDRESS)
    assert str(failure.value) == "Wrong e-mail or password."


def test_failures_count_but_a_success_gives_its_own_attempt_back(teacher: Teacher) -> None:
    fail_login("ada@school.org", 2)
    authenticate("ada@school.org", PASSWORD, ADDRESS)
    assert hits("login:account:ada@school.org") == 2
    assert hits(f"login:address:{ADDRESS}") == 2


def test_the_sixth_attempt_from_an_address_is_refused_there_even_with_the_right_password(
    teacher: Teacher,
) -> None:
    fail_login("ada@school.org", 5)
    with pytest.raises(RateLimited) as refused:
        authenticate("ADA@school.org", PASSWORD, ADDRESS)
    assert 0 < refused.value.retry_after <= 901
    assert "Too many attempts" in str(refused.value)
    assert hits(pair_key("ada@school.org", ADDRESS)) == 5  # a refused attempt is not counted
    assert authenticate("ada@school.org", PASSWORD, "198.51.100.7").id == teacher.id  # the owner, elsewhere


def test_the_address_limit_covers_every_account(ctx: Flask, teacher: Teacher) -> None:
    ctx.config["LOGIN_LIMIT_ADDRESS"] = "3/900"
    fail_login("nobody@school.org", 3)
    with pytest.raises(RateLimited):
        authenticate("ada@school.org", PASSWORD, ADDRESS)
    assert authenticate("ada@school.org", PASSWORD, "192.0.2.99").id == teacher.id


def test_change_password_checks_the_current_one_and_rotates_the_token(teacher: Teacher) -> None:
    cookie = teacher.get_id()
    with pytest.raises(AccountError, match="current password is not right"):
        change_password(teacher, "not it at all", "a brand new password")
    with pytest.raises(AccountError, match="at least 12"):
        change_password(teacher, PASSWORD, "short")
    assert load_signed_in(cookie) is not None
    changed = change_password(teacher, PASSWORD, "a brand new password")
    assert load_signed_in(cookie) is None
    assert load_signed_in(changed.get_id()).id == teacher.id
    fail_login("ada@school.org", 1)
    assert authenticate("ada@school.org", "a brand new password", ADDRESS).id == teacher.id


def test_end_sessions_makes_every_old_cookie_worthless(teacher: Teacher) -> None:
    cookie = teacher.get_id()
    end_sessions(teacher)
    assert load_signed_in(cookie) is None
    assert load_signed_in(db.session.get(Teacher, teacher.id).get_id()) is not None


@pytest.mark.parametrize("session_id", ["", "abc", "1", "1.", "x.token", "999.token", "1.wrong-token"])
def test_load_signed_in_refuses_malformed_or_stale_ids(teacher: Teacher, session_id: str) -> None:
    assert load_signed_in(session_id) is None


@pytest.mark.parametrize(("text", "count", "seconds"), [("5/900", 5, 900), ("30/60", 30, 60), ("1/1", 1, 1)])
def test_limit_parse(text: str, count: int, seconds: int) -> None:
    assert Limit.parse(text) == Limit(count, timedelta(seconds=seconds))


@pytest.mark.parametrize("text", ["5", "five/900", "5/900/1", ""])
def test_limit_parse_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError):
        Limit.parse(text)


def test_take_counts_under_every_key_until_one_is_full(ctx: Flask) -> None:
    keys = [("a", Limit(2, timedelta(seconds=60))), ("b", Limit(3, timedelta(seconds=60)))]
    first, second = take(keys), take(keys)
    assert len(first) == len(second) == 2
    with pytest.raises(RateLimited) as refused:
        take(keys)
    assert 0 < refused.value.retry_after <= 61
    assert (hits("a"), hits("b")) == (2, 2)  # the refused attempt counted under neither key


def test_give_back_frees_the_slots_taken(ctx: Flask) -> None:
    limit = [("k", Limit(1, timedelta(seconds=60)))]
    give_back(take(limit))
    assert hits("k") == 0
    take(limit)
    with pytest.raises(RateLimited):
        take(limit)
    give_back([])  # nothing to give back is fine


def test_hits_older_than_the_window_no_longer_count(ctx: Flask) -> None:
    with db.session.begin():
        db.session.add(RateLimitHit(key="old", at=utc_now() - timedelta(seconds=61)))
    limit = [("old", Limit(1, timedelta(seconds=60)))]
    assert len(take(limit)) == 1
    with pytest.raises(RateLimited):
        take(limit)
