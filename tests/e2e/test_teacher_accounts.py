"""A teacher in real Chromium: registers with the keyboard alone, signs in on the page that follows (its
e-mail filled in) and lands on the dashboard, signs out with the header's button and signs in again; axe-core
finds no serious or critical problem on the register (blank and with errors), sign-in and dashboard pages."""

from __future__ import annotations

import uuid

from audits import serious_violations
from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"


def type_into_focused(page: Page, label: str, text: str) -> None:
    """The field labelled `label` has the focus: type `text` into it, then Tab to the next field."""
    expect(page.get_by_label(label, exact=True)).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Tab")


def register_with_the_keyboard(page: Page, email: str) -> None:
    """Fill in the registration form field after field with Tab, and send it with Enter."""
    page.get_by_label("Your name").focus()
    type_into_focused(page, "Your name", "Ada Lovelace")
    type_into_focused(page, "E-mail", email)
    type_into_focused(page, "Password", PASSWORD)
    expect(page.get_by_label("Password again")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def expect_dashboard(page: Page, base_url: str) -> None:
    """The teacher's dashboard is shown, to a signed-in teacher."""
    expect(page).to_have_url(f"{base_url}/teacher/")
    expect(page).to_have_title("Dashboard · quizapp")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_register_sign_out_and_sign_in_again(page: Page, base_url: str) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@school.org"
    found: dict[str, list[str]] = {}
    page.goto(f"{base_url}/teacher/register")
    found["register"] = serious_violations(page)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Tell us your name.")).to_be_visible()
    found["register with errors"] = serious_violations(page)
    register_with_the_keyboard(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Teacher sign-in")
    expect(page.get_by_role("status")).to_contain_text("Sign in with your e-mail address and password")
    expect(page.get_by_label("E-mail")).to_have_value(email)
    found["sign-in after registering"] = serious_violations(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect_dashboard(page, base_url)
    found["dashboard"] = serious_violations(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.get_by_role("link", name="Teachers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teacher sign-in")
    found["sign-in"] = serious_violations(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect_dashboard(page, base_url)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_wrong_password_is_announced_and_keeps_the_teacher_out(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/teacher/login")
    page.get_by_label("E-mail").fill("nobody@school.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong e-mail or password.")
    expect(page.get_by_label("Password")).to_have_value("")
    assert serious_violations(page) == []
