"""Test data for the domain: valid raw questions of every type, and the built-in article and bank."""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from quizapp.domain.article import Article, parse_article
from quizapp.domain.bank import QuestionBank, read_bank_file
from quizapp.domain.questions import Question, QuestionType, question_from_dict
from quizapp.paths import resource_root

QUESTIONS_DIR = resource_root() / "questions"
ARTICLE_FILE = QUESTIONS_DIR / "change-lunar-exploration.txt"
BANK_FILE = QUESTIONS_DIR / "article-bank.yaml"

# A sentence of the article every factory question quotes, so grounding checks pass by default.
FLAG_SENTENCE = "This significant event was shared by China Daily."

_ANSWERS: dict[str, dict[str, Any]] = {
    "single_choice": {"choices": ["China Daily", "Global Times", "CGTN"], "answer": "China Daily"},
    "multiple_choice": {"choices": ["Flag", "Probe", "Rocket", "Rover"], "answer": ["Flag", "Probe"]},
    "true_false": {"answer": True},
    "fill_blank": {"prompt": "The event was shared by ___.", "answer": ["China Daily", "Chinese Daily"]},
    "numeric": {"prompt": "How many kilograms?", "answer": 200, "tolerance": 5},
    "ordering": {"answer": ["Landing", "Flag displayed", "Event shared"]},
    "matching": {"answer": [["Probe", "Chang’e-6"], ["Outlet", "China Daily"], ["Object", "Flag"]]},
    "categorise": {
        "prompt": "Sort these into what landed and what orbited.",
        "groups": ["Landers", "Orbiters"],
        "answer": [["Chang’e-4", "Landers"], ["Chang’e-6", "Landers"], ["Queqiao", "Orbiters"]],
    },
    "essay": {
        "prompt": "In a few sentences, why did Chang’e-6 matter?",
        "word_limit": 150,
        "marking_guide": "Full marks: the far side, the first samples from there, and why that helps.",
    },
    "evidence": {
        "choices": ["China Daily", "Global Times", "CGTN"],
        "answer": {"choice": "China Daily", "evidence": [FLAG_SENTENCE]},
        "passage": [
            "On Tuesday, the Chang’e 6 probe proudly displayed a Chinese flag.",
            FLAG_SENTENCE,
            "It is customary for the president to congratulate the team.",
        ],
    },
    "cloze": {
        "prompt": "The flag was displayed by {1:SHORTANSWER:=Chang’e-6~%50%Change 6#Mind the apostrophe} in "
        "{1:NUMERICAL:=2024:0} and shared by {2:MULTICHOICE:=China Daily~Global Times~CGTN}."
    },
    "description": {"prompt": "Read the first paragraph again before the next questions."},
}


def make_question(type: str = "single_choice", **overrides: Any) -> dict[str, Any]:
    """A valid raw question dict (as read from a bank file) of `type`; `overrides` replace or add fields."""
    raw: dict[str, Any] = {
        "id": f"q-{type}",
        "type": type,
        "prompt": "Which outlet shared the flag event?",
        "explanation": "The article names China Daily.",
        "source": FLAG_SENTENCE,
        "topics": ["chang-e-6"],
        "difficulty": 2,
    }
    raw.update(copy.deepcopy(_ANSWERS[type]))
    raw.update(overrides)
    return raw


def build_question(type: str = "single_choice", **overrides: Any) -> Question:
    """A domain Question built from `make_question(type, **overrides)`."""
    return question_from_dict(make_question(type, **overrides))


ALL_TYPES = tuple(t.value for t in QuestionType if t is not QuestionType.DESCRIPTION)  # the scored types


@lru_cache(maxsize=1)
def real_article() -> Article:
    """The built-in article, parsed."""
    return parse_article(ARTICLE_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def real_bank() -> QuestionBank:
    """The built-in bank (92 questions when this was written) (fails the test if it has problems)."""
    check = read_bank_file(BANK_FILE)
    assert check.bank is not None, [str(p) for p in check.problems]
    return check.bank
