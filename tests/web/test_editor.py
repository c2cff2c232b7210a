"""The question editor through the test client: writing each type of question (what is stored), editing
(a new version; the old one kept), every validation error beside its field, the quoted source checked and
highlighted, "More rows", the preview (student view and key), delete and move, ownership (another teacher gets
404 on every route) and CSRF on every POST.

The module shares one app and database (building an app per test costs most of a test's time): Ada and
Grace sign in once, and each test works in a new set of Ada's, so tests never see each other's questions.
Forms are sent as a browser would send them.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp.domain.generation import QuizSpec
from quizapp.extensions import db
from quizapp.models import Question, QuestionSet, QuestionVersion
from quizapp.services.attempt_views import Mode
from quizapp.services.attempts import start_attempt
from quizapp.services.learners import ensure_learner
from quizapp.services.teacher_sets import update_set
from tests.conftest import csrf_token, get_token
from tests.web import editing
from tests.web.editing import (
    CASES,
    SET_PAGE,
    Fields,
    Owned,
    add_set,
    browser_fields,
    field_errors,
    new_url,
    question_ids,
    question_url,
    send,
    shown_fields,
    sign_in,
    student_pages,
    versions,
)

# The editor's fixtures (editing.py), found by pytest in this module's names: `app` replaces conftest.py's.
app, ada_browser, ada = editing.app, editing.ada_browser, editing.ada

# ---- helpers and fixtures


@pytest.fixture(scope="module")
def grace(app: Flask) -> FlaskClient:
    """Another teacher, signed in, with a set of her own."""
    client = sign_in(app, "grace@school.org")
    add_set(app, "grace@school.org")
    return client


# ---- every type, written through the editor


@pytest.mark.parametrize("qtype", CASES)
def test_writing_a_question_stores_what_the_form_says(app: Flask, ada: Owned, qtype: str) -> None:
    fields, expected = CASES[qtype]
    response = send(ada.client, new_url(ada.set_id, qtype), fields)
    assert response.status_code == 302, field_errors(response.get_data(as_text=True), '[^"]+')
    [question_id] = question_ids(app, ada.set_id)
    assert response.headers["Location"] == f"/teacher/sets/{ada.set_id}#question-{question_id}"
    assert versions(app, ada.set_id) == [[expected]]
    assert "The question is added to the set." in ada.client.get(response.headers["Location"]).get_data(True)


@pytest.mark.parametrize("qtype", CASES)
def test_the_edit_page_shows_the_question_as_saved(app: Flask, ada: Owned, qtype: str) -> None:
    """Sending the edit page back untouched changes nothing: every field is shown as it was saved."""
    send(ada.client, new_url(ada.set_id, qtype), CASES[qtype][0])
    [question_id] = question_ids(app, ada.set_id)
    url = question_url(ada.set_id, question_id, "edit")
    response = send(ada.client, url, shown_fields(ada.client.get(url).get_data(as_text=True)))
    assert response.status_code == 302
    page = ada.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing changed: the question stays at version 1." in page
    assert versions(app, ada.set_id) == [[CASES[qtype][1]]]


@pytest.mark.parametrize("qtype", CASES)
def test_editing_saves_a_new_version_and_keeps_the_old_one(app: Flask, ada: Owned, qtype: str) -> None:
    send(ada.client, new_url(ada.set_id, qtype), CASES[qtype][0])
    [question_id] = question_ids(app, ada.set_id)
    url = question_url(ada.set_id, question_id, "edit")
    fields = shown_fields(ada.client.get(url).get_data(as_text=True))
    fields["prompt"] = fields["prompt"] + " (revised)"
    response = send(ada.client, url, fields)
    assert response.status_code == 302
    page = ada.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved as version 2. Past attempts keep the version they answered." in page
    [[first, second]] = versions(app, ada.set_id)
    assert first == CASES[qtype][1]
    assert second == {**first, "prompt": first["prompt"] + " (revised)"}
    assert "Version 2." in ada.client.get(url).get_data(as_text=True)


def test_editing_a_question_learners_met_leaves_their_version_alone(app: Flask, ada: Owned) -> None:
    send(ada.client, new_url(ada.set_id, "single_choice"), CASES["single_choice"][0])
    attempt_version = _start_attempt(app, ada.set_id)
    [question_id] = question_ids(app, ada.set_id)
    url = question_url(ada.set_id, question_id, "edit")
    send(ada.client, url, {**shown_fields(ada.client.get(url).text), "choices-2-text": "bird of prey"})
    with app.app_context():
        assert db.session.get(QuestionVersion, attempt_version).content["choices"][2] == "bird"
        assert db.session.get(Question, question_id).current.content["choices"][2] == "bird of prey"


def _start_attempt(app: Flask, set_id: int) -> int:
    """A learner's attempt on the set's first question; the id of the question version it asked."""
    with app.app_context():
        question_set = db.session.get(QuestionSet, set_id)
        attempt, _ = start_attempt(ensure_learner(None), QuizSpec(count=1), Mode.PRACTICE, question_set.slug)
        return attempt.slots[0].question_version_id


def test_save_and_add_another_opens_a_new_question_of_the_same_type(app: Flask, ada: Owned) -> None:
    response = send(ada.client, new_url(ada.set_id, "fill_blank"), CASES["fill_blank"][0], action="another")
    assert response.status_code == 302
    assert response.headers["Location"] == new_url(ada.set_id, "fill_blank")
    assert len(question_ids(app, ada.set_id)) == 1


@pytest.mark.parametrize(
    ("qtype", "rows"),
    [
        ("single_choice", "Choice"),
        ("fill_blank", "Accepted answer"),
        ("numeric", "Partly right number"),
        ("matching", "Pair"),
    ],
)
def test_more_rows_shows_three_more_and_saves_nothing(app: Flask, ada: Owned, qtype: str, rows: str) -> None:
    url = new_url(ada.set_id, qtype)
    before = len(re.findall(rf"<legend>{rows} \d+</legend>", ada.client.get(url).get_data(as_text=True)))
    response = send(ada.client, url, browser_fields(ada.client, url, CASES[qtype][0]), action="more")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(re.findall(rf"<legend>{rows} \d+</legend>", page)) == before + 3
    assert versions(app, ada.set_id) == []
    assert CASES[qtype][0]["prompt"].split("<")[0] in page  # what was typed is kept


@pytest.mark.parametrize(("items", "shown"), [(0, 4), (3, 5), (6, 8)])
def test_the_editor_shows_two_spare_rows_and_at_least_four(
    app: Flask, ada: Owned, items: int, shown: int
) -> None:
    fields = {"prompt": "Order these.", **{f"items-{i}": f"item {i}" for i in range(items)}}
    if items:
        send(ada.client, new_url(ada.set_id, "ordering"), fields)
        url = question_url(ada.set_id, question_ids(app, ada.set_id)[0], "edit")
    else:
        url = new_url(ada.set_id, "ordering")
    page = ada.client.get(url).get_data(as_text=True)
    assert len(re.findall(r'<input [^>]*name="items-\d+"', page)) == shown


@pytest.mark.parametrize("qtype", ["nonsense", "", "SINGLE_CHOICE"])
def test_an_unknown_type_is_not_found(ada: Owned, qtype: str) -> None:
    assert ada.client.get(new_url(ada.set_id, qtype)).status_code == 404


# ---- validation: every error beside its field, status 400, nothing saved


ERRORS: list[tuple[str, Fields, str, str]] = [
    ("single_choice", {"correct": None}, "correct", "Mark the correct choice."),
    ("single_choice", {"correct": ["0", "1"]}, "correct", "Mark one correct choice only."),
    (
        "single_choice",
        {"choices-1-text": None, "choices-1-weight": None, "choices-1-feedback": None, "choices-2-text": ""},
        "choices",
        "Only 1 choices (give at least 2 choices).",
    ),
    ("single_choice", {"choices-2-text": "cat"}, "choices", "Duplicate choice 'cat'"),
    ("single_choice", {"choices-1-weight": "lots"}, "choices-1-weight", "Write a percentage between -100"),
    ("single_choice", {"choices-1-weight": "150"}, "choices-1-weight", "Write a percentage between -100"),
    ("single_choice", {"correct": "3"}, "choices-3-text", "This row is marked correct but has no text."),
    ("single_choice", {"choices-3-feedback": "Why?"}, "choices-3-text", "Write the choice, or clear this"),
    ("single_choice", {"choices-0-weight": "50"}, "choices", "The correct choice must have weight 100 %"),
    ("single_choice", {"prompt": " "}, "prompt", "Question text is empty: write the question."),
    ("single_choice", {"prompt": "x" * 20001}, "prompt", "Field cannot be longer than 20000 characters."),
    ("single_choice", {"difficulty": "7"}, "difficulty", "Not a valid choice."),
    ("single_choice", {"format": "markdown"}, "format", "Not a valid choice."),
    ("single_choice", {"source": "The cat sat on a hat."}, "source", "This quote is not in the set's source"),
    (
        "single_choice",
        {"source": "Birds sing at dawn. Fish swim in the sea. Frogs jump."},
        "source",
        "Source spans 3 sentences",
    ),
    (
        "single_choice",
        {"source": "The dog barked at the “postman”. Birds sing at dawn."},
        "source",
        "This quote is not in the set's source text",
    ),
    ("multiple_choice", {"correct": None}, "correct", "Mark every correct choice."),
    (
        "multiple_choice",
        {"choices-0-weight": "50", "choices-2-weight": "20"},
        "choices",
        "Only the correct choices can have positive weights, and these must add up to 100 %.",
    ),
    ("true_false", {"truth": None}, "truth", "Choose whether the statement is true or false."),
    ("fill_blank", {"prompt": "The cat sat on the mat."}, "prompt", "The prompt must contain the blank ___"),
    ("fill_blank", {"prompt": "The ___ sat on the ___."}, "prompt", "The prompt must contain the blank ___"),
    (
        "fill_blank",
        {"answers-0-text": "", "answers-1-text": "", "answers-1-weight": "", "answers-1-feedback": ""},
        "answers",
        "Write at least one accepted answer.",
    ),
    ("fill_blank", {"answers-0-weight": "50"}, "answers", "The first accepted answer must have weight 100 %"),
    ("numeric", {"number": ""}, "number", "Write the answer, a number."),
    ("numeric", {"number": "four"}, "number", "“four” is not a number"),
    ("numeric", {"tolerance": "-1"}, "tolerance", "The tolerance cannot be negative"),
    ("numeric", {"alternatives-0-weight": ""}, "alternatives-0-weight", "Give this value some credit"),
    ("numeric", {"alternatives-0-value": ""}, "alternatives-0-value", "Write the value, or clear this row."),
    ("ordering", {"items-1": "", "items-3": ""}, "items", "Only 1 items to order (give at least 2 items)."),
    ("ordering", {"items-3": "cat"}, "items", "An item appears twice"),
    ("matching", {"pairs-1-right": ""}, "pairs-1-right", "Write the right-hand item, or clear this row."),
    (
        "matching",
        {"pairs-1-left": "", "pairs-1-right": "", "pairs-2-left": "", "pairs-2-right": ""},
        "pairs",
        "Only 1 pairs",
    ),
    ("matching", {"pairs-2-left": "cat"}, "pairs", "A left-hand item appears twice"),
    ("matching", {"distractors-0": "sat"}, "distractors", "The extra wrong matches must differ from every"),
    ("description", {"prompt": ""}, "prompt", "Question text is empty"),
]


def with_changes(fields: Fields, changes: Fields) -> Fields:
    """`fields` with `changes` applied (None removes a field, as an unticked box sends nothing)."""
    changed = {**fields, **changes}
    return {name: value for name, value in changed.items() if value is not None}


@pytest.mark.parametrize(("qtype", "changes", "field", "message"), ERRORS)
def test_each_error_is_shown_beside_its_field_and_nothing_is_saved(
    app: Flask, ada: Owned, qtype: str, changes: Fields, field: str, message: str
) -> None:
    response = send(ada.client, new_url(ada.set_id, qtype), with_changes(CASES[qtype][0], changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    shown = field_errors(page, field)
    assert any(error.startswith(message) for error in shown), re.findall(r'class="error"[^<]*<', page)
    assert 'class="error-summary" role="alert"' in page
    assert versions(app, ada.set_id) == []


BANK_WORDS = re.compile(r"'(prompt|answer|choices|weights|feedback|alternatives|extra_options)'|weight 1\b")


@pytest.mark.parametrize(("qtype", "changes", "field", "message"), ERRORS)
def test_errors_speak_the_forms_words_not_the_bank_files(
    app: Flask, ada: Owned, qtype: str, changes: Fields, field: str, message: str
) -> None:
    response = send(ada.client, new_url(ada.set_id, qtype), with_changes(CASES[qtype][0], changes))
    shown = re.findall(r'class="error"[^>]*>([^<]*)<', response.get_data(as_text=True).replace("&#39;", "'"))
    assert shown
    assert [error for error in shown if BANK_WORDS.search(error)] == []


@pytest.mark.parametrize("qtype", ["single_choice", "true_false"])
def test_a_quote_not_found_is_reported_once(app: Flask, ada: Owned, qtype: str) -> None:
    fields = {**CASES[qtype][0], "source": "The cat sat on a hat."}
    page = send(ada.client, new_url(ada.set_id, qtype), fields).get_data(as_text=True)
    assert len(field_errors(page, "source")) == 1
    summary = page.split('class="error-summary"')[1].split("</ul>")[0]
    assert summary.count("This quote is not in the set") == 1


@pytest.mark.parametrize(
    ("qtype", "row"), [("single_choice", "choices-{}-text"), ("fill_blank", "answers-{}-text")]
)
def test_a_failed_save_adds_no_empty_rows(app: Flask, ada: Owned, qtype: str, row: str) -> None:
    url = new_url(ada.set_id, qtype)
    changes = {row.format(i): text for i, text in enumerate(["cat", "dog", "bird"])}
    fields = browser_fields(ada.client, url, {**changes, "prompt": " ", "correct": "0"})
    shown = re.compile('name="' + row.format(r"\d+") + '"')
    for _ in range(2):
        page = send(ada.client, url, fields).get_data(as_text=True)
        assert len(shown.findall(page)) == 4
        fields = shown_fields(page)


def test_an_edit_with_errors_keeps_the_saved_version(app: Flask, ada: Owned) -> None:
    send(ada.client, new_url(ada.set_id, "numeric"), CASES["numeric"][0])
    url = question_url(ada.set_id, question_ids(app, ada.set_id)[0], "edit")
    response = send(ada.client, url, {**shown_fields(ada.client.get(url).text), "number": "lots"})
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "number") == [
        "“lots” is not a number: type digits, like 200 or 3.5."
    ]
    assert versions(app, ada.set_id) == [[CASES["numeric"][1]]]


# ---- Moodle's finer points behind "More options"; topics from the set's own


def folded_in(page: str, name: str) -> str | None:
    """The opening tag of the <details> that holds the input `name`, or None when it is in none."""
    at = page.index(f'name="{name}"')
    start = page.rfind("<details", 0, at)
    if start == -1 or "</details>" in page[start:at]:
        return None
    return page[start : page.index(">", start) + 1]


@pytest.mark.parametrize(
    ("qtype", "name"),
    [
        ("single_choice", "choices-1-weight"),
        ("fill_blank", "answers-1-weight"),
        ("numeric", "alternatives-0-value"),
    ],
)
def test_weights_and_partly_right_numbers_are_behind_more_options(
    app: Flask, ada: Owned, qtype: str, name: str
) -> None:
    new = ada.client.get(new_url(ada.set_id, qtype)).get_data(as_text=True)
    assert folded_in(new, name) == '<details class="more-options">'
    assert f'name="{name.replace("-1-", "-0-")}"' in new
    send(ada.client, new_url(ada.set_id, qtype), CASES[qtype][0])  # each of these uses them
    url = question_url(ada.set_id, question_ids(app, ada.set_id)[0], "edit")
    assert (
        folded_in(ada.client.get(url).get_data(as_text=True), name) == '<details class="more-options" open>'
    )


def test_more_options_open_on_an_error_inside(app: Flask, ada: Owned) -> None:
    fields = {**CASES["single_choice"][0], "choices-1-weight": "lots"}
    page = send(ada.client, new_url(ada.set_id, "single_choice"), fields).get_data(as_text=True)
    assert folded_in(page, "choices-1-weight") == '<details class="more-options" open>'
    assert 'href="#choices-1-weight"' in page


def test_the_topics_hint_lists_the_sets_own_topics(app: Flask, ada: Owned) -> None:
    send(ada.client, new_url(ada.set_id, "single_choice"), CASES["single_choice"][0])
    page = ada.client.get(new_url(ada.set_id, "true_false")).get_data(as_text=True)
    hint = re.search(r'<p class="muted small" id="topics-hint">([^<]*)</p>', page)
    assert hint and "cats, mats" in hint.group(1)


# ---- the quoted source: checked like the bank's, highlighted in the source text


@pytest.mark.parametrize(
    ("quote", "sentences"),
    [
        ('The dog barked at the "postman".', ["The dog barked at the “postman”."]),
        ("dog barked", ["The dog barked at the “postman”."]),
        ("  Birds sing\n at   dawn.  ", ["Birds sing at dawn."]),
        ("at dawn. Fish swim", ["Birds sing at dawn.", "Fish swim in the sea."]),
    ],
)
def test_a_quote_found_after_normalising_is_saved_and_highlighted(
    app: Flask, ada: Owned, quote: str, sentences: list[str]
) -> None:
    fields = {**CASES["single_choice"][0], "source": quote}
    assert send(ada.client, new_url(ada.set_id, "single_choice"), fields).status_code == 302
    url = question_url(ada.set_id, question_ids(app, ada.set_id)[0], "edit")
    page = ada.client.get(url).get_data(as_text=True)
    preview, whole = page.split("The set's whole source text")
    assert re.findall(r"<mark>([^<]*)</mark>", preview) == sentences
    assert re.findall(r"<mark>([^<]*)</mark>", whole) == sentences


def test_a_set_without_source_text_asks_for_no_quote(app: Flask, ada: Owned) -> None:
    set_id = add_set(app, "ada@school.org", source_text="")
    page = ada.client.get(new_url(set_id, "true_false")).get_data(as_text=True)
    assert 'name="source"' not in page
    response = send(ada.client, new_url(set_id, "true_false"), CASES["true_false"][0])
    assert response.status_code == 302
    assert versions(app, set_id)[0][0]["source"] == ""


def test_a_quote_the_source_text_lost_is_pointed_out(app: Flask, ada: Owned) -> None:
    send(ada.client, new_url(ada.set_id, "single_choice"), CASES["single_choice"][0])
    with app.app_context():
        update_set(db.session.get(QuestionSet, ada.set_id), "Animals", "", "The cat sat on the sofa.")
    question_id = question_ids(app, ada.set_id)[0]
    edit = ada.client.get(question_url(ada.set_id, question_id, "edit"))
    assert edit.status_code == 200
    assert 'id="source-warning"' in edit.get_data(as_text=True)
    assert "<mark>" not in edit.get_data(as_text=True)
    preview = ada.client.get(question_url(ada.set_id, question_id, "preview")).get_data(as_text=True)
    assert "This quote is not in the set's source text" in preview


# ---- preview: as a student sees it, then the key


KEYS = {
    "single_choice": ["<dt>Correct answer</dt><dd>cat</dd>", '<td class="num">50 %</td>', "The dog barked."],
    "multiple_choice": ["<dt>Correct answer</dt><dd>cat; dog</dd>", '<td class="num">+50 %</td>'],
    "true_false": ["<dt>Correct answer</dt><dd>True</dd>", "The last sentence says they do."],
    "fill_blank": ["<dt>Correct answer</dt><dd>cat</dd>", "kitten", "A young cat: half right."],
    "numeric": ["<dt>Correct answer</dt><dd>4.5 (± 0.5)</dd>", "from 4 to 5", '<td class="num">50 %</td>'],
    "ordering": ["<li>cat</li><li>dog</li><li>birds</li>"],
    "matching": ["<td>dog</td><td>barked</td>", "Extra wrong matches: fly to the moon"],
    "description": ["Read the text first.<br>\nThen answer."],
}


@pytest.mark.parametrize("qtype", CASES)
def test_the_preview_shows_the_student_view_and_the_key(app: Flask, ada: Owned, qtype: str) -> None:
    send(ada.client, new_url(ada.set_id, qtype), CASES[qtype][0])
    response = ada.client.get(question_url(ada.set_id, question_ids(app, ada.set_id)[0], "preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    student, teacher = page.split('id="as-student"')[1].split('id="as-teacher"')
    assert all(" disabled" in tag for tag in re.findall(r"<(?:input|select)[^>]*>", student))
    for key in KEYS[qtype]:
        assert key in (student if qtype == "description" else teacher)


def test_the_preview_highlights_the_quoted_sentence(app: Flask, ada: Owned) -> None:
    send(ada.client, new_url(ada.set_id, "single_choice"), CASES["single_choice"][0])
    page = ada.client.get(question_url(ada.set_id, question_ids(app, ada.set_id)[0], "preview")).text
    assert "<p><mark>The cat sat on the mat.</mark> The dog barked at the “postman”.</p>" in page
    assert "The text says the cat sat." in page


def test_a_student_sees_the_feedback_written_for_their_answer(app: Flask, ada: Owned) -> None:
    send(ada.client, new_url(ada.set_id, "single_choice"), CASES["single_choice"][0])
    question, feedback, results = student_pages(app, ada.set_id)  # the student picks the first choice: cat
    assert "Yes: the first sentence says so." not in question
    for page in (feedback, results):
        assert "<dt>Feedback on your answer</dt><dd>Yes: the first sentence says so.</dd>" in page
        assert "The dog barked." not in page  # another choice's feedback
        assert "<dt>Why</dt><dd>The text says the cat sat.</dd>" in page


# ---- delete and move


def test_deleting_an_unused_question_removes_it(app: Flask, ada: Owned) -> None:
    send(ada.client, new_url(ada.set_id, "ordering"), CASES["ordering"][0])
    question_id = question_ids(app, ada.set_id)[0]
    asked = send(ada.client, question_url(ada.set_id, question_id, "delete"), {}, page=SET_PAGE)
    assert asked.status_code == 200 and "Delete this question?" in asked.get_data(as_text=True)  # asks first
    assert len(versions(app, ada.set_id)) == 1
    delete = question_url(ada.set_id, question_id, "delete")
    response = send(ada.client, delete, {"confirmed": "yes"}, page=SET_PAGE)
    assert response.headers["Location"] == f"/teacher/sets/{ada.set_id}"
    assert "The question is deleted." in ada.client.get(response.headers["Location"]).get_data(as_text=True)
    assert versions(app, ada.set_id) == []


def test_deleting_a_question_learners_met_only_withdraws_it(app: Flask, ada: Owned) -> None:
    send(ada.client, new_url(ada.set_id, "ordering"), CASES["ordering"][0])
    question_id = question_ids(app, ada.set_id)[0]
    _start_attempt(app, ada.set_id)
    delete = question_url(ada.set_id, question_id, "delete")
    response = send(ada.client, delete, {"confirmed": "yes"}, page=SET_PAGE)
    assert "The question is withdrawn" in ada.client.get(response.headers["Location"]).get_data(as_text=True)
    assert question_ids(app, ada.set_id) == []
    assert versions(app, ada.set_id) == [[CASES["ordering"][1]]]
    assert ada.client.get(question_url(ada.set_id, question_id, "edit")).status_code == 404


@pytest.mark.parametrize(
    ("which", "direction", "order"),
    [(1, "up", [1, 0, 2]), (1, "down", [0, 2, 1]), (0, "up", [0, 1, 2]), (2, "down", [0, 1, 2])],
)
def test_moving_a_question(app: Flask, ada: Owned, which: int, direction: str, order: list[int]) -> None:
    for qtype in ("true_false", "numeric", "ordering"):
        send(ada.client, new_url(ada.set_id, qtype), CASES[qtype][0])
    ids = question_ids(app, ada.set_id)
    url = question_url(ada.set_id, ids[which], "move")
    response = send(ada.client, url, {"direction": direction}, page=SET_PAGE)
    assert response.headers["Location"] == f"/teacher/sets/{ada.set_id}#question-{ids[which]}"
    assert question_ids(app, ada.set_id) == [ids[i] for i in order]


def test_each_question_has_the_move_buttons_it_can_use(app: Flask, ada: Owned) -> None:
    for qtype in ("true_false", "numeric", "ordering"):
        send(ada.client, new_url(ada.set_id, qtype), CASES[qtype][0])
    page = ada.client.get(f"/teacher/sets/{ada.set_id}").get_data(as_text=True)
    labels = re.findall(r'aria-label="(Move question [^"]*)"', page)
    assert labels == [
        "Move question 1 down",
        "Move question 2 up",
        "Move question 2 down",
        "Move question 3 up",
    ]


@pytest.mark.parametrize("direction", ["sideways", ""])
def test_moving_needs_up_or_down(app: Flask, ada: Owned, direction: str) -> None:
    send(ada.client, new_url(ada.set_id, "true_false"), CASES["true_false"][0])
    question_id = question_ids(app, ada.set_id)[0]
    url = question_url(ada.set_id, question_id, "move")
    response = send(ada.client, url, {"direction": direction}, page=SET_PAGE)
    assert response.status_code == 400
    assert "The form was incomplete" in response.get_data(as_text=True)


# ---- ownership and CSRF on every route


ROUTES = [
    ("GET", "/teacher/sets/{set}/questions/new?type=single_choice"),
    ("POST", "/teacher/sets/{set}/questions/new?type=single_choice"),
    ("GET", "/teacher/sets/{set}/questions/{q}/edit"),
    ("POST", "/teacher/sets/{set}/questions/{q}/edit"),
    ("GET", "/teacher/sets/{set}/questions/{q}/preview"),
    ("POST", "/teacher/sets/{set}/questions/{q}/delete"),
    ("POST", "/teacher/sets/{set}/questions/{q}/move"),
]


def _ada_question(app: Flask, ada: Owned) -> int:
    send(ada.client, new_url(ada.set_id, "single_choice"), CASES["single_choice"][0])
    return question_ids(app, ada.set_id)[0]


def _request(client: FlaskClient, method: str, path: str, token: str | None) -> TestResponse:
    fields = {**CASES["single_choice"][0], "direction": "up", "action": "save"}
    if token:
        fields["csrf_token"] = token
    return client.get(path) if method == "GET" else client.post(path, data=fields)


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_another_teacher_gets_404_on_every_route(
    app: Flask, ada: Owned, grace: FlaskClient, method: str, path: str
) -> None:
    question_id = _ada_question(app, ada)
    before = versions(app, ada.set_id)
    url = path.format(set=ada.set_id, q=question_id)
    assert _request(grace, method, url, get_token(grace, "/teacher/password")).status_code == 404
    assert versions(app, ada.set_id) == before


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_the_builtin_bank_and_unknown_ids_are_not_found(
    app: Flask, ada: Owned, method: str, path: str
) -> None:
    question_id = _ada_question(app, ada)
    token = get_token(ada.client, "/teacher/password")
    with app.app_context():
        bank = db.session.scalar(db.select(QuestionSet).where(QuestionSet.is_builtin.is_(True)))
        bank_question = bank.questions[0].id
    for set_id, q in ((bank.id, bank_question), (ada.set_id, 999_999), (999_999, question_id)):
        if "{q}" in path or set_id != ada.set_id:
            assert _request(ada.client, method, path.format(set=set_id, q=q), token).status_code == 404


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_signed_out_browser_is_sent_to_sign_in(app: Flask, ada: Owned, method: str, path: str) -> None:
    question_id = _ada_question(app, ada)
    browser = app.test_client()
    url = path.format(set=ada.set_id, q=question_id)
    response = _request(browser, method, url, get_token(browser, "/teacher/login"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/teacher/login")


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r[0] == "POST"])
@pytest.mark.parametrize("token", [None, "forged"])
def test_every_post_needs_this_browsers_csrf_token(
    app: Flask, ada: Owned, method: str, path: str, token: str | None
) -> None:
    question_id = _ada_question(app, ada)
    before = (versions(app, ada.set_id), question_ids(app, ada.set_id))
    response = _request(ada.client, method, path.format(set=ada.set_id, q=question_id), token)
    assert response.status_code == 400
    assert "The form had expired or came from another site" in response.get_data(as_text=True)
    assert (versions(app, ada.set_id), question_ids(app, ada.set_id)) == before


def test_the_csrf_token_is_in_every_editor_form(app: Flask, ada: Owned) -> None:
    question_id = _ada_question(app, ada)
    for url in (new_url(ada.set_id, "matching"), question_url(ada.set_id, question_id, "edit")):
        assert csrf_token(ada.client.get(url).get_data(as_text=True))
