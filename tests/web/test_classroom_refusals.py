"""Everything a classroom session refuses, through the test client: wrong, malformed and closed codes, late
joining, bad and duplicate names, the join rate limit (shared by two apps on one database, as two server
workers), another browser's place, another teacher's session (404 on every route, read from the URL map),
signed-out teachers, and CSRF on every POST. Each refusal also checks that nothing was stored.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from quizapp.domain.sessions import JOIN_ALPHABET
from quizapp.extensions import db
from quizapp.models import ClassSession, Participant
from tests.conftest import make_app
from tests.databases import close_connections
from tests.web.classroom_steps import (
    ClassRun,
    Student,
    answer,
    classroom_state,
    join,
    join_student,
    open_session,
    session_fields,
    session_responses,
    slot_at,
    step,
    text_of,
    token,
)
from tests.web.taking import fields_for
from tests.web.teachers import ADA, GRACE, make_set, sign_in_teacher

TEACHER_BLUEPRINTS = ("classroom.", "reports.")


@pytest.fixture
def teacher(app: Flask, client: FlaskClient) -> FlaskClient:
    """Ada, signed in."""
    return sign_in_teacher(app, client, ADA)


@pytest.fixture
def run(teacher: FlaskClient) -> ClassRun:
    """Ada's teacher-paced session, in its lobby."""
    return open_session(teacher)


def participants(app: Flask) -> list[str]:
    """Every display name in every session, removed or not."""
    with app.app_context():
        return list(db.session.scalars(db.select(Participant.display_name).order_by(Participant.id)))


def other_code(code: str) -> str:
    """A well-formed code that is not `code`."""
    last = JOIN_ALPHABET[(JOIN_ALPHABET.index(code[-1]) + 1) % len(JOIN_ALPHABET)]
    return code[:-1] + last


# ---- codes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param(other_code, "No open session has this code", id="wrong"),
        pytest.param(lambda c: c[:5], "A join code has 6 letters and digits", id="too-short"),
        pytest.param(lambda c: c + "A", "A join code has 6 letters and digits", id="too-long"),
        pytest.param(lambda c: c[:5] + "0", "A join code has 6 letters and digits", id="zero"),
        pytest.param(lambda c: c[:5] + "O", "A join code has 6 letters and digits", id="letter-o"),
        pytest.param(lambda c: c[:5] + "1", "A join code has 6 letters and digits", id="one"),
        pytest.param(lambda c: c[:5] + "I", "A join code has 6 letters and digits", id="letter-i"),
        pytest.param(lambda c: c[:5] + "L", "A join code has 6 letters and digits", id="letter-l"),
        pytest.param(lambda c: "<script>", "A join code has 6 letters and digits", id="markup"),
    ],
)
def test_a_wrong_or_malformed_code_says_so(
    app: Flask, other_client: FlaskClient, run: ClassRun, typed: Callable[[str], str], message: str
) -> None:
    refused = join(other_client, typed(run.code), "Li Wei")
    assert refused.status_code == 404
    assert message in text_of(refused) and 'aria-invalid="true"' in text_of(refused)
    assert participants(app) == []


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(str.lower, id="lower-case"),
        pytest.param(lambda c: f" {c[:3]} {c[3:]} ", id="spaces"),
        pytest.param(lambda c: f"{c[:3]}-{c[3:]}", id="dash"),
    ],
)
def test_a_code_typed_loosely_is_accepted(
    app: Flask, other_client: FlaskClient, run: ClassRun, typed: Callable[[str], str]
) -> None:
    joined = join(other_client, typed(run.code), "Li Wei")
    assert joined.status_code == 302 and joined.headers["Location"] == f"/play/{run.public_id}"
    assert participants(app) == ["Li Wei"]


def test_an_empty_code_is_asked_for(app: Flask, other_client: FlaskClient, run: ClassRun) -> None:
    refused = join(other_client, "", "Li Wei")
    assert refused.status_code == 400 and "Type the code shown by your teacher." in text_of(refused)
    assert participants(app) == []


