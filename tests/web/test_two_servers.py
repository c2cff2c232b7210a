"""Two app servers on one database, as behind a load balancer (docs/deployment.md, "Several app servers").

Two gunicorn servers (2 workers each, `make run`'s worker class) on different ports serve the same database
(one SQLite file, or the run's PostgreSQL database) with the same SECRET_KEY and instance folders of their
own. Any request may reach either server, so:

- a teacher-paced class session opened on server A: the students join alternately through A and B, and answer
  question 1 all at once, half through each server (half of them through the other server than the one they
  joined on: their cookie and their forms hold there too). The database holds exactly one answer per student
  with the points the key gives; no response and neither server's log says "database is locked" or shows a
  traceback;
- the teacher's live view (the board, the live page, the teacher's stamp) is read from the database on every
  request: the same answered count and stamp on both servers at once. The students' stamp is kept up to
  STAMP_CACHE_SECONDS (0.5 s, the staleness the deployment guide states) in each worker: after the teacher
  moves on (on A, then on B), both servers serve the new stamp within that bound, and every request sent after
  it gets the new stamp;
- phones waiting on either server (long polling: a stamp poll `?after=` its page's stamp is held until the
  stamp changes) hold no worker, and all hear of the teacher's step within that staleness plus the half second
  a waiting poll takes to reread its worker's memory;
- wrong join codes and failed sign-ins are counted in the database: a burst split over A and B lets exactly
  the limit through in all (JOIN_LIMIT 3, LOGIN_LIMIT_ACCOUNT 5), then both servers refuse (429); a right join
  code still gets in on both, a right password does not.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from quizapp.config import load_config
from quizapp.domain.sessions import JOIN_ALPHABET
from quizapp.services.stamp_cache import stamp_of
from tests.conftest import csrf_token
from tests.databases import query
from tests.web.gunicorn_class import (
    BAD,
    EMAIL,
    PASSWORD,
    TIMEOUT,
    Browser,
    answer_at_once,
    answer_forms,
    first_questions,
    join,
    open_class,
    stored_answers,
)
from tests.web.live_gunicorn import ROOT, Server, flask_command, gunicorn
from tests.web.taking import How, expected_points

STUDENTS = 36
SHAPE = (2, 1)  # per server: 2 worker processes of `make run`'s worker class
JOIN_LIMIT, LOGIN_LIMIT = 3, 5
SETTINGS = {
    "SECRET_KEY": "two-servers-one-key",  # the same on every server (docs/deployment.md)
    "ARGON2_MEMORY_KIB": "1024",
    "JOIN_LIMIT": f"{JOIN_LIMIT}/300",
    "LOGIN_LIMIT_ACCOUNT": f"{LOGIN_LIMIT}/900",
}
OTHER_TEACHERS = {"bea@school.org": "another horse battery", "cy@school.org": "a third horse battery"}
MARGIN = 1.5  # seconds: the polls' own latency on a busy 2-core machine, beyond the stated staleness
FRESH_READS = 8  # per server, each on a new connection (so that both workers answer some)


def stated_staleness(folder: Path) -> float:
    """STAMP_CACHE_SECONDS as the app is configured, checked against what docs/deployment.md states."""
    seconds = float(load_config(folder)["STAMP_CACHE_SECONDS"])  # type: ignore[arg-type]
    guide = (ROOT / "docs" / "deployment.md").read_text()
    assert f"`STAMP_CACHE_SECONDS` ({seconds:g} s" in guide, "docs/deployment.md states another staleness"
    return seconds


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """Server A on a fresh database with the teachers' accounts, then server B on the same database."""
    with gunicorn(tmp_path_factory.mktemp("server-a"), shape=SHAPE, **SETTINGS) as a:
        teachers = {EMAIL: PASSWORD, **OTHER_TEACHERS}
        # made while server B starts: its init-db must wait for their writes, not fail ("database is locked")
        with ThreadPoolExecutor(max_workers=len(teachers)) as pool:
            made = [
                pool.submit(flask_command, a.env, "users", "create-teacher", email, "--password", password)
                for email, password in teachers.items()
            ]
            folder = tmp_path_factory.mktemp("server-b")
            with gunicorn(folder, shape=SHAPE, database=a.database, **SETTINGS) as b:
                for future in made:
                    assert future.result().returncode == 0, future.result().stderr
                assert b.database == a.database and b.url != a.url
                assert b.env["QUIZAPP_INSTANCE_PATH"] != a.env["QUIZAPP_INSTANCE_PATH"]
                yield a, b


