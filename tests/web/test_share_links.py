"""Share links through the test client: a student with no account opens /s/<token>, takes practice and test
quizzes on the teacher's set, reads feedback whose quotes link to the set's own text (/s/<token>/text#pNsM),
and practises their mistakes on the same set. Unknown, revoked and replaced links are 404.

Decided behaviour once a link is turned off: an attempt already started belongs to the learner and keeps
working to its results (feedback then quotes the text without linking to it), but the set takes no new quiz,
not even "Practise my mistakes". A replaced link keeps every attempt working; its links use the new address.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Attempt, QuestionSet
from quizapp.services import teacher_sets
from tests.conftest import get_token
from tests.unit.factories import make_question
from tests.web.homework import answer_all, finish, start
from tests.web.taking import (
    attempt_id_from,
    attempt_row,
    attempt_slots,
    count_rows,
    fields_for,
    form_posting_to,
    submit,
)
from tests.web.teachers import ADA, FIRST, make_set, page_text, share_set

ANCHORS = {"q1": "p1s2", "q2": "p2s1", "q3": "p1s1", "q4": "p2s2"}  # the sentence each one quotes


def quote_links(html: str) -> list[str]:
    """The addresses the feedback's quotes link to, in page order."""
    return re.findall(r'<blockquote class="source">.*?<footer>(?:<a href="([^"]+)")?', html, re.S)


def keys_of_attempt(app: Flask, public_id: str) -> list[str]:
    """The question ids of an attempt, in quiz order."""
    return [slot.question.id for slot in attempt_slots(app, public_id)]


def revoke(app: Flask, set_id: int, how: str) -> None:
    """Turn the set's link off ('stop') or replace it with a new one ('renew')."""
    with app.app_context():
        question_set = db.session.get(QuestionSet, set_id)
        teacher_sets.unshare(question_set) if how == "stop" else teacher_sets.share(question_set)


# ---- the share page


def test_the_share_page_presents_the_set_to_anyone(client: FlaskClient, shared: tuple[int, str]) -> None:
    _, token = shared
    html = page_text(client.get(f"/s/{token}"))
    assert '<h1 id="title">Flag quiz</h1>' in html and "A short reading" in html
    assert "A question set shared by Ada Lovelace, with 4 questions." in html
    assert f'href="/s/{token}/text"' in html
    assert re.findall(r'name="topics" type="checkbox" value="([^"]+)"', html) == ["chang-e-6", "dates"]
    assert "China Daily" not in html  # no question, let alone an answer, before the quiz


def test_the_share_page_asks_for_the_sets_size_when_it_is_smaller(
    client: FlaskClient, shared: tuple[int, str]
) -> None:
    """A set of four questions: the form offers 4, not the usual 10, and says how many the set has."""
    _, token = shared
    html = page_text(client.get(f"/s/{token}"))
    assert re.search(r'name="count"[^>]*value="4"', html)
    assert "with 4 questions" in html and "ask for 4 to get all of them" in html


def test_the_shared_text_gives_every_sentence_an_anchor(client: FlaskClient, shared: tuple[int, str]) -> None:
    _, token = shared
    html = page_text(client.get(f"/s/{token}/text"))
    assert f'<span class="sentence" id="p1s1">{FIRST}</span>' in html
    assert 'id="p2s2"' in html and f'href="/s/{token}"' in html


@pytest.mark.parametrize("link", ["unknown", "stopped", "replaced"])
@pytest.mark.parametrize(("method", "suffix"), [("GET", ""), ("POST", ""), ("GET", "/text")])
def test_an_unknown_or_revoked_link_is_404(
    app: Flask, client: FlaskClient, shared: tuple[int, str], link: str, method: str, suffix: str
) -> None:
    set_id, token = shared
    if link == "unknown":
        token = token[:-4] + "AAAA"
    else:
        revoke(app, set_id, "stop" if link == "stopped" else "renew")
    data = {"count": 4, "mode": "practice", "csrf_token": get_token(client)}
    response = client.open(f"/s/{token}{suffix}", method=method, data=data if method == "POST" else None)
    assert response.status_code == 404
    assert count_rows(app, Attempt) == 0


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"count": 0}, "count", "Choose between 1 and 100 questions."),
        ({"mode": "exam"}, "mode", "Not a valid choice."),
        ({"topics": ["not-a-topic"]}, "topics", "'not-a-topic' is not a valid choice for this field."),
    ],
)
def test_a_bad_start_form_is_refused_beside_its_field(
    app: Flask, client: FlaskClient, shared: tuple[int, str], data: dict, field: str, error: str
) -> None:
    _, token = shared
    form = {"count": 4, "mode": "practice", **data, "csrf_token": get_token(client, f"/s/{token}")}
    response = client.post(f"/s/{token}", data=form)
    assert response.status_code == 400
    assert re.findall(rf'id="{field}-error">([^<]*)<', page_text(response)) == [error]
    assert count_rows(app, Attempt) == 0


