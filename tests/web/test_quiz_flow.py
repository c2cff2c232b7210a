"""The learner's whole flow through the test client, with every question type.

Start a quiz, answer right, wrong, partly right and not at all, leave and come back, finish, read the
results, practise the mistakes, and find it all on 'My results'.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from itertools import combinations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.domain.answers import answer_in_words, correct_answer_in_words
from quizapp.domain.bank import QuestionBank
from quizapp.domain.overlap import clashes
from quizapp.domain.question_types import SCORED_TYPES
from quizapp.domain.question_types._cloze_gaps import cloze_of
from quizapp.domain.questions import Question, QuestionType
from quizapp.extensions import db
from quizapp.models import Learner
from quizapp.services.attempt_views import SlotView
from tests.web.taking import (
    PARTIAL_TYPES,
    How,
    attempt_id_from,
    attempt_row,
    attempt_slots,
    chosen_answer,
    expected_points,
    fields_for,
    form_posting_to,
    intended_answer,
    sent_fields,
    start_selection,
    submit,
    token,
)


def of_each_type(bank: QuestionBank, per_type: int) -> list[Question]:
    """The first `per_type` questions of every type, in bank order."""
    return [q for t in SCORED_TYPES for q in [q for q in bank.questions if q.type is t][:per_type]]


def mixed_plan(questions: Sequence[Question]) -> dict[str, How]:
    """Per question id: the first of each type right, the others wrong or partly right; one skipped."""
    plan: dict[str, How] = {}
    for question in questions:
        first = all(q.type is not question.type for q in questions if q.id in plan)
        plan[question.id] = "right" if first else "partial" if question.type in PARTIAL_TYPES else "wrong"
    skipped = [q.id for q in questions if q.type is QuestionType.TRUE_FALSE and plan[q.id] == "wrong"]
    plan[skipped[0]] = "skip"
    return plan


def page(client: FlaskClient, path: str, status: int = 200) -> str:
    """GET `path`, check its status, and return its text with HTML entities decoded."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def prompt_parts(question: Question) -> list[str]:
    """The texts of the prompt a question page shows: its type's shown prompt (a cloze's gaps blanked, as
    ____ (n): the prompt holds the key), a fill-in blank drawn longer, and for a cloze the words around its
    gaps only (each gap is its field there)."""
    shown = question.kind.shown_prompt(question).replace("___", "_____")
    return [words for words in re.split(r"_+ \(\d+\)", shown) if words.strip()]


def shows_prompt(question: Question, text: str) -> bool:
    """Whether a question page `text` shows the prompt of `question` (a cloze's punctuation after a gap sits
    in the gap's own element: the page's text between its tags is read too)."""
    words_only = re.sub(r"<[^>]+>", "", text)
    return all(words in text or words in words_only for words in prompt_parts(question))


def answer_in_order(
    client: FlaskClient, public_id: str, slots: Sequence[SlotView], plan: dict[str, How], total: int
) -> str:
    """Open each question's page, check it shows the question, send the planned answer; the last redirect."""
    location = ""
    for slot in slots:
        assert shows_prompt(slot.question, page(client, f"/attempts/{public_id}/{slot.position}"))
        go = "finish" if slot.position == total else "next"
        response = submit(client, public_id, slot.position, fields_for(slot, plan[slot.question.id]), go)
        assert response.status_code == 302, response.get_data(as_text=True)
        location = response.headers["Location"]
    return location


def source_link(bank: QuestionBank, question: Question) -> str:
    """The link to the sentence a question quotes: /article#pNsM."""
    assert bank.article is not None
    anchor = bank.article.find_span(question.source)[0].anchor
    assert re.fullmatch(r"p\d+s\d+", anchor)
    return f'href="/article#{anchor}"'


def verdict(question: Question, how: How) -> str:
    """The verdict line a learner should read for an answer given as planned (points to 2 decimals: 0.67)."""
    points = round(expected_points(question, how), 2)
    if how == "skip":
        return "Not answered"
    word = "Right" if points == 1 else "Partly right" if points else "Not right"
    return f"{word} · {points:g} of 1 point"


