"""A class session's steps in the browser tests: a student joins, a student answers whatever is asked, and
`class_of_one` sets up the one-question class session the question types' browser tests run."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from browsers import LAPTOP, PROJECTOR, new_context
from playwright.sync_api import Browser, Page, expect
from teacher_pages import create_set, register


def join(student: Page, base_url: str, code: str, name: str, typed: str | None = None) -> None:
    """Join on /join with the code as typed (`typed`), or through the QR code's link when `typed` is None."""
    if typed is None:
        student.goto(f"{base_url}/join/{code}")
        expect(student.get_by_label("Join code")).to_have_value(code)
    else:
        student.goto(f"{base_url}/join")
        student.get_by_label("Join code").fill(typed)
    student.get_by_label("Your name").fill(name)
    student.get_by_role("button", name="Join").click()
    student.wait_for_url(re.compile(r"/play/[\w-]+$"))
    expect(student.get_by_role("status")).to_have_text("You are in. Wait for your teacher to start the quiz.")
    expect(student.get_by_text(f"You are {name}")).to_be_visible()


def answer_anything(student: Page, pick: int) -> None:
    """Give some answer to the question on the page, whatever its type, reading the form's fields: one box
    of each group of radio buttons or tick boxes, every text box and every menu (a cloze may have all three).

    `pick` varies the answer between students (the `pick`-th choice, say), so the class's answers differ.
    """
    form = student.locator("form[action$='/answer']")
    boxes = form.locator("input[type=radio], input[type=checkbox]")
    groups: dict[str, list[int]] = {}
    for n in range(boxes.count()):
        groups.setdefault(boxes.nth(n).get_attribute("name") or "", []).append(n)
    for members in groups.values():
        box = boxes.nth(members[pick % len(members)])
        if box.is_visible():
            box.check()
        else:  # an evidence question with JavaScript: its sentences are buttons that tick the hidden boxes
            form.locator(".evidence-text .sentence").nth(pick % len(members)).click()
    texts = form.locator("input[type=text], textarea")
    for n in range(texts.count()):  # fill in the blank, number, cloze gaps, essay
        texts.nth(n).fill(str(pick + 1))
    selects = form.locator("select")  # put in order (places 1, 2, ...), matching, cloze menus
    for n in range(selects.count()):
        options = selects.nth(n).locator("option").count()
        selects.nth(n).select_option(index=min(n + 1, options - 1))
    form.get_by_role("button", name="Send my answer").click()
    expect(student.locator("p.waiting")).to_contain_text("Answer saved")


@contextmanager
def class_of_one(
    browser: Browser,
    base_url: str,
    question_type: str = "",
    write_question: Callable[[Page], None] | None = None,
    student_viewport: dict[str, int] = LAPTOP,
    phone: bool = False,
) -> Iterator[tuple[Page, Page]]:
    """A started teacher-paced class session of one question, with one student: yields (teacher, student).

    The teacher registers in a projector-sized browser and opens the session on the article's bank,
    drawing a question of `question_type` (its label on the form) when given; or, with `write_question`,
    creates a set, writes its question with that function (on the set's page) and runs the set with a class.
    Li Wei joins in a browser of their own (`student_viewport`, a phone's profile when `phone`) through the QR
    code's link; the teacher starts the quiz. Both browsers are closed on leaving, whatever happened.
    """
    teacher_context = new_context(browser, PROJECTOR)
    student_context = new_context(browser, student_viewport, phone=phone)
    try:
        teacher, student = teacher_context.new_page(), student_context.new_page()
        register(teacher, base_url)
        if write_question is None:
            teacher.get_by_role("link", name="Sessions", exact=True).click()
            teacher.get_by_role("link", name="New session on the article's bank").click()
        else:
            create_set(teacher)
            write_question(teacher)
            teacher.get_by_role("link", name="Run with a class").click()
        teacher.get_by_label(re.compile(r"Teacher-paced: you open one question")).check()
        teacher.get_by_label("Number of questions").fill("1")
        if question_type:
            teacher.get_by_text("Choose topics, difficulty and question types (optional)").click()
            teacher.get_by_label(question_type, exact=True).check()
        teacher.get_by_role("button", name="Open the session").click()
        teacher.wait_for_url(re.compile(r"/teacher/sessions/[\w-]+$"))
        label = teacher.locator(".join-code").get_attribute("aria-label") or ""
        join(student, base_url, label.removeprefix("Join code: ").replace(" ", ""), "Li Wei")
        teacher.get_by_role("button", name="Start the quiz").click()
        yield teacher, student
    finally:
        teacher_context.close()
        student_context.close()
