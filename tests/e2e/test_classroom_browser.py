"""A teacher-paced class session in real Chromium, as a class would run it.

A teacher (a browser of their own, signed up on the register page) opens a session on the article's bank
through the new-session form. Three students join in browsers of their own: a laptop, a phone (through the QR
code's /join/<code> link) and a browser with JavaScript turned off. The projector page shows their names as
they arrive, by itself. The teacher starts; the question reaches every student by itself; each answers and
sees "Answer saved"; the teacher reveals and every student's page moves to the verdict, the answer and its
quoted sentence, and the phone (390 px) says its points and its place in the class (the leaderboard is on).
With JavaScript the pages change in place (the test checks they were not reloaded); without it, through the
page's own refresh. The teacher advances through questions 2 and 3 and closes; every student lands on their
result; the teacher opens the reports (each only if that page exists).

axe-core finds no serious or critical problem on the join page, a student's answer page and revealed page, the
projector (lobby, question open, revealed, closed), the live results and the report pages. Screenshots go to
test-results/screenshots/; with QUIZAPP_DOCS_SCREENSHOTS=1 the ones docs/classroom.md shows are saved in
docs/img/ as well.
"""

from __future__ import annotations

import os
import re

from audits import serious_violations
from browsers import LAPTOP, PHONE, PROJECTOR, ROOT, SHOTS, new_context
from classroom_pages import answer_anything, join
from live_server import TIMEOUT_MS
from playwright.sync_api import Browser, Page, expect
from teacher_pages import register

from quizapp.web.local_addresses import local_ipv4_addresses

DOCS_IMG = ROOT / "docs" / "img"
TITLE = "Year 9 B: the Chang'e missions"
QUESTIONS = 3
# The pages without JavaScript refresh every 3 s: give them a few rounds before giving up.
REFRESH_WAIT_MS = 12_000
REPORTS = ("gradebook", "items", "passage", "report")
# The screenshots docs/classroom.md shows, and whether as the whole page (else the first screen).
DOCS = {
    "projector-lobby": False,
    "projector-revealed": True,
    "phone-question": False,
    "phone-revealed": False,
    "live": True,
    "report-gradebook": False,
    "report-items": False,
    "report-passage-shaded": False,
}


def shoot(page: Page, name: str, full_page: bool = False) -> None:
    """Save a screenshot as test-results/screenshots/classroom-<name>.png.

    With QUIZAPP_DOCS_SCREENSHOTS=1, the ones docs/classroom.md shows are also saved in docs/img/ (the long
    report pages there as their first screen only).
    """
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"classroom-{name}.png", full_page=full_page)
    if os.environ.get("QUIZAPP_DOCS_SCREENSHOTS") and name in DOCS:
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=DOCS_IMG / f"classroom-{name}.png", full_page=DOCS[name])


def mark(page: Page) -> None:
    """Leave a mark in the page's window: it survives in-page updates, and disappears if the page reloads."""
    page.evaluate("window.stayedOnPage = true")


def held_across(page: Page, stamp: str, moment: float) -> int:
    """How many of the page's stamp polls `?after=stamp` were sent before `moment` (its performance.now())
    and answered after it: long polling (web/student_stamps.py) holds a poll until the stamp changes."""
    held: int = page.evaluate(
        """([after, moment]) => performance.getEntriesByType("resource").filter((e) =>
            e.name.endsWith("/stamp?after=" + encodeURIComponent(after)) &&
            e.startTime < moment && e.responseEnd > moment).length""",
        [stamp, moment],
    )
    return held


def expect_not_reloaded(page: Page) -> None:
    """The page was updated in place since `mark` (no reload, no navigation)."""
    stayed = page.evaluate("window.stayedOnPage === true")
    assert stayed, f"{page.url} was reloaded instead of updated in place"


def open_session(teacher: Page) -> tuple[str, str]:
    """Through the sessions page and the new-session form: teacher-paced, 3 choice questions, a leaderboard.

    Returns the session's public id and its join code (read from the projector page).
    """
    teacher.get_by_role("link", name="Sessions", exact=True).click()
    teacher.get_by_role("link", name="New session on the article's bank").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("New class session")
    teacher.get_by_label("Session name (optional)").fill(TITLE)
    teacher.get_by_label(re.compile(r"Teacher-paced: you open one question")).check()
    teacher.get_by_label("Number of questions").fill(str(QUESTIONS))
    teacher.get_by_text("Choose topics, difficulty and question types (optional)").click()
    for qtype in ("Single choice", "True or false"):
        teacher.get_by_label(qtype, exact=True).check()
    leaderboard = teacher.get_by_label("Show a leaderboard between questions (teacher-paced)")
    expect(leaderboard).not_to_be_checked()  # off unless the teacher asks
    leaderboard.check()
    no_timer = teacher.get_by_label("Time per question, in seconds (teacher-paced; empty: no limit)")
    expect(no_timer).to_have_value("")  # no time limit unless the teacher sets one
    teacher.get_by_role("button", name="Open the session").click()
    teacher.wait_for_url(re.compile(r"/teacher/sessions/[\w-]+$"))
    public_id = teacher.url.rsplit("/", 1)[1]
    expect(teacher.get_by_role("heading", level=1)).to_have_text(TITLE)
    label = teacher.locator(".join-code").get_attribute("aria-label") or ""
    code = label.removeprefix("Join code: ").replace(" ", "")
    assert re.fullmatch(r"[A-Z2-9]{6}", code), label
    return public_id, code