@pytest.fixture(scope="module")
def staleness(tmp_path_factory: pytest.TempPathFactory) -> float:
    return stated_staleness(tmp_path_factory.mktemp("config"))


def assert_clean_logs(*servers: Server) -> None:
    for server in servers:
        log = server.log.read_text()
        assert not any(bad in log for bad in BAD), log


def fresh_get(server: Server, path: str) -> requests.Response:
    """A GET on a new connection, which the server closes after answering (so any worker may serve it)."""
    response = requests.get(server.url + path, headers={"Connection": "close"}, timeout=TIMEOUT)
    assert response.status_code == 200, (path, response.status_code, response.text)
    return response


def students_stamp(server: Server, public_id: str) -> str:
    stamp: str = fresh_get(server, f"/play/{public_id}/stamp").json()["stamp"]
    return stamp


def stored_stamp(database: str, public_id: str) -> str:
    """The students' stamp as the database holds it now."""
    [(state, position, question_state)] = query(
        database,
        "SELECT state, position, question_state FROM class_session WHERE public_id = :public_id",
        public_id=public_id,
    )
    return stamp_of(state, position, question_state)


def students_see_the_move(
    servers: tuple[Server, ...], public_id: str, move: Callable[[], None], staleness: float
) -> dict[str, float]:
    """Fill every worker's stamp cache, make the teacher's move, then poll both servers: each must serve the
    new stamp within `staleness` (+ the polls' latency), and every request sent once `staleness` has passed
    since the move must get it. Returns the seconds after the move at which each server first served it."""
    database = servers[0].database
    old = stored_stamp(database, public_id)
    for server in servers:  # each worker keeps the old stamp for `staleness` from now
        assert {students_stamp(server, public_id) for _ in range(FRESH_READS)} == {old}
    move()
    moved = time.monotonic()  # the move is committed before the teacher's response
    new = stored_stamp(database, public_id)
    assert new != old
    first_seen: dict[str, float] = {}
    while len(first_seen) < len(servers) and time.monotonic() < moved + staleness + MARGIN:
        for server in servers:
            if server.url not in first_seen and students_stamp(server, public_id) == new:
                first_seen[server.url] = time.monotonic() - moved
    assert sorted(first_seen) == sorted(s.url for s in servers), (first_seen, staleness + MARGIN)
    # A worker's stamp was read before the move was committed, so it is read again from `staleness` after it
    time.sleep(max(0.0, moved + staleness - time.monotonic()))
    for server in servers:
        assert [students_stamp(server, public_id) for _ in range(FRESH_READS)] == [new] * FRESH_READS
    return first_seen


