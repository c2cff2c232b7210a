"""GIFT text as Moodle 4.5 sees it before it looks for questions: blocks, escapes, formats, ids and tags.

A block is what Moodle hands to its question reader: the trimmed lines between two blank lines. Comment lines
(`//`) stay in the block (as a blank) and carry `[id:...]` and `[tag:...]`. Escapes are swapped for
placeholders before any parsing and restored at the end, exactly when Moodle restores them; every block keeps
a way back from a position in that processed text to the line and column in the file, so errors can point at
the right spot.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from quizapp.domain.formats.model import Located
from quizapp.domain.formats.moodle_rules import PHP_WHITESPACE, php_empty, php_trim

_PLACEHOLDERS = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
    "n": "\ue006",
    "\\": "\\",
}
_RESTORE = str.maketrans(
    {"\ue000": ":", "\ue001": "#", "\ue002": "=", "\ue003": "{", "\ue004": "}", "\ue005": "~", "\ue006": "\n"}
)
_ESCAPE = re.compile(r"\\[\\:#={}~n]")
_PLACEHOLDER = re.compile("[\ue000-\ue006]")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])*)\]")
TEXT_FORMATS = ("moodle", "html", "plain", "markdown")


@dataclass(slots=True)
class SourceLine:
    """A non-blank line of the file: its number, the line as written, and its trimmed text."""

    number: int
    raw: str
    text: str

    @property
    def column(self) -> int:
        """0-based column where the trimmed text starts."""
        return len(self.raw) - len(self.raw.lstrip(PHP_WHITESPACE))


class Block:
    """One question's lines joined as Moodle joins them, escapes replaced, with positions back to the file."""

    def __init__(self, lines: list[SourceLine]) -> None:
        self.lines = lines
        pieces = [" " if line.text.startswith("//") else line.text for line in lines]
        self.comments = (
            "\n".join(line.text for line in lines if line.text.startswith("//")) if " " in pieces else ""
        )
        self._pieces = pieces
        self._shrinks: list[int] = []
        joined = "\n".join(pieces)
        self.text = self._replace_escapes(joined) if "\\" in joined else joined

    @property
    def first_line(self) -> int:
        """The number of the block's first line that is not a comment (where its text starts)."""
        return next(
            (line.number for line in self.lines if not line.text.startswith("//")), self.lines[0].number
        )

    def _replace_escapes(self, joined: str) -> str:
        """`joined` with each escape pair made one placeholder character (recording where, to map back)."""
        parts, last = [], 0
        for match in _ESCAPE.finditer(joined):
            parts.append(joined[last : match.start()])
            self._shrinks.append(match.start() - len(self._shrinks))
            parts.append(_PLACEHOLDERS[match.group()[1]])
            last = match.end()
        parts.append(joined[last:])
        return "".join(parts)

    def locate(self, index: int) -> tuple[int, int]:
        """The (line, 1-based column) in the file of position `index` of the processed text."""
        starts = list(accumulate((len(piece) + 1 for piece in self._pieces[:-1]), initial=0))
        raw = index + bisect_left(self._shrinks, index)
        row = max(bisect_right(starts, raw) - 1, 0)
        line = self.lines[row]
        return line.number, line.column + min(raw - starts[row], len(line.text)) + 1


def split_blocks(text: str, warnings: list[Located]) -> Iterator[Block]:
    """The file's blocks: a blank line (or, as PHP's empty() has it, a line holding only '0') ends one."""
    current: list[SourceLine] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(PHP_WHITESPACE)
        if line and line != "0":
            current.append(SourceLine(number, raw, line))
            continue
        if line == "0":
            warnings.append(
                Located(
                    number,
                    SourceLine(number, raw, line).column + 1,
                    "",
                    "A line holding only "
                    "'0' is read as a blank line: it ends the question and the 0 is lost.",
                    "Write the 0 on the same line as other text.",
                    "zeroline",
                )
            )
        if current:
            yield Block(current)
            current = []
    if current:
        yield Block(current)


def restore(text: str) -> str:
    """Placeholders back to the characters they stand for (`\\n` becomes a newline)."""
    return text.translate(_RESTORE) if _PLACEHOLDER.search(text) else text


def with_format(raw: str, default: str) -> tuple[str, str]:
    """(format, text) of a piece of text: a leading [html] [moodle] [plain] [markdown] picks its format."""
    text_format, text = default, raw
    if raw.startswith("["):
        end = raw.find("]")
        name = raw[1:end] if end != -1 else raw[1:-1]  # PHP's substr($text, 1, false - 1) when ']' is missing
        if name in TEXT_FORMATS:
            text_format, text = name, raw[end + 1 :]
    return text_format, php_trim(restore(text))


def split_comment(answer: str, default: str) -> tuple[str, str]:
    """(answer text, feedback) of one answer: its feedback follows the first '#'."""
    bits = answer.split("#", 1)
    feedback = with_format(php_trim(bits[1]), default)[1] if len(bits) > 1 else ""
    return with_format(php_trim(bits[0]), default)[1], feedback


def id_and_tags(comments: str) -> tuple[str, list[str]]:
    """The `[id:...]` and `[tag:...]` found in a question's comment lines (`\\]` stands for ']')."""
    found = _ID.search(comments)
    idnumber = php_trim(found.group(1)).replace("\\]", "]") if found else ""
    tags = [php_trim(tag).replace("\\]", "]") for tag in _TAG.findall(comments)]
    return idnumber, [tag for tag in tags if tag]


def drop_empty_first(parts: list[str]) -> list[str]:
    """Moodle's split answers: the first piece trimmed and dropped when empty (or '0', by PHP's empty())."""
    parts = [php_trim(parts[0]), *parts[1:]]
    return parts[1:] if php_empty(parts[0]) else parts


def php_substr(text: str, start: int, length: int) -> str:
    """PHP's substr() for a non-negative start (a negative length counts from the end)."""
    end = start + length if length >= 0 else len(text) + length
    return text[start:end] if start <= len(text) and end > start else ""


def php_substr_replace(text: str, replacement: str, start: int, length: int) -> str:
    """PHP's substr_replace() for a non-negative start (a negative length stops that far from the end)."""
    start = min(start, len(text))
    end = max(len(text) + length, start) if length < 0 else min(start + length, len(text))
    return text[:start] + replacement + text[end:]