def expect_question_form(student: Page, position: int, timeout: int = TIMEOUT_MS) -> None:
    """Question `position` of the session is open for an answer on the student's page."""
    heading = student.get_by_text(f"Question {position} of {QUESTIONS}", exact=True)
    expect(heading).to_be_visible(timeout=timeout)
    expect(student.get_by_role("button", name="Send my answer")).to_be_visible(timeout=timeout)


def expect_revealed(student: Page, timeout: int = TIMEOUT_MS) -> bool:
    """The student's page shows the verdict, the answer and the quoted sentence; the verdict fits the key.
    Returns whether the student was right."""
    verdict = student.locator("p.verdict")
    expect(verdict).to_be_visible(timeout=timeout)
    expect(student.locator("blockquote.source")).to_be_visible(timeout=timeout)
    expect(student.get_by_text("Wait for the next question.", exact=True)).to_be_visible(timeout=timeout)
    key = student.locator("p", has=student.locator("strong", has_text="Answer:")).inner_text()
    given = re.search(r"\(your answer: (.*)\)", verdict.inner_text())
    assert given, verdict.inner_text()
    right = key.removeprefix("Answer:").strip() == given.group(1).strip()
    expect(verdict).to_contain_text("Right!" if right else "Not right this time")
    return right


def expect_standing(phone: Page, right: bool, others_right: list[bool]) -> None:
    """After the first reveal the phone says its points and its place among the 3 (ties share a place), on
    the phone's width."""
    points = "1 point" if right else "0 points"
    place = 1 if right else 1 + sum(others_right)
    standing = phone.locator("p.standing")
    expect(standing).to_have_text(f"You have {points} · place {place} of 3")
    box = standing.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def everyone_answers(position: int, with_js: list[Page], without_js: Page, teacher: Page) -> None:
    """Question `position` reaches every student by itself; each answers; the projector counts 3 of 3."""
    mark(teacher)
    for student in with_js:
        expect_question_form(student, position)
        expect_not_reloaded(student)
    expect_question_form(without_js, position, timeout=REFRESH_WAIT_MS)  # its own refresh, no click
    for pick, student in enumerate([*with_js, without_js]):
        answer_anything(student, pick)
    expect(teacher.locator(".board-count")).to_contain_text("3 of 3 answered")
    expect_not_reloaded(teacher)


def reports(teacher: Page, base_url: str, public_id: str, found: dict[str, list[str]]) -> list[str]:
    """Open each report page that exists (200); audit and shoot it. Returns the reports that existed."""
    present = []
    for name in REPORTS:
        url = f"{base_url}/teacher/sessions/{public_id}/{name}"
        if teacher.request.get(url).status != 200:
            continue
        present.append(name)
        teacher.goto(url)
        if name == "gradebook":
            for student in ("Li Wei", "Amira", "Tomás"):
                expect(teacher.locator("main")).to_contain_text(student)
        found[f"report {name}"] = serious_violations(teacher)
        shoot(teacher, f"report-{name}", full_page=True)
        if name == "passage":  # the first sentence the session's questions quote, for the docs' picture
            teacher.locator("article .shade:not(.uncovered)").first.scroll_into_view_if_needed()
            shoot(teacher, "report-passage-shaded")
    if "gradebook" in present:
        csv = teacher.request.get(f"{base_url}/teacher/sessions/{public_id}/gradebook.csv")
        assert csv.status == 200
        assert csv.body().startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for spreadsheet programs
        assert "Tomás" in csv.body().decode("utf-8-sig")
    return present


