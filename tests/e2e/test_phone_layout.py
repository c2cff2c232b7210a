"""On a phone-sized screen (390 x 844) no page is wider than the screen: nothing needs sideways scrolling,
even a matching question whose options are long sentences."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live_server import TIMEOUT_MS
from playwright.sync_api import Browser, Page, expect
from quiz_driver import ANSWER, one_per_type, save_and_next, shown_type, start_selection

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A tab in a fresh touch-phone profile."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("path", ["/", "/article", "/article/p1s1", "/my-results", "/no-such-page"])
def test_page_fits_a_phone(phone: Page, base_url: str, path: str) -> None:
    phone.goto(base_url + path)
    assert overflow(phone) == 0


def test_every_question_type_and_the_results_fit_a_phone(phone: Page, base_url: str) -> None:
    questions = one_per_type()
    start_selection(phone, base_url, [q["id"] for q in questions.values()], "test")
    too_wide = {}
    for position in range(1, 8):
        qtype = shown_type(phone)
        ANSWER[qtype](phone, questions[qtype])  # chosen options are shown in full width controls
        too_wide[qtype] = overflow(phone)
        save_and_next(phone, position, 7)
    expect(phone.locator(".score")).to_have_text("7 / 7 (100%)")
    too_wide["results"] = overflow(phone)
    assert too_wide == dict.fromkeys(too_wide, 0)
    assert len(too_wide) == 8