def assert_feedback(text: str, bank: QuestionBank, question: Question, how: How) -> None:
    """The verdict, the answer given, the key when missed, the explanation and the linked source are shown."""
    assert f'class="verdict">{verdict(question, how)}' in text
    given = "No answer" if how == "skip" else answer_in_words(question, intended_answer(question, how))
    assert f"<dt>Your answer</dt><dd>{given}</dd>" in text
    key = f"<dt>Correct answer</dt><dd>{correct_answer_in_words(question)}</dd>"
    assert (key in text) is (how != "right")
    assert question.explanation in text
    opens_quoted = question.source.startswith("“")  # a sentence that opens by quoting someone: no second mark
    assert (question.source if opens_quoted else f"“{question.source}”") in text
    assert source_link(bank, question) in text


def assert_results(text: str, bank: QuestionBank, slots: Sequence[SlotView], plan: dict[str, How]) -> None:
    """Score, percentage and every question's review as the scoring rules give them."""
    total = sum(expected_points(s.question, plan[s.question.id]) for s in slots)
    assert f'class="score">{round(total, 2):g} / {len(slots)} <span class="muted">' in text
    assert f"({round(100 * total / len(slots))}%)" in text
    reviews = dict(re.findall(r'<li id="q(\d+)" class="card">(.*?)(?=<li id="q|</ol>)', text, re.S))
    assert sorted(map(int, reviews)) == [s.position for s in slots]
    for slot in slots:
        review = reviews[str(slot.position)]
        assert slot.question.kind.shown_prompt(slot.question) in review  # a cloze's gaps blanked
        assert_feedback(review, bank, slot.question, plan[slot.question.id])


def assert_stored(app: Flask, public_id: str, plan: dict[str, How]) -> None:
    """Each answer given is stored as sent, with the points of the rules; skipped ones are not stored."""
    for slot in attempt_slots(app, public_id):
        how = plan[slot.question.id]
        assert slot.given == (None if how == "skip" else intended_answer(slot.question, how)), (
            slot.question.id
        )
        assert slot.points == (
            None if how == "skip" else pytest.approx(expected_points(slot.question, how), abs=1e-4)
        )


def assert_resumes(
    client: FlaskClient, public_id: str, slots: Sequence[SlotView], plan: dict[str, How], answered: int
) -> None:
    """Coming back: the same questions in the same order, answers given so far already filled in."""
    page(client, "/")
    for slot in slots:
        text = page(client, f"/attempts/{public_id}/{slot.position}")
        assert shows_prompt(slot.question, text), slot.question.id
        fields = fields_for(slot, plan[slot.question.id]) if slot.position <= answered else {}
        assert chosen_answer(text) == sent_fields(fields), slot.question.id


def take_test(app: Flask, client: FlaskClient, questions: Sequence[Question], plan: dict[str, How]) -> str:
    """Take a test quiz on `questions` answered as planned and finish it; returns the attempt id."""
    public_id = start_selection(client, [q.id for q in questions], mode="test")
    slots = attempt_slots(app, public_id)
    answer_in_order(client, public_id, slots, plan, len(slots))
    client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)})
    assert attempt_row(app, public_id).state == "finished"
    return public_id


def test_test_mode_flow_with_every_type(app: Flask, client: FlaskClient, bank: QuestionBank) -> None:
    """Answer 14 questions of all 7 types, leave half-way, come back, finish past a skipped one, review."""
    questions = of_each_type(bank, per_type=2)
    plan = mixed_plan(questions)
    public_id = start_selection(client, [q.id for q in questions], mode="test")
    slots = attempt_slots(app, public_id)
    assert {s.question.type for s in slots} == set(SCORED_TYPES)
    half = len(slots) // 2
    answer_in_order(client, public_id, slots[:half], plan, len(slots))
    assert_resumes(client, public_id, slots, plan, answered=half)
    assert (
        answer_in_order(client, public_id, slots[half:], plan, len(slots)) == f"/attempts/{public_id}/finish"
    )

    skipped = next(s.position for s in slots if plan[s.question.id] == "skip")
    confirm = page(client, f"/attempts/{public_id}/finish")
    assert f"You have not answered 1 of {len(slots)} questions" in confirm
    assert f'href="/attempts/{public_id}/{skipped}">Question {skipped}</a>' in confirm
    response = client.post(f"/attempts/{public_id}/finish", data={"csrf_token": token(client)})
    assert response.headers["Location"] == f"/attempts/{public_id}/results"

    assert_results(page(client, f"/attempts/{public_id}/results"), bank, slots, plan)
    assert_stored(app, public_id, plan)
    total = sum(expected_points(q, plan[q.id]) for q in questions)
    assert attempt_row(app, public_id).score == pytest.approx(total, abs=1e-3)
    history = page(client, "/my-results")
    assert f'href="/attempts/{public_id}/results"' in history
    percent = round(100 * total / len(slots))
    assert f"Best score <strong>{percent}%</strong> · latest <strong>{percent}%</strong>" in history