def test_a_teacher_paced_session_with_three_students(browser: Browser, base_url: str) -> None:
    found: dict[str, list[str]] = {}
    contexts = [
        new_context(browser, PROJECTOR),
        new_context(browser, LAPTOP),
        new_context(browser, PHONE, phone=True),
        new_context(browser, LAPTOP, js=False),
    ]
    try:
        teacher, laptop, phone, no_js = (context.new_page() for context in contexts)

        register(teacher, base_url)
        public_id, code = open_session(teacher)
        # opened on 127.0.0.1, which a phone cannot use: the board says so and shows this computer's
        # addresses on the local network instead, with the same port
        expect(teacher.locator(".address-warning")).to_contain_text("Phones cannot use this page's address")
        lan = local_ipv4_addresses()
        if lan:
            port = base_url.rsplit(":", 1)[1]
            expect(teacher.locator(".join-url").first).to_have_text(f"http://{lan[0]}:{port}/join")
        expect(teacher.locator(".qr svg").first).to_be_visible()
        mark(teacher)

        laptop.goto(f"{base_url}/join")
        found["join page"] = serious_violations(laptop)
        join(laptop, base_url, code, "Li Wei", typed=code.lower())  # typed in small letters: still found
        join(phone, base_url, code, "Amira")  # the QR code's link: the code is filled in
        join(no_js, base_url, code, "Tomás", typed=f"{code[:3]} {code[3:]}")  # as the board shows it
        names = teacher.locator("ul.names > li")
        expect(names).to_have_count(3)  # the projector page updated itself
        for name in ("Li Wei", "Amira", "Tomás"):
            expect(names.filter(has_text=name)).to_have_count(1)
        expect_not_reloaded(teacher)
        found["projector, lobby"] = serious_violations(teacher)
        shoot(teacher, "projector-lobby")

        for student in (laptop, phone):
            mark(student)
        clicked = phone.evaluate("performance.now()")
        teacher.get_by_role("button", name="Start the quiz").click()
        expect(teacher.get_by_text(f"Question 1 of {QUESTIONS} · ", exact=False).first).to_be_visible()
        expect_question_form(phone, 1)
        assert held_across(phone, "lobby.0.", clicked) == 1  # the lobby's poll waited, and the start ended it
        found["answer page (phone)"] = serious_violations(phone)
        shoot(phone, "phone-question")
        everyone_answers(1, [laptop, phone], no_js, teacher)
        found["projector, question open"] = serious_violations(teacher)

        for student in (laptop, phone):
            mark(student)
        teacher.get_by_role("button", name="Reveal the answer").click()
        expect(teacher.locator(".board-bars")).to_be_visible()
        expect(teacher.locator(".board blockquote.source")).to_be_visible()
        expect(teacher.locator("ol.leaderboard > li")).to_have_count(3)
        verdicts = {}
        for student in (laptop, phone):
            verdicts[student] = expect_revealed(student)
            expect_not_reloaded(student)
        verdicts[no_js] = expect_revealed(no_js, timeout=REFRESH_WAIT_MS)
        expect_standing(phone, verdicts[phone], [verdicts[laptop], verdicts[no_js]])
        found["revealed page (phone)"] = serious_violations(phone)
        found["projector, revealed"] = serious_violations(teacher)
        shoot(teacher, "projector-revealed", full_page=True)
        shoot(phone, "phone-revealed")

        live = contexts[0].new_page()
        live.goto(f"{base_url}/teacher/sessions/{public_id}/live")
        rows = live.get_by_role("table", name="Each student's progress").locator("tbody tr")
        expect(rows).to_have_count(3)
        for name in ("Li Wei", "Amira", "Tomás"):
            expect(rows.filter(has_text=name)).to_contain_text(f"1 / {QUESTIONS}")
        found["live results"] = serious_violations(live)
        shoot(live, "live", full_page=True)
        live.close()

        for position in (2, 3):  # question 2 is not revealed: "Next" straight away works too
            for student in (laptop, phone):
                mark(student)
            teacher.get_by_role("button", name="Next question →").click()
            expect(teacher.locator(".board-head")).to_contain_text(f"Question {position} of {QUESTIONS}")
            everyone_answers(position, [laptop, phone], no_js, teacher)

        # A phone with JavaScript gets its result page once, not twice (a script's fetch following the
        # redirect, then the page itself). Counted as responses: the browser reports a request it did not
        # send, for a redirect it was told not to follow.
        results_served: list[str] = []
        phone.on("response", lambda r: results_served.append(r.url) if r.url.endswith("/results") else None)
        teacher.get_by_role("button", name="Close the session").click()
        expect(teacher.get_by_role("heading", name=re.compile(r"^Close .* now\?$"))).to_be_visible()
        found["close, asked first"] = serious_violations(teacher)
        teacher.get_by_role("button", name="Yes, close the session").click()
        expect(teacher.get_by_text("This session is closed: 3 students took part.")).to_be_visible()
        found["projector, closed"] = serious_violations(teacher)
        for student in (laptop, phone, no_js):  # every page moves to the result by itself
            student.wait_for_url(re.compile(r"/attempts/[\w-]+/results$"), timeout=REFRESH_WAIT_MS)
            expect(student.locator(".score")).to_contain_text(f"/ {QUESTIONS}")
        expect(phone.get_by_role("heading", name="Question by question")).to_be_visible()  # answers shown
        assert len(results_served) == 1, results_served
        shoot(phone, "phone-results")

        present = reports(teacher, base_url, public_id, found)
        print(f"report pages present: {', '.join(present) or 'none'}")
    finally:
        for context in contexts:
            context.close()
    audited = {
        "join page",
        "answer page (phone)",
        "revealed page (phone)",
        "live results",
        "close, asked first",
    }
    audited |= {f"projector, {state}" for state in ("lobby", "question open", "revealed", "closed")}
    assert audited | {f"report {name}" for name in present} == set(found)
    assert {name: problems for name, problems in found.items() if problems} == {}
