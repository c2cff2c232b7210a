"""The question editor in real Chromium: a teacher registers, creates a set on a pasted text, writes one
question of each type with the mouse and the keyboard (a wrong first try shows its errors; "More rows" adds
rows; Enter saves), previews one with its quote highlighted, and edits it into a version 2. axe-core finds no
serious or critical problem on the editor (single choice, with errors, matching) and on the preview.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from audits import serious_violations
from playwright.sync_api import Browser, Page, expect
from teacher_pages import register

SET_TEXT = "The cat sat on the mat. The dog barked at the postman.\nBirds sing at dawn. Fish swim in the sea."
Found = dict[str, list[str]]


def register_and_create_set(page: Page, base_url: str) -> None:
    """Open a teacher account and create a set with SET_TEXT; lands on the set's page."""
    register(page, base_url)
    page.get_by_role("link", name="New set").click()
    page.get_by_label("Title").fill("Animals")
    page.get_by_label("Source text (optional)").fill(SET_TEXT)
    page.get_by_role("button", name="Create the set").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Animals")


def open_editor(page: Page, label: str) -> None:
    """From the set's page, open the editor for a new question of the type labelled `label`."""
    page.get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"New question: {label}")


def save(page: Page) -> None:
    """Press Save; back on the set's page with the confirmation."""
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash")).to_have_text("The question is added to the set.")


def type_in(page: Page, selector: str, text: str) -> None:
    """Click a field and type into it with the keyboard."""
    page.locator(selector).click()
    page.keyboard.type(text)


def write_single_choice(page: Page, found: Found) -> None:
    """A first try without a correct choice shows the errors; then more rows, the key, a weight, a quote."""
    found["editor: single choice"] = serious_violations(page)
    page.get_by_label("Question text").fill("Which animal sat on the mat?")
    for row, text in enumerate(["cat", "dog", "bird"]):
        type_in(page, f"#choices-{row}-text", text)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Mark the correct choice.")
    expect(page.locator("#correct-error")).to_be_visible()
    found["editor: single choice with errors"] = serious_violations(page)
    rows = page.locator("fieldset.row").count()
    page.get_by_role("button", name="More rows").click()
    expect(page.locator("fieldset.row")).to_have_count(rows + 3)
    page.locator("#choices-0-correct").check()
    type_in(page, "#choices-1-feedback", "The dog only barked.")
    weight = page.get_by_label("Weight % of choice 2")
    expect(weight).to_be_hidden()  # Moodle's weights wait behind "More options"
    page.get_by_text("More options: weights for partial credit").click()
    weight.fill("50")
    page.get_by_label("Easy").check()
    page.get_by_label("Quoted source (optional)").fill("The cat sat on the mat.")
    save(page)


def write_multiple_choice(page: Page, found: Found) -> None:
    """Two correct choices ticked."""
    page.get_by_label("Question text").fill("Which animals are in the first paragraph?")
    for row, text in enumerate(["cat", "fish", "dog", "bird"]):
        type_in(page, f"#choices-{row}-text", text)
    page.locator("#choices-0-correct").check()
    page.locator("#choices-2-correct").check()
    save(page)


def write_true_false(page: Page, found: Found) -> None:
    """A statement that is false, with feedback for each answer."""
    page.get_by_label("Question text").fill("Fish fly at dawn.")
    page.get_by_role("radio", name="False").check()
    page.get_by_label("Feedback when the student answers True (optional)").fill("No: birds sing at dawn.")
    save(page)


def write_fill_blank(page: Page, found: Found) -> None:
    """Entirely by keyboard after the prompt: Tab through the format to the rows, Enter saves."""
    page.get_by_label("Question text").click()
    page.keyboard.type("The ___ sat on the mat.")
    keys = ("Tab", "Tab", "cat", "Tab", "Tab", "kitten", "Tab", "Half right.")
    for key_or_text in keys:  # prompt -> format (plain) -> answer 1, its feedback -> answer 2...
        if key_or_text == "Tab":
            page.keyboard.press("Tab")
        else:
            page.keyboard.type(key_or_text)
    summary = page.get_by_text("More options: weights for partial credit")
    summary.focus()
    page.keyboard.press("Enter")  # opens the weights
    page.get_by_label("Weight % of accepted answer 2").click()
    page.keyboard.type("50")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text("The question is added to the set.")
    page.get_by_role("link", name="Preview question 4").click()  # each key went to the field meant
    expect(page.locator("tbody tr").nth(1).locator("td")).to_have_text(["kitten", "50 %", "Half right."])
    page.get_by_role("link", name="← Animals").click()


def write_numeric(page: Page, found: Found) -> None:
    """A number with a tolerance and a partly right alternative."""
    page.get_by_label("Question text").fill("How many animals does the text name?")
    page.get_by_label("Answer (a number)").fill("4")
    page.get_by_label("Tolerance ± (optional)").fill("0")
    page.get_by_text("More options: partly right numbers").click()
    type_in(page, "#alternatives-0-value", "3")
    type_in(page, "#alternatives-0-weight", "50")
    save(page)


