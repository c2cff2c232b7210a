"""Teachers' own sets (services/teacher_sets.py): create and edit a set, ground its questions in its source
text, add (all or nothing), version, delete or withdraw, reorder, copy from the article's bank, duplicate and
share.

Every test runs on its own SQLite file with the article's bank loaded, in one application context; reads after
a write expire the session first, as a new request would start afresh.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from quizapp.domain.generation import QuizSpec
from quizapp.extensions import db
from quizapp.models import Learner, QuestionSet, QuestionVersion, Response, Teacher
from quizapp.models import Question as QuestionRow
from quizapp.services import NotFound
from quizapp.services import teacher_sets as service
from quizapp.services.accounts import create_teacher
from quizapp.services.attempt_views import Mode, load_attempt
from quizapp.services.attempts import finish_attempt, start_attempt
from quizapp.services.hints import set_switches
from quizapp.services.question_sets import (
    ARTICLE_BANK,
    InvalidQuestionSet,
    current_questions,
    get_set,
    set_topics,
    set_types,
)
from tests.services.conftest import row_counts
from tests.services.indexed_forms import save_indexed
from tests.unit.factories import make_question

FIRST = (
    "On Tuesday, the Chang’e 6 probe, which landed on the far side of the moon, proudly displayed a "
    "Chinese flag."
)
SECOND = "This significant event was shared by China Daily."
LAST = "The samples came back to Earth in June. Scientists are studying them now. More missions will follow."
TEXT = f"{FIRST} {SECOND}\n{LAST}"
# Two questions of the article's bank: one quotes FIRST, the other a sentence that is not in TEXT.
GROUNDED_IN_FIRST, GROUNDED_ELSEWHERE = "flag-displayed-on-tuesday", "xi-congratulated-after-ce6"


# ---- helpers


@pytest.fixture
def teacher(ctx: Flask) -> Teacher:
    """Ada's account."""
    return create_teacher("ada@school.org", "Ada", "correct horse battery")


@pytest.fixture
def other_teacher(ctx: Flask) -> Teacher:
    """Another teacher's account."""
    return create_teacher("grace@school.org", "Grace", "correct horse battery")


def question(key: str, type: str = "single_choice", **overrides: Any) -> dict[str, Any]:
    """A valid raw question with id `key`, quoting SECOND (a sentence of TEXT) unless told otherwise."""
    return make_question(type, id=key, **overrides)


def set_with(teacher: Teacher, *keys: str, text: str = TEXT) -> QuestionSet:
    """A set of the teacher's with source text `text` and one single-choice question per key."""
    question_set = service.create_set(teacher, "Chang’e 6", "A short reading", text)
    service.add_questions(question_set, [question(k) for k in keys])
    return question_set


def fresh() -> None:
    """Forget every loaded row, as the next request would."""
    db.session.expire_all()


def keys_of(question_set: QuestionSet) -> list[str]:
    """The set's current question ids, in set order."""
    fresh()
    return [row.key for row, _ in current_questions(question_set)]


def stored(question_set: QuestionSet, key: str) -> QuestionRow:
    """The question row with id `key` in the set (withdrawn or not)."""
    fresh()
    return db.session.scalar(
        db.select(QuestionRow).where(QuestionRow.set_id == question_set.id, QuestionRow.key == key)
    )


def answered_attempt(
    learner: Learner, question_set: QuestionSet, key: str, form: dict[str, list[str]]
) -> str:
    """A finished test attempt at question `key` alone with the answer `form`; returns its public id."""
    spec = QuizSpec(count=1, question_ids=frozenset({key}))
    attempt, _ = start_attempt(learner, spec, Mode.TEST, question_set.slug)
    view = load_attempt(attempt.public_id, learner)
    assert save_indexed(view, 1, form)
    assert finish_attempt(view.attempt)
    return attempt.public_id


RIGHT = {"answer": ["0"]}  # make_question's single choice: "China Daily" is choice 0 and the answer


# ---- create, list, own


def test_create_set_is_the_teachers_and_empty(teacher: Teacher) -> None:
    question_set = service.create_set(teacher, "  Moon  ", "  About the moon ", "  ")
    fresh()
    row = db.session.get(QuestionSet, question_set.id)
    assert (row.title, row.description, row.source_text) == ("Moon", "About the moon", None)
    assert row.owner_id == teacher.id
    assert not row.is_builtin and row.share_token is None
    assert keys_of(row) == []


def test_a_blank_title_becomes_untitled_and_slugs_differ(teacher: Teacher) -> None:
    first, second = service.create_set(teacher, "   "), service.create_set(teacher, "   ")
    assert first.title == "Untitled set"
    assert first.slug != second.slug


