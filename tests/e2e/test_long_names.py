"""Long unbroken words (a 200-character set title, question title and teacher's name) wrap on a phone
(390 px) instead of widening the teacher's pages: no page scrolls sideways."""

from __future__ import annotations

import os
from pathlib import Path

from browsers import overflow
from playwright.sync_api import Page, expect
from teacher_pages import register

LONG_TITLE = "Chang'e" + "x" * 193  # 200 characters, no place to break
LONG_NAME = "Ada" + "L" * 97  # 100 characters, the longest name the form takes


def make_long_set(page: Page, base_url: str) -> None:
    """A set and one question, both titled LONG_TITLE; lands on the set's page."""
    page.goto(f"{base_url}/teacher/")
    page.get_by_role("link", name="New set").click()
    page.get_by_label("Title").fill(LONG_TITLE)
    page.get_by_label("Description (optional)").fill(LONG_TITLE)
    page.get_by_label("Source text (optional)").fill("The cat sat on the mat. The dog barked.")
    page.get_by_role("button", name="Create the set").click()
    page.get_by_role("link", name="Single choice", exact=True).click()
    page.get_by_label("Title (optional, shown only to you)").fill(LONG_TITLE)
    page.get_by_label("Question text").fill(f"Which animal sat? {LONG_TITLE}")
    page.locator("#choices-0-text").fill("cat")
    page.locator("#choices-1-text").fill(LONG_TITLE)
    page.locator("#choices-0-correct").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash")).to_have_text("The question is added to the set.")


def test_long_titles_and_names_wrap_on_a_phone(phone: Page, base_url: str) -> None:
    register(phone, base_url)
    phone.goto(f"{base_url}/teacher/password")
    phone.get_by_label("Your name").fill(LONG_NAME)
    phone.get_by_role("button", name="Save the name").click()
    expect(phone.locator(".flash")).to_contain_text("Your name is now")
    make_long_set(phone, base_url)
    set_page = phone.url
    pages = {
        "set": set_page,
        "dashboard": f"{base_url}/teacher/",
        "account": f"{base_url}/teacher/password",
        "export": f"{set_page}/export",
    }
    too_wide = {}
    for name, url in pages.items():
        phone.goto(url)
        too_wide[name] = overflow(phone)
    phone.goto(set_page)
    phone.get_by_role("link", name="Edit question 1").click()
    phone.wait_for_url("**/edit")  # measured once the page has loaded, not while the click navigates
    too_wide["editor"] = overflow(phone)
    phone.goto(set_page)
    phone.get_by_role("link", name="Preview question 1").click()
    phone.wait_for_url("**/preview")
    too_wide["preview"] = overflow(phone)
    if os.environ.get("QUIZAPP_SCREENSHOTS"):
        phone.goto(set_page)
        phone.screenshot(
            path=str(Path(os.environ["QUIZAPP_SCREENSHOTS"]) / "long-title-set.png"), full_page=True
        )
    assert too_wide == dict.fromkeys(too_wide, 0)
