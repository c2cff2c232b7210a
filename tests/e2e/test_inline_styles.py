"""A teacher's coloured words show in real Chromium: the cleaner keeps a safe `style` attribute, and the CSP
lets style attributes apply (`style-src-attr 'unsafe-inline'`) but no <style> element, which the cleaner
removes anyway. The question comes as teachers bring such text: a Moodle XML file imported into a shared
set."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from teacher_pages import choose_file, register

MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Red crater</text></name>
    <questiontext format="html"><text><![CDATA[<p>The <span style="color: #c00">red</span> crater is
      <em>young</em>.</p><style>.prompt, .prompt * { color: rgb(0, 0, 255) !important }</style>]]></text>
    </questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
"""


def shared_set_with_the_question(page: Page, base_url: str) -> str:
    """A teacher imports the file into a new set and shares it: the share link."""
    register(page, base_url)
    page.get_by_role("link", name="Import a file").click()
    choose_file(page, "red_crater.xml", MOODLE_XML)
    page.get_by_role("button", name="Import 1 question").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base_url)}/teacher/sets/\d+$"))
    page.get_by_role("button", name="Create a share link").click()
    link = page.get_by_label("Share link")
    expect(link).to_have_value(re.compile(r"/s/[\w-]{22,}$"))
    return link.input_value()


def test_a_coloured_word_shows_red_and_an_injected_style_element_does_nothing(
    page: Page, browser: Browser, base_url: str
) -> None:
    link = shared_set_with_the_question(page, base_url)
    student = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        learner = student.new_page()
        response = learner.goto(link)
        learner.get_by_role("button", name="Start the quiz").click()
        prompt = learner.locator(".prompt")
        expect(prompt).to_contain_text("The red crater is young.")
        red = prompt.locator("span", has_text="red")
        expect(red).to_have_attribute("style", "color:#c00")
        expect(red).to_have_css("color", "rgb(204, 0, 0)")  # the style attribute applies
        expect(prompt.locator("em")).not_to_have_css("color", "rgb(0, 0, 255)")
        assert learner.locator("main style").count() == 0  # the cleaner removed the element
        assert "rgb(0, 0, 255)" not in learner.content()
        assert response is not None
        assert "style-src-attr 'unsafe-inline'" in response.headers["content-security-policy"]
    finally:
        student.close()
