"""The second step of the teacher's buttons that cannot be undone (close a session, remove a student, delete a
question): a page that says what will happen, with Yes and No. A page, not a script's dialog, so it works
without JavaScript."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from markupsafe import Markup

from quizapp.domain.sessions import Pacing, State
from quizapp.models import ClassSession, Participant, Question, QuestionSet


def confirm_close(session: ClassSession, position: str, extra_time_left: int = 0) -> str:
    """'Close the session now?', with what closing does to this session (`extra_time_left`: how many students
    with extra time are still answering the question on the board)."""
    points = [
        "Answers stop at once: every student's quiz is finished and scored as it stands, and a question a "
        "student did not answer scores 0.",
        "The join code stops working. A closed session cannot be opened again.",
    ]
    total = len(session.plan)
    if session.state == State.RUNNING and session.pacing == Pacing.TEACHER and session.position < total:
        points.insert(1, f"Questions {session.position + 1} to {total} will not be asked, and do not count.")
    if extra_time_left:
        who = (
            "1 student with extra time is"
            if extra_time_left == 1
            else f"{extra_time_left} students with extra time are"
        )
        points.insert(0, f"{who} still answering question {session.position}: closing now ends their time.")
    if session.state == State.LOBBY:
        points = ["The session has not started: nobody will answer anything.", points[1]]
    return _page(
        heading=f"Close “{session.title}” now?",
        points=points,
        action=url_for("classroom.close", public_id=session.public_id),
        fields={"position": position},
        yes="Yes, close the session",
        back=url_for("classroom.show", public_id=session.public_id),
    )


def confirm_remove(session: ClassSession, participant: Participant, next_page: str) -> str:
    """'Remove this student?', and how to undo it."""
    back = "classroom.live" if next_page == "live" else "classroom.show"
    return _page(
        heading=f"Remove {participant.display_name} from the session?",
        points=[
            "Their page will say they are no longer in the session, and their answers leave the reports.",
            "Their name is free for someone else.",
            "Changed your mind later? Let them back in from the Live results page while the session is open.",
        ],
        action=url_for("classroom.remove", public_id=session.public_id, participant_id=participant.id),
        fields={"next_page": next_page},
        yes=f"Yes, remove {participant.display_name}",
        back=url_for(back, public_id=session.public_id),
    )


def confirm_delete_question(question_set: QuestionSet, question: Question) -> str:
    """'Delete this question?', with its text, and what happens to the results that have it."""
    prompt = Markup(question.current.content.get("prompt", "")).striptags()  # noqa: S704 -- read, not shown
    return _page(
        heading="Delete this question?",
        points=[
            f"“{prompt[:200]}{'…' if len(prompt) > 200 else ''}”",
            "New quizzes and sessions leave it out. Results that already have it keep it.",
            "This cannot be undone: to have it again, write it again.",
        ],
        action=url_for("editor.delete_question", set_id=question_set.id, question_id=question.id),
        fields={},
        yes="Yes, delete the question",
        back=url_for("sets.show", set_id=question_set.id, _anchor=f"question-{question.id}"),
    )


def _page(**parts: Any) -> str:
    return render_template("confirm.html", **parts)
