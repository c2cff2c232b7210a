"""A class session through the services, for the service tests: the questions of a participant's quiz, the
forms a browser sends to answer them, and students joining. The `teacher` and `new_session` fixtures are in
conftest.py."""

from __future__ import annotations

from collections.abc import Callable

from quizapp.models import ClassSession, Learner, Participant
from quizapp.services.attempt_views import SlotView, load_attempt
from quizapp.services.attempts import save_answer
from quizapp.services.classroom import join_session
from quizapp.services.learners import ensure_learner
from tests.web.taking import How, fields_for

Form = dict[str, list[str]]
NewSession = Callable[..., ClassSession]


def question(participant: Participant, position: int) -> SlotView:
    """The question at `position` of the participant's quiz, with its form's tokens."""
    attempt = participant.attempt
    return load_attempt(attempt.public_id, attempt.learner).slot(position)


def form_for(slot: SlotView, how: How) -> Form:
    """The form a browser sends to answer the slot's question right or wrong (0 points)."""
    return {k: v if isinstance(v, list) else [v] for k, v in fields_for(slot, how).items()}


def right_form(slot: SlotView) -> Form:
    return form_for(slot, "right")


def answer(participant: Participant, learner: Learner, position: int, form: Form) -> None:
    """Save an answer as the student's browser would (it must be accepted)."""
    view = load_attempt(participant.attempt.public_id, learner)
    assert save_answer(view, position, form)


def join_class(session: ClassSession, *names: str) -> list[tuple[Participant, Learner]]:
    """A new learner per name, joined to the session."""
    joined = []
    for name in names:
        learner = ensure_learner(None)
        joined.append((join_session(session, learner, name), learner))
    return joined
