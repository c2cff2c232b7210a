"""On a phone-sized screen (390 x 844) no page is wider than the screen: nothing needs sideways scrolling,
even a matching question whose options are long sentences."""

from __future__ import annotations

import re

import pytest
from browsers import overflow
from playwright.sync_api import Page, expect
from quiz_driver import ANSWER, bank_questions, one_per_type, save_and_next, shown_type, start_selection


@pytest.mark.parametrize("path", ["/", "/article", "/article/p1s1", "/my-results", "/no-such-page"])
def test_page_fits_a_phone(phone: Page, base_url: str, path: str) -> None:
    phone.goto(base_url + path)
    assert overflow(phone) == 0


def test_every_question_type_and_the_results_fit_a_phone(phone: Page, base_url: str) -> None:
    questions = one_per_type()
    total = len(questions)
    start_selection(phone, base_url, [q["id"] for q in questions.values()], "test")
    too_wide = {}
    for position in range(1, total + 1):
        qtype = shown_type(phone)
        ANSWER[qtype](phone, questions[qtype])  # chosen options are shown in full width controls
        too_wide[qtype] = overflow(phone)
        save_and_next(phone, position, total)
    expect(phone.locator(".score")).to_have_text(f"{total} / {total} (100%)")
    too_wide["results"] = overflow(phone)
    start_selection(phone, base_url, [next(iter(questions.values()))["id"]], "practice")  # left in progress
    phone.set_viewport_size({"width": 360, "height": 800})  # a small Android phone
    phone.goto(base_url + "/my-results")  # both quizzes in its table: the table scrolls inside its box
    expect(phone.get_by_role("heading", name="Every quiz")).to_be_visible()
    too_wide["my results"] = overflow(phone)
    assert too_wide == dict.fromkeys(too_wide, 0)
    assert len(too_wide) == total + 2


# Types whose prompt the page shows in parts (a cloze's gaps are inputs): the quiz holds one of each.
SHOWN_IN_PARTS = ("cloze", "evidence")


def _answer_if_known(phone: Page, known: dict[str, dict]) -> None:
    """Answer the shown question rightly when it is one of `known` (same type and prompt), else skip it."""
    prompt = " ".join((phone.locator("form .prompt").first.text_content() or "").split())
    question = known[shown_type(phone)]
    written = " ".join(question["prompt"].replace("___", "_____").split())
    if question["type"] in SHOWN_IN_PARTS or prompt == written:
        ANSWER[question["type"]](phone, question)


def test_long_results_fit_a_phone_and_filter_to_the_mistakes(phone: Page, base_url: str) -> None:
    """30 questions, one of each type answered right: the results' marked numbers, the marks of each part and
    the feedback fit 390 px without sideways scrolling, whole and filtered to the mistakes."""
    known = one_per_type()
    right = len(known)
    others = [
        i
        for i, q in bank_questions().items()
        if i not in {q["id"] for q in known.values()} and q["type"] not in SHOWN_IN_PARTS
    ][: 30 - right]
    start_selection(phone, base_url, [*(q["id"] for q in known.values()), *others], "test")
    for position in range(1, 31):
        _answer_if_known(phone, known)
        save_and_next(phone, position, 30)
    expect(phone.locator(".score")).to_have_text(f"{right} / 30 ({round(100 * right / 30)}%)")
    numbers = phone.get_by_role("navigation", name="Questions, right or wrong").get_by_role("link")
    expect(numbers).to_have_count(30)
    expect(numbers.filter(has_text=re.compile(r"\d: right$"))).to_have_count(right)  # in words, not colour
    expect(numbers.filter(has_text=re.compile(r"\d: not answered$"))).to_have_count(30 - right)
    # the symbol is hidden from screen readers: the name is the number and a word
    expect(numbers.first).to_have_accessible_name(re.compile(r"^\d+ ?: (right|not answered)$"))
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    phone.get_by_role("link", name=f"Show only my mistakes ({30 - right})").click()
    expect(phone.locator("ol.review > li")).to_have_count(30 - right)
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    expect(phone.get_by_role("link", name="Show all 30 questions")).to_be_visible()
