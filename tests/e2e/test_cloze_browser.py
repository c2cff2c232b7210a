"""'Gaps in a text (cloze)' in real Chromium, in the three flows: self-study on a phone (keyboard: type, pick
from a menu, radio buttons), a share link (a test with a wrong gap, then the results) and a class session
(the projector shows numbered blanks, never the gaps' answers). axe-core finds no serious or critical problem.
"""

from __future__ import annotations

import re
from pathlib import Path

from audits import serious_violations
from browsers import PHONE
from classroom_pages import class_of_one
from live_server import TIMEOUT_MS
from playwright.sync_api import Browser, Page, expect
from quiz_driver import Question, bank_questions, expect_question, fill_gaps, save_and_next, start_selection
from teacher_pages import copy_from_bank, create_set, register, share, start_shared_test

from quizapp.domain.cloze_syntax import blanked_text
from quizapp.domain.question_types._cloze_gaps import cloze_of

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results" / "screenshots"


def cloze_questions() -> dict[str, Question]:
    return {q["id"]: q for q in bank_questions().values() if q["type"] == "cloze"}


def test_self_study_on_a_phone(page: Page, base_url: str) -> None:
    question = cloze_questions()["cloze-chang-e-4-far-side-rover"]
    page.set_viewport_size(PHONE)
    start_selection(page, base_url, [question["id"]], "practice")
    expect_question(page, 1)
    html = page.content()
    assert "far side" not in html and "SHORTANSWER" not in html  # no key before the answer is in
    expect(page.get_by_label("Gap 2 of 3")).to_have_js_property("tagName", "SELECT")
    found = {"question": serious_violations(page)}
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # "Yutu-2, began" and "2019." : a gap and the punctuation after it are one piece that never wraps apart
    tails = page.locator(".gap-tail")
    expect(tails).to_have_count(2)
    assert tails.evaluate_all("els => els.map(e => e.getClientRects().length)") == [1, 1]
    assert tails.evaluate_all("els => els.map(e => e.textContent.trim().slice(-1))") == [",", "."]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "cloze-question-phone.png", full_page=True)
    page.get_by_label("Gap 1 of 3").fill("dark side")  # 50 %
    page.get_by_label("Gap 2 of 3").select_option(label="Yutu-2")
    page.get_by_label("Gap 3 of 3").fill("2019")
    page.get_by_label("Gap 3 of 3").press("Enter")  # submits: 'Check my answer'
    expect(page.locator("p.verdict")).to_contain_text("Partly right")
    expect(page.get_by_text("2 of 3 gaps right")).to_be_visible()
    expect(page.locator(".marks li").first).to_contain_text("it gets as much sunlight")  # the gap's feedback
    expect(page.get_by_label("Gap 1 of 3")).to_have_value("dark side")
    found["feedback"] = serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SHOTS / "cloze-feedback-phone.png", full_page=True)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_share_link_test_with_a_wrong_gap_then_the_results(
    page: Page, browser: Browser, base_url: str
) -> None:
    chosen = [
        cloze_questions()["cloze-chang-e-5-first-samples"],
        cloze_questions()["cloze-chang-e-6-payloads"],
    ]
    found: dict[str, list[str]] = {}
    register(page, base_url)
    create_set(page)
    copy_from_bank(page, [q["id"] for q in chosen], found)
    link = share(page)
    student = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone = student.new_page()
        start_shared_test(phone, link, 2)
        points = []
        for position in (1, 2):
            expect_question(phone, position)
            text = phone.locator("#prompt").text_content() or ""
            question = next(q for q in chosen if ("Launched in" in text) == ("Launched" in q["prompt"]))
            fill_gaps(phone, question, wrong_first=position == 1)
            weights = [g.weight for g in cloze_of(question["prompt"]).gaps]
            points.append(1.0 if position == 2 else (sum(weights) - weights[0]) / sum(weights))
            if position == 1:
                found["question on a phone"] = serious_violations(phone)
            save_and_next(phone, position, 2)
        expect(phone.locator(".score")).to_contain_text(f"{round(sum(points), 2):g} / 2")
        expect(phone.get_by_text(re.compile(r"of \d gaps right"))).to_be_visible()
        found["results"] = serious_violations(phone)
    finally:
        student.close()
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_class_session_shows_blanks_and_reveals_the_gaps(browser: Browser, base_url: str) -> None:
    found: dict[str, list[str]] = {}
    with class_of_one(browser, base_url, "Gaps in a text (cloze)") as (teacher, student):
        board = teacher.locator(".board")
        prompt = (board.locator(".board-prompt").text_content() or "").strip()
        assert "____ (1)" in prompt and "{" not in prompt and "MULTICHOICE" not in prompt
        found["projector"] = serious_violations(teacher)
        expect(student.get_by_role("button", name="Send my answer")).to_be_visible(timeout=TIMEOUT_MS)
        question = next(q for q in cloze_questions().values() if blanked_text(q["prompt"]) == prompt)
        assert "{" not in student.content().split("<main", 1)[1]  # no gap syntax on the phone either
        found["student question"] = serious_violations(student)
        fill_gaps(student, question)
        student.get_by_role("button", name="Send my answer").click()
        expect(student.locator("p.waiting")).to_contain_text("Answer saved")
        expect(student.locator(".prompt")).to_contain_text("____ (1)")
        expect(teacher.locator(".board-count")).to_contain_text("1 of 1 answered")
        teacher.get_by_role("button", name="Reveal the answer").click()
        expect(student.locator("p.verdict")).to_contain_text("Right!")
        found["student revealed"] = serious_violations(student)
        found["projector revealed"] = serious_violations(teacher)
    assert {name: problems for name, problems in found.items() if problems} == {}
