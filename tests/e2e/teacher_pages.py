"""A teacher's steps in the browser tests: registering (and signing in), creating a set on a pasted text,
copying bank questions into it, sharing it, choosing a file to upload."""

from __future__ import annotations

import re
import uuid

from audits import serious_violations
from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"


SET_TEXT = (
    "On Tuesday, the Chang’e 6 probe, which landed on the far side of the moon, proudly displayed a "
    "Chinese flag. This significant event was shared by China Daily."
)


def register(page: Page, base_url: str) -> None:
    """Open a teacher account and sign in with it (the sign-in page has the e-mail filled in); lands on the
    dashboard."""
    email = f"ada-{uuid.uuid4().hex[:8]}@school.org"
    page.goto(f"{base_url}/teacher/register")
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_label("E-mail")).to_have_value(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Dashboard · quizapp")


def create_set(page: Page) -> None:
    """From the dashboard, create a set with a pasted source text; lands on the set's page."""
    page.get_by_role("link", name="New set").click()
    page.get_by_label("Title").fill("The flag on the far side")
    page.get_by_label("Source text (optional)").fill(SET_TEXT)
    page.get_by_role("button", name="Create the set").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The flag on the far side")


def copy_from_bank(page: Page, ids: list[str], found: dict[str, list[str]]) -> None:
    """Tick `ids` on the copy page and copy them (auditing the page first)."""
    page.get_by_role("link", name="Copy from the article's bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Copy questions from the article's bank")
    found["copy page"] = serious_violations(page)
    for question_id in ids:
        page.locator(f'input[name="question_ids"][value="{question_id}"]').check()
    page.get_by_role("button", name="Copy the ticked questions").click()
    expect(page.get_by_role("status")).to_have_text(f"{len(ids)} questions copied.")


def share(page: Page) -> str:
    """Turn the set's share link on; returns the link."""
    page.get_by_role("button", name="Create a share link").click()
    link = page.get_by_label("Share link")
    expect(link).to_have_value(re.compile(r"/s/[\w-]{22,}$"))
    return link.input_value()


def choose_file(page: Page, name: str, content: str) -> None:
    """Pick a file for the upload form's file field and ask for the preview."""
    page.get_by_label("Question file").set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Preview the import").click()


def start_shared_test(phone: Page, link: str, count: int | None = None) -> None:
    """As a student on `phone`: open the share link, start a test (of `count` questions, else as offered)."""
    phone.goto(link)
    phone.get_by_label("Test: see your score and the answers at the end").check()
    if count is not None:
        phone.get_by_label("Number of questions").fill(str(count))
    phone.get_by_role("button", name="Start the quiz").click()
