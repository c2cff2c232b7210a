"""What a question asks and what it shows, so one quiz never answers its own questions.

Two questions *clash* when they are on the same fact (they quote a common sentence of the source text), or
when the text one of them shows (prompt, choices, items to order, options to match) contains the answer of
the other: a fill-in '... Britain, and ___' next to a true/false that spells out '... Britain, and Sweden'.
Texts are compared as words: case, curly quotes, punctuation and spacing do not matter, and an answer only
matches whole words ('6' is not in '16').

Decisions, checked against the built-in bank:
- A fact is a quoted sentence. After a practice answer the page shows the explanation and the quoted
  sentence, which would answer every other question on it; the bank's sentences mostly hold one fact each,
  so no finer `fact:` key is needed. A question without a source is on no fact (the text rule still holds).
- Answers of one character (a single digit: '4' in 'Chang'e 4') and yes/no/true/false words are skipped;
  small numbers are also matched spelled out ('four').
- What a question shows after it is answered (explanation, feedback) is not compared: the fact rule covers
  the quoted sentence, and the explanations paraphrase it.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from quizapp.domain.article import normalise, split_sentences
from quizapp.domain.question_types import kind_of
from quizapp.domain.questions import BLANK, Question

# A word, a number (3.5, 2,000) or a name with an apostrophe (Chang'e); hyphens split words (Chang'e-6).
_WORDS = re.compile(r"\d+(?:\.\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d\d\d)")
_TAGS = re.compile(r"<[^>]*>")
_SEPARATOR = " | "  # between shown texts and around a blank: no answer spans two of them
# Answers too common to give anything away: every yes/no question would clash with every other one.
TRIVIAL_ANSWERS = frozenset(
    {"true", "false", "yes", "no", "none", "all", "both", "neither", "all of the above", "none of the above"}
)

Clue = tuple[str, ...]  # phrases that give an answer away when a shown text contains all of them


def words(text: str, markup: bool = False) -> str:
    """`text` as lower-case words joined by single spaces (`markup`: HTML tags and entities dropped first)."""
    if markup:
        text = html.unescape(_TAGS.sub(" ", text))
    return " ".join(_WORDS.findall(_THOUSANDS.sub("", normalise(text).lower())))


def answer_texts(question: Question) -> tuple[Clue, ...]:
    """The texts that state a question's answer; a shown text holding every phrase of one clue gives it away.

    Each type says its own (question_types/<type>.py `answer_texts`): fill-in: each accepted answer given
    credit; number: its value and full-credit alternatives, in digits and words; single choice: the correct
    choice; multiple choice: the correct choices together (one alone does not tell which others are right);
    matching: each pair (both sides); ordering: all its items together; true/false and descriptions: none
    (the statement itself is shown text).
    """
    clues = (_clue(question, phrases) for phrases in kind_of(question).answer_texts(question))
    return tuple(c for c in clues if c)


def _clue(question: Question, phrases: Sequence[str]) -> Clue:
    """The phrases as words; () when one of them is too short or too common to give anything away."""
    found = tuple(words(p, question.format == "html") for p in phrases)
    if any(_trivial(p) for p in found):
        return ()
    return found


def _trivial(phrase: str) -> bool:
    return len(phrase) < 2 or phrase in TRIVIAL_ANSWERS


def shown_text(question: Question) -> str:
    """Everything a question shows before it is answered (prompt, choices, items, options) as words."""
    texts = [*question.kind.shown_prompt(question).split(BLANK), *question.items, *question.match_options]
    markup = question.format == "html"
    return _SEPARATOR.join(words(t, markup) for t in texts)


def facts_of(question: Question) -> frozenset[str]:
    """The facts a question is on: each sentence its `source` quotes (as words); none without a source.

    Two questions quoting one sentence are on the same fact: the explanation of one (shown after it is
    answered, and quoting the sentence) would answer the other. A quote of part of a sentence counts as its
    own fact."""
    return frozenset(filter(None, (words(s) for s in split_sentences(question.source))))


@dataclass(frozen=True)
class Profile:
    """A question's answer clues, shown words and facts, as compared by `clashes`."""

    clues: tuple[Clue, ...]
    shown: str
    facts: frozenset[str]

    def clashes_with(self, other: Profile) -> bool:
        """Whether the two questions must not be in one quiz: one fact, or one shows the other's answer."""
        return bool(self.facts & other.facts) or self.gives_away(other) or other.gives_away(self)

    def gives_away(self, other: Profile) -> bool:
        """Whether this question's shown text contains every phrase of one of `other`'s clues."""
        shown = f" {self.shown} "
        return any(all(f" {p} " in shown for p in clue) for clue in other.clues)


def profile(question: Question) -> Profile:
    """What `question` asks, shows and is about."""
    return Profile(answer_texts(question), shown_text(question), facts_of(question))


def clashes(first: Question, second: Question) -> bool:
    """Whether two questions must not be in one quiz: one fact, or one shows the other's answer."""
    return profile(first).clashes_with(profile(second))


def clash_map(questions: Sequence[Question]) -> Mapping[str, frozenset[str]]:
    """For each question id, the ids of the questions it clashes with (only ids that have any).

    Remembered for the last few sets of questions (never stale: the questions themselves are the key), as
    quizzes are drawn from the same set again and again."""
    return _clash_map(tuple(questions))


@lru_cache(maxsize=16)
def _clash_map(questions: tuple[Question, ...]) -> Mapping[str, frozenset[str]]:
    return _compute_clash_map(questions)


def _compute_clash_map(questions: Sequence[Question]) -> Mapping[str, frozenset[str]]:
    profiles = [profile(q) for q in questions]
    pairs: set[tuple[int, int]] = set()
    by_fact: dict[str, list[int]] = defaultdict(list)
    for n, p in enumerate(profiles):
        for fact in p.facts:
            by_fact[fact].append(n)
    for sharing in by_fact.values():
        pairs.update((a, b) for a in sharing for b in sharing if a != b)
    pairs.update(_text_pairs(profiles))
    out: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        out[questions[a].id].add(questions[b].id)
        out[questions[b].id].add(questions[a].id)
    return {qid: frozenset(ids) for qid, ids in out.items()}


def _text_pairs(profiles: Sequence[Profile]) -> set[tuple[int, int]]:
    """Pairs (shower, answerer) where one question's shown text contains the other's answer.

    Shown texts are indexed by word, so each clue is checked only against texts holding its rarest word."""
    by_word: dict[str, set[int]] = defaultdict(set)
    for n, p in enumerate(profiles):
        for word in p.shown.split():
            by_word[word].add(n)
    pairs = set()
    for n, p in enumerate(profiles):
        for clue in p.clues:
            rarest = min((w for phrase in clue for w in phrase.split()), key=lambda w: len(by_word[w]))
            for shower in by_word[rarest]:
                if shower != n and all(f" {ph} " in f" {profiles[shower].shown} " for ph in clue):
                    pairs.add((shower, n))
    return pairs
