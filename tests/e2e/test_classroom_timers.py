"""Timers on the students' phones in real Chromium (issue 11 §1): a timed teacher-paced question takes its
answer form away by itself once the time and its grace are over, and a timed student-paced quiz says "time
left" once, before and after the script counts it down.
"""

from __future__ import annotations

import re

from browsers import PHONE, PROJECTOR, new_context
from classroom_pages import join
from playwright.sync_api import Browser, Page, expect
from teacher_pages import register

SECONDS = 5
GRACE = 4  # the 3 s the server allows for a slow network, and a second for the page's rounding


def open_timed_session(teacher: Page, base_url: str, pacing: str, field: str, limit: int) -> str:
    """A session on the article's bank with a time limit, started; returns its join code."""
    register(teacher, base_url)
    teacher.get_by_role("link", name="Sessions", exact=True).click()
    teacher.get_by_role("link", name="New session on the article's bank").click()
    teacher.get_by_label(re.compile(rf"{pacing}: ")).check()
    teacher.get_by_label("Number of questions").fill("2")
    teacher.get_by_label(re.compile(rf"^{field}")).fill(str(limit))
    teacher.get_by_role("button", name="Open the session").click()
    teacher.wait_for_url(re.compile(r"/teacher/sessions/[\w-]+$"))
    label = teacher.locator(".join-code").get_attribute("aria-label") or ""
    return label.removeprefix("Join code: ").replace(" ", "")


def test_the_answer_form_goes_by_itself_when_the_time_is_up(browser: Browser, base_url: str) -> None:
    contexts = [new_context(browser, PROJECTOR), new_context(browser, PHONE, phone=True)]
    try:
        teacher, phone = (context.new_page() for context in contexts)
        code = open_timed_session(teacher, base_url, "Teacher-paced", "Time per question", SECONDS)
        join(phone, base_url, code, "Li Wei")
        teacher.get_by_role("button", name="Start").click()
        send = phone.get_by_role("button", name="Send my answer")
        expect(send).to_be_visible()
        # no reload by the student: the page itself replaces the form once nothing could be sent any more
        expect(send).to_have_count(0, timeout=(SECONDS + GRACE + 3) * 1000)
        expect(phone.locator("p.waiting")).to_contain_text("Time is up for this question")
    finally:
        for context in contexts:
            context.close()


def test_a_timed_quiz_says_time_left_once(browser: Browser, base_url: str) -> None:
    contexts = [new_context(browser, PROJECTOR), new_context(browser, PHONE, phone=True)]
    try:
        teacher, phone = (context.new_page() for context in contexts)
        code = open_timed_session(teacher, base_url, "Student-paced", "Time for the whole quiz", 1)
        join(phone, base_url, code, "Li Wei")
        teacher.get_by_role("button", name="Start").click()
        counter = phone.locator("[data-countdown]")
        expect(counter).to_have_text(re.compile(r"0:5\d"), timeout=15_000)  # the script has counted down
        label = phone.locator(".progress-line").inner_text()
        assert label.count("time left") == 1, label
    finally:
        for context in contexts:
            context.close()
