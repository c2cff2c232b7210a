"""The review pages through the test client, without JavaScript: "Review now (N due)" on the home page and My
results, a review session answered question by question with the passage it quotes, the progress charts,
CSRF, and another learner's review is 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.questions import QuestionType
from quizapp.models import utc_now
from tests.services.review_steps import bank_ids
from tests.web.homework import QUESTIONS, answer_all, start
from tests.web.taking import How, attempt_slots, fields_for, start_selection, submit, token
from tests.web.teachers import ADA, make_set, share_set, sign_in_teacher
from tests.web.test_cannot_save import read_only

LATER = timedelta(hours=1)


@pytest.fixture
def clock_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """The review pages' clock an hour on: every question missed in the test is due by then."""
    monkeypatch.setattr("quizapp.web.review.utc_now", lambda: utc_now() + LATER)


def _missed_two(app: Flask, client: FlaskClient) -> None:
    """A finished test with one question wrong, one partly right and one right."""
    with app.app_context():
        wrong, right = bank_ids(QuestionType.SINGLE_CHOICE, 2)
        (partial,) = bank_ids(QuestionType.MULTIPLE_CHOICE, 1)
    outcomes: dict[str, How] = {wrong: "wrong", partial: "partial", right: "right"}
    public_id = start_selection(client, list(outcomes))
    for slot in attempt_slots(app, public_id):
        with app.app_context():
            fields = fields_for(slot, outcomes[slot.question.id])
        assert submit(client, public_id, slot.position, fields).status_code == 302
    assert client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)}).status_code == 302


