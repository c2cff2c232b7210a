"""Security through the test client: CSRF on every POST, response headers, the session cookie, the learner
bound to it, and the article pages that must not give answers away."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.bank import QuestionBank
from quizapp.domain.question_types import SCORED_TYPES
from quizapp.domain.questions import Question, QuestionType
from quizapp.extensions import db
from quizapp.models import Attempt, Learner, Response
from quizapp.services.attempt_views import SlotView
from tests.web.taking import attempt_slots, fields_for, form_posting_to, start_selection, token


def database_state(app: Flask) -> tuple[object, ...]:
    """What any POST could change: attempts and their states, stored answers, learners and their names."""
    with app.app_context():
        return (
            tuple(db.session.execute(db.select(Attempt.public_id, Attempt.state, Attempt.score)).all()),
            db.session.scalar(db.select(db.func.count()).select_from(Response)),
            tuple(db.session.execute(db.select(Learner.token, Learner.display_name)).all()),
        )


def post_data(route: str, slot: SlotView) -> dict[str, object]:
    """A valid submission to `route` but for its CSRF token."""
    return {
        "/quiz": {"count": 5, "mode": "test"},
        "/quiz/selection": {"question_ids": slot.question.id, "mode": "practice"},
        "/attempts/{id}/1": {**fields_for(slot, "right"), "go": "finish"},
        "/attempts/{id}/finish": {},
        "/my-results/name": {"display_name": "Mallory"},
    }[route]


ROUTES = ["/quiz", "/quiz/selection", "/attempts/{id}/1", "/attempts/{id}/finish", "/my-results/name"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("sent_token", ["missing", "forged", "another browser's"])
def test_post_without_a_valid_csrf_token_is_refused(
    app: Flask,
    client: FlaskClient,
    other_client: FlaskClient,
    bank: QuestionBank,
    route: str,
    sent_token: str,
) -> None:
    """Every POST needs this session's token: otherwise 400 with the app's page, and nothing changes."""
    question = next(q for q in bank.questions if q.type is QuestionType.SINGLE_CHOICE)
    public_id = start_selection(client, [question.id])
    data = post_data(route, attempt_slots(app, public_id)[0])
    if sent_token != "missing":
        data["csrf_token"] = "forged-token" if sent_token == "forged" else token(other_client)
    before = database_state(app)
    response = client.post(route.format(id=public_id), data=data)
    assert response.status_code == 400
    assert "The form had expired or came from another site, so nothing was saved." in response.get_data(
        as_text=True
    )
    assert database_state(app) == before


def test_the_same_posts_with_the_token_do_change_things(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """The control for the test above: with the token, each of those POSTs is accepted."""
    question = next(q for q in bank.questions if q.type is QuestionType.SINGLE_CHOICE)
    public_id = start_selection(client, [question.id])
    for route in ROUTES:
        data = {**post_data(route, attempt_slots(app, public_id)[0]), "csrf_token": token(client)}
        response = client.post(route.format(id=public_id), data=data)
        assert response.status_code == 302, (route, response.status_code)


PAGES = [
    "/",
    "/article",
    "/article/p1s1",
    "/my-results",
    "/attempts/{id}/1",
    "/attempts/{id}/finish",
    "/nowhere",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_security_headers(client: FlaskClient, bank: QuestionBank, path: str) -> None:
    """CSP (no framing, own scripts only), nosniff, no framing, and a referrer policy on every page."""
    public_id = start_selection(client, [bank.questions[0].id])
    headers = client.get(path.format(id=public_id)).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")


def test_session_cookie_is_httponly_and_samesite_lax(client: FlaskClient, bank: QuestionBank) -> None:
    """The cookie that names the learner cannot be read by scripts nor sent by other sites' forms."""
    client.get("/")
    response = client.post(
        "/quiz/selection",
        data={"question_ids": bank.questions[0].id, "mode": "test", "csrf_token": token(client)},
    )
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    attributes = {part.strip().split("=")[0].lower() for part in cookies[-1].split(";")}
    assert {"httponly", "expires"} <= attributes
    assert "SameSite=Lax" in cookies[-1]


