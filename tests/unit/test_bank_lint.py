"""The bank check (`questions check --lint`): each check on small hand-made banks, failing and passing."""

from __future__ import annotations

from typing import Any

import pytest
from factories import build_question, real_article

from quizapp.domain.bank_lint import LintReport, lint_bank, name_words, new_words, statement_words
from quizapp.domain.questions import Question

CE4 = "Chang’e-4 made history by being the first mission to land softly on the far side of the moon."
YUTU = (
    "Its rover, Yutu-2, began exploring this rarely-visited area in 2019, marking the first human activity "
    "on the moon’s far side."
)
PAYLOADS = (
    "Chang’e-6 carried four international payloads from the European Space Agency (ESA), France, Italy, and "
    "Pakistan."
)
MISSIONS = ["Chang’e-3", "Chang’e-4", "Chang’e-5", "Chang’e-6"]


def on(source: str, qid: str, type: str = "single_choice", **fields: Any) -> Question:
    """A question quoting `source` (a sentence of the built-in article)."""
    return build_question(type, id=qid, source=source, **fields)


def lint(*questions: Question, facts: dict[str, str] | None = None) -> LintReport:
    return lint_bank(questions, real_article(), facts)


def ids(report: LintReport, check: str) -> list[tuple[str, ...]]:
    """The question ids of each failing finding of `check`."""
    return [f.questions for f in report.check(check).failures]


# ---- duplicate facts

LANDING = on(CE4, "landing", prompt="Which mission first landed softly on the far side?", choices=MISSIONS,
             answer="Chang’e-4")  # fmt: skip
LANDING_AGAIN = on(CE4, "landing-fill", "fill_blank", prompt="___ first landed softly on the far side.",
                   answer=["Chang'e 4", "CE-4"])  # fmt: skip
ROVER_YEAR = on(
    YUTU, "rover-year", "numeric", prompt="In which year did Yutu-2 begin exploring?", answer=2019
)


def test_two_questions_on_one_sentence_with_one_key_are_a_duplicate_fact() -> None:
    report = lint(LANDING, LANDING_AGAIN)  # the keys are one name in two spellings
    assert ids(report, "duplicate-facts") == [("landing", "landing-fill")]
    assert "give each its own 'fact:' label" in report.check("duplicate-facts").failures[0].fix
    assert report.failed


def test_questions_sharing_a_fact_label_are_a_duplicate_whatever_they_quote() -> None:
    report = lint(LANDING, ROVER_YEAR, facts={"landing": "far-side", "rover-year": "far-side"})
    assert ids(report, "duplicate-facts") == [("landing", "rover-year")]
    assert "2 questions ask the fact 'far-side'" in report.check("duplicate-facts").failures[0].message


def test_different_labels_and_different_sentences_pass() -> None:
    labelled = lint(LANDING, LANDING_AGAIN, facts={"landing": "first-landing", "landing-fill": "mission"})
    assert labelled.check("duplicate-facts").findings == ()
    apart = lint(LANDING, ROVER_YEAR)
    assert apart.check("duplicate-facts").findings == ()
    figures = {f.label: f.value for f in apart.check("duplicate-facts").figures}
    assert figures["questions that re-ask a fact another question asks"] == 0


def test_a_true_false_statement_holding_a_key_on_its_sentence_is_a_duplicate() -> None:
    statement = on(CE4, "tf", "true_false", prompt="True or false: Chang'e 4 landed softly on the far side.")
    assert ids(lint(LANDING, statement), "duplicate-facts") == [("landing", "tf")]


# ---- answers shown by other questions


def test_a_prompt_showing_another_questions_key_on_its_sentence_fails() -> None:
    pakistan = on(PAYLOADS, "pakistan", "fill_blank", prompt="Payloads came from ESA, France, Italy and ___.",
                  answer=["Pakistan"])  # fmt: skip
    italy = on(PAYLOADS, "italy", prompt="Which country sent a payload?", choices=["Italy", "Japan", "India"],
               answer="Italy")  # fmt: skip
    report = lint(pakistan, italy, facts={"pakistan": "a", "italy": "b"})
    assert ids(report, "answer-shown") == [("pakistan", "italy")]
    assert "'pakistan' shows the answer of 'italy'" in report.check("answer-shown").failures[0].message


