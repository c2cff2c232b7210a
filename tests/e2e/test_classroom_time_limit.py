"""A timed teacher-paced question in real Chromium: the phone counts down, says when the time is up, and the
page the server sends from then on says so instead of the answer form (with JavaScript and without).

The shortest limit the form allows (5 s) is waited for, not faked: the clocks of the page and of the server
must agree. A screenshot of the phone is saved in test-results/screenshots/.
"""

from __future__ import annotations

import re

from browsers import PHONE, PROJECTOR, SHOTS, new_context
from classroom_pages import join
from live_server import TIMEOUT_MS
from playwright.sync_api import Browser, expect
from teacher_pages import register

SECONDS = 5


def test_a_question_whose_time_is_up(browser: Browser, base_url: str) -> None:
    contexts = [new_context(browser, PROJECTOR), new_context(browser, PHONE, phone=True)]
    contexts.append(new_context(browser, PHONE, js=False))
    try:
        teacher, phone, no_js = (context.new_page() for context in contexts)
        register(teacher, base_url)
        teacher.get_by_role("link", name="Sessions", exact=True).click()
        teacher.get_by_role("link", name="New session on the article's bank").click()
        teacher.get_by_label(re.compile(r"Teacher-paced: you open one question")).check()
        teacher.get_by_label("Number of questions").fill("2")
        timer = teacher.get_by_label("Time per question, in seconds (teacher-paced; empty: no limit)")
        timer.fill(str(SECONDS))
        teacher.get_by_role("button", name="Open the session").click()
        teacher.wait_for_url(re.compile(r"/teacher/sessions/[\w-]+$"))
        label = teacher.locator(".join-code").get_attribute("aria-label") or ""
        code = label.removeprefix("Join code: ").replace(" ", "")
        join(phone, base_url, code, "Li Wei")
        join(no_js, base_url, code, "Amira")

        teacher.get_by_role("button", name="Start").click()
        expect(phone.get_by_role("button", name="Send my answer")).to_be_visible()
        expect(phone.locator("[data-countdown]")).to_contain_text("time left 0:0")
        no_js.reload()
        expect(no_js.get_by_role("button", name="Send my answer")).to_be_visible()

        expect(phone.locator("[data-countdown]")).to_have_text("time is up", timeout=(SECONDS + 3) * 1000)
        phone.reload()  # what the server sends once the time is up
        expect(phone.locator("p.waiting")).to_contain_text("Time is up for this question")
        expect(phone.get_by_role("button", name="Send my answer")).to_have_count(0)
        phone.screenshot(path=SHOTS / "classroom-phone-time-up.png")
        # without JavaScript: the form stays while the time (and its grace) lasts, then the page refreshes
        time_up = no_js.locator("p.waiting")
        expect(time_up).to_contain_text("Time is up for this question", timeout=TIMEOUT_MS)
        expect(teacher.locator("[data-countdown]")).to_have_text("time is up")
    finally:
        for context in contexts:
            context.close()
