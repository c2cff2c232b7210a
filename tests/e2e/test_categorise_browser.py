"""'Sort into groups' in real Chromium, in the three flows: self-study (keyboard only, then on a phone), a
share link (tapping) and a class session (projector and student). Each item is a group of radio buttons, one
per group, so nothing needs dragging (WCAG 2.5.7).
axe-core finds no serious or critical problem on the pages."""

from __future__ import annotations

from pathlib import Path

from audits import serious_violations
from browsers import PHONE
from classroom_pages import class_of_one
from live_server import TIMEOUT_MS
from playwright.sync_api import Browser, Page, expect
from quiz_driver import (
    Question,
    answer_categorise,
    bank_questions,
    expect_answered,
    expect_question,
    save_and_next,
    start_selection,
)
from teacher_pages import copy_from_bank, create_set, register, share, start_shared_test

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def sorting_questions() -> list[Question]:
    return [q for q in bank_questions().values() if q["type"] == "categorise"]


def sort_by_keyboard(page: Page, question: Question) -> None:
    """Keyboard only: Tab into each item's buttons, arrow keys to its group (arrows move and tick), Tab on."""
    key = {item: group for item, group in question["answer"]}
    items = page.locator("form fieldset.sort-item")
    items.first.locator("input").first.focus()
    for n in range(items.count()):
        shown = items.nth(n)
        wanted = key[(shown.locator("legend").text_content() or "").strip()]
        labels = [t.strip() for t in shown.locator("label").all_text_contents()]
        steps = labels.index(wanted)
        page.keyboard.press("Space")  # ticks the first group
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
        expect(shown.get_by_label(wanted, exact=True)).to_be_checked()
        if n < items.count() - 1:
            page.keyboard.press("Tab")


def test_self_study_by_keyboard_then_on_a_phone(page: Page, base_url: str) -> None:
    question = sorting_questions()[0]
    start_selection(page, base_url, [question["id"]], "practice")
    expect_question(page, 1)
    found = {"question": serious_violations(page)}
    sort_by_keyboard(page, question)
    page.keyboard.press("Enter")  # submits the form: the first button is 'Check my answer'
    expect(page.locator("p.verdict")).to_contain_text("Right")
    expect_answered(page, question)
    found["feedback"] = serious_violations(page)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # no sideways scrolling on a phone
    found["feedback on a phone"] = serious_violations(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "categorise-feedback-phone.png", full_page=True)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_share_link_test_with_a_wrong_item_then_the_results(
    page: Page, browser: Browser, base_url: str
) -> None:
    questions = {q["prompt"]: q for q in sorting_questions()[1:3]}
    found: dict[str, list[str]] = {}
    register(page, base_url)
    create_set(page)
    copy_from_bank(page, [q["id"] for q in questions.values()], found)
    link = share(page)
    student = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone = student.new_page()
        start_shared_test(phone, link, 2)
        expect_question(phone, 1)
        found["question on a phone"] = serious_violations(phone)
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=SHOTS / "categorise-question-phone.png", full_page=True)
        first = questions[(phone.locator("legend.prompt").text_content() or "").strip()]
        answer_categorise(phone, first)  # taps
        item, its_group = first["answer"][0]
        other = next(g for g in first["groups"] if g != its_group)
        phone.get_by_role("group", name=item, exact=True).get_by_label(other, exact=True).tap()
        save_and_next(phone, 1, 2)
        answer_categorise(phone, questions[(phone.locator("legend.prompt").text_content() or "").strip()])
        save_and_next(phone, 2, 2)
        n = len(first["answer"])
        expect(phone.locator(".score")).to_contain_text(f"{round((n - 1) / n + 1, 2):g} / 2")
        expect(phone.get_by_text(f"{n - 1} of {n} items in their right group")).to_be_visible()
        expect(phone.get_by_text(f"wrong: it belongs in “{its_group}”")).to_be_visible()
        found["results"] = serious_violations(phone)
    finally:
        student.close()
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_class_session_shows_the_groups_and_reveals_them(browser: Browser, base_url: str) -> None:
    found: dict[str, list[str]] = {}
    with class_of_one(browser, base_url, "Sort into groups") as (teacher, student):
        board = teacher.locator(".board")
        expect(board.get_by_role("heading", name="into one of these groups")).to_be_visible()
        prompt = (board.locator(".board-prompt").text_content() or "").strip()
        question = next(q for q in sorting_questions() if q["prompt"] == prompt)
        for item, group in question["answer"]:
            expect(board.get_by_text(item, exact=True)).to_be_visible()
            expect(board.get_by_text(group, exact=True).first).to_be_visible()
        found["projector"] = serious_violations(teacher)
        expect(student.get_by_role("button", name="Send my answer")).to_be_visible(timeout=TIMEOUT_MS)
        found["student question"] = serious_violations(student)
        answer_categorise(student, question)
        student.get_by_role("button", name="Send my answer").click()
        expect(student.locator("p.waiting")).to_contain_text("Answer saved")
        expect(teacher.locator(".board-count")).to_contain_text("1 of 1 answered")
        teacher.get_by_role("button", name="Reveal the answer").click()
        expect(student.locator("p.verdict")).to_contain_text("Right!")
        key = "; ".join(f"{item} → {group}" for item, group in question["answer"])
        answer = student.locator("p", has=student.locator("strong", has_text="Answer:"))
        expect(answer).to_contain_text(key)
        found["student revealed"] = serious_violations(student)
        found["projector revealed"] = serious_violations(teacher)
    assert {name: problems for name, problems in found.items() if problems} == {}