def test_teacher_sets_lists_only_the_teachers_own_latest_change_first(
    teacher: Teacher, other_teacher: Teacher
) -> None:
    older = service.create_set(teacher, "Older")
    service.create_set(teacher, "Newer")
    service.create_set(other_teacher, "Grace's")
    assert [s.title for s in service.teacher_sets(teacher)] == ["Newer", "Older"]
    service.add_questions(older, [question("q1")])
    fresh()
    assert [s.title for s in service.teacher_sets(teacher)] == ["Older", "Newer"]


def test_owned_set_refuses_another_teachers_set_and_the_builtin_bank(
    teacher: Teacher, other_teacher: Teacher
) -> None:
    question_set = service.create_set(teacher, "Mine")
    assert service.owned_set(teacher, question_set.id).id == question_set.id
    refused = [(other_teacher, question_set.id), (teacher, get_set(ARTICLE_BANK).id), (teacher, 99999)]
    for asker, set_id in refused:
        with pytest.raises(NotFound):
            service.owned_set(asker, set_id)


def test_owned_question_refuses_a_question_of_another_set(teacher: Teacher) -> None:
    mine, other = set_with(teacher, "q1"), set_with(teacher, "q1")
    with pytest.raises(NotFound):
        service.owned_question(mine, stored(other, "q1").id)
    assert service.owned_question(mine, stored(mine, "q1").id).key == "q1"


# ---- grounding in the set's own text


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (TEXT, FIRST.replace("’", "'")),  # the text has a curly apostrophe, the quote a straight one
        (TEXT.replace("’", "'"), FIRST),  # and the other way round
        (TEXT.replace(". ", ".   "), FIRST),  # spaces may differ too
    ],
)
def test_a_quote_is_grounded_whatever_its_quotes_and_spaces(teacher: Teacher, text: str, source: str) -> None:
    question_set = service.create_set(teacher, "Set", source_text=text)
    assert service.check_question(question_set, question("q1", source=source)) == []


@pytest.mark.parametrize(
    ("text", "source", "problem"),
    [
        (TEXT, "The flag was red.", "source not found verbatim"),
        (TEXT, LAST, "source spans 3 sentences"),
        ("", "Any quote at all, with no text to check it against.", None),
    ],
)
def test_check_question_grounds_the_quote_only_when_the_set_has_a_text(
    teacher: Teacher, text: str, source: str, problem: str | None
) -> None:
    question_set = service.create_set(teacher, "Set", source_text=text)
    messages = [p.message for p in service.check_question(question_set, question("q1", source=source))]
    assert len(messages) == (0 if problem is None else 1)
    assert problem is None or messages[0].startswith(problem)


def test_check_question_reports_a_wrong_answer_before_grounding(teacher: Teacher) -> None:
    question_set = service.create_set(teacher, "Set", source_text=TEXT)
    problems = service.check_question(question_set, question("q1", answer="Not a choice"))
    assert len(problems) == 1 and problems[0].question_id == "q1"


def test_update_set_saves_and_names_the_questions_whose_quote_left_the_text(teacher: Teacher) -> None:
    question_set = set_with(teacher, "keeps", "loses")
    service.update_question(question_set, stored(question_set, "keeps"), question("keeps", source=FIRST))
    problems = service.update_set(question_set, "New title", "New description", FIRST)
    assert [p.question_id for p in problems] == ["loses"]
    fresh()
    row = db.session.get(QuestionSet, question_set.id)
    assert (row.title, row.description, row.source_text) == ("New title", "New description", FIRST)
    assert [p.question_id for p in service.ungrounded_questions(row)] == ["loses"]


def test_removing_the_text_leaves_nothing_to_fix_and_a_blank_title_keeps_the_old(teacher: Teacher) -> None:
    question_set = set_with(teacher, "q1")
    assert service.update_set(question_set, "  ", "", "") == []
    fresh()
    row = db.session.get(QuestionSet, question_set.id)
    assert (row.title, row.source_text) == ("Chang’e 6", None)


# ---- add, all or nothing


def test_add_questions_appends_in_order_at_version_one(teacher: Teacher) -> None:
    question_set = set_with(teacher, "a", "b")
    added = service.add_questions(question_set, [question("c", "true_false"), question("d", "numeric")])
    assert [r.key for r in added] == ["c", "d"]
    assert keys_of(question_set) == ["a", "b", "c", "d"]
    versions = [(v.number, v.type) for _, v in current_questions(question_set)]
    assert versions[2:] == [(1, "true_false"), (1, "numeric")]