def test_a_name_mentioned_on_another_sentence_is_only_counted() -> None:
    mention = on(YUTU, "mention", prompt="Whose rover was Yutu-2 (Chang'e VI was later)?",
                 choices=["Chang’e-3's", "Chang’e-4's", "Chang’e-5's"], answer="Chang’e-4's")  # fmt: skip
    sixth = on(PAYLOADS, "sixth", prompt="Which mission carried four payloads?", choices=MISSIONS,
               answer="Chang’e-6")  # fmt: skip
    report = lint(mention, sixth)
    assert report.check("answer-shown").findings == ()
    figures = {f.label: f.value for f in report.check("answer-shown").figures}
    assert figures["names mentioned in a question on another sentence (not a finding)"] == 1


def test_chang_e_spellings_are_one_name() -> None:
    assert {name_words(n) for n in ("Chang’e-6", "Chang'e 6", "CE-6", "Chang'e VI", "Chang e 6")} == {
        "chang'e 6"
    }
    assert name_words("a change 6 times") == "a chang'e 6 times"  # the one false friend, a digit after it
    assert name_words("the change in plans") == "the change in plans"


# ---- the key is the longest choice


def choice_question(qid: str, choices: list[str], answer: str) -> Question:
    return on(CE4, qid, prompt=f"Question {qid}?", choices=choices, answer=answer)


def test_a_key_that_is_mostly_the_longest_choice_fails() -> None:
    long_keys = [choice_question(f"q{n}", ["Short", "Tiny", "The much longer right answer"],
                                 "The much longer right answer") for n in range(4)]  # fmt: skip
    report = lint(*long_keys, facts={f"q{n}": f"fact-{n}" for n in range(4)})
    assert report.check("longest-key").failures
    figure = report.check("longest-key").figures[0]
    assert figure.value == 1 and figure.over


def test_keys_of_mixed_lengths_pass_with_notes() -> None:
    mixed = [
        choice_question(
            "q0", ["Short", "Tiny", "The much longer right answer"], "The much longer right answer"
        )
    ]
    mixed += [
        choice_question(f"q{n}", ["Right", "A much longer wrong answer", "Wrong"], "Right") for n in (1, 2, 3)
    ]
    report = lint(*mixed, facts={f"q{n}": f"fact-{n}" for n in range(4)})
    check = report.check("longest-key")
    assert check.failures == ()
    assert [f.questions for f in check.warnings] == [("q0",)]


# ---- the key's authored position


def test_keys_mostly_at_one_position_fail() -> None:
    first = [choice_question(f"q{n}", ["Right", "Wrong one", "Wrong two"], "Right") for n in range(5)]
    report = lint(*first, facts={f"q{n}": f"fact-{n}" for n in range(5)})
    assert ids(report, "key-position") == [tuple(f"q{n}" for n in range(5))]
    assert "exports" in report.check("key-position").failures[0].message


def test_keys_spread_over_positions_pass() -> None:
    spread = [choice_question(f"q{n}", [c for c in ("A", "B", "C", "D")], "ABCD"[n % 4]) for n in range(8)]
    report = lint(*spread, facts={f"q{n}": f"fact-{n}" for n in range(8)})
    assert report.check("key-position").findings == ()
    assert report.check("key-position").figures[0].value == pytest.approx(0.25)