def test_a_closed_session_takes_nobody(
    app: Flask, teacher: FlaskClient, other_client: FlaskClient, run: ClassRun
) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    step(teacher, run, "close")
    refused = join(other_client, run.code, "Li Wei")
    assert refused.status_code == 404 and "No open session has this code" in text_of(refused)
    assert participants(app) == ["Ana"]
    back = join(ana.client, run.code, "Ana")  # even a student who had joined
    assert back.status_code == 404


def test_the_code_on_the_board_prefills_the_form(other_client: FlaskClient, run: ClassRun) -> None:
    page = text_of(other_client.get(f"/join/{run.code}"))
    assert f'value="{run.code}"' in page and 'for="name"' in page


@pytest.mark.parametrize("late_join", [True, False])
def test_joining_after_the_start(app: Flask, teacher: FlaskClient, late_join: bool) -> None:
    run = open_session(teacher, late_join=late_join)
    early = join_student(app, app.test_client(), run.code, "Early")
    step(teacher, run, "start")
    late = join(app.test_client(), run.code, "Late")
    if late_join:
        assert late.status_code == 302 and participants(app) == ["Early", "Late"]
    else:
        assert late.status_code == 404 and "does not take late arrivals" in text_of(late)
        assert participants(app) == ["Early"]
    again = join(early.client, run.code, "Early")  # who joined in time always gets their place back
    assert again.status_code == 302 and again.headers["Location"] == early.play


# ---- names


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        pytest.param("", 400, "Type the name your teacher will see.", id="empty"),
        pytest.param("    ", 400, "at least one letter or digit", id="spaces"),
        pytest.param("\u200b\u200c\u200d\ufeff", 400, "at least one letter or digit", id="zero-width"),
        pytest.param("\u202e\u2066\u2069", 400, "at least one letter or digit", id="direction-marks"),
        pytest.param("\x07\x1b\x7f\x9b", 400, "at least one letter or digit", id="control"),
        pytest.param("!!! ???", 400, "at least one letter or digit", id="punctuation"),
        pytest.param("x" * 31, 400, "Use at most 30 characters.", id="31-characters"),
        pytest.param("x" * 61, 400, "", id="61-characters"),
        pytest.param("li wei", 409, "already called", id="lower-case"),
        pytest.param("LI WEI", 409, "already called", id="upper-case"),
        pytest.param("  Li    Wei ", 409, "already called", id="spaced"),
        pytest.param("Ｌｉ Ｗｅｉ", 409, "already called", id="full-width"),
        pytest.param("Li\u200b Wei", 409, "already called", id="zero-width-inside"),
    ],
)
def test_a_name_that_cannot_be_used(
    app: Flask, other_client: FlaskClient, run: ClassRun, name: str, status: int, message: str
) -> None:
    join_student(app, app.test_client(), run.code, "Li Wei")
    refused = join(other_client, run.code, name)
    assert refused.status_code == status
    assert message in text_of(refused)
    assert participants(app) == ["Li Wei"]
    assert other_client.get(f"/play/{run.public_id}").status_code == 404


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("  Ana   Lopez  ", "Ana Lopez"),
        ("Zo\u00eb", "Zoë"),
        ("Zoe\u0308", "Zoë"),  # the same letter, decomposed: normalised
        ("Ana\u200b", "Ana"),
        ("x" * 30, "x" * 30),
        ("<b>Bo</b>", "<b>Bo</b>"),  # kept as typed, shown escaped
        ('Bo" onmouseover="x', 'Bo" onmouseover="x'),  # quotes cannot leave an attribute
    ],
)
def test_a_name_is_cleaned_before_it_is_shown(
    app: Flask, teacher: FlaskClient, run: ClassRun, typed: str, shown: str
) -> None:
    assert join(app.test_client(), run.code, typed).status_code == 302
    assert participants(app) == [shown]
    for page in (run.board, f"{run.board}/live"):  # the live view's rows are built outside Jinja: escaped too
        board = teacher.get(page).get_data(as_text=True)
        assert "<b>Bo</b>" not in board and ("&lt;b&gt;Bo&lt;/b&gt;" in board) is (shown == "<b>Bo</b>")
        assert ('aria-label="Remove &lt;b&gt;Bo&lt;/b&gt;"' in board) is (shown == "<b>Bo</b>")
        assert 'Bo" onmouseover' not in board and ("Bo&#34; onmouseover" in board) is shown.startswith('Bo"')