def test_an_evidence_question_named_by_anchors_takes_its_sentences_from_the_sets_text(
    teacher: Teacher,
) -> None:
    question_set = service.create_set(teacher, "Anchors", "", TEXT)
    raw = make_question("evidence", id="ev", answer={"choice": "China Daily", "evidence": ["p1s2"]})
    del raw["passage"], raw["source"]  # as a JSON file may send it: the sentence named by its anchor
    [row] = service.add_questions(question_set, [raw])
    [(_, version)] = current_questions(question_set)
    content = version.content
    assert content["answer"]["evidence"] == [SECOND] and content["source"] == SECOND
    assert SECOND in content["passage"] and FIRST in content["passage"] and len(content["passage"]) >= 3
    assert row.key == "ev"


@pytest.mark.parametrize(
    "bad",
    [
        question("bad", answer="Not a choice"),  # invalid answer
        question("bad", source="A sentence that is not in the text."),  # ungrounded
        question("a"),  # id already used in the set
        question("good-2"),  # the same id twice in one batch
    ],
    ids=["invalid", "ungrounded", "taken id", "repeated id"],
)
def test_one_bad_question_among_good_ones_writes_nothing(teacher: Teacher, bad: dict[str, Any]) -> None:
    question_set = set_with(teacher, "a")
    before = row_counts()
    with pytest.raises(InvalidQuestionSet) as raised:
        service.add_questions(question_set, [question("good-1"), question("good-2", "true_false"), bad])
    assert {p.question_id for p in raised.value.problems} == {bad["id"]}
    assert row_counts() == before
    assert keys_of(question_set) == ["a"]


# ---- versions


def test_editing_makes_a_new_version_and_keeps_the_old(teacher: Teacher) -> None:
    question_set = set_with(teacher, "q1")
    row = stored(question_set, "q1")
    assert service.update_question(question_set, row, question("q1", prompt="Which outlet, again?"))
    fresh()
    versions = db.session.scalars(
        db.select(QuestionVersion)
        .where(QuestionVersion.question_id == row.id)
        .order_by(QuestionVersion.number)
    ).all()
    assert [(v.number, v.content["prompt"]) for v in versions] == [
        (1, "Which outlet shared the flag event?"),
        (2, "Which outlet, again?"),
    ]
    assert stored(question_set, "q1").current_number == 2


def test_the_topics_follow_every_edit_and_withdrawal(teacher: Teacher, learner: Learner) -> None:
    question_set = set_with(teacher, "a")
    assert set_topics(question_set) == ["chang-e-6"]
    assert set_topics(question_set) == ["chang-e-6"]  # the second time from memory: the same
    service.add_questions(question_set, [question("b", topics=["missions", "samples"])])
    assert set_topics(question_set) == ["chang-e-6", "missions", "samples"]
    service.update_question(question_set, stored(question_set, "b"), question("b", topics=["missions"]))
    assert set_topics(question_set) == ["chang-e-6", "missions"]
    answered_attempt(learner, question_set, "a", RIGHT)  # used: deleting "a" withdraws it (kept, hidden)
    assert service.delete_question(question_set, stored(question_set, "a"))
    assert set_topics(question_set) == ["missions"]


def test_saving_an_unchanged_question_makes_no_version(teacher: Teacher) -> None:
    question_set = set_with(teacher, "q1")
    before = row_counts()
    assert service.update_question(question_set, stored(question_set, "q1"), question("q1")) is False
    assert row_counts() == before


def test_an_edit_that_breaks_the_question_is_refused_and_keeps_the_version(teacher: Teacher) -> None:
    question_set = set_with(teacher, "q1")
    with pytest.raises(InvalidQuestionSet):
        service.update_question(question_set, stored(question_set, "q1"), question("q1", source="Not there."))
    assert stored(question_set, "q1").current_number == 1


def test_a_past_attempt_keeps_its_version_and_score_after_an_edit(teacher: Teacher, learner: Learner) -> None:
    question_set = set_with(teacher, "q1")
    public_id = answered_attempt(learner, question_set, "q1", RIGHT)
    changed = question("q1", choices=["China Daily", "Global Times", "CGTN"], answer="CGTN")
    service.update_question(question_set, stored(question_set, "q1"), changed)
    fresh()
    past = load_attempt(public_id, learner)
    assert (past.attempt.score, past.slots[0].points) == (1.0, 1.0)
    assert past.slots[0].question.answer == "China Daily"
    again = answered_attempt(learner, question_set, "q1", RIGHT)
    assert load_attempt(again, learner).attempt.score == 0.0  # the new version's key is CGTN


# ---- delete, move