def write_ordering(page: Page, found: Found) -> None:
    """Three items in the right order."""
    page.get_by_label("Question text").fill("Put the animals in the order of the text.")
    for row, text in enumerate(["cat", "dog", "birds"]):
        page.get_by_label(f"Item {row + 1}", exact=True).fill(text)
    save(page)


def write_matching(page: Page, found: Found) -> None:
    """Three pairs and an extra wrong match."""
    found["editor: matching"] = serious_violations(page)
    page.get_by_label("Question text").fill("Match each animal with what it does.")
    for row, (left, right) in enumerate([("cat", "sat"), ("dog", "barked"), ("birds", "sing")]):
        type_in(page, f"#pairs-{row}-left", left)
        type_in(page, f"#pairs-{row}-right", right)
    page.get_by_label("Extra wrong match 1").fill("fly to the moon")
    save(page)


def write_description(page: Page, found: Found) -> None:
    """Text in HTML, no answer."""
    page.get_by_label("Question text").fill("<b>Read</b> the text first.")
    page.get_by_label("HTML").check()
    save(page)


WRITERS: dict[str, Callable[[Page, Found], None]] = {
    "Single choice": write_single_choice,
    "Multiple choice": write_multiple_choice,
    "True or false": write_true_false,
    "Fill in the blank": write_fill_blank,
    "Number": write_numeric,
    "Put in order": write_ordering,
    "Matching": write_matching,
    "Description (no answer)": write_description,
}


def preview_and_edit_the_first(page: Page, found: Found) -> None:
    """Preview question 1 (its quote highlighted in the text), then edit it into version 2."""
    page.get_by_role("link", name="Preview question 1").click()
    expect(page.get_by_role("heading", name="As a student sees it")).to_be_visible()
    expect(page.get_by_role("radio", name="cat")).to_be_disabled()
    expect(page.locator("figure.source-preview mark")).to_have_text("The cat sat on the mat.")
    expect(page.locator("tr.is-key")).to_contain_text("cat")
    found["preview"] = serious_violations(page)
    page.get_by_role("link", name="Edit this question").click()
    page.get_by_label("Question text").fill("Which animal sat on the mat, says the text?")
    page.get_by_role("button", name="Save", exact=True).click()
    saved = "Saved as version 2. Past attempts keep the version they answered."
    expect(page.locator(".flash")).to_have_text(saved)


def test_a_teacher_writes_every_type_previews_and_edits(page: Page, base_url: str) -> None:
    register_and_create_set(page, base_url)
    found: Found = {}
    for label, write in WRITERS.items():
        open_editor(page, label)
        write(page, found)
    expect(page.locator(".question-list > li")).to_have_count(len(WRITERS))
    preview_and_edit_the_first(page, found)
    expect(page.locator(".question-list > li").first).to_contain_text("version 2")
    page.get_by_role("link", name="Edit question 1").click()  # it uses weights: they are shown at once
    expect(page.get_by_label("Weight % of choice 2")).to_have_value("50")
    assert set(found) == {
        "editor: single choice",
        "editor: single choice with errors",
        "editor: matching",
        "preview",
    }
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_quote_is_picked_by_clicking_sentences_of_the_text(page: Page, base_url: str) -> None:
    register_and_create_set(page, base_url)
    open_editor(page, "True or false")
    page.get_by_label("Question text").fill("Fish swim in the sea.")
    page.get_by_role("radio", name="True").check()
    page.get_by_text("The set's whole source text").click()
    quote = page.get_by_label("Quoted source (optional)")
    birds = page.get_by_role("button", name="Birds sing at dawn.")
    birds.click()
    expect(quote).to_have_value("Birds sing at dawn.")
    expect(birds).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Fish swim in the sea.").click()  # its neighbour: a two-sentence quote
    expect(quote).to_have_value("Birds sing at dawn. Fish swim in the sea.")
    if os.environ.get("QUIZAPP_SCREENSHOTS"):
        page.locator("#source").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(os.environ["QUIZAPP_SCREENSHOTS"]) / "quote-picker.png"))
    birds.click()  # picked again: taken out
    expect(quote).to_have_value("Fish swim in the sea.")
    page.get_by_role("button", name="The cat sat on the mat.").focus()
    page.keyboard.press("Enter")  # by keyboard; not next to the quote: a new quote
    expect(quote).to_have_value("The cat sat on the mat.")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Fish swim in the sea.").click()  # far from the cat: a new quote again
    expect(quote).to_have_value("Fish swim in the sea.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash")).to_have_text("The question is added to the set.")
    page.get_by_role("link", name="Edit question 1").click()  # the saved quote is picked again
    page.get_by_text("The set's whole source text").click()
    expect(page.get_by_role("button", name="Fish swim in the sea.")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Birds sing at dawn.")).to_have_attribute("aria-pressed", "false")


def test_without_javascript_the_quote_is_pasted(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        register_and_create_set(page, base_url)
        open_editor(page, "True or false")
        page.get_by_label("Question text").fill("Fish swim in the sea.")
        page.get_by_role("radio", name="True").check()
        page.get_by_text("The set's whole source text").click()
        expect(page.get_by_role("button", name="Birds sing at dawn.")).to_have_count(0)
        page.get_by_label("Quoted source (optional)").fill("Fish swim in the sea.")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".flash")).to_have_text("The question is added to the set.")
    finally:
        context.close()