def test_a_few_questions_are_held_to_the_most_even_spread_they_can_have() -> None:
    four = [choice_question(f"q{n}", ["A", "B", "C"], "AABC"[n]) for n in range(4)]  # 2 of 4 at one place
    report = lint(*four, facts={f"q{n}": f"fact-{n}" for n in range(4)})
    figure = report.check("key-position").figures[0]
    assert (figure.value, figure.limit, report.check("key-position").findings) == (0.5, 0.5, ())
    piled = [choice_question(f"q{n}", ["A", "B", "C"], "AAAB"[n]) for n in range(4)]  # 3 of 4
    assert lint(*piled, facts={f"q{n}": f"fact-{n}" for n in range(4)}).check("key-position").failures


def test_multiple_choice_with_the_right_choices_first_fails() -> None:
    def multiple(qid: str, answer: list[str]) -> Question:
        return on(CE4, qid, "multiple_choice", choices=["A", "B", "C", "D"], answer=answer)

    first = [multiple(f"q{n}", ["A", "B"]) for n in range(4)]
    assert lint(*first, facts={f"q{n}": f"f{n}" for n in range(4)}).check("key-position").failures
    mixed = [multiple("q0", ["A", "B"]), multiple("q1", ["B", "D"]), multiple("q2", ["A", "C"]),
             multiple("q3", ["C", "D"])]  # fmt: skip
    assert lint(*mixed, facts={f"q{n}": f"f{n}" for n in range(4)}).check("key-position").failures == ()


# ---- true/false construction


def tf(qid: str, statement: str, answer: bool, source: str = CE4) -> Question:
    return on(
        source,
        qid,
        "true_false",
        prompt=f"True or false: according to the article, {statement}",
        answer=answer,
    )


def test_statements_words_and_new_words() -> None:
    assert statement_words("True or false: according to the article, Chang’e-4 landed.") == [
        "chang'e",
        "4",
        "landed",
    ]
    text = name_words(PAYLOADS).split()
    assert new_words(
        statement_words("True or false: ESA, France, Germany and Pakistan sent payloads"), text
    ) == [
        "germany",
        "sent",
    ]
    assert (
        new_words(name_words("Chang'e-6 carried four international payloads from Italy").split(), text) == []
    )


def test_true_copies_and_false_one_word_swaps_fail() -> None:
    copied = [
        tf(
            f"t{n}",
            "Chang’e-4 made history by being the first mission to land softly on the far side of the moon.",
            True,
        )
        for n in range(3)
    ]
    swapped = [
        tf(
            f"f{n}",
            f"Chang’e-4 made history by being the first mission to land softly on the {w} side of the moon.",
            False,
        )
        for n, w in enumerate(("near", "dark", "sunny"))
    ]
    report = lint(*copied, *swapped, facts={q.id: q.id for q in copied + swapped})
    assert report.check("true-false").failures
    figures = {f.label.split(" (")[0]: f.value for f in report.check("true-false").figures}
    assert figures["true statements word for word"] == 1
    assert figures["false statements with one word changed"] == 1
    assert figures["a learner answering from the wording alone"] == 1


def test_paraphrased_trues_and_meaning_changed_falses_pass() -> None:
    varied = [
        tf("t0", "no mission had touched down gently on the moon's far side before Chang'e-4.", True),
        tf("t1", "Chang'e-4 was the first to come down softly on the lunar far side.", True),
        tf("f0", "Chang'e-4 was a mission to the side of the moon that faces Earth.", False),
        tf("f1", "Yutu-2 was the first mission to land softly on the far side of the moon.", False),
    ]
    report = lint(*varied, facts={q.id: q.id for q in varied})
    assert report.check("true-false").failures == ()
    score = report.check("true-false").figures[-1]
    assert score.value == pytest.approx(0.5) and not score.over


def test_the_report_prints_every_check_with_its_figures() -> None:
    report = lint(LANDING, ROVER_YEAR)
    text = "\n".join(report.lines())
    for name in ("duplicate-facts", "answer-shown", "longest-key", "key-position", "true-false"):
        assert f"[{name}]: ok" in text
    assert text.endswith("2 questions: 0 problem(s), 0 warning(s).")
    assert not report.failed
