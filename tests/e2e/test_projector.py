"""The projector page worth putting on the wall, and the students' phones beside it, in real Chromium.

Sessions are opened through the service on the bank's real questions (a multiple choice question with one of
the longest quotes, then a matching question), so the test knows what the board must show. At 1280x800 a
revealed question (the question, the bars, the explanation, the quote, the leaderboard and "Next question")
fits one screen, with no site menu; choices are listed once; a matching question shows both of its sides
while open and its bars write every answer out. axe-core finds nothing serious on any state of the projector,
teacher- or student-paced. Screenshots go to test-results/screenshots/projector-*.png.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from audits import serious_violations
from browsers import PHONE, PROJECTOR, SHOTS, new_context, overflow
from classroom_pages import answer_anything, join
from flask import Flask
from live_server import fresh_app, serving
from playwright.sync_api import Browser, Page, expect
from teacher_pages import PASSWORD

from quizapp.domain.generation import QuizSpec
from quizapp.domain.sessions import Pacing
from quizapp.services import accounts, classroom
from quizapp.services.question_sets import ARTICLE_BANK, get_set

LONG_QUOTE = "cr-ce5-left-unanswered"  # multiple choice, 5 choices, a 382-character quote
MATCHING = "ce5-paragraph-matching"
NAMES = ("Li Wei", "Amira", "Tomás")


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Flask, str]]:
    """The app (for opening sessions through the service) and its address."""
    app = fresh_app(Path(tempfile.mkdtemp(prefix="quizapp-projector-")))
    with serving(app) as url:
        yield app, url


def signed_in_teacher(browser: Browser, app: Flask, base_url: str, email: str) -> Page:
    """A projector-sized browser signed in as a new teacher with this e-mail."""
    with app.app_context():
        accounts.create_teacher(email, "Ada Lovelace", PASSWORD)
    page = new_context(browser, PROJECTOR).new_page()
    page.goto(f"{base_url}/teacher/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Dashboard · quizapp")
    return page


def open_session(app: Flask, email: str, ids: tuple[str, ...], pacing: Pacing) -> tuple[str, str]:
    """A session on these bank questions, in this order, with a leaderboard: (public id, join code)."""
    options = classroom.SessionOptions(pacing=pacing, shuffle=False, leaderboard=True)
    spec = QuizSpec(count=len(ids), question_ids=frozenset(ids))
    with app.app_context():
        teacher = accounts.find_teacher(email)
        assert teacher is not None
        session, _ = classroom.create_session(teacher, get_set(ARTICLE_BANK), spec, options, "Year 9 B")
        return session.public_id, session.join_code


def students(browser: Browser, base_url: str, code: str) -> list[Page]:
    """The three students, joined on phones."""
    phones = [new_context(browser, PHONE, phone=True).new_page() for _ in NAMES]
    for phone, name in zip(phones, NAMES, strict=True):
        join(phone, base_url, code, name)
    return phones


def within_screen(page: Page, selector: str) -> None:
    """The element is entirely within the first screen (no scrolling needed)."""
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    height = PROJECTOR["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (
        f"{selector} ends at {box['y'] + box['height']}"
    )


def board_text(page: Page) -> str:
    return page.locator(".board").inner_text()


def test_a_revealed_question_fits_the_projector(browser: Browser, served: tuple[Flask, str]) -> None:
    app, base_url = served
    teacher = signed_in_teacher(browser, app, base_url, "fits@school.org")
    public_id, code = open_session(app, "fits@school.org", (LONG_QUOTE, MATCHING), Pacing.TEACHER)
    teacher.goto(f"{base_url}/teacher/sessions/{public_id}")
    phones = students(browser, base_url, code)
    expect(teacher.locator("ul.names > li")).to_have_count(3)
    expect(teacher.get_by_role("navigation", name="Main")).to_have_count(0)  # no site menu on the wall
    found = {"lobby": serious_violations(teacher)}
    teacher.screenshot(path=SHOTS / "projector-lobby.png")

    teacher.get_by_role("button", name="Start the quiz").click()
    choices = teacher.locator(".board ol.board-choices > li")
    expect(choices).to_have_count(5)
    for pick, phone in enumerate(phones):
        expect(phone.locator("form[action$='/answer'] ul.options input")).to_have_count(5)
        answer_anything(phone, pick)
    expect(teacher.locator(".board-count")).to_contain_text("3 of 3 answered")
    found["question open"] = serious_violations(teacher)
    shown = choices.all_inner_texts()

    teacher.get_by_role("button", name="Reveal the answer").click()
    expect(teacher.locator(".board blockquote.source")).to_be_visible()
    for choice in shown:  # each choice once: as its bar, not also in a list and an "Answer:" line
        assert board_text(teacher).count(choice.strip()) == 1, choice
    expect(teacher.locator(".board-bars tbody tr")).to_have_count(5)
    expect(teacher.locator("ol.leaderboard > li")).to_have_count(3)
    found["revealed"] = serious_violations(teacher)
    teacher.screenshot(path=SHOTS / "projector-revealed.png")
    for selector in (".board-prompt", ".board-bars", ".board .explanation", ".board blockquote.source"):
        within_screen(teacher, selector)
    within_screen(teacher, "button:has-text('Next question')")
    scroll_height = teacher.evaluate("document.documentElement.scrollHeight")
    assert scroll_height <= PROJECTOR["height"], scroll_height

    teacher.get_by_role("button", name="Next question →").click()
    expect(teacher.locator(".board > .board-head")).to_contain_text("Question 2 of 2")
    items = teacher.locator(".board-match ol").first.locator("li")
    options = teacher.locator(".board-match ol").nth(1).locator("li")
    expect(items).to_have_count(4)  # both sides of the matching, while it is open
    expect(options).to_have_count(4)
    expect(options.filter(has_text="Unmanned rendezvous and docking in lunar orbit")).to_be_visible()
    expect(items.filter(has_text="The approach allowed for this")).to_be_visible()
    teacher.screenshot(path=SHOTS / "projector-matching-open.png")
    for pick, phone in enumerate(phones):
        expect(phone.locator("form[action$='/answer'] select")).to_have_count(4)
        answer_anything(phone, pick)
    teacher.get_by_role("button", name="Reveal the answer").click()
    for phone in phones:  # every answer a phone gave is written out in full on the wall
        given = re.search(r"\(your answer: (.*)\)", phone.locator("p.verdict").inner_text(), re.S)
        assert given, phone.locator("p.verdict").inner_text()
        shown_on_phone = given.group(1).strip().removesuffix("...")  # a phone cuts a long answer short
        expect(teacher.locator(".board-bars")).to_contain_text(shown_on_phone)
    assert "…" not in teacher.locator(".board-bars").inner_text()
    teacher.screenshot(path=SHOTS / "projector-matching-revealed.png", full_page=True)
    narrow = new_context(browser, {"width": 390, "height": 844}).new_page()
    narrow.context.add_cookies(teacher.context.cookies())
    narrow.goto(teacher.url)
    narrow.screenshot(path=SHOTS / "projector-390.png", full_page=True)
    assert overflow(narrow) == 0, "the projector page scrolls sideways at 390 px"

    teacher.get_by_role("button", name="Close the session").click()
    found["close, asked first"] = serious_violations(teacher)
    teacher.get_by_role("button", name="Yes, close the session").click()
    expect(teacher.get_by_text("This session is closed")).to_be_visible()
    found["closed"] = serious_violations(teacher)
    assert {state: problems for state, problems in found.items() if problems} == {}


def test_a_student_paced_projector_is_clean_in_every_state(
    browser: Browser, served: tuple[Flask, str]
) -> None:
    app, base_url = served
    teacher = signed_in_teacher(browser, app, base_url, "paced@school.org")
    public_id, code = open_session(app, "paced@school.org", (LONG_QUOTE, MATCHING), Pacing.STUDENT)
    teacher.goto(f"{base_url}/teacher/sessions/{public_id}")
    join(new_context(browser, PHONE, phone=True).new_page(), base_url, code, "Li Wei")
    expect(teacher.locator("ul.names > li")).to_have_count(1)
    found = {"lobby": serious_violations(teacher)}
    teacher.get_by_role("button", name="Start the quiz").click()
    expect(teacher.get_by_text("of 1 students have finished")).to_be_visible()
    expect(teacher.get_by_role("navigation", name="Main")).to_have_count(0)
    found["running"] = serious_violations(teacher)
    teacher.screenshot(path=SHOTS / "projector-student-paced.png")
    teacher.get_by_role("button", name="Close the session").click()
    found["close, asked first"] = serious_violations(teacher)
    teacher.get_by_role("button", name="Yes, close the session").click()
    expect(teacher.get_by_text("This session is closed")).to_be_visible()
    found["closed"] = serious_violations(teacher)
    assert {state: problems for state, problems in found.items() if problems} == {}
