"""Make the README's screenshots in docs/screenshots/ from the real app in headless Chromium.

Run: .venv/bin/python tests/e2e/screenshots.py   (not a test: pytest does not collect this file)
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "docs" / "screenshots"
sys.path.insert(0, str(HERE))
# Keep the generated secret key out of the checkout's instance/ folder.
os.environ.setdefault("QUIZAPP_INSTANCE_PATH", tempfile.mkdtemp(prefix="quizapp-shots-"))

from live_server import TIMEOUT_MS, fresh_app, launch_chromium, serving  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from quiz_driver import ANSWER, go_to_question, one_per_type, shown_type, start_selection  # noqa: E402

DESKTOP = {"width": 1000, "height": 800}
PHONE = {"width": 390, "height": 844}


def new_page(browser: Browser, viewport: dict[str, int], phone: bool = False) -> Page:
    """A tab in a fresh profile with the given viewport (a touch phone at 2x when `phone`)."""
    context = browser.new_context(
        viewport=viewport, device_scale_factor=2 if phone else 1, is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def answer_at(page: Page, position: int, flip_true_false: bool = False) -> None:
    """Open question `position`, answer it rightly (true/false wrongly if `flip_true_false`), check it."""
    questions = one_per_type()
    go_to_question(page, position)
    qtype = shown_type(page)
    if flip_true_false and qtype == "true_false":
        page.get_by_label("False" if questions[qtype]["answer"] else "True", exact=True).check()
    else:
        ANSWER[qtype](page, questions[qtype])
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator(".feedback")).to_be_visible()


def quiz_types(page: Page, base_url: str) -> dict[str, int]:
    """Start a practice quiz with one question per type; returns each type's position (in random order)."""
    start_selection(page, base_url, [q["id"] for q in one_per_type().values()], "practice")
    kinds = {}
    for position in range(1, 8):
        go_to_question(page, position)
        kinds[shown_type(page)] = position
    return kinds


def question_with_feedback(page: Page, base_url: str) -> list[int]:
    """A single choice question mid-quiz (two others answered), right, with its feedback and quoted source.

    Returns the positions answered so far.
    """
    kinds = quiz_types(page, base_url)
    while kinds["single_choice"] in (1, 7):  # new quizzes until it is in the middle, for a better picture
        kinds = quiz_types(page, base_url)
    answered = [
        p for t, p in sorted(kinds.items(), key=lambda kv: kv[1]) if t not in ("single_choice", "true_false")
    ][:2]
    for position in answered:
        answer_at(page, position)
    answered.append(kinds["single_choice"])
    answer_at(page, answered[-1])
    page.screenshot(path=OUT / "quiz-question.png", full_page=True)
    return answered


def results(page: Page, answered: list[int]) -> None:
    """Answer the rest (the true/false one wrongly), finish, and shoot the top of the results."""
    for position in sorted(set(range(1, 8)) - set(answered)):
        answer_at(page, position, flip_true_false=True)
    page.goto(page.url.rsplit("/", 1)[0] + "/finish")  # the summary of answers
    page.get_by_role("button", name="See my score").click()  # a practice quiz all checked: nothing to confirm
    expect(page.locator(".score")).to_have_text("6 / 7 (86%)")
    page.screenshot(path=OUT / "results.png")


def phone_question(browser: Browser, base_url: str) -> None:
    """A multiple choice question on a phone, its right answers ticked."""
    page = new_page(browser, PHONE, phone=True)
    kinds = quiz_types(page, base_url)
    go_to_question(page, kinds["multiple_choice"])
    ANSWER["multiple_choice"](page, one_per_type()["multiple_choice"])
    page.evaluate("window.scrollTo(0, 0)")  # ticking scrolled down; show the page as it opens
    page.screenshot(path=OUT / "phone-question.png")


def main() -> None:
    """Serve a fresh app, drive Chromium through a quiz, save the PNGs."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        serving(fresh_app(Path(tempfile.mkdtemp(prefix="quizapp-shots-db-")))) as base_url,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        page = new_page(browser, DESKTOP)
        answered = question_with_feedback(page, base_url)
        results(page, answered)
        phone_question(browser, base_url)
        browser.close()
    print(f"saved {', '.join(sorted(p.name for p in OUT.glob('*.png')))} in {OUT}")


if __name__ == "__main__":
    main()
