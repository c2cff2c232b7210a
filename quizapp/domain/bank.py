"""Question bank files: reading, validating, and grounding every question in its source text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quizapp.domain.article import Article, parse_article, split_sentences
from quizapp.domain.question_types import kind_of
from quizapp.domain.questions import Problem, Question, question_from_dict, validate_question

MAX_SOURCE_SENTENCES = 2
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there: 10x faster


@dataclass(frozen=True)
class QuestionBank:
    """A titled set of questions, grounded in `article` when it has one."""

    title: str
    questions: tuple[Question, ...]  # the questions asked (the withdrawn ones are not here)
    article: Article | None = None
    article_text: str = ""
    path: Path | None = None
    withdrawn: tuple[Question, ...] = ()  # `withdrawn: true` in the file: kept for old attempts, never asked
    facts: Mapping[str, str] = field(default_factory=dict, hash=False)  # each `fact:` label, by question id


@dataclass(frozen=True)
class BankCheck:
    """The outcome of reading a bank: the bank (None when unreadable) and every problem found."""

    bank: QuestionBank | None
    problems: tuple[Problem, ...]


def grounding_problems(question_id: str, source: str, article: Article) -> list[Problem]:
    """Problems with a question's quoted source: it must be verbatim in the article, two sentences at most."""
    if not source.strip():
        return []
    sentences = article.find_span(source)
    if not sentences:
        return [
            Problem(
                question_id,
                "source not found verbatim in the article",
                "copy the sentence exactly from the article (quotes and spaces may differ)",
            )
        ]
    if len(sentences) > MAX_SOURCE_SENTENCES or len(split_sentences(source)) > MAX_SOURCE_SENTENCES:
        return [
            Problem(question_id, f"source spans {len(sentences)} sentences", "quote at most two sentences")
        ]
    return []


def with_source_text(raw: Any, article: Article | None) -> Any:
    """`raw` with what its type takes from the source text filled in (an evidence question's sentences)."""
    try:
        kind = kind_of(raw.get("type"))
    except (AttributeError, KeyError, ValueError):
        return raw
    return kind.from_text(raw, article) if article is not None else raw


def check_questions(
    raw_questions: Iterable[Any], article: Article | None, where: str = ""
) -> tuple[list[Question], list[Problem]]:
    """Validate raw question dicts (and their grounding when there is an article); build what is valid."""
    problems: list[Problem] = []
    questions: list[Question] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_questions, start=1):
        if not isinstance(raw, dict):
            problems.append(
                Problem("", f"entry {index} is not a question", "start it with '- id: ...'", where)
            )
            continue
        qid = str(raw.get("id") or f"#{index}")
        raw = with_source_text(raw, article)
        found = validate_question(raw)
        if qid in seen:
            found.append(Problem(qid, "duplicate id", "give every question its own id"))
        seen.add(qid)
        if article is not None and isinstance(raw.get("source"), str):
            found += grounding_problems(qid, raw["source"], article)
        problems += [Problem(p.question_id or qid, p.message, p.hint, where) for p in found]
        if not found:
            questions.append(question_from_dict(raw))
    return questions, problems


def read_bank_file(path: Path) -> BankCheck:
    """Read one bank file (YAML) and its article; report every problem with the file name."""
    where = path.name
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return BankCheck(None, (Problem("", f"cannot read the file: {exc}", "fix the YAML syntax", where),))
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        return BankCheck(None, (Problem("", "no 'questions:' list", "see docs/question-format.md", where),))
    article, article_text = None, ""
    if raw.get("article"):
        article_path = path.parent / str(raw["article"])
        if not article_path.is_file():
            return BankCheck(None, (Problem("", f"article file {raw['article']!r} not found", "", where),))
        article_text = article_path.read_text(encoding="utf-8")
        article = parse_article(article_text)
    questions, problems = check_questions(raw["questions"], article, where)
    problems += bank_field_problems(raw["questions"], where)
    entries = {str(q.get("id")): q for q in raw["questions"] if isinstance(q, dict)}
    withdrawn = {qid for qid, q in entries.items() if q.get("withdrawn") is True}
    facts = {qid: str(q["fact"]).strip() for qid, q in entries.items() if isinstance(q.get("fact"), str)}
    title = str(raw.get("title") or (article.title if article else path.stem))
    bank = QuestionBank(
        title,
        tuple(q for q in questions if q.id not in withdrawn),
        article,
        article_text,
        path,
        withdrawn=tuple(q for q in questions if q.id in withdrawn),
        facts={qid: fact for qid, fact in facts.items() if qid not in withdrawn},
    )
    return BankCheck(None if problems else bank, tuple(problems))


def bank_field_problems(raw_questions: Iterable[Any], where: str = "") -> list[Problem]:
    """Problems with the fields only a bank file has: `withdrawn` (true or false) and `fact` (a label)."""
    problems = []
    for raw in raw_questions:
        if not isinstance(raw, dict):
            continue
        qid = str(raw.get("id") or "")
        if not isinstance(raw.get("withdrawn", False), bool):
            problems.append(Problem(qid, "withdrawn must be true or false", "write withdrawn: true", where))
        fact = raw.get("fact")
        if fact is not None and not (isinstance(fact, str) and fact.strip()):
            problems.append(
                Problem(qid, "fact must be a short label", "write fact: ce4-first-far-side-landing", where)
            )
    return problems


def check_bank_folder(folder: Path) -> list[BankCheck]:
    """Read every bank file (*.yaml, *.yml) in a folder, in name order."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    if not files:
        return [BankCheck(None, (Problem("", "no question bank (*.yaml) found", "", str(folder)),))]
    return [read_bank_file(p) for p in files]
