"""The interop corpus's expectations, read from the tables of ../shared/interop/README.md at test time.

Each table row names a file (its first column) and what Moodle 4.5's import makes of it (the 'Moodle 4.5
import outcome' column): a question count, counts per type, and for refused files Moodle's error codes.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


def _interop_dir() -> Path:
    """QUIZAPP_INTEROP_DIR, else ../shared/interop beside the checkout, else /work/shared/interop here
    (a clone made elsewhere, e.g. by CI in a temporary folder, still finds the corpus)."""
    if os.environ.get("QUIZAPP_INTEROP_DIR"):
        return Path(os.environ["QUIZAPP_INTEROP_DIR"])
    beside = Path(__file__).resolve().parents[3].parent / "shared" / "interop"
    fallback = Path("/work/shared/interop")
    return beside if beside.is_dir() or not fallback.is_dir() else fallback


INTEROP_DIR = _interop_dir()
README = INTEROP_DIR / "README.md"
OUTCOME_COLUMN = "Moodle 4.5 import outcome"

_GIFT = re.compile(r"(\d+) q(?: \(([^)]*)\))?(?:; PARSE ERRORS: (.*?)(?: \(aborts .*)?)?")
_AIKEN = re.compile(r"Aiken: (\d+) q \((\w+)\)(?:; errors: (.*))?")
_XML = re.compile(r"<quiz>: (\d+) q \((.*)\)")


@dataclass
class Expectation:
    """What Moodle 4.5 makes of one corpus file."""

    path: Path
    file_format: str  # gift | aiken | moodle-xml
    count: int  # questions, categories not counted
    types: Counter[str]  # per type, categories included (as the README lists them)
    errors: list[str] = field(default_factory=list)  # Moodle's error codes, in order (Aiken: sorted)


def table_rows(readme: Path) -> list[tuple[str, str, str]]:
    """(section folder, file column, outcome column) of every row of every table, by the tables' headers."""
    rows, section, header = [], "", []
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section, header = line[3:].strip(), []
        elif line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not header:
                header = cells
            elif not set(line) <= set("|-: ") and OUTCOME_COLUMN in header:
                rows.append((section, cells[0], cells[header.index(OUTCOME_COLUMN)]))
        else:
            header = []
    return rows


def expectations(readme: Path = README) -> list[Expectation]:
    """Every GIFT, Aiken and Moodle XML file the README lists, with Moodle's outcome."""
    found = []
    for section, file_cell, outcome in table_rows(readme):
        path = INTEROP_DIR / section / file_cell.split(" + ")[0]
        if path.suffix in (".gift", ".txt", ".xml"):
            found.append(parse_outcome(path, outcome))
    return found


def parse_outcome(path: Path, outcome: str) -> Expectation:
    """An outcome cell: '3 q (truefalse 3)', 'Aiken: 2 q (multichoice); errors: x x2' or '<quiz>: ...'."""
    if aiken := _AIKEN.fullmatch(outcome):
        errors = [] if aiken.group(3) is None else _repeated(aiken.group(3))
        return Expectation(
            path, "aiken", int(aiken.group(1)), Counter({aiken.group(2): int(aiken.group(1))}), sorted(errors)
        )
    if xml := _XML.fullmatch(outcome):
        return Expectation(path, "moodle-xml", int(xml.group(1)), _counts(xml.group(2)))
    gift = _GIFT.fullmatch(outcome)
    if gift is None:
        raise ValueError(f"unreadable outcome for {path}: {outcome!r}")
    errors = gift.group(3).split("; ") if gift.group(3) else []
    return Expectation(path, "gift", int(gift.group(1)), _counts(gift.group(2) or ""), errors)


def _counts(listing: str) -> Counter[str]:
    """'category 1, multichoice 3' -> Counter({'category': 1, 'multichoice': 3})."""
    pairs = (item.rsplit(" ", 1) for item in listing.split(", ") if item)
    return Counter({name: int(number) for name, number in pairs})


def _repeated(listing: str) -> list[str]:
    """'questionnotcomplete x102, questionmissinganswers x1' -> the codes, each as often as listed."""
    codes = []
    for item in listing.split(", "):
        code, times = item.rsplit(" x", 1)
        codes += [code] * int(times)
    return codes