def practice_plan(questions: Sequence[Question]) -> dict[str, How]:
    """Alternately right and wrong, and partly right for matching (which gives partial credit)."""
    plan: dict[str, How] = {q.id: "right" if n % 2 == 0 else "wrong" for n, q in enumerate(questions)}
    plan[next(q.id for q in questions if q.type is QuestionType.MATCHING)] = "partial"
    return plan


def test_practice_mode_gives_feedback_after_each_check(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """Before 'check': no verdict; after: right or not, the key, explanation and linked source."""
    questions = of_each_type(bank, per_type=1)
    plan = practice_plan(questions)
    public_id = start_selection(client, [q.id for q in questions], mode="practice")
    for slot in attempt_slots(app, public_id):
        path, how = f"/attempts/{public_id}/{slot.position}", plan[slot.question.id]
        before = page(client, path)
        assert 'class="verdict"' not in before and slot.question.explanation not in before
        response = submit(client, public_id, slot.position, fields_for(slot, how), go="check")
        assert response.headers["Location"] == path
        after = page(client, path)
        assert_feedback(after, bank, slot.question, how)
        assert chosen_answer(after) == sent_fields(fields_for(slot, how))
    assert "Every answer is checked." in page(client, f"/attempts/{public_id}/finish")
    assert_stored(app, public_id, plan)


MARK = re.compile(
    r'<li class="mark (\w+)"><span class="sym" aria-hidden="true">(.)</span>\s*<span>(.*?)</span> '
    r'<span class="mark-note">\((.*?)\)</span></li>',
    re.S,
)
CREDIT = {  # the partly right answers to the first question of each type in the bank
    QuestionType.MULTIPLE_CHOICE: "2 of 2 right choices ticked, 1 wrong: 0.5 of 1 point",
    QuestionType.ORDERING: "1 of 2 items are followed by their right next one: 0.5 of 1 point",
    QuestionType.MATCHING: "2 of 4 matches right: 0.5 of 1 point",
    QuestionType.CATEGORISE: "3 of 4 items in their right group: 0.75 of 1 point",
    QuestionType.CLOZE: "2 of 3 gaps right: 0.67 of 1 point (a share for each gap)",
}


def expected_kinds(slot: SlotView) -> list[str]:
    """Right or wrong for each choice, item or pair of a partly right answer, in the page's order."""
    question, given = slot.question, intended_answer(slot.question, "partial")
    if question.type is QuestionType.MULTIPLE_CHOICE:
        shown = [question.choices[i] for i in slot.item_order]
        key = {(True, True): "right", (True, False): "wrong", (False, True): "missed", (False, False): "none"}
        return [key[c in given, c in question.answer] for c in shown]  # type: ignore[operator]
    if question.type is QuestionType.CLOZE:  # cloze_partial: the first gap wrong, the others right
        return ["wrong"] + ["right"] * (len(cloze_of(question.prompt).gaps) - 1)
    items = [question.items[i] for i in slot.item_order]
    if question.type is QuestionType.ORDERING:
        return ["right" if given.index(i) == question.answer.index(i) else "wrong" for i in items]  # type: ignore[union-attr]
    return ["right" if dict(given)[i] == dict(question.answer)[i] else "wrong" for i in items]  # type: ignore[arg-type]


def marked_texts(slot: SlotView) -> list[str]:
    """What each mark names, in the page's order: the choices or items in the slot's shuffled order; a
    cloze's gaps by number, in the text's order."""
    question = slot.question
    if question.type is QuestionType.CLOZE:
        return [f"Gap {n}" for n in range(1, len(cloze_of(question.prompt).gaps) + 1)]
    texts = question.choices if question.type is QuestionType.MULTIPLE_CHOICE else question.items
    return [texts[i] for i in slot.item_order]


def test_feedback_marks_each_part_in_the_order_shown_and_explains_partial_credit(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """Partly right multiple choice, ordering, matching, categorise and cloze: every choice, item, pair or
    gap is marked with a symbol (hidden from screen readers) and words, in the slot's shuffled order (a
    cloze's gaps in the text's), under one sentence on the points."""
    questions = [q for q in of_each_type(bank, 1) if q.type in PARTIAL_TYPES]
    public_id = start_selection(client, [q.id for q in questions], mode="practice")
    symbols = {"right": "✓", "wrong": "✗", "missed": "!", "none": "·"}
    words = {"right": ", right", "wrong": ", wrong", "missed": "missed: ", "none": "not "}
    for slot in attempt_slots(app, public_id):
        question = slot.question
        submit(client, public_id, slot.position, fields_for(slot, "partial"), go="check")
        text = page(client, f"/attempts/{public_id}/{slot.position}")
        marks = MARK.findall(text)
        assert [m[2] for m in marks] == marked_texts(slot), question.id
        assert [m[0] for m in marks] == expected_kinds(slot), question.id
        assert all(symbols[kind] == sym and words[kind] in note for kind, sym, _, note in marks)
        assert f'<p class="credit">{CREDIT[question.type]}' in text


def test_practice_answer_is_final_once_checked(app: Flask, client: FlaskClient, bank: QuestionBank) -> None:
    """A second answer to a checked practice question is refused with a message; the first one stays."""
    question = of_each_type(bank, per_type=1)[0]
    public_id = start_selection(client, [question.id], mode="practice")
    slot = attempt_slots(app, public_id)[0]
    submit(client, public_id, 1, fields_for(slot, "wrong"), go="check")
    response = submit(client, public_id, 1, fields_for(slot, "right"), go="check")
    assert response.status_code == 302
    assert "already answered this question" in page(client, response.headers["Location"])
    assert attempt_slots(app, public_id)[0].points == 0.0


@pytest.mark.parametrize(("mode", "go", "lands_on"), [("test", "back", 1), ("test", "next", 3)])
def test_back_and_next_save_the_answer(
    app: Flask, client: FlaskClient, bank: QuestionBank, mode: str, go: str, lands_on: int
) -> None:
    """In a test, the Back and Next buttons send the form: the answer is stored and shown again on return."""
    public_id = start_selection(client, [q.id for q in of_each_type(bank, 1)[:3]], mode=mode)
    slot = attempt_slots(app, public_id)[1]
    question = slot.question
    response = submit(client, public_id, 2, fields_for(slot, "right"), go=go)
    assert response.headers["Location"] == f"/attempts/{public_id}/{lands_on}"
    assert attempt_slots(app, public_id)[1].given == intended_answer(question, "right")
    assert chosen_answer(page(client, f"/attempts/{public_id}/2")) == sent_fields(fields_for(slot, "right"))


def test_practice_back_goes_back_without_checking(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """In practice an answer is final once checked, so Back is a plain link and a Back sent with a half-typed
    answer (an old page) goes back without storing or grading it: the question is still open on return."""
    public_id = start_selection(client, [q.id for q in of_each_type(bank, 1)[:3]], mode="practice")
    slot = attempt_slots(app, public_id)[1]
    text = page(client, f"/attempts/{public_id}/2")
    assert f'<a class="btn secondary" href="/attempts/{public_id}/1">← Back</a>' in text
    assert 'value="back"' not in text
    response = submit(client, public_id, 2, fields_for(slot, "wrong"), go="back")
    assert response.headers["Location"] == f"/attempts/{public_id}/1"
    assert attempt_slots(app, public_id)[1].given is None
    again = page(client, f"/attempts/{public_id}/2")
    assert 'class="verdict"' not in again and "Check my answer" in again


def finishing_actions(text: str) -> list[str]:
    """The buttons and links of a question page that lead to the end of the quiz."""
    return re.findall(r"<(?:a|button)[^>]*>((?:Save and review|See my score|Finish)[^<]*)</", text)


def test_a_test_ends_on_a_summary_of_every_question(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """The last question has one way on: 'Save and review my answers', to a summary of every question
    (answered or not, each linked) that finishes only when asked, even with every question answered."""
    public_id = start_selection(client, [q.id for q in of_each_type(bank, 1)[:3]], mode="test")
    slots = attempt_slots(app, public_id)
    assert finishing_actions(page(client, f"/attempts/{public_id}/1")) == ["Finish the quiz"]
    assert finishing_actions(page(client, f"/attempts/{public_id}/3")) == ["Save and review my answers"]
    submit(client, public_id, 1, fields_for(slots[0], "right"))
    response = submit(client, public_id, 3, fields_for(slots[2], "right"), go="review")
    assert response.headers["Location"] == f"/attempts/{public_id}/finish"
    assert attempt_row(app, public_id).state == "in_progress"
    rows = re.findall(
        r'<th scope="row"><a href="/attempts/[^/]+/(\d)">Question \d</a></th>\s*'
        r"<td>.*?</span> (\w[\w ]+)</td>",
        page(client, f"/attempts/{public_id}/finish"),
    )
    assert rows == [("1", "Answered"), ("2", "Not answered"), ("3", "Answered")]
    submit(client, public_id, 2, fields_for(slots[1], "right"), go="review")
    summary = page(client, f"/attempts/{public_id}/finish")
    assert "You have answered every question." in summary and "Not answered" not in summary
    assert attempt_row(app, public_id).state == "in_progress"


def test_practice_ends_with_one_button_and_no_confirmation(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """Checked practice answers are final: once the last is checked (and all others), its page offers one
    action, 'See my score', which finishes at once; no page asks to confirm what is already locked."""
    public_id = start_selection(client, [q.id for q in of_each_type(bank, 1)[:2]], mode="practice")
    for slot in attempt_slots(app, public_id):
        submit(client, public_id, slot.position, fields_for(slot, "right"), go="check")
    last = page(client, f"/attempts/{public_id}/2")
    assert finishing_actions(last) == ["See my score"]
    assert f'formaction="/attempts/{public_id}/finish">See my score</button>' in last
    response = client.post(
        f"/attempts/{public_id}/finish", data=form_posting_to(last, f"/attempts/{public_id}/2").fields
    )
    assert response.headers["Location"] == f"/attempts/{public_id}/results"
    assert attempt_row(app, public_id).state == "finished"


def test_results_mark_each_number_and_filter_to_the_mistakes(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """At the top of the results, each question's number links to it, marked with a symbol and words; the
    link 'Show only my mistakes' (?only=mistakes, no script needed) leaves out the questions fully right."""
    questions = of_each_type(bank, per_type=2)
    plan = mixed_plan(questions)
    public_id = take_test(app, client, questions, plan)
    slots = attempt_slots(app, public_id)
    words = {"right": "right", "wrong": "not right", "partial": "partly right", "skip": "not answered"}
    symbols = {"right": "✓", "wrong": "✗", "partial": "½", "skip": "○"}
    expected = [
        (str(s.position), symbols[plan[s.question.id]], str(s.position), words[plan[s.question.id]])
        for s in slots
    ]
    link = r'<a class="mark-\w+" href="[^"#]*#q(\d+)">\s*<span aria-hidden="true">(.)</span> (\d+)'
    link += r'<span class="visually-hidden">: ([a-z ]+)</span></a>'
    assert re.findall(link, page(client, f"/attempts/{public_id}/results")) == expected
    missed = [s.position for s in slots if plan[s.question.id] != "right"]
    results = page(client, f"/attempts/{public_id}/results")
    assert (
        f'href="/attempts/{public_id}/results?only=mistakes">Show only my mistakes ({len(missed)})</a>'
        in results
    )
    only = page(client, f"/attempts/{public_id}/results?only=mistakes")
    assert [int(n) for n in re.findall(r'<li id="q(\d+)" class="card">', only)] == missed
    assert f'href="/attempts/{public_id}/results">Show all {len(slots)} questions</a>' in only
    assert f'href="/attempts/{public_id}/results?only=mistakes#q{missed[0]}"' in only
    right = next(s.position for s in slots if plan[s.question.id] == "right")
    assert f'href="/attempts/{public_id}/results#q{right}"' in only  # hidden here: linked on the whole list


def test_practise_my_mistakes_starts_a_quiz_on_exactly_the_missed_questions(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """The results page's button starts a practice quiz on the wrong, partly right and skipped questions."""
    questions = of_each_type(bank, per_type=2)
    plan = mixed_plan(questions)
    first = take_test(app, client, questions, plan)
    results = page(client, f"/attempts/{first}/results")
    missed = {qid for qid, how in plan.items() if how != "right"}
    assert f"Practise my {len(missed)} mistakes" in results
    form = form_posting_to(results, "/quiz/selection")
    retry = attempt_id_from(client.post("/quiz/selection", data=form.fields))
    assert {s.question.id for s in attempt_slots(app, retry)} == missed
    assert attempt_row(app, retry).mode == "practice"

    for slot in attempt_slots(app, retry):
        submit(client, retry, slot.position, fields_for(slot, "wrong"), go="check")
    client.post(f"/attempts/{retry}/finish", data={"csrf_token": token(client)})
    best = round(100 * sum(expected_points(q, plan[q.id]) for q in questions) / len(questions))
    history = " ".join(page(client, "/my-results").split())
    assert f"Best score <strong>{best}%</strong> · latest <strong>0%</strong> · 2 quizzes finished" in history


@pytest.mark.parametrize("question_type", SCORED_TYPES)
def test_home_form_filters_by_type(
    app: Flask, client: FlaskClient, bank: QuestionBank, question_type: QuestionType
) -> None:
    """Ticking one type on the home form gives a quiz of that type only (fewer than asked: all of them but
    those that would give each other away), and says why it is short."""
    data = {"count": 100, "mode": "test", "types": question_type.value, "csrf_token": token(client)}
    public_id = attempt_id_from(client.post("/quiz", data=data))
    types = [s.question.type for s in attempt_slots(app, public_id)]
    of_type = [q for q in bank.questions if q.type is question_type]
    assert 1 < len(types) <= len(of_type)
    assert set(types) == {question_type}
    shown = page(client, f"/attempts/{public_id}/1")
    matching = len(of_type)
    if any(clashes(a, b) for a, b in combinations(of_type, 2)):
        assert len(types) < matching
        assert (
            f"Only {matching} questions match your choices, and {len(types)} can be asked together" in shown
        )
        assert "the others would give away their answers" in shown
    else:  # no two of the type give each other away (the bank's categorise questions): all are asked
        assert len(types) == matching
        assert f"Only {matching} questions match your choices, so your quiz has {matching}." in shown
        assert "give away their answers" not in shown


def test_name_form_saves_a_name(app: Flask, client: FlaskClient) -> None:
    """The name typed on 'My results' is kept and shown there."""
    response = client.post("/my-results/name", data={"display_name": "Ada", "csrf_token": token(client)})
    assert response.headers["Location"] == "/my-results"
    text = page(client, "/my-results")
    assert 'value="Ada"' in text and "Your name is saved." in text


def learner_names(app: Flask) -> list[str | None]:
    """Every learner's name as stored."""
    with app.app_context():
        return list(db.session.scalars(db.select(Learner.display_name)))


def test_name_form_refuses_a_long_name(app: Flask, client: FlaskClient) -> None:
    """More than 60 characters: the page comes back with the error beside the field, and nothing is saved."""
    client.post("/my-results/name", data={"display_name": "Ada", "csrf_token": token(client)})
    response = client.post("/my-results/name", data={"display_name": "x" * 61, "csrf_token": token(client)})
    assert response.status_code == 400
    assert re.search(r'id="display_name-error">[^<]*60 characters', response.get_data(as_text=True))
    assert learner_names(app) == ["Ada"]


def test_a_test_question_marked_to_check_again_shows_on_the_numbers_and_the_summary(
    app: Flask, client: FlaskClient, bank: QuestionBank
) -> None:
    """A test's question marked 'to check again' (with or without an answer) is flagged in the question
    numbers and listed on the summary before finishing; sending it again unticked clears the mark."""
    public_id = start_selection(client, [q.id for q in of_each_type(bank, 1)[:3]], mode="test")
    slots = attempt_slots(app, public_id)
    submit(client, public_id, 1, {**fields_for(slots[0], "right"), "mark": "1"}, go="next")
    submit(client, public_id, 2, {"mark": "1"}, go="next")  # no answer yet, but marked
    assert [s.marked for s in attempt_slots(app, public_id)] == [True, True, False]
    page_3 = page(client, f"/attempts/{public_id}/3")
    assert 'aria-label="Question 1, answered, marked to check again"' in page_3
    assert 'aria-label="Question 2, not answered, marked to check again"' in page_3
    summary = page(client, f"/attempts/{public_id}/finish")
    assert "You marked 2 questions to check again:" in summary
    submit(client, public_id, 1, fields_for(slots[0], "right"), go="next")  # the box left unticked
    assert [s.marked for s in attempt_slots(app, public_id)] == [False, True, False]
    assert "You marked 1 question to check again:" in page(client, f"/attempts/{public_id}/finish")


def test_practice_questions_offer_no_mark(client: FlaskClient, bank: QuestionBank) -> None:
    """Practice answers are checked at once: nothing to come back to, so no box."""
    public_id = start_selection(client, [q.id for q in of_each_type(bank, 1)[:2]], mode="practice")
    assert 'name="mark"' not in page(client, f"/attempts/{public_id}/1")
