"""The source text: normalisation, sentences with stable anchors, and span lookup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_SPACES = re.compile(r"\s+")
# A sentence ends at . ! or ? (optionally followed by a closing quote) before a capital or an opening quote.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\u201d\"]))\s+(?=[\u201c\"\u2018'A-Z0-9])")
_LETTERS = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """`text` with curly quotes made straight and whitespace collapsed: the form spans are compared in."""
    return _SPACES.sub(" ", text.translate(_QUOTES)).strip()


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into its sentences."""
    return [s.strip() for s in _SENTENCE_END.split(paragraph.strip()) if s.strip()]


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article; `anchor` (e.g. ``p3s2``) is stable while the text is unchanged."""

    anchor: str
    text: str
    paragraph: int


@dataclass(frozen=True)
class Article:
    """A source text as a title and paragraphs of sentences."""

    title: str
    paragraphs: tuple[tuple[Sentence, ...], ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """Every sentence, in reading order."""
        return tuple(s for p in self.paragraphs for s in p)

    def find_span(self, span: str) -> tuple[Sentence, ...]:
        """The sentences a verbatim `span` lies in (after normalising), or () when it is not in the text.

        Remembered per span: every page showing a question looks its source up, and the spans are the set's
        quotes, so there are as many as the set has questions."""
        found = self._found.get(span)
        if found is None:
            if len(self._found) > 10_000:  # a set edited again and again: forget the old quotes
                self._found.clear()
            found = self._found[span] = self._find_span(span)
        return found

    @cached_property
    def _found(self) -> dict[str, tuple[Sentence, ...]]:
        return {}

    def _find_span(self, span: str) -> tuple[Sentence, ...]:
        wanted = normalise(span)
        if not wanted:
            return ()
        for paragraph, (text, offsets) in zip(self.paragraphs, self._normalised, strict=True):
            start = text.find(wanted)
            if start >= 0:
                end = start + len(wanted)
                return tuple(s for s, (a, b) in zip(paragraph, offsets, strict=True) if a < end and start < b)
        return ()

    @cached_property
    def _normalised(self) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
        """Each paragraph normalised, with its sentences' offsets (computed once: pages look spans up)."""
        return tuple(_normalise_paragraph(paragraph) for paragraph in self.paragraphs)


def _normalise_paragraph(paragraph: tuple[Sentence, ...]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A paragraph's sentences normalised and joined by spaces, and where each sentence lies in that text."""
    offsets, parts, pos = [], [], 0
    for sentence in paragraph:
        text = normalise(sentence.text)
        offsets.append((pos, pos + len(text)))
        parts.append(text)
        pos += len(text) + 1
    return " ".join(parts), tuple(offsets)


def parse_article(text: str, titled: bool = True) -> Article:
    """Read a source text: one paragraph a line; when `titled`, the first line is the title.

    Some crawled articles repeat the title twice (once without punctuation); the bare copy is dropped.
    A teacher's pasted reading is not titled: every line is a paragraph.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return Article(title="", paragraphs=())
    if not titled:
        lines = ["", *lines]
    if len(lines) > 1 and _LETTERS.sub("", normalise(lines[0]).lower()) == _LETTERS.sub(
        "", normalise(lines[1]).lower()
    ):
        lines = lines[1:]
    title, body = lines[0], lines[1:]
    paragraphs = tuple(
        tuple(Sentence(f"p{p}s{n}", s, p) for n, s in enumerate(split_sentences(line), start=1))
        for p, line in enumerate(body, start=1)
    )
    return Article(title=title, paragraphs=paragraphs)
