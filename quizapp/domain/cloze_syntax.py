"""Moodle's embedded answers (Cloze, qtype_multianswer): the gaps written in a text, read and written back.

A gap is `{weight:TYPE:alternatives}`, e.g. `{1:SHORTANSWER:=far side~%50%other side#close}`: alternatives are
separated by `~`, each with an optional grade (`=` for 100 %, `%50%` for 50 %, none for 0 %) and an optional
feedback after `#`. Numerical alternatives are `value:tolerance`. The rules follow Moodle's
`qtype_multianswer_extract_question` (question/type/multianswer/questiontype.php): the same regular
expressions, the same grade rules (a multi-response gap's positive grades are shared out to 100 %), and the
errors of `qtype_multianswer_validate_question` in Moodle's words. Text that does not parse stays text in
Moodle; quizapp also says so (`broken`): a gap that silently vanishes is a mistake a teacher wants to see.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# Moodle's regular expressions (PHP's variable-width look-behind split into three fixed-width ones).
_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
_TYPES = (  # Moodle's type names with their short forms, in the order of its ANSWER_TYPE_DEF_REGEX
    ("NUMERICAL", "NM"),
    ("MULTICHOICE", "MC"),
    ("MULTICHOICE_V", "MCV"),
    ("MULTICHOICE_H", "MCH"),
    ("SHORTANSWER", "SA", "MW"),
    ("SHORTANSWER_C", "SAC", "MWC"),
    ("MULTICHOICE_S", "MCS"),
    ("MULTICHOICE_VS", "MCVS"),
    ("MULTICHOICE_HS", "MCHS"),
    ("MULTIRESPONSE", "MR"),
    ("MULTIRESPONSE_H", "MRH"),
    ("MULTIRESPONSE_S", "MRS"),
    ("MULTIRESPONSE_HS", "MRHS"),
)
_TYPE_DEF = "|".join(f"({'|'.join(names)})" for names in _TYPES)
_GAP = re.compile(r"\{([0-9]*):(" + _TYPE_DEF + "):(" + _ALTERNATIVE + "(~" + _ALTERNATIVE + ")*)\\}", re.S)
_ALTERNATIVES_AT = 2 + len(_TYPES) + 1  # the group of all alternatives
_ONE_ALTERNATIVE = re.compile("~?" + _ALTERNATIVE, re.S)
_NUMBER = r"-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)"
_NUMERICAL = re.compile(f"^({_NUMBER})(:{_NUMBER})?$", re.S)
_LOOKS_LIKE_GAP = re.compile(
    r"\{[0-9]*:[A-Za-z_]*:?|\{[A-Z][A-Z_]*:"
)  # what quizapp reports when it is not a gap
_PLACEHOLDER = re.compile(r"\{#([0-9]+)\}")
_UNESCAPES = (("\\}", "}"), ("\\#", "#"), ("\\~", "~"), ("\\/", "/"), ('\\"', '"'))

# Moodle's own words (lang/en: qtype_multianswer, question, qtype_multichoice, qtype_numerical).
QUESTIONS_MISSING = "The question text must include at least one embedded answer."
FRACTIONS_NO_MAX = (
    "One of the answers should have a score of 100% so it is possible to get full marks for this question."
)
NOT_A_NUMBER = "The answer must be a number, for example -1.234 or 3e8, or '*'."
NOT_ENOUGH_CHOICES = "This type of question requires at least 2 choices"
NOT_ENOUGH_ANSWERS = "This type of question requires at least 1 answers"

CHOICE_KINDS = {"MULTICHOICE", "MULTIRESPONSE"}


@dataclass(frozen=True)
class GapAnswer:
    """One alternative of a gap: its text (a number as written for numerical gaps, or '*'), its grade as a
    fraction (Moodle's), its feedback, and for a numerical gap its tolerance."""

    text: str
    fraction: float
    feedback: str = ""
    tolerance: float = 0.0

    @property
    def number(self) -> float | None:
        """The value of a numerical alternative; None for '*' (any number) or text that is not one."""
        try:
            return float(self.text.replace(",", "."))
        except ValueError:
            return None


@dataclass(frozen=True)
class Gap:
    """One embedded answer: `kind` is Moodle's full type name (SHORTANSWER, MULTICHOICE_VS...), `weight` the
    gap's grade (its `{n:`), `answers` its alternatives in written order, `written` the gap as written."""

    kind: str
    weight: int
    answers: tuple[GapAnswer, ...]
    written: str = field(default="", compare=False)  # as the author wrote it

    @property
    def base(self) -> str:
        """SHORTANSWER, NUMERICAL, MULTICHOICE or MULTIRESPONSE."""
        return self.kind.split("_")[0]

    @property
    def case_sensitive(self) -> bool:
        return self.kind == "SHORTANSWER_C"

    @property
    def choices(self) -> tuple[str, ...]:
        """The texts a learner picks from (choice gaps only)."""
        return tuple(a.text for a in self.answers) if self.base in CHOICE_KINDS else ()

    @property
    def layout(self) -> str:
        """How a choice gap is shown: menu (a dropdown), vertical or horizontal (radios or checkboxes)."""
        suffix = self.kind.partition("_")[2].rstrip("S")
        if self.base == "MULTIRESPONSE":
            return "horizontal" if suffix == "H" else "vertical"
        return {"V": "vertical", "H": "horizontal"}.get(suffix, "menu" if self.base == "MULTICHOICE" else "")

    @property
    def shuffled(self) -> bool:
        return self.base in CHOICE_KINDS and self.kind.endswith("S")


@dataclass(frozen=True)
class Cloze:
    """A text read for its gaps: `text` has each gap replaced by `{#n}` (Moodle's own questiontext), `gaps`
    in order, `broken` the pieces that look like a gap but are not one Moodle reads."""

    text: str
    gaps: tuple[Gap, ...]
    broken: tuple[str, ...] = ()


def _kind_of(match: re.Match[str]) -> str:
    for offset, names in enumerate(_TYPES):
        if match.group(3 + offset):
            return names[0]
    raise AssertionError("the type group always matches")  # pragma: no cover


def _unescape(text: str) -> str:
    text = html.unescape(text)
    for escaped, plain in _UNESCAPES:
        text = text.replace(escaped, plain)
    return text


def _fraction(match: re.Match[str]) -> tuple[float, bool]:
    """(fraction, whether a specific percentage was written)."""
    if match.group(1) == "=":
        return 1.0, False
    if match.group(2):
        return float(match.group(2).replace(",", ".")) / 100, True
    return 0.0, False


def _alternatives(kind: str, written: str) -> tuple[GapAnswer, ...]:
    answers, specific, rest = [], False, written
    while rest and (match := _ONE_ALTERNATIVE.match(rest)):
        fraction, percent = _fraction(match)
        specific = specific or percent
        feedback = _unescape(match.group(5)) if match.group(5) is not None else ""
        text, tolerance = match.group(3), 0.0
        number = _NUMERICAL.match(text) if kind == "NUMERICAL" else None
        if number:
            text, tolerance = (
                number.group(1),
                float(number.group(6).replace(",", ".")) if number.group(6) else 0.0,
            )
        else:
            text = _unescape(text)
        answers.append(GapAnswer(text, fraction, feedback, tolerance))
        rest = rest[match.end() :]
    if kind.startswith("MULTIRESPONSE"):
        answers = _shared_out(answers, specific)
    return tuple(answers)


def _shared_out(answers: list[GapAnswer], specific: bool) -> list[GapAnswer]:
    """Moodle's multi-response rule: positive grades add up to 100 %; without percentages, each wrong choice
    cancels one right one."""
    total = sum(a.fraction for a in answers if a.fraction > 0)
    if not total:
        return answers
    out = []
    for a in answers:
        fraction = a.fraction / total if a.fraction > 0 else (a.fraction if specific else -1 / total)
        out.append(GapAnswer(a.text, round(fraction, 7), a.feedback, a.tolerance))
    return out


def parse_cloze(text: str) -> Cloze:
    """The gaps of `text` in order, as Moodle reads them."""
    gaps, pieces, last = [], [], 0
    for number, match in enumerate(_GAP.finditer(text), start=1):
        kind = _kind_of(match)
        weight = int(match.group(1)) if match.group(1) else 1
        gaps.append(Gap(kind, weight, _alternatives(kind, match.group(_ALTERNATIVES_AT)), match.group(0)))
        pieces += [text[last : match.start()], f"{{#{number}}}"]
        last = match.end()
    rest = "".join([*pieces, text[last:]])
    broken = tuple(m.group(0) for m in _LOOKS_LIKE_GAP.finditer(re.sub(_PLACEHOLDER, "", rest)))
    return Cloze(rest, tuple(gaps), broken)


def _gap_errors(gap: Gap) -> list[str]:
    """Moodle's qtype_multianswer_validate_question for one gap."""
    errors, count, full = [], 0, False
    for answer in gap.answers:
        if not answer.text.strip():
            continue
        count += 1
        if gap.base == "NUMERICAL" and answer.text.strip() != "*" and answer.number is None:
            errors.append(NOT_A_NUMBER)
        full = full or answer.fraction == 1 or (gap.base == "MULTIRESPONSE" and answer.fraction > 0)
    if gap.base in CHOICE_KINDS and count < 2:
        errors.append(NOT_ENOUGH_CHOICES)
    elif count == 0:
        errors.append(NOT_ENOUGH_ANSWERS)
    if not full:
        errors.append(FRACTIONS_NO_MAX)
    return errors


def cloze_errors(text: str) -> list[tuple[int, str, str]]:
    """Every error of a cloze text: (gap number, the gap as written, message); gap 0 is the text as a whole.

    Moodle's messages first (its validation); then quizapp's own: a piece that looks like a gap but is not
    one, a choice written twice in one gap, gaps whose weights are all 0."""
    cloze = parse_cloze(text)
    found: list[tuple[int, str, str]] = []
    if not cloze.gaps:
        found.append((0, "", QUESTIONS_MISSING))
    for number, gap in enumerate(cloze.gaps, start=1):
        found += [(number, gap.written, message) for message in dict.fromkeys(_gap_errors(gap))]
        texts = [a.text for a in gap.answers]
        for twice in sorted({t for t in texts if texts.count(t) > 1}) if gap.base in CHOICE_KINDS else ():
            found.append(
                (number, gap.written, f"the choice “{twice}” is written twice: make every choice different")
            )
    for piece in cloze.broken:
        found.append(
            (
                0,
                piece,
                f"“{piece}…” is not a gap Moodle reads: write it as {{1:SHORTANSWER:=answer}}, "
                "{1:NUMERICAL:=2019:0} or {1:MULTICHOICE:=right~wrong} "
                "(escape a } # ~ in an answer as \\} \\# \\~)",
            )
        )
    if cloze.gaps and not any(g.weight for g in cloze.gaps):
        found.append((0, "", "every gap has the weight 0: give at least one gap a weight of 1 or more"))
    return found


def _escape(text: str, feedback: bool = False) -> str:
    for plain in ("}", "#", "~") if not feedback else ("}", "~"):
        text = text.replace(plain, "\\" + plain)
    return text


def _grade(fraction: float) -> str:
    if fraction == 1:
        return "="
    if fraction == 0:
        return ""
    return f"%{round(fraction * 100, 5):g}%"


def write_gap(gap: Gap) -> str:
    """A gap in Moodle's syntax (parse_cloze reads it back the same)."""
    alternatives = []
    for a in gap.answers:
        text = a.text if gap.base == "NUMERICAL" and a.number is not None else _escape(a.text)
        if gap.base == "NUMERICAL" and a.tolerance:
            text += f":{a.tolerance:g}"
        feedback = f"#{_escape(a.feedback, feedback=True)}" if a.feedback else ""
        alternatives.append(f"{_grade(a.fraction)}{text}{feedback}")
    return f"{{{gap.weight}:{gap.kind}:{'~'.join(alternatives)}}}"


def write_cloze(cloze: Cloze) -> str:
    """The text with its gaps written back in Moodle's syntax."""
    return _PLACEHOLDER.sub(lambda m: write_gap(cloze.gaps[int(m.group(1)) - 1]), cloze.text)


def blanked_text(text: str, blank: str = "____ ({n})") -> str:
    """The text with each gap as `blank` (its number in it): what may be shown before the answer is in."""
    return _PLACEHOLDER.sub(lambda m: blank.format(n=m.group(1)), parse_cloze(text).text)
