"""Certainty-based marking on the quiz pages: where it applies, the certainty sent with an answer, the marks.

The rules are `domain/certainty.py` (Moodle's table, marks, summary). Where it applies: a quiz (practice or
test) on a set whose teacher turned it on, or a student-paced class session opened with it (a teacher-paced
one never: its answer path, which a class of 1,000 sends at once, stays as it was), not a spaced-review
session, on a question the server scores itself. The answer's points are stored as always (after any hints:
the hints' share first, then CBM on that fraction) with the certainty beside them (`response.certainty`, NULL:
none chosen, so C=1); the CBM marks and Moodle's figures are computed from them by the server for the pages
(docs/hints.md, "Certainty-based marking") and for the teacher's reports (class_reports.Gradebook).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from quizapp.domain.answers import InvalidAnswer
from quizapp.domain.certainty import (
    ADVICE,
    ASSUMED,
    CBM_TABLE,
    CbmResponse,
    CbmSummary,
    Certainty,
    CertaintyLevel,
    cbm_summary,
)
from quizapp.services.attempt_views import AttemptView, SlotView

FIELD = "certainty"  # the radio buttons' name
CHOOSE = "Choose how sure you are: C=1, C=2 or C=3 (or none, which counts as C=1)."
JUDGEMENTS = {  # Moodle's judgements in plain words
    "judgementok": "about right",
    "slightlyoverconfident": "a bit over-confident",
    "overconfident": "over-confident",
    "slightlyunderconfident": "a bit under-confident",
    "underconfident": "under-confident",
}


def cbm_applies(view: AttemptView) -> bool:
    """Whether the quiz `view` uses certainty-based marking: a class session opened with it (student-paced:
    the attempt's settings say so from the join), else its set's switch; never a review session."""
    attempt = view.attempt
    if attempt.session_id is not None:
        return bool(attempt.settings.get("certainty"))
    return attempt.question_set.certainty_marking and not attempt.settings.get("review")


def asks_certainty(view: AttemptView, slot: SlotView) -> bool:
    """Whether question `slot` asks how sure the learner is (CBM on, a question the server scores)."""
    return cbm_applies(view) and slot.question.kind.auto_scored


def certainty_from_form(view: AttemptView, slot: SlotView, form: Mapping[str, Sequence[str]]) -> int | None:
    """The certainty sent with an answer (1-3), or None: none chosen, or the question does not ask.
    InvalidAnswer for anything but one of 1, 2, 3."""
    if not asks_certainty(view, slot):
        return None
    sent = [value for value in form.get(FIELD, ()) if value]
    if not sent:
        return None
    if len(sent) != 1 or sent[0] not in ("1", "2", "3"):
        raise InvalidAnswer(CHOOSE)
    return int(sent[0])


@dataclass(frozen=True)
class CbmLine:
    """One answer's certainty and CBM mark (`assumed`: none was chosen, so C=1)."""

    certainty: Certainty
    assumed: bool
    mark: float

    @property
    def note(self) -> str:
        """What the feedback says when no certainty was chosen."""
        return ASSUMED if self.assumed else ""


@dataclass(frozen=True)
class CbmReport:
    """A quiz's CBM for its pages: each answered question's line (by position) and Moodle's summary."""

    lines: dict[int, CbmLine]
    summary: CbmSummary | None
    table: tuple[CertaintyLevel, ...] = CBM_TABLE
    advice: str = ADVICE
    judgements: Mapping[str, str] = field(default_factory=lambda: JUDGEMENTS)

    def line(self, slot: SlotView) -> CbmLine | None:
        """The line of question `slot` (None: not answered, awaiting marking, or not asked)."""
        return self.lines.get(slot.position)


def cbm_report(view: AttemptView) -> CbmReport | None:
    """The CBM of a quiz (None when it does not use it). A question not answered counts in the summary as
    nothing earned; one awaiting a teacher's mark is left out of it."""
    if not cbm_applies(view):
        return None
    responses: list[CbmResponse] = []
    lines: dict[int, CbmLine] = {}
    for slot in view.slots:
        if not slot.question.kind.auto_scored or slot.awaiting:
            continue
        chosen = Certainty(slot.certainty) if slot.certainty else None
        response = CbmResponse(1.0, slot.points if slot.answered else None, chosen)
        responses.append(response)
        if slot.answered:
            lines[slot.position] = CbmLine(response.level, chosen is None, response.cbm_mark)
    return CbmReport(lines, cbm_summary(responses))
