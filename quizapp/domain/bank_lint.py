"""The bank check (`flask questions check --lint`): does a bank teach, or can it be passed by its shape?

`lint_bank(questions, article, facts)` runs five checks over a bank's questions (the withdrawn ones left out)
and returns a `LintReport`: for each check its findings (the question ids, what is wrong and how to fix it)
and its figures (counts; for the bias checks the measured share against the stated threshold).

The rules, decided here and documented in docs/question-format.md ("Checking that a bank teaches"):

- **Duplicate facts.** A question may name the fact it asks with `fact:` (a short label). Two questions with
  one label ask the same fact: one of them should go (merge them, or withdraw one). Two questions with
  different labels are taken at their word as different facts. For a pair where a label is missing, a
  heuristic decides: they quote a common sentence of the article and their keys name the same thing (a key
  phrase of one is a key phrase of the other, or a true/false statement holds the other's key).
- **Answer shown.** A question's shown text (prompt, choices, items, options; a true/false statement is its
  prompt) holds another question's key, and the two quote a common sentence: the one prints the other's
  answer. Texts are compared as words (case, curly quotes, punctuation and Chang'e spellings do not matter:
  `Chang'e VI`, `CE-6` and `Chang’e 6` are one name). A key that is only a name mentioned in a question on
  another sentence ('Chang’e-4' in a question on the February 2019 meeting) is not a finding: it is counted
  as a figure, and a drawn quiz keeps such pairs apart anyway (domain/overlap.py).
- **Longest key.** Per type with choices, the share of questions whose key is the longest choice (for a
  multiple choice: the longest choice is a right one). Fails when it is over 50 % and over chance by more
  than 20 points (chance: 1/n choices; k/n for k right choices).
- **Key position.** Choices are shuffled when a quiz shows them, but the authored order is what exports
  (JSON, Moodle XML, GIFT, Aiken), the editor and a class session "without shuffling" show. Per type with
  choices: the share of keys at their most common position. Fails over 40 % (chance 25-33 %), or over the
  most even spread possible when a type has few questions (4 of 3 choices: 2 at one place); for multiple
  choice, the share of questions whose right choices are exactly the first ones fails over 25 %.
- **True/false construction.** Each statement (its prompt less "True or false:" and "according to the
  article") is compared with the sentences it quotes: its words the text does not have, little words (the,
  which, has...) left out (`new_words`). A statement is *word for word* when it has none, a *one-word change*
  when it has one. The figure that fails: how well a learner does who answers from the wording alone (true
  when word for word, false when one word changed, a guess otherwise). Fails over 60 % (chance: 50 %).

Findings of the first three checks name single questions or pairs; the bias checks fail as a whole. Every
finding fails the check (exit status 1) unless marked as a warning: warnings are the per-question notes of a
bias check that passes (e.g. the questions whose key is the longest choice when the share is below the bar).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from quizapp.domain.article import Article
from quizapp.domain.overlap import answer_texts, facts_of, words
from quizapp.domain.questions import BLANK, Question

LONGEST_KEY_LIMIT = 0.5  # the key is the longest choice in more than half of a type's questions ...
LONGEST_KEY_OVER_CHANCE = 0.2  # ... and more often than chance by this much
KEY_POSITION_LIMIT = 0.4  # keys at one authored position (chance: 1/n, 25-33 % for 3-4 choices)
FIRST_CHOICES_LIMIT = 0.25  # multiple choice: the right choices are exactly the first ones
WORDING_LIMIT = 0.6  # true/false: a learner answering from the wording alone gets more than this right
LEAST_QUESTIONS = 4  # a bias is not measured on fewer questions of a type

# Chang'e and its spellings, with the mission's number in digits or Roman numerals, as one name.
_CHANGE = re.compile(r"\b(?:chang'?e|chang e|ce) (\d+|i{1,3}|iv|vi{0,3}|ix|x)\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_FRAMING = re.compile(
    r"^(?:true or false )?(?:according to the article )?(?:the article (?:says|states|reports) (?:that )?)?"
)
# Words a statement may add or leave out without changing what it says.
_LITTLE = (
    "a an the which that who whom whose is are was were has have had be been it its this these those and "
    "or of to in on by for from with as at his her their our article says states reports describes calls"
)
_LITTLE_WORDS = frozenset(_LITTLE.split())


@dataclass(frozen=True)
class Finding:
    """One thing a check found: the questions, what is wrong and how to fix it; a `warning` does not fail."""

    questions: tuple[str, ...]
    message: str
    fix: str
    warning: bool = False

    def __str__(self) -> str:
        who = ", ".join(self.questions)
        kind = "warning" if self.warning else "problem"
        return f"{kind}: {who}: {self.message} (fix: {self.fix})" if who else f"{kind}: {self.message}"


@dataclass(frozen=True)
class Figure:
    """A measured figure: a count, or a share with the threshold it is held to (`limit`, None: no limit)."""

    label: str
    value: float
    limit: float | None = None
    share: bool = False

    @property
    def over(self) -> bool:
        """Whether the figure breaks its limit."""
        return self.limit is not None and self.value > self.limit

    def __str__(self) -> str:
        shown = f"{self.value:.0%}" if self.share else f"{self.value:g}"
        if self.limit is None:
            return f"{self.label}: {shown}"
        bar = f"{self.limit:.0%}" if self.share else f"{self.limit:g}"
        return f"{self.label}: {shown} (limit {bar}{', over' if self.over else ''})"


@dataclass(frozen=True)
class CheckResult:
    """One check's findings and figures."""

    name: str
    title: str
    findings: tuple[Finding, ...] = ()
    figures: tuple[Figure, ...] = ()

    @property
    def failures(self) -> tuple[Finding, ...]:
        """The findings that fail the check."""
        return tuple(f for f in self.findings if not f.warning)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that are notes only."""
        return tuple(f for f in self.findings if f.warning)


@dataclass(frozen=True)
class LintReport:
    """Every check's result, in the order they ran."""

    checks: tuple[CheckResult, ...]
    question_count: int = 0

    @property
    def failed(self) -> bool:
        """Whether any check has a finding that fails."""
        return any(check.failures for check in self.checks)

    def check(self, name: str) -> CheckResult:
        """The result of the check called `name` (KeyError when there is none)."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def lines(self) -> list[str]:
        """The report as lines of text, a block per check."""
        out = []
        for check in self.checks:
            verdict = "FAIL" if check.failures else "ok"
            out.append(f"{check.title} [{check.name}]: {verdict}")
            out += [f"  {figure}" for figure in check.figures]
            out += [f"  - {finding}" for finding in check.findings]
        total = sum(len(c.failures) for c in self.checks)
        warned = sum(len(c.warnings) for c in self.checks)
        out.append(f"{self.question_count} questions: {total} problem(s), {warned} warning(s).")
        return out


# ---- what the checks compare


def name_words(text: str) -> str:
    """`text` as words (overlap.words) with every spelling of a Chang'e mission written `chang'e N`."""
    return _CHANGE.sub(lambda m: f"chang'e {_ROMAN.get(m.group(1), m.group(1))}", words(text))


@dataclass(frozen=True)
class _Seen:
    """What the checks need of one question."""

    question: Question
    keys: tuple[tuple[str, ...], ...]  # each clue's phrases, as name_words
    shown: str  # prompt, choices, items and options as name_words, " | " between them
    sentences: frozenset[str]  # the sentences its source quotes
    statement: bool  # a true/false question: its prompt is the statement

    @property
    def key_phrases(self) -> frozenset[str]:
        """Every phrase of every clue."""
        return frozenset(p for clue in self.keys for p in clue)

    def shows(self, clue: Sequence[str]) -> bool:
        """Whether the shown text holds every phrase of `clue` as whole words."""
        padded = f" {self.shown} "
        return all(f" {phrase} " in padded for phrase in clue)


def _seen(question: Question, article: Article | None) -> _Seen:
    keys = tuple(tuple(name_words(p) for p in clue) for clue in answer_texts(question))
    texts = [*question.kind.shown_prompt(question).split(BLANK), *question.choices]
    texts += [*question.kind.items(question), *question.kind.match_options(question), *question.groups]
    if article is not None:  # the text's own sentences (an evidence question's passage) are open to read
        texts = [t for t in texts if t == question.prompt or not _whole_sentence(t, article)]
    shown = " | ".join(dict.fromkeys(name_words(t) for t in texts if t))
    if article is not None and article.find_span(question.source):
        sentences = frozenset(s.anchor for s in article.find_span(question.source))
    else:
        sentences = facts_of(question)
    return _Seen(question, keys, shown, sentences, isinstance(question.answer, bool))


def _whole_sentence(text: str, article: Article) -> bool:
    found = article.find_span(text)
    return len(found) == 1 and words(found[0].text) == words(text)


def _names_same(first: _Seen, second: _Seen) -> bool:
    """The heuristic's "keys naming the same thing": a shared key phrase, or a statement holding a key."""
    if first.key_phrases & second.key_phrases:
        return True
    return any(
        statement.statement and any(statement.shows(clue) for clue in other.keys)
        for statement, other in ((first, second), (second, first))
    )


# ---- the checks


def _duplicate_facts(seen: Sequence[_Seen], facts: Mapping[str, str]) -> CheckResult:
    findings = []
    same: list[tuple[str, str]] = []  # pairs of questions on one fact, by label or by the heuristic
    by_label: dict[str, list[str]] = defaultdict(list)
    for s in seen:
        if facts.get(s.question.id):
            by_label[facts[s.question.id]].append(s.question.id)
    for label, ids in by_label.items():
        same += [(ids[0], other) for other in ids[1:]]
        if len(ids) > 1:
            findings.append(
                Finding(
                    tuple(ids),
                    f"{len(ids)} questions ask the fact '{label}'",
                    "keep the best one; merge what the others add into it, and mark the others "
                    "'withdrawn: true'",
                )
            )
    flagged = 0
    for first, second in combinations(seen, 2):
        if facts.get(first.question.id) and facts.get(second.question.id):
            continue  # both labelled: the labels decide
        if first.sentences & second.sentences and _names_same(first, second):
            flagged += 1
            same.append((first.question.id, second.question.id))
            findings.append(
                Finding(
                    (first.question.id, second.question.id),
                    "they quote a common sentence and their keys name the same thing",
                    "withdraw or merge one; if they ask different facts, give each its own 'fact:' label",
                )
            )
    distinct = _groups([s.question.id for s in seen], same)
    figures = (
        Figure("questions with a 'fact:' label", sum(1 for s in seen if facts.get(s.question.id))),
        Figure("distinct facts (questions joined by a shared label or a flagged pair)", distinct),
        Figure("questions that re-ask a fact another question asks", len(seen) - distinct),
        Figure("unlabelled pairs on one sentence with keys naming the same thing", flagged),
    )
    return CheckResult("duplicate-facts", "Duplicate facts", tuple(findings), figures)


def _groups(ids: Sequence[str], pairs: Iterable[tuple[str, str]]) -> int:
    """How many groups `pairs` join `ids` into (each id alone is a group of its own)."""
    parent = {qid: qid for qid in ids}

    def root(qid: str) -> str:
        while parent[qid] != qid:
            parent[qid] = parent[parent[qid]]
            qid = parent[qid]
        return qid

    for a, b in pairs:
        parent[root(a)] = root(b)
    return len({root(qid) for qid in ids})


def _answer_shown(seen: Sequence[_Seen]) -> CheckResult:
    findings = []
    mentions = 0
    for shower in seen:
        for other in seen:
            if other is shower or not any(shower.shows(clue) for clue in other.keys):
                continue
            if shower.sentences & other.sentences:
                findings.append(
                    Finding(
                        (shower.question.id, other.question.id),
                        f"'{shower.question.id}' shows the answer of '{other.question.id}' "
                        f"({_clue_words(shower, other)}) in its prompt or choices",
                        "reword the prompt or choices, or withdraw one of the two",
                    )
                )
            else:
                mentions += 1
    figures = (
        Figure("questions printing the answer of another on the same sentence", len(findings)),
        Figure("names mentioned in a question on another sentence (not a finding)", mentions),
    )
    return CheckResult(
        "answer-shown", "Prompts and choices that show another question's answer", tuple(findings), figures
    )


def _clue_words(shower: _Seen, other: _Seen) -> str:
    clue = next(c for c in other.keys if shower.shows(c))
    return ", ".join(f"“{p}”" for p in clue)


def _key_choices(question: Question) -> list[int]:
    """The authored positions (0-based) of the right choices of a question with choices."""
    keys = {text for clue in question.kind.answer_texts(question) for text in clue}
    return [n for n, choice in enumerate(question.choices) if choice in keys]


def _by_type(seen: Sequence[_Seen]) -> dict[str, list[Question]]:
    """The questions with choices and a key among them, by type."""
    out: dict[str, list[Question]] = defaultdict(list)
    for s in seen:
        q = s.question
        if q.kind.uses_choices and len(q.choices) >= 2 and _key_choices(q):
            out[q.type.value].append(q)
    return out


def _longest_key(seen: Sequence[_Seen]) -> CheckResult:
    findings, figures = [], []
    for qtype, questions in sorted(_by_type(seen).items()):
        longest = []
        chance = 0.0
        for q in questions:
            keys = _key_choices(q)
            lengths = [len(c) for c in q.choices]
            top = max(lengths)
            if any(lengths[k] == top for k in keys) and lengths.count(top) == 1:
                longest.append(q.id)
            chance += len(keys) / len(q.choices)
        share, chance = len(longest) / len(questions), chance / len(questions)
        limit = max(LONGEST_KEY_LIMIT, chance + LONGEST_KEY_OVER_CHANCE)
        figures.append(
            Figure(f"{qtype}: key is the longest choice (chance {chance:.0%})", share, limit, True)
        )
        if len(questions) < LEAST_QUESTIONS:
            continue
        fails = share > limit
        findings += [
            Finding(
                (qid,),
                f"the key is the longest choice ({qtype}: {share:.0%} of {len(questions)} questions)",
                "lengthen a wrong choice, or say the key more briefly",
                warning=not fails,
            )
            for qid in longest
        ]
    return CheckResult("longest-key", "Key is the longest choice", tuple(findings), tuple(figures))


def _key_position(seen: Sequence[_Seen]) -> CheckResult:
    findings, figures = [], []
    for qtype, questions in sorted(_by_type(seen).items()):
        single = all(len(_key_choices(q)) == 1 for q in questions)
        if single:
            positions = Counter(_key_choices(q)[0] for q in questions)
            spot, count = positions.most_common(1)[0]
            places = min(len(q.choices) for q in questions)  # a few questions cannot spread evenly
            share = count / len(questions)
            limit = max(KEY_POSITION_LIMIT, math.ceil(len(questions) / places) / len(questions))
            label = f"{qtype}: keys at choice {spot + 1}, the commonest place " + _spread(positions)
            at = [q.id for q in questions if _key_choices(q)[0] == spot]
            what = f"the key is choice {spot + 1} as written"
        else:
            at = [q.id for q in questions if _key_choices(q) == list(range(len(_key_choices(q))))]
            share, limit = len(at) / len(questions), FIRST_CHOICES_LIMIT
            label = f"{qtype}: the right choices are exactly the first ones"
            what = "the right choices are written first"
        figures.append(Figure(label, share, limit, True))
        if len(questions) >= LEAST_QUESTIONS and share > limit:
            findings.append(
                Finding(
                    tuple(at),
                    f"{what} in {share:.0%} of the {qtype} questions (limit {limit:.0%}); exports, the "
                    "editor and unshuffled class sessions show this order",
                    "move the key to another place in some of these questions",
                )
            )
    return CheckResult("key-position", "Key position bias", tuple(findings), tuple(figures))


def _spread(positions: Counter[int]) -> str:
    return "(" + ", ".join(f"{n + 1}: {positions[n]}" for n in sorted(positions)) + ")"


def statement_words(prompt: str) -> list[str]:
    """A true/false prompt as the statement's words, its framing ("True or false:", "according to the
    article") left out."""
    text = name_words(prompt)
    text = text.replace("according to the article ", "")
    return _FRAMING.sub("", text).split()


def new_words(statement: Sequence[str], text: Sequence[str]) -> list[str]:
    """The words of `statement` that `text` does not have, little words (the, which, has ...) left out: none
    for a statement made of the text's words, one for a text with one word swapped ('Germany' for 'Italy').
    A word swapped for another word of the same text (Chang'e-6 for Chang'e-5 when both are named) is not
    seen: the measure errs towards "word for word"."""
    have = set(text)
    return [w for w in statement if w not in have and w not in _LITTLE_WORDS]


def _true_false(seen: Sequence[_Seen]) -> CheckResult:
    statements = [s for s in seen if s.statement]
    copied_true = changed_false = right = guessed = 0
    trues = [s for s in statements if s.question.answer is True]
    for s in statements:
        text = name_words(s.question.source).split()
        changed = len(new_words(statement_words(s.question.prompt), text))
        truth = s.question.answer is True
        if changed == 0:
            copied_true += truth
            right += truth
        elif changed == 1:
            changed_false += not truth
            right += not truth
        else:
            guessed += 1
    falses = len(statements) - len(trues)
    figures = [
        Figure("true statements word for word", copied_true / len(trues) if trues else 0, None, True),
        Figure("false statements with one word changed", changed_false / falses if falses else 0, None, True),
    ]
    findings = []
    if statements:
        score = (right + guessed / 2) / len(statements)
        figures.append(
            Figure(
                f"a learner answering from the wording alone ({len(statements)} statements)",
                score,
                WORDING_LIMIT,
                True,
            )
        )
        if len(statements) >= LEAST_QUESTIONS and score > WORDING_LIMIT:
            findings.append(
                Finding(
                    (),
                    f"true statements copy the article and false ones change one word: answering from the "
                    f"wording alone scores {score:.0%} (limit {WORDING_LIMIT:.0%})",
                    "say some true statements in other words, and make some false ones by a change of "
                    "meaning rather than of one word",
                )
            )
    return CheckResult("true-false", "True/false construction", tuple(findings), tuple(figures))


def lint_bank(
    questions: Iterable[Question], article: Article | None = None, facts: Mapping[str, str] | None = None
) -> LintReport:
    """Run every check over a bank's questions (leave the withdrawn ones out); `facts`: the `fact:` label
    of each question that has one, by id."""
    seen = [_seen(q, article) for q in questions if q.scored]
    checks = (
        _duplicate_facts(seen, facts or {}),
        _answer_shown(seen),
        _longest_key(seen),
        _key_position(seen),
        _true_false(seen),
    )
    return LintReport(checks, len(seen))