# ---- the join rate limit, shared by the server's workers


@pytest.fixture
def workers(database: Path) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on the same database file (two server workers) that allow 3 wrong codes per address."""
    apps = (make_app(database, JOIN_LIMIT="3/300"), make_app(database, JOIN_LIMIT="3/300"))
    yield apps
    for worker in apps:
        with worker.app_context():
            close_connections()


def test_wrong_codes_are_limited_across_workers(
    app: Flask, run: ClassRun, workers: tuple[Flask, Flask]
) -> None:
    first, second = workers
    for name in ("Ana", "Ben", "Cai", "Dev"):  # right codes never count
        assert join(first.test_client(), run.code, name).status_code == 302
    wrong = other_code(run.code)
    assert join(first.test_client(), wrong, "Eve").status_code == 404
    assert join(first.test_client(), "12345", "Eve").status_code == 404
    assert join(second.test_client(), wrong, "Eve").status_code == 404  # the third, on the other worker
    for worker in (second, first):
        refused = join(worker.test_client(), wrong, "Eve")
        assert refused.status_code == 429 and "Too many wrong codes" in text_of(refused)
    # a class behind one school address: the wrong codes of a few do not shut out the others' right code
    for worker, name in ((first, "Fay"), (second, "Gus")):
        assert join(worker.test_client(), run.code, name).status_code == 302
    assert participants(app) == ["Ana", "Ben", "Cai", "Dev", "Fay", "Gus"]
    elsewhere = second.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert join(elsewhere, wrong, "Hal").status_code == 404  # another address has its own count


# ---- another browser cannot be this student


def test_another_browser_cannot_see_or_answer_for_a_student(
    app: Flask, teacher: FlaskClient, run: ClassRun, other_client: FlaskClient
) -> None:
    ana = join_student(app, app.test_client(), run.code, "Ana")
    other_run = open_session(teacher)
    join_student(app, other_client, other_run.code, "Mallory")  # a student, but of another session
    step(teacher, run, "start")
    fields = fields_for(slot_at(app, ana, 1), "right")
    data = {**fields, "position": "1", "csrf_token": token(other_client)}
    attempt = f"/attempts/{ana.attempt_id}"
    for browser in (other_client, app.test_client()):
        data["csrf_token"] = token(browser)
        assert browser.get(ana.play).status_code == 404
        assert browser.get(f"{ana.play}/stamp").json == {"stamp": "running.1.open"}  # the session's only
        assert browser.post(f"{ana.play}/answer", data=data).status_code == 404
        assert browser.get(f"{ana.play}/flag/1").status_code == 404
        assert browser.post(f"{ana.play}/flag/1", data=data).status_code == 404
        for path in (attempt, f"{attempt}/1", f"{attempt}/finish", f"{attempt}/results"):
            assert browser.get(path).status_code == 404, path
        assert browser.post(f"{attempt}/1", data=data).status_code == 404
    assert session_responses(app, run.public_id) == 0
    assert answer(app, ana, "right").status_code == 303  # Ana herself still can
    assert session_responses(app, run.public_id) == 1


def test_unknown_sessions_are_not_found(other_client: FlaskClient, teacher: FlaskClient) -> None:
    for path in ("/play/nope", "/play/nope/stamp", "/play/nope/flag/1"):
        assert other_client.get(path).status_code == 404
    assert teacher.get("/teacher/sessions/nope").status_code == 404


# ---- another teacher's session: 404 on every route, read from the URL map


def teacher_rules(app: Flask) -> list[Rule]:
    """The classroom and reports routes (the reports blueprint is included once it is registered)."""
    rules = (r for r in app.url_map.iter_rules() if r.endpoint.startswith(TEACHER_BLUEPRINTS))
    return sorted(rules, key=lambda r: (r.rule, r.endpoint))


def route_cases(owned_only: bool) -> list[tuple[str, str]]:
    """(endpoint, method) of every teacher route (only those naming a session or a set if `owned_only`)."""
    app = make_app(Path(tempfile.gettempdir()) / "quizapp-classroom-routes.sqlite3")  # never connected
    return [
        (rule.endpoint, method)
        for rule in teacher_rules(app)
        if not owned_only or {"public_id", "set_id"} & rule.arguments
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


OWNED_ROUTES = route_cases(owned_only=True)
ALL_ROUTES = route_cases(owned_only=False)


def test_the_route_lists_cover_the_classroom_blueprint() -> None:
    owned = {endpoint for endpoint, _ in OWNED_ROUTES}
    assert {
        "classroom.show",
        "classroom.live",
        "classroom.stamp",
        "classroom.start",
        "classroom.reveal",
        "classroom.next_question",
        "classroom.close",
        "classroom.remove",
    } <= owned
    assert {"classroom.index", "classroom.new"} <= {endpoint for endpoint, _ in ALL_ROUTES}


def route_url(app: Flask, endpoint: str, values: dict[str, object]) -> str:
    """The endpoint's URL with these values (the others of its rule get "x", or 1 for numbers)."""
    rule = next(app.url_map.iter_rules(endpoint))
    filled = {name: values.get(name, 1 if f"<int:{name}>" in rule.rule else "x") for name in rule.arguments}
    with app.test_request_context():
        return url_for(endpoint, **filled)