def test_starting_without_a_csrf_token_is_refused(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    _, token = shared
    client.get(f"/s/{token}")
    assert client.post(f"/s/{token}", data={"count": 4, "mode": "practice"}).status_code == 400
    assert count_rows(app, Attempt) == 0


# ---- taking the set


def test_a_practice_quiz_on_the_shared_set_from_start_to_mistakes(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    set_id, token = shared
    public_id = start(client, token, count=10)
    assert (attempt_row(app, public_id).set_id, attempt_row(app, public_id).question_count) == (set_id, 4)
    page = page_text(client.get(f"/attempts/{public_id}/1"))
    assert "Only 4 questions match your choices, so your quiz has 4." in page
    answer_all(app, client, public_id, {"q1": "wrong", "q3": "wrong"}, go="check")
    for slot in attempt_slots(app, public_id):
        shown = page_text(client.get(f"/attempts/{public_id}/{slot.position}"))
        assert quote_links(shown) == [f"/s/{token}/text#{ANCHORS[slot.question.id]}"]
    results = finish(client, public_id)
    assert "2 / 4" in results and f'href="/s/{token}">New quiz on this set</a>' in results
    retry = form_posting_to(results, "/quiz/selection").fields
    assert (retry["question_ids"], retry["from_attempt"]) == (["q1,q3"], [public_id])
    again = attempt_id_from(client.post("/quiz/selection", data=retry))
    assert attempt_row(app, again).set_id == set_id
    assert sorted(keys_of_attempt(app, again)) == ["q1", "q3"]


def test_a_test_quiz_shows_no_key_until_the_end_then_links_every_quote(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    _, token = shared
    public_id = start(client, token, mode="test", count=4)
    answer_all(app, client, public_id, {"q4": "partial"}, go="next")  # the last save finishes the quiz
    assert attempt_row(app, public_id).state == "finished"
    results = page_text(client.get(f"/attempts/{public_id}/results"))
    # half a point for the multiple choice: both right choices ticked, and one wrong one
    assert '<p class="score">3.5 / 4 <span class="muted">(88%)</span></p>' in results
    order = keys_of_attempt(app, public_id)
    assert quote_links(results) == [f"/s/{token}/text#{ANCHORS[key]}" for key in order]


def test_a_test_quiz_hides_the_key_before_it_is_finished(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    _, token = shared
    public_id = start(client, token, mode="test", count=4)
    submit(client, public_id, 1, fields_for(attempt_slots(app, public_id)[0], "wrong"), go="next")
    html = page_text(client.get(f"/attempts/{public_id}/1"))
    assert 'class="feedback' not in html and quote_links(html) == []


def test_topics_chosen_on_the_share_page_narrow_the_quiz(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    _, token = shared
    public_id = start(client, token, count=4, topics=["dates"])
    assert keys_of_attempt(app, public_id) == ["q3"]


def test_another_browser_cannot_open_a_students_attempt(
    client: FlaskClient, shared: tuple[int, str], app: Flask
) -> None:
    _, token = shared
    public_id = start(client, token)
    stranger = app.test_client()
    assert stranger.get(f"/attempts/{public_id}/1").status_code == 404


def test_without_a_source_text_quotes_are_shown_but_not_linked(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    set_id = make_set(app, ADA, "No text", text="", questions=[make_question("single_choice", id="q1")])
    token = share_set(app, set_id)
    assert "Read the text the questions are about" not in page_text(client.get(f"/s/{token}"))
    public_id = start(client, token)
    answer_all(app, client, public_id, {}, go="check")
    html = page_text(client.get(f"/attempts/{public_id}/1"))
    assert quote_links(html) == [""] and "From the source text" in html


def test_a_shared_set_without_questions_says_so_instead_of_starting(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    token = share_set(app, make_set(app, ADA, "Empty", questions=[]))
    assert client.get(f"/s/{token}").status_code == 200
    data = {"count": 5, "mode": "practice", "csrf_token": get_token(client, f"/s/{token}")}
    response = client.post(f"/s/{token}", data=data)
    assert response.status_code == 400
    assert "No question matches these choices." in page_text(response)  # not a silent refusal
    assert count_rows(app, Attempt) == 0


# ---- links turned off or replaced while a student is on the set


def test_a_stopped_link_lets_a_started_attempt_finish_but_starts_nothing_new(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    set_id, token = shared
    public_id = start(client, token, count=4)
    slots = attempt_slots(app, public_id)
    submit(client, public_id, 1, fields_for(slots[0], "wrong"), go="check")
    revoke(app, set_id, "stop")
    assert client.get(f"/s/{token}").status_code == 404
    assert client.get(f"/attempts/{public_id}/1").status_code == 200
    for slot in slots[1:]:
        response = submit(client, public_id, slot.position, fields_for(slot, "right"), go="check")
        assert response.status_code == 302
    html = page_text(client.get(f"/attempts/{public_id}/2"))
    assert quote_links(html) == [""] and "From the source text" in html  # the text's link is gone too
    results = finish(client, public_id)
    assert "3 / 4" in results
    assert f"/s/{token}" not in results and "New quiz on this set" not in results
    assert "Practise my" not in results
    attempts = count_rows(app, Attempt)
    retry = {
        "question_ids": slots[0].question.id,
        "mode": "practice",
        "from_attempt": public_id,
        "csrf_token": get_token(client),
    }
    assert client.post("/quiz/selection", data=retry).status_code == 404
    assert count_rows(app, Attempt) == attempts
    history = page_text(client.get("/my-results"))
    assert "Flag quiz" in history and f"/attempts/{public_id}/results" in history


def test_a_replaced_link_keeps_the_attempt_and_its_links_use_the_new_address(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    set_id, old = shared
    public_id = start(client, old, count=4)
    revoke(app, set_id, "renew")
    with app.app_context():
        new = db.session.get(QuestionSet, set_id).share_token
    answer_all(app, client, public_id, {"q2": "wrong"}, go="check")
    results = finish(client, public_id)
    assert set(quote_links(results)) == {f"/s/{new}/text#{anchor}" for anchor in ANCHORS.values()}
    assert f"/s/{old}" not in results and f'href="/s/{new}">New quiz on this set</a>' in results
    retry = form_posting_to(results, "/quiz/selection").fields
    again = attempt_id_from(client.post("/quiz/selection", data=retry))
    assert keys_of_attempt(app, again) == ["q2"]