def test_a_class_spread_over_two_servers(servers: tuple[Server, Server], staleness: float) -> None:
    a, b = servers
    ada, public_id, code = open_class(a)
    ada_on_b = Browser(b, http=ada.http)  # the same browser, its requests sent to the other server
    names = [f"Student {n:02d}" for n in range(STUDENTS)]
    joins_on = {name: servers[n % 2] for n, name in enumerate(names)}
    with ThreadPoolExecutor(max_workers=10) as pool:
        joined = pool.map(lambda name: join(joins_on[name], code, name), names)
        students = dict(zip(names, joined, strict=True))
    # half answer through each server, and half through the other server than the one they joined on
    for n, name in enumerate(names):
        students[name].server = servers[(n // 2) % 2]
    assert sum(s.server is a for s in students.values()) == STUDENTS // 2
    assert sum(s.server is not joins_on[name] for name, s in students.items()) == STUDENTS // 2
    ada.call("POST", f"/teacher/sessions/{public_id}/start", 302, position=0, csrf_token=ada.token)

    questions = first_questions(a.database, public_id)
    assert sorted(questions) == names
    how: dict[str, How] = {name: "right" if n % 3 else "wrong" for n, name in enumerate(names)}
    forms = answer_forms(questions, how, SETTINGS["SECRET_KEY"])
    barrier = threading.Barrier(STUDENTS)
    play = f"/play/{public_id}"
    with ThreadPoolExecutor(max_workers=STUDENTS) as pool:
        futures = {
            name: pool.submit(answer_at_once, students[name], play, forms[name], barrier) for name in names
        }
        pages = {name: future.result() for name, future in futures.items()}

    assert all("Answer saved" in page for page in pages.values())
    stored = stored_answers(a.database, public_id)
    assert len(stored) == STUDENTS and sorted(name for name, _, _ in stored) == names  # one each
    for name, version, points in stored:
        assert version == questions[name][0]
        assert points == pytest.approx(expected_points(questions[name][1], how[name]))

    # The teacher's views are read from the database on every request: the same on both servers, at once
    for teacher in (ada, ada_on_b):
        board = teacher.call("GET", f"/teacher/sessions/{public_id}", 200).text
        assert f"<strong>{STUDENTS}</strong> of {STUDENTS} answered" in board
        live = teacher.call("GET", f"/teacher/sessions/{public_id}/live", 200).text
        assert re.search(rf">\s*{STUDENTS} answered", live), live
    teacher_stamps = {
        t.call("GET", f"/teacher/sessions/{public_id}/stamp", 200).json()["stamp"] for t in (ada, ada_on_b)
    }
    assert len(teacher_stamps) == 1

    # The students' stamp: the teacher reveals question 1 on A, then opens question 2 on B
    def step(teacher: Browser, change: str) -> Callable[[], None]:
        def move() -> None:
            teacher.call(
                "POST", f"/teacher/sessions/{public_id}/{change}", 302, position=1, csrf_token=ada.token
            )

        return move

    seen = {
        change: students_see_the_move(servers, public_id, step(teacher, change), staleness)
        for teacher, change in ((ada, "reveal"), (ada_on_b, "next"))
    }
    assert all(seconds <= staleness + MARGIN for moves in seen.values() for seconds in moves.values()), seen

    assert [p for browser in (ada, ada_on_b, *students.values()) for p in browser.problems] == []
    assert_clean_logs(a, b)


def wrong_code(right: str) -> str:
    """A well-formed join code that is not `right` (and no other open session's: the database has one)."""
    return next(c * 6 for c in JOIN_ALPHABET if c * 6 != right)


def try_code(browser: Browser, code: str) -> requests.Response:
    """Join with `code` from a browser that opened the join form (no status expected: the caller checks)."""
    response = browser.http.post(
        browser.server.url + "/join",
        data={"code": code, "name": "Guess", "csrf_token": browser.token},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    browser.problems.extend(f"POST /join: {bad}" for bad in BAD if bad in response.text)
    return response


def test_wrong_join_codes_are_counted_across_both_servers(servers: tuple[Server, Server]) -> None:
    a, b = servers
    _, _, code = open_class(b)
    wrong = wrong_code(code)
    guessers = [Browser(servers[n % 2]) for n in range(8)]  # 4 on each server, at once
    for guesser in guessers:
        guesser.open_form("/join")
    with ThreadPoolExecutor(max_workers=len(guessers)) as pool:
        statuses = [r.status_code for r in pool.map(lambda g: try_code(g, wrong), guessers)]
    assert sorted(statuses) == [404] * JOIN_LIMIT + [429] * (len(guessers) - JOIN_LIMIT)
    for server in servers:
        late = Browser(server)
        late.open_form("/join")
        refused = try_code(late, wrong)
        assert refused.status_code == 429 and "Too many wrong codes" in refused.text
        joined = join(server, code, f"Right code on {server.url[-5:]}")  # a right code still gets in
        assert joined.problems == []
        assert late.problems == []
    assert [p for g in guessers for p in g.problems] == []
    assert_clean_logs(a, b)


def sign_in(
    server: Server, cookies: dict[str, str], token: str, email: str, password: str
) -> requests.Response:
    """One sign-in attempt on a new connection."""
    response = requests.post(
        f"{server.url}/teacher/login",
        data={"email": email, "password": password, "csrf_token": token},
        cookies=cookies,
        headers={"Connection": "close"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert not any(bad in response.text for bad in BAD), response.text
    return response


def test_failed_sign_ins_are_counted_across_both_servers(servers: tuple[Server, Server]) -> None:
    a, b = servers
    page = fresh_get(a, "/teacher/login")  # the browser's cookie and token hold on both servers
    cookies, token = dict(page.cookies), csrf_token(page.text)
    [(email, password), (other, other_password)] = OTHER_TEACHERS.items()

    # one at a time, alternately: the 6th attempt is refused on either server, even with the right password
    for n in range(LOGIN_LIMIT):
        assert sign_in(servers[n % 2], cookies, token, email, "not the password").status_code == 400
    for server in servers:
        refused = sign_in(server, cookies, token, email, password)
        assert refused.status_code == 429 and "Too many attempts" in refused.text
        assert int(refused.headers["Retry-After"]) > 0

    # all at once, split over both servers: the limit lets exactly 5 through in all
    attempts = 12
    with ThreadPoolExecutor(max_workers=attempts) as pool:
        burst = list(
            pool.map(
                lambda n: sign_in(servers[n % 2], cookies, token, other, "not the password"), range(attempts)
            )
        )
    assert sorted(r.status_code for r in burst) == [400] * LOGIN_LIMIT + [429] * (attempts - LOGIN_LIMIT)
    for server in servers:
        assert sign_in(server, cookies, token, other, other_password).status_code == 429
    assert_clean_logs(a, b)


def test_another_server_starts_while_the_others_write(servers: tuple[Server, Server]) -> None:
    """A server starting (`make run` runs `flask init-db` first, which writes) while the others save answers
    waits for their writes: it does not refuse to start with "database is locked"."""
    a, b = servers
    engine = create_engine(a.database, poolclass=NullPool)
    stop, writes = threading.Event(), [0]

    def write() -> None:  # another server's writes, one after the other (a change of nothing)
        with engine.connect() as connection:
            while not stop.is_set():
                with connection.begin():
                    connection.execute(
                        text("UPDATE teacher SET name = name WHERE email = :email"), {"email": EMAIL}
                    )
                writes[0] += 1
                time.sleep(0.002)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        started = [flask_command(a.env, "init-db") for _ in range(2)]
    finally:
        stop.set()
        writer.join()
        engine.dispose()
    assert [s.returncode for s in started] == [0, 0], [s.stdout + s.stderr for s in started]
    assert writes[0] > 10
    assert_clean_logs(a, b)


WAITING = 40  # phones, half on each server, each with a stamp poll out (long polling)


def held_poll(server: Server, public_id: str, after: str) -> tuple[str, float]:
    """A phone's poll `?after=` its page's stamp: (the stamp it was answered with, when)."""
    response = requests.get(f"{server.url}/play/{public_id}/stamp", params={"after": after}, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()["stamp"], time.monotonic()


def test_phones_waiting_on_either_server_hear_of_the_move(
    servers: tuple[Server, Server], staleness: float
) -> None:
    """gevent workers hold a poll until the stamp changes (web/student_stamps.py): the phones waiting on both
    servers hold no worker (pages are served meanwhile) and hear of the teacher's move within the stated
    staleness plus the half second a waiting poll rereads its worker's memory (and the polls' latency)."""
    a, b = servers
    ada, public_id, _ = open_class(a)
    lobby = stored_stamp(a.database, public_id)
    with ThreadPoolExecutor(max_workers=WAITING) as pool:
        polls = [pool.submit(held_poll, servers[n % 2], public_id, lobby) for n in range(WAITING)]
        time.sleep(1.5)
        assert not any(poll.done() for poll in polls)  # nothing changed: every poll waits
        for server in servers:
            for path in ("/", "/join", f"/play/{public_id}/stamp"):
                fresh_get(server, path)  # served meanwhile
        ada.call("POST", f"/teacher/sessions/{public_id}/start", 302, position=0, csrf_token=ada.token)
        moved = time.monotonic()
        answered = [poll.result(timeout=TIMEOUT) for poll in polls]
    started = stored_stamp(a.database, public_id)
    assert started != lobby
    assert {stamp for stamp, _ in answered} == {started}
    assert max(at - moved for _, at in answered) <= staleness + 0.5 + MARGIN
    assert ada.problems == []
    assert_clean_logs(a, b)


def test_a_stopping_server_answers_its_waiting_phones_at_once(
    servers: tuple[Server, Server], tmp_path: Path
) -> None:
    """A third server on the database; a phone's poll waits there; the server is told to stop (SIGTERM, as
    systemd or a restart does): the poll is answered at once with the same stamp (the phone asks again
    elsewhere), and the server stops in seconds, not after the poll's 20 s (gunicorn.conf.py)."""
    a, _ = servers
    ada, public_id, _ = open_class(a)
    lobby = stored_stamp(a.database, public_id)
    pid_file = tmp_path / "gunicorn.pid"
    with gunicorn(tmp_path, "--pid", str(pid_file), shape=SHAPE, database=a.database, **SETTINGS) as c:
        with ThreadPoolExecutor(max_workers=1) as pool:
            waiting = pool.submit(held_poll, c, public_id, lobby)
            time.sleep(1.5)
            assert not waiting.done()
            master = int(pid_file.read_text())
            told = time.monotonic()
            os.kill(master, signal.SIGTERM)
            stamp, answered = waiting.result(timeout=TIMEOUT)
        assert stamp == lobby
        assert answered - told < 5  # not the 20 s the poll may wait
        while pid_file.exists() and time.monotonic() - told < 15:
            time.sleep(0.1)
        assert not pid_file.exists(), "the server did not stop"  # gunicorn removes it when it has stopped
        assert time.monotonic() - told < 10
    assert ada.problems == []
