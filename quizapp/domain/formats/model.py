"""The intermediate model of a question file, in Moodle's own terms, so that nothing a file says is lost.

Readers turn a file into a `ParseReport`; writers turn `MoodleQuestion`s back into a file. Mapping these onto
quizapp's own question types is the caller's job (it skips what has no equivalent, with a reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quizapp.domain import DomainError

TEXT_FORMATS = ("moodle", "html", "plain", "markdown")


class FormatError(DomainError):
    """The file cannot be read at all (wrong encoding, binary, unsafe or broken XML); the message says why."""


@dataclass
class MoodleAnswer:
    """One answer as Moodle stores it: its text, its grade as a fraction and its feedback."""

    text: str
    fraction: float  # 1.0 = 100 %, 0.5, -0.3333333, 0 ...
    feedback: str = ""
    tolerance: float | None = None  # numerical: the ± tolerance (a range a..b becomes midpoint ± half-width)


@dataclass
class MoodleQuestion:
    """One question as Moodle would import it."""

    moodle_type: (
        str  # multichoice, truefalse, shortanswer, numerical, match, essay, description, multianswer ...
    )
    name: str = ""  # the title; when a file gives none, the default name Moodle would make from the text
    text: str = ""
    text_format: str = "moodle"  # moodle | html | plain | markdown
    general_feedback: str = ""
    answers: list[MoodleAnswer] = field(default_factory=list)
    single: bool = True  # multichoice: one answer (radio) vs several (checkbox)
    subquestions: list[tuple[str, str]] = field(
        default_factory=list
    )  # match: (left, right); "" left = distractor
    truefalse_feedback: tuple[str, str] = ("", "")  # (feedback when the learner answers TRUE, when FALSE)
    category: str | None = None  # the category in force for this question
    tags: list[str] = field(default_factory=list)
    idnumber: str = ""
    line: int | None = None  # 1-based line where the question starts in the file
    shuffle: bool = True
    # What Moodle XML holds beyond the above, kept so that nothing is lost on the way back:
    settings: dict[str, str] = field(default_factory=dict)  # plain settings by XML name (defaultgrade ...)
    combined: dict[str, tuple[str, str]] = field(default_factory=dict)  # correctfeedback ...: (text, format)
    hints: list[MoodleHint] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)  # numerical: (unit name, multiplier)
    files: list[MoodleFile] = field(default_factory=list)  # embedded files the texts link to
    # Other texts with their own format, by XML name: an essay's graderinfo and responsetemplate.
    other_texts: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class MoodleHint:
    """A hint shown after a wrong try (interactive mode), with its options."""

    text: str
    text_format: str = "html"
    shownumcorrect: bool = False
    clearwrong: bool = False
    options: str = ""


@dataclass(frozen=True)
class MoodleFile:
    """A file embedded in a question (`<file ... encoding="base64">`); texts link to @@PLUGINFILE@@/name."""

    name: str
    data: str  # base64
    path: str = "/"


@dataclass
class Located:
    """An error, warning or skipped question, located in the file for the teacher who has to fix it."""

    line: int | None
    column: int | None
    question: str  # the question's name or the start of its text, so the teacher can find it
    message: str
    hint: str = ""
    code: str = ""  # Moodle's name for the problem (its language string), e.g. "braceerror"


@dataclass
class ParseReport:
    """Everything a reader found: the questions, the categories, and what Moodle would reject or mangle."""

    format: str  # "gift" | "aiken" | "moodle-xml"
    questions: list[MoodleQuestion] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # every category switch, in file order
    errors: list[Located] = field(default_factory=list)  # what Moodle rejects (its import would stop)
    warnings: list[Located] = field(default_factory=list)  # what Moodle accepts but silently changes