@pytest.fixture
def owned(app: Flask, other_client: FlaskClient) -> dict[str, object]:
    """Ada's session (signed in in another browser) with one student, and Ada's own set."""
    ada = sign_in_teacher(app, other_client, ADA)
    run = open_session(ada)
    student = join_student(app, app.test_client(), run.code, "Ana")
    return {
        "public_id": run.public_id,
        "participant_id": student.participant_id,
        "set_id": make_set(app, ADA),
        "browser": ada,
    }


@pytest.mark.parametrize(("endpoint", "method"), OWNED_ROUTES)
def test_another_teacher_gets_404_and_changes_nothing(
    app: Flask, client: FlaskClient, owned: dict[str, object], endpoint: str, method: str
) -> None:
    grace = sign_in_teacher(app, client, GRACE, "Grace Hopper")
    own = open_session(grace)
    join_student(app, app.test_client(), own.code, "Gus")
    before = classroom_state(app)
    targets = [
        route_url(app, endpoint, owned),  # Ada's session
        route_url(app, endpoint, {**owned, "public_id": "no-such-session", "set_id": 99999}),
    ]
    if "participant_id" in next(app.url_map.iter_rules(endpoint)).arguments:
        targets.append(route_url(app, endpoint, {**owned, "public_id": own.public_id}))  # Ada's student
    data = {"csrf_token": token(grace), "position": "1", "next_page": "live"}
    for target in targets:
        response = grace.open(target, method=method, data=data if method == "POST" else None)
        assert response.status_code == 404, target
    assert classroom_state(app) == before


def test_another_teachers_set_cannot_start_a_session(
    app: Flask, client: FlaskClient, owned: dict[str, object]
) -> None:
    grace = sign_in_teacher(app, client, GRACE, "Grace Hopper")
    path = f"/teacher/sessions/new?set={owned['set_id']}"
    assert grace.get(path).status_code == 404
    data = {**session_fields(), "csrf_token": token(grace)}
    assert grace.post(path, data=data).status_code == 404
    assert grace.get("/teacher/sessions/new?set=banana").status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ClassSession.id))) == 1


@pytest.mark.parametrize("endpoint", sorted({e for e, m in OWNED_ROUTES if m == "GET"}))
def test_the_owner_opens_the_same_urls(app: Flask, owned: dict[str, object], endpoint: str) -> None:
    """The URLs above are real pages: only ownership made them 404 (checked on a closed session)."""
    ada = owned["browser"]
    assert isinstance(ada, FlaskClient)
    step(ada, ClassRun(str(owned["public_id"]), ""), "close")
    assert ada.get(route_url(app, endpoint, owned)).status_code == 200


