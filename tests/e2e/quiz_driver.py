"""Driving a quiz in the browser as a learner would: start one on chosen questions, read and answer each page.

The answer keys come from the bank file itself (questions/article-bank.yaml), so the tests know what is right
without asking the app. Choices are shuffled in the page: everything is found by its visible label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Page, expect

from quizapp.domain.bank import read_bank_file
from quizapp.domain.question_types import SCORED_TYPES, TYPE_LABELS
from quizapp.domain.question_types._cloze_gaps import cloze_of, gap_key
from quizapp.domain.questions import Question as Built

BANK_FILE = Path(__file__).resolve().parents[2] / "questions" / "article-bank.yaml"
TYPES = [t.value for t in SCORED_TYPES]
TYPE_OF_LABEL = {label: t.value for t, label in TYPE_LABELS.items()}
Question = dict[str, Any]


def bank_questions() -> dict[str, Question]:
    """Every question of the built-in bank, as written in the file, by id."""
    raw = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    return {q["id"]: q for q in raw["questions"]}


def one_per_type() -> dict[str, Question]:
    """The first question of each type in the bank, by type (one quiz of these has every type once)."""
    chosen: dict[str, Question] = {}
    for question in bank_questions().values():
        chosen.setdefault(question["type"], question)
    assert sorted(chosen) == sorted(TYPES), f"the bank lacks a type: {sorted(chosen)}"
    return chosen


def start_selection(page: Page, base_url: str, ids: Iterable[str], mode: str) -> None:
    """Start a quiz on `ids` through a sentence page's real 'Practise these questions' form."""
    page.goto(f"{base_url}/article")
    page.locator("a.qlink").first.click()
    page.wait_for_url(re.compile(r"/article/[^/#]+$"))
    page.evaluate(
        """([ids, mode]) => {
             const form = document.querySelector('form[action$="/quiz/selection"]');
             form.elements.question_ids.value = ids;
             form.elements.mode.value = mode;
           }""",
        [",".join(ids), mode],
    )
    page.get_by_role("button", name="Practise these questions").click()
    page.wait_for_url(re.compile(r"/attempts/[^/]+/1$"))


def shown_type(page: Page) -> str:
    """The type of the question on the page, read from its tag (raw text: CSS shows it upper-case)."""
    label = (page.locator("form .type-tag").text_content() or "").strip()
    return TYPE_OF_LABEL[label]


def expect_question(page: Page, position: int) -> None:
    """Wait until question `position` is on the page (after a click that leads there)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^Question {position} of \d+$"))


def go_to_question(page: Page, position: int) -> None:
    """Open question `position` through the question navigation (unless it is already open)."""
    if not page.url.endswith(f"/{position}"):
        page.get_by_role("navigation", name="All questions").get_by_role("link").nth(position - 1).click()
    expect_question(page, position)


def save_and_next(page: Page, position: int, total: int, enter: bool = False) -> None:
    """Save a test-mode answer (Enter in a text field, else a click on the button); wait for the next page.
    After the last question: the summary of answers, then 'Finish and see my score' (or 'Finish anyway')."""
    if enter:
        page.keyboard.press("Enter")
    else:
        page.get_by_role(
            "button", name="Save and review my answers" if position == total else "Save and next →"
        ).click()
    if position < total:
        expect_question(page, position + 1)
        return
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary of your answers")
    page.get_by_role("button", name=re.compile(r"^Finish")).click()
    page.wait_for_url(re.compile(r"/attempts/[^/]+/results$"))


def _choose(page: Page, label: str) -> None:
    page.get_by_label(label, exact=True).check()  # a mouse click on the radio or checkbox


def answer_single(page: Page, question: Question, choice: str | None = None) -> None:
    """Click the choice `choice` (default: the right one)."""
    _choose(page, choice or question["answer"])


def answer_multiple(page: Page, question: Question) -> None:
    """Tick every right choice."""
    for choice in question["answer"]:
        _choose(page, choice)


def answer_true_false(page: Page, question: Question) -> None:
    """Click True or False."""
    _choose(page, "True" if question["answer"] else "False")


def _type_into_answer(page: Page, text: str) -> None:
    field = page.locator("input#answer")
    field.click()
    page.keyboard.type(text)


def answer_fill_blank(page: Page, question: Question) -> None:
    """Type the first accepted answer."""
    _type_into_answer(page, question["answer"][0])


def answer_numeric(page: Page, question: Question) -> None:
    """Type the number."""
    _type_into_answer(page, f"{float(question['answer']):g}")


def answer_ordering(page: Page, question: Question) -> None:
    """Keyboard only: focus the first list, type each item's place, Tab to the next list."""
    selects = page.locator("select")
    selects.first.focus()
    for n in range(selects.count()):
        item = page.evaluate("document.activeElement.labels[0].textContent")
        page.keyboard.press(str(question["answer"].index(item) + 1))
        if n < selects.count() - 1:
            page.keyboard.press("Tab")
    for place, item in enumerate(question["answer"], start=1):
        expect(page.get_by_label(item, exact=True)).to_have_value(str(place))


def answer_matching(page: Page, question: Question) -> None:
    """Pick each item's match from its list."""
    for left, right in question["answer"]:
        page.get_by_label(left, exact=True).select_option(label=right)