@pytest.mark.parametrize("cookie", ["none", "forged"])
def test_an_attempt_is_bound_to_the_browsers_cookie(
    client: FlaskClient, bank: QuestionBank, cookie: str
) -> None:
    """Without its own session cookie (dropped, or replaced by a forged one) a browser loses the attempt."""
    public_id = start_selection(client, [bank.questions[0].id])
    assert client.get(f"/attempts/{public_id}/1").status_code == 200
    client.delete_cookie("session")
    if cookie == "forged":
        client.set_cookie("session", "eyJsZWFybmVyIjoieCJ9.forged.signature")
    assert client.get(f"/attempts/{public_id}/1").status_code == 404
    assert client.get(f"/attempts/{public_id}/results").status_code == 404


def grounded_anchors(bank: QuestionBank) -> dict[str, list[Question]]:
    """Per sentence anchor, the bank's questions that quote that sentence."""
    assert bank.article is not None
    anchors: dict[str, list[Question]] = {}
    for question in bank.questions:
        for sentence in bank.article.find_span(question.source):
            anchors.setdefault(sentence.anchor, []).append(question)
    return anchors


def test_article_gives_every_sentence_an_anchor_and_links_the_quoted_ones(
    client: FlaskClient, bank: QuestionBank
) -> None:
    """Each sentence is a span with its anchor id; sentences quoted by questions link to /article/<anchor>."""
    assert bank.article is not None
    text = html.unescape(client.get("/article").get_data(as_text=True))
    spans = re.findall(r'<span class="sentence" id="(p\d+s\d+)">(.*?)</span>', text, re.S)
    assert spans == [(s.anchor, s.text) for s in bank.article.sentences]
    linked = re.findall(r'href="/article/(p\d+s\d+)"', text)
    assert sorted(linked) == sorted(grounded_anchors(bank))


def sample_sentences(bank: QuestionBank) -> dict[str, list[Question]]:
    """A quoted sentence for every question type, and the sentence quoted by the most questions."""
    anchors = grounded_anchors(bank)
    chosen = {next(a for a, qs in anchors.items() if any(q.type is t for q in qs)) for t in SCORED_TYPES}
    chosen.add(max(anchors, key=lambda a: len(anchors[a])))
    return {a: anchors[a] for a in sorted(chosen)}


def test_sentence_pages_list_prompts_but_no_answers(client: FlaskClient, bank: QuestionBank) -> None:
    """A quoted sentence's page lists its questions' prompts and offers to practise exactly them."""
    for anchor, questions in sample_sentences(bank).items():
        text = html.unescape(client.get(f"/article/{anchor}").get_data(as_text=True))
        for question in questions:
            assert question.kind.shown_prompt(question) in text, (anchor, question.id)  # a cloze's: blanked
            assert question.kind.key_in_prompt is (question.prompt not in text), (anchor, question.id)
            assert question.explanation not in text, (anchor, question.id)
        assert "Correct answer" not in text and "→" not in text and 'class="verdict"' not in text
        form = form_posting_to(text, "/quiz/selection")
        assert sorted(form.fields["question_ids"][0].split(",")) == sorted(q.id for q in questions)


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("The probe landed.", "“The probe landed.”"),
        ("“We must be bold,” said Xiong Tianci.", "“We must be bold,” said Xiong Tianci."),
        ("“A whole quotation.”", "“A whole quotation.”"),
    ],
)
def test_a_quoted_source_gets_one_pair_of_marks(app: Flask, source: str, shown: str) -> None:
    """A sentence that opens by quoting someone is not shown as '““We…'."""
    assert app.jinja_env.filters["quoted"](source) == shown