@pytest.mark.parametrize(("endpoint", "method"), ALL_ROUTES)
def test_a_signed_out_browser_is_sent_to_sign_in(
    app: Flask, client: FlaskClient, owned: dict[str, object], endpoint: str, method: str
) -> None:
    target = route_url(app, endpoint, owned)
    before = classroom_state(app)
    data = {"csrf_token": token(client), "position": "0"} if method == "POST" else None
    response = client.open(target, method=method, data=data)
    assert response.status_code == 302
    back = target if method == "GET" else None  # a form's address answers POST only: no way back to it
    assert response.headers["Location"] == "/teacher/login" + (
        f"?next={quote(back, safe='')}" if back else ""
    )
    assert classroom_state(app) == before


# ---- CSRF on every POST


def post_routes() -> list[str]:
    """Every POST endpoint of the classroom, join and reports blueprints."""
    app = make_app(Path(tempfile.gettempdir()) / "quizapp-classroom-routes.sqlite3")  # never connected
    return sorted(
        {
            r.endpoint
            for r in app.url_map.iter_rules()
            if "POST" in r.methods and r.endpoint.startswith(("classroom.", "join.", "reports."))
        }
    )


POSTS = post_routes()
RUNNING_FIRST = {"classroom.reveal", "classroom.next_question", "join.answer"}


def test_every_post_of_the_flow_has_a_recipe_below() -> None:
    assert {
        "classroom.new",
        "classroom.start",
        "classroom.reveal",
        "classroom.next_question",
        "classroom.close",
        "classroom.remove",
        "classroom.readmit",
        "join.join",
        "join.answer",
        "join.flag",
    } <= set(POSTS)


def csrf_request(
    app: Flask, endpoint: str, run: ClassRun, ana: Student, teacher: FlaskClient
) -> tuple[FlaskClient, str, dict[str, object]]:
    """Who sends the POST, where, and the form (valid but for the token) that would change something."""
    play = f"/play/{run.public_id}"
    if endpoint == "join.join":
        return app.test_client(), "/join", {"code": run.code, "name": "Newcomer"}
    if endpoint == "join.answer":
        return (
            ana.client,
            f"{play}/answer",
            {**fields_for(slot_at(app, ana, 1), "right"), "position": "1"},
        )
    if endpoint == "join.flag":
        return ana.client, f"{play}/flag/1", {"comment": "Looks wrong", "back": play}
    if endpoint == "classroom.new":
        return teacher, "/teacher/sessions/new?set=bank", session_fields()
    values = {"public_id": run.public_id, "participant_id": ana.participant_id}
    form = {"position": "1" if endpoint in RUNNING_FIRST else "0", "confirmed": "yes"}  # the second step's
    if endpoint == "classroom.extra_time":
        form["extra_time"] = "2"
    return teacher, route_url(app, endpoint, values), form


@pytest.mark.parametrize("endpoint", POSTS)
def test_a_post_without_its_csrf_token_is_refused(
    app: Flask, teacher: FlaskClient, run: ClassRun, endpoint: str
) -> None:
    """400 and nothing changes; the same form with its token then does change something."""
    ana = join_student(app, app.test_client(), run.code, "Ana")
    if endpoint in RUNNING_FIRST:
        step(teacher, run, "start")
    if endpoint == "classroom.readmit":  # only a removed student can be let back in
        remove = f"{run.board}/participants/{ana.participant_id}/remove"
        teacher.post(remove, data={"csrf_token": token(teacher), "confirmed": "yes"})
    browser, target, data = csrf_request(app, endpoint, run, ana, teacher)
    before = classroom_state(app)
    for token_sent in ({}, {"csrf_token": "forged"}):
        refused = browser.post(target, data={**data, **token_sent})
        assert refused.status_code == 400
        assert classroom_state(app) == before
    if not endpoint.startswith(("classroom.", "join.")):
        return  # a route added later: its refusal above is what is checked
    accepted = browser.post(target, data={**data, "csrf_token": token(browser)})
    assert accepted.status_code in (302, 303), accepted.status_code
    assert classroom_state(app) != before