def answer_categorise(page: Page, question: Question) -> None:
    """Tap each item's group: a radio button in the item's own group of buttons (nothing to drag)."""
    for item, group in question["answer"]:
        page.get_by_role("group", name=item, exact=True).get_by_label(group, exact=True).check()


def fill_gaps(page: Page, question: Question, wrong_first: bool = False) -> None:
    """Fill every gap of a cloze by its label ("Gap n of N"): type, choose from a menu, or tick."""
    gaps = cloze_of(question["prompt"]).gaps
    for number, gap in enumerate(gaps, start=1):
        field = page.get_by_label(f"Gap {number} of {len(gaps)}", exact=False)
        key = gap_key(gap)
        if number == 1 and wrong_first:
            key = "certainly not this" if gap.base == "SHORTANSWER" else key
            key = 99999.0 if gap.base == "NUMERICAL" else key
            key = next(a.text for a in gap.answers if a.fraction <= 0) if gap.base == "MULTICHOICE" else key
        if gap.base in ("SHORTANSWER", "NUMERICAL"):
            field.fill(f"{key:g}" if isinstance(key, float) else str(key))
        elif gap.layout == "menu":
            field.select_option(label=str(key))
        else:
            for choice in key if isinstance(key, tuple) else (key,):
                field.get_by_label(choice, exact=True).check()


def _expect_gaps_filled(page: Page, question: Question) -> None:
    """Every gap of a cloze holds its key (typed, chosen from a menu, or ticked)."""
    gaps = cloze_of(question["prompt"]).gaps
    for number, gap in enumerate(gaps, start=1):
        field = page.get_by_label(f"Gap {number} of {len(gaps)}", exact=False)
        key = gap_key(gap)
        if gap.base in ("SHORTANSWER", "NUMERICAL"):
            expect(field).to_have_value(f"{key:g}" if isinstance(key, float) else str(key))
        elif gap.layout == "menu":
            expect(field.locator("option:checked")).to_have_text(str(key))
        else:
            for choice in key if isinstance(key, tuple) else (key,):
                expect(field.get_by_label(choice, exact=True)).to_be_checked()


def built_question(question_id: str) -> Built:
    """A bank question as the app builds it (evidence anchors read as the article's sentences)."""
    bank = read_bank_file(BANK_FILE).bank
    assert bank is not None
    return next(q for q in bank.questions if q.id == question_id)


def answer_evidence(page: Page, question: Question) -> None:
    """Pick the right answer, then each evidence sentence: clicked in the text (JavaScript) or ticked."""
    built = built_question(question["id"])
    _choose(page, built.answer[0])
    for sentence in built.answer[1]:
        button = page.get_by_role("button", name=sentence, exact=True)
        if button.count():
            button.click()
            expect(button).to_have_attribute("aria-pressed", "true")
        else:
            page.get_by_label(sentence, exact=True).check()


TYPED = ("fill_blank", "numeric")
ANSWER: dict[str, Callable[[Page, Question], None]] = {
    "single_choice": answer_single,
    "multiple_choice": answer_multiple,
    "true_false": answer_true_false,
    "fill_blank": answer_fill_blank,
    "numeric": answer_numeric,
    "ordering": answer_ordering,
    "matching": answer_matching,
    "categorise": answer_categorise,
    "cloze": fill_gaps,
    "evidence": answer_evidence,
}


def answer_shown_question(page: Page, questions: dict[str, Question]) -> str:
    """Answer the question on the page correctly (`questions` maps type to question); returns its type."""
    qtype = shown_type(page)
    ANSWER[qtype](page, questions[qtype])
    return qtype


def _checked_labels(question: Question) -> list[str]:
    """The labels of the choices a right answer to a choice question ticks."""
    key = question["answer"]
    if question["type"] == "true_false":
        return ["True" if key else "False"]
    return list(key) if question["type"] == "multiple_choice" else [key]


def expect_answered(page: Page, question: Question) -> None:
    """The page shows `question`'s right answer as the one given (after a reload, say)."""
    qtype, key = question["type"], question.get("answer")  # a cloze keeps its key in its prompt
    if qtype in ("single_choice", "multiple_choice", "true_false"):
        for label in _checked_labels(question):
            expect(page.get_by_label(label, exact=True)).to_be_checked()
    elif qtype in ("fill_blank", "numeric"):
        typed = key[0] if qtype == "fill_blank" else f"{float(key):g}"
        expect(page.locator("input#answer")).to_have_value(typed)
    elif qtype == "ordering":
        for place, item in enumerate(key, start=1):
            expect(page.get_by_label(item, exact=True)).to_have_value(str(place))
    elif qtype == "categorise":
        for item, group in key:
            radio = page.get_by_role("group", name=item, exact=True).get_by_label(group, exact=True)
            expect(radio).to_be_checked()
    elif qtype == "cloze":
        _expect_gaps_filled(page, question)
    elif qtype == "evidence":
        built = built_question(question["id"])
        expect(page.get_by_label(built.answer[0], exact=True)).to_be_checked()
        for sentence in built.answer[1]:
            button = page.get_by_role("button", name=sentence, exact=True)
            if button.count():
                expect(button).to_have_attribute("aria-pressed", "true")
            else:
                expect(page.get_by_label(sentence, exact=True)).to_be_checked()
    else:
        for left, right in key:
            expect(page.get_by_label(left, exact=True).locator("option:checked")).to_have_text(right)