def _start_review(client: FlaskClient) -> str:
    response = client.post("/review", data={"csrf_token": token(client)})
    assert response.status_code == 302
    match = re.fullmatch(r"/review/([^/]+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


@pytest.mark.usefixtures("clock_later")
@pytest.mark.parametrize("path", ["/", "/my-results"])
def test_home_and_my_results_offer_review_now(app: Flask, client: FlaskClient, path: str) -> None:
    _missed_two(app, client)

    page = client.get(path).get_data(as_text=True)

    assert "Review now (2 due)" in page
    assert 'action="/review"' in page


def test_nothing_due_says_when_the_next_question_comes_back(app: Flask, client: FlaskClient) -> None:
    _missed_two(app, client)

    page = client.get("/review").get_data(as_text=True)

    assert "Nothing is due right now" in page
    assert "comes back in" in page
    assert "Review now" not in client.get("/").get_data(as_text=True)


def test_a_stranger_sees_no_queue(app: Flask, client: FlaskClient, other_client: FlaskClient) -> None:
    _missed_two(app, client)

    page = other_client.get("/review").get_data(as_text=True)

    assert "Nothing to review yet" in page


@pytest.mark.usefixtures("clock_later")
def test_a_review_session_without_javascript(app: Flask, client: FlaskClient) -> None:
    _missed_two(app, client)
    review_id = _start_review(client)
    assert client.get(f"/review/{review_id}").headers["Location"] == f"/review/{review_id}/1"
    slots = attempt_slots(app, review_id)
    assert len(slots) == 2

    for slot in slots:
        page = client.get(f"/review/{review_id}/{slot.position}").get_data(as_text=True)
        assert "<script" not in page.split("</main>")[0].split("<main")[-1]
        assert "Check my answer" in page
        assert ("Skip for now" in page) == (slot.position < len(slots))
        with app.app_context():
            fields = fields_for(slot, "right")
        answered = client.post(
            f"/review/{review_id}/{slot.position}", data={**fields, "csrf_token": token(client)}
        )
        assert answered.status_code == 302
        page = client.get(answered.headers["Location"]).get_data(as_text=True)
        assert "The sentence in its place in the text" in page
        assert "<mark>" in page
        assert "This question comes back" in page  # (the test's clock is an hour on: "now")

    finished = client.post(f"/review/{review_id}/done", data={"csrf_token": token(client)})
    assert finished.status_code == 302
    page = client.get(f"/review/{review_id}/done").get_data(as_text=True)
    assert "Review finished" in page
    assert "2 right" in page
    history = client.get("/my-results").get_data(as_text=True)
    assert f'href="/review/{review_id}">See it</a>' in history
    assert "<td>Review</td>" in history


@pytest.mark.usefixtures("clock_later")
def test_an_empty_answer_is_refused_next_to_the_question(app: Flask, client: FlaskClient) -> None:
    _missed_two(app, client)
    review_id = _start_review(client)

    response = client.post(f"/review/{review_id}/1", data={"csrf_token": token(client)})

    assert response.status_code == 400
    assert "Choose or type an answer first" in response.get_data(as_text=True)


@pytest.mark.usefixtures("clock_later")
def test_review_posts_need_the_csrf_token(app: Flask, client: FlaskClient) -> None:
    _missed_two(app, client)
    review_id = _start_review(client)

    assert client.post("/review").status_code == 400
    assert client.post(f"/review/{review_id}/1", data={"answer": "x"}).status_code == 400
    assert client.post(f"/review/{review_id}/done").status_code == 400


@pytest.mark.usefixtures("clock_later")
def test_another_learners_review_is_not_found(
    app: Flask, client: FlaskClient, other_client: FlaskClient
) -> None:
    _missed_two(app, client)
    review_id = _start_review(client)
    token(other_client)

    for path in (f"/review/{review_id}", f"/review/{review_id}/1", f"/review/{review_id}/done"):
        assert other_client.get(path).status_code == 404
    assert (
        other_client.post(f"/review/{review_id}/done", data={"csrf_token": token(other_client)}).status_code
        == 404
    )


def test_a_quiz_that_is_not_a_review_is_not_found_here(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        (question,) = bank_ids(QuestionType.SINGLE_CHOICE, 1)
    public_id = start_selection(client, [question])

    assert client.get(f"/review/{public_id}/1").status_code == 404


def test_progress_draws_svg_charts_and_the_sentences_missed(app: Flask, client: FlaskClient) -> None:
    _missed_two(app, client)
    _missed_two(app, client)

    page = client.get("/review/progress").get_data(as_text=True)

    assert page.count('<svg class="chart day-line"') >= 3
    assert "Sentences you keep missing" in page
    assert re.search(r'href="/article/p\d+s\d+"', page)


@pytest.mark.usefixtures("clock_later")
def test_the_home_page_still_reads_when_the_queue_cannot_be_filled(app: Flask, client: FlaskClient) -> None:
    _missed_two(app, client)
    read_only(app)

    home = client.get("/")

    assert home.status_code == 200
    assert "Start a quiz" in home.get_data(as_text=True)


@pytest.mark.usefixtures("clock_later")
def test_a_review_mixes_sets_each_question_with_its_own_text(app: Flask, client: FlaskClient) -> None:
    sign_in_teacher(app, app.test_client(), ADA)
    share = share_set(app, make_set(app, ADA, questions=QUESTIONS))
    homework = start(client, share, mode="test")
    answer_all(app, client, homework, {"q1": "wrong"}, go="next")  # the last answer finishes it
    _missed_two(app, client)

    review_id = _start_review(client)
    slots = attempt_slots(app, review_id)
    assert {s.question.id for s in slots} >= {"q1"} and len(slots) == 3
    links = []
    for slot in slots:
        with app.app_context():
            fields = fields_for(slot, "wrong")
        client.post(f"/review/{review_id}/{slot.position}", data={**fields, "csrf_token": token(client)})
        page = client.get(f"/review/{review_id}/{slot.position}").get_data(as_text=True)
        links.append(re.search(r'<mark>.*?<footer><a href="([^"]+)"', page, re.S).group(1))  # type: ignore[union-attr]

    assert sum(link.startswith(f"/s/{share}/text#p") for link in links) == 1
    assert sum(link.startswith("/article/p") for link in links) == 2