def test_deleting_an_unused_question_removes_it_and_its_versions(teacher: Teacher) -> None:
    question_set = set_with(teacher, "q1", "q2")
    before = row_counts()
    assert service.delete_question(question_set, stored(question_set, "q1")) is False
    assert stored(question_set, "q1") is None
    assert keys_of(question_set) == ["q2"]
    assert row_counts() == {
        **before,
        "questions": before["questions"] - 1,
        "versions": before["versions"] - 1,
    }


@pytest.mark.parametrize("answered", [True, False], ids=["answered", "asked only"])
def test_deleting_a_used_question_withdraws_it_and_keeps_the_history(
    teacher: Teacher, learner: Learner, answered: bool
) -> None:
    question_set = set_with(teacher, "q1", "q2")
    if answered:
        public_id = answered_attempt(learner, question_set, "q1", RIGHT)
    else:
        attempt, _ = start_attempt(
            learner, QuizSpec(count=1, question_ids=frozenset({"q1"})), Mode.TEST, question_set.slug
        )
        public_id = attempt.public_id
    assert service.delete_question(question_set, stored(question_set, "q1")) is True
    assert stored(question_set, "q1").hidden
    assert keys_of(question_set) == ["q2"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == (1 if answered else 0)
    assert [s.question.id for s in load_attempt(public_id, learner).slots] == ["q1"]
    with pytest.raises(NotFound):
        service.owned_question(question_set, stored(question_set, "q1").id)


@pytest.mark.parametrize(
    ("key", "step", "order"),
    [("b", -1, "bac"), ("b", 1, "acb"), ("a", -1, "abc"), ("c", 1, "abc"), ("a", 1, "bac")],
)
def test_move_question_swaps_with_its_neighbour(teacher: Teacher, key: str, step: int, order: str) -> None:
    question_set = set_with(teacher, "a", "b", "c")
    service.move_question(question_set, stored(question_set, key), step)
    assert keys_of(question_set) == list(order)


def test_moving_skips_a_withdrawn_question(teacher: Teacher, learner: Learner) -> None:
    question_set = set_with(teacher, "a", "b", "c")
    answered_attempt(learner, question_set, "b", RIGHT)
    service.delete_question(question_set, stored(question_set, "b"))
    service.move_question(question_set, stored(question_set, "c"), -1)
    assert keys_of(question_set) == ["c", "a"]


# ---- copy from the bank, duplicate


def bank_content(key: str) -> dict[str, Any]:
    """The current content of the bank's question `key`."""
    return next(v.content for _, v in current_questions(get_set(ARTICLE_BANK)) if v.content["id"] == key)


def copied_sources(question_set: QuestionSet) -> dict[str, str]:
    """Each current question's id and quoted source."""
    fresh()
    return {v.content["id"]: v.content.get("source", "") for _, v in current_questions(question_set)}


def test_copy_keeps_a_quote_found_in_the_targets_text_and_drops_the_others(teacher: Teacher) -> None:
    target = service.create_set(teacher, "Flag", source_text=TEXT)
    service.copy_questions(get_set(ARTICLE_BANK), target, [GROUNDED_IN_FIRST, GROUNDED_ELSEWHERE])
    assert copied_sources(target) == {
        GROUNDED_IN_FIRST: bank_content(GROUNDED_IN_FIRST)["source"],
        GROUNDED_ELSEWHERE: "",
    }
    assert service.ungrounded_questions(target) == []


def test_copy_into_a_set_without_text_keeps_every_quote(teacher: Teacher) -> None:
    target = service.create_set(teacher, "No text")
    service.copy_questions(get_set(ARTICLE_BANK), target, [GROUNDED_IN_FIRST, GROUNDED_ELSEWHERE])
    keys = (GROUNDED_IN_FIRST, GROUNDED_ELSEWHERE)
    assert copied_sources(target) == {k: bank_content(k)["source"] for k in keys}


def test_copy_gives_new_ids_when_taken_and_copies_content_otherwise_unchanged(teacher: Teacher) -> None:
    target = service.create_set(teacher, "Twice")
    bank = get_set(ARTICLE_BANK)
    service.copy_questions(bank, target, [GROUNDED_IN_FIRST, GROUNDED_IN_FIRST])  # asked twice: copied once
    service.copy_questions(bank, target, [GROUNDED_IN_FIRST])
    service.copy_questions(bank, target, [GROUNDED_IN_FIRST])
    ids = [f"{GROUNDED_IN_FIRST}{suffix}" for suffix in ("", "-copy", "-copy-copy")]
    assert keys_of(target) == ids
    contents = [v.content for _, v in current_questions(target)]
    assert all({**c, "id": GROUNDED_IN_FIRST} == bank_content(GROUNDED_IN_FIRST) for c in contents)
    assert bank_content(GROUNDED_IN_FIRST)["id"] == GROUNDED_IN_FIRST  # the bank keeps its own


def test_duplicate_copies_text_and_current_versions_but_not_the_link(
    teacher: Teacher, learner: Learner
) -> None:
    original = set_with(teacher, "a", "b", "c")
    service.update_question(original, stored(original, "a"), question("a", prompt="Edited prompt"))
    answered_attempt(learner, original, "c", RIGHT)
    service.delete_question(original, stored(original, "c"))
    service.share(original)
    copy = service.duplicate_set(teacher, original)
    fresh()
    copy = db.session.get(QuestionSet, copy.id)
    assert (copy.title, copy.description, copy.source_text) == ("Chang’e 6 (copy)", "A short reading", TEXT)
    assert (copy.owner_id, copy.share_token) == (teacher.id, None)
    assert [(v.number, v.content) for _, v in current_questions(copy)] == [
        (1, v.content) for _, v in current_questions(original)
    ]
    assert keys_of(original) == ["a", "b"]


@pytest.mark.parametrize(("hints", "certainty"), [(False, True), (True, False)])
def test_a_duplicate_keeps_the_sets_hint_and_certainty_switches(
    teacher: Teacher, hints: bool, certainty: bool
) -> None:
    original = set_with(teacher, "a")
    set_switches(original, hints=hints, certainty_marking=certainty)
    copy = service.duplicate_set(teacher, original)
    fresh()
    copy = db.session.get(QuestionSet, copy.id)
    assert (copy.hints, copy.certainty_marking) == (hints, certainty)


def test_a_duplicate_is_independent_of_its_original(teacher: Teacher) -> None:
    original = set_with(teacher, "a")
    copy = service.duplicate_set(teacher, original)
    service.update_question(copy, stored(copy, "a"), question("a", prompt="Only in the copy"))
    service.delete_question(original, stored(original, "a"))
    assert keys_of(original) == []
    assert [v.content["prompt"] for _, v in current_questions(copy)] == ["Only in the copy"]


def test_a_set_with_quotes_to_fix_can_still_be_duplicated(teacher: Teacher) -> None:
    """A quote that already left the text is dropped from the copy (as copying does); the rest is kept."""
    original = set_with(teacher, "a", "b")
    service.update_question(original, stored(original, "b"), question("b", source=FIRST))
    service.update_set(original, original.title, "", FIRST)  # a's quote (SECOND) leaves the text
    copy = service.duplicate_set(teacher, original)
    assert keys_of(copy) == ["a", "b"]
    assert copied_sources(copy) == {"a": "", "b": FIRST}
    assert service.ungrounded_questions(copy) == []


# ---- share links


def test_a_share_link_is_long_random_and_finds_its_set(teacher: Teacher) -> None:
    question_set = service.create_set(teacher, "Shared")
    tokens = {service.share(question_set) for _ in range(3)}
    assert len(tokens) == 3 and all(len(t) >= 22 for t in tokens)  # 16 random bytes, url-safe
    latest = stored_token(question_set)
    assert latest in tokens
    assert service.shared_set(latest).id == question_set.id


def stored_token(question_set: QuestionSet) -> str | None:
    """The set's share token as stored now."""
    fresh()
    return db.session.get(QuestionSet, question_set.id).share_token


@pytest.mark.parametrize("revoke", ["unshare", "new link"])
def test_a_revoked_or_replaced_link_finds_nothing(teacher: Teacher, revoke: str) -> None:
    question_set = service.create_set(teacher, "Shared")
    old = service.share(question_set)
    service.unshare(question_set) if revoke == "unshare" else service.share(question_set)
    with pytest.raises(NotFound):
        service.shared_set(old)
    assert (stored_token(question_set) is None) == (revoke == "unshare")


@pytest.mark.parametrize("token", ["", "no-such-token"])
def test_an_unknown_or_empty_token_finds_nothing_beside_private_sets(teacher: Teacher, token: str) -> None:
    service.create_set(teacher, "Private")
    with pytest.raises(NotFound):
        service.shared_set(token)


def test_the_type_filter_offers_the_types_the_set_has(teacher: Teacher) -> None:
    """A set of single-choice questions offers only that type; a true/false question added shows up."""
    question_set = set_with(teacher, "a")
    assert set_types(question_set) == ["single_choice"]
    service.add_questions(question_set, [question("b", type="true_false", choices=None, answer=True)])
    assert set_types(question_set) == ["single_choice", "true_false"]
