"""A teacher in real Chromium imports a GIFT file: uploads it from the dashboard, reads the preview (every
question, the essay a teacher will mark), imports it and lands on the new set; axe-core finds no serious or
critical problem on the upload form, the preview, or a preview with errors."""

from __future__ import annotations

import re

from audits import serious_violations
from playwright.sync_api import Page, expect
from teacher_pages import choose_file, register

GIFT = """$CATEGORY: $course$/top/Lunar Missions

::Lander:: Which probe landed first on the far side of the moon? {=Chang'e 4 ~Apollo 11 ~Luna 9}

::Air:: The moon has a thick atmosphere. {F}

::Distance:: How many days did Chang'e 6 spend on the moon? {#2:1}

::Essay:: Write about the moon. {}
"""


def test_import_a_gift_file_through_the_preview(page: Page, base_url: str) -> None:
    found: dict[str, list[str]] = {}
    register(page, base_url)
    page.get_by_role("link", name="Import a file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import questions from a file")
    found["upload form"] = serious_violations(page)

    choose_file(page, "lunar_missions.gift", GIFT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import preview: lunar_missions.gift")
    questions = page.get_by_role("region", name="Questions (4)")
    for title in ("Lander", "Air", "Distance", "Essay"):
        expect(questions.get_by_text(title, exact=True)).to_be_visible()
    lander = questions.get_by_role("cell").filter(has_text="Lander")
    expect(lander).to_contain_text("Which probe landed first on the far side of the moon?")
    expect(lander.locator("li.is-key")).to_have_text("Chang'e 4 (correct)")
    expect(questions.get_by_role("row").filter(has_text="Write about the moon.")).to_contain_text("Essay")
    expect(page.get_by_role("region", name=re.compile("^Skipped"))).to_have_count(0)
    found["preview"] = serious_violations(page)

    page.get_by_role("button", name="Import 4 questions").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base_url)}/teacher/sets/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("lunar missions")
    expect(page.get_by_role("status")).to_have_text("4 questions imported into “lunar missions”.")
    expect(page.locator(".question-list > li")).to_have_count(4)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_preview_with_errors_explains_them_and_offers_no_import(page: Page, base_url: str) -> None:
    register(page, base_url)
    page.goto(f"{base_url}/teacher/import")
    choose_file(page, "broken.gift", "::Weights:: Q {=a ~%33.3%b ~c}\n\n::Open:: Where? {=here ~there\n")
    expect(page.get_by_role("alert")).to_contain_text("Nothing can be imported until these errors are fixed.")
    errors = page.get_by_role("region", name="Errors (2)")
    expect(errors).to_contain_text("33.33333 rather than 33.3")
    expect(errors).to_contain_text("line 3")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert serious_violations(page) == []
