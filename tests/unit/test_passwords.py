"""The password policy (domain/passwords.py): at least 12 characters, not only spaces, no repeated or
sequential pattern, not on the shipped list of common passwords (even padded with digits or symbols), not
the account's own name or e-mail."""

from __future__ import annotations

import pytest

from quizapp.domain.passwords import (
    COMMON,
    COMMON_PASSWORDS,
    ONLY_SPACES,
    PATTERN,
    PERSONAL,
    TOO_LONG,
    TOO_SHORT,
    common_passwords,
    password_problem,
)

PERSONAL_WORDS = ("a.lovelace@school.org", "Ada Lovelace")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("aaaaaaaaaa", TOO_SHORT),  # the three of issue 10: ten a's, ten digits, ten spaces
        ("1234567890", TOO_SHORT),
        (" " * 10, TOO_SHORT),
        ("short", TOO_SHORT),
        (" " * 12, ONLY_SPACES),
        ("\t \n" * 5, ONLY_SPACES),
        ("x" * 201, TOO_LONG),
        ("aaaaaaaaaaaa", PATTERN),
        ("abababababab", PATTERN),
        ("abcabcabcabc", PATTERN),
        ("aaaaaaaaaaab", PATTERN),  # fewer than five different characters
        ("123456789012345", PATTERN),
        ("9876543210987", PATTERN),
        ("abcdefghijklm", PATTERN),
        ("qwertyuiopas", PATTERN),
        ("1q2w3e4r5t6y7u", PATTERN),
        ("password1234", COMMON),
        ("Password2024!", COMMON),  # a listed word with the usual padding
        ("  Sunshine12345", COMMON),
        ("monkey 123456789", COMMON),
        ("iloveyou2024", COMMON),
        ("QuizApp12345", COMMON),  # the app's own name
        ("correct horse battery staple", COMMON),
        ("correcthorsebatterystaple", COMMON),
        ("A.Lovelace@school.org", PERSONAL),
        ("Ada Lovelace 1!", PERSONAL),
        ("a.lovelace2024", PERSONAL),  # the e-mail's name, padded
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, problem: str) -> None:
    assert password_problem(password, PERSONAL_WORDS) == problem


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "elephant river tulip",
        "739104826573",  # twelve digits, in no order
        "Tr0ub4dor&3-kayak",
        "   spaced out words   ",
        "ü" + "ñíçødé wörds",
        "x" * 6 + "y" * 6 + "zwvu",
    ],
)
def test_reasonable_passwords_pass(password: str) -> None:
    assert password_problem(password, PERSONAL_WORDS) is None


def test_personal_words_are_only_refused_when_given() -> None:
    assert password_problem("ada lovelace!!") is None
    assert password_problem("ada lovelace!!", ["Ada Lovelace"]) == PERSONAL


def test_the_list_ships_in_the_package_with_thousands_of_entries() -> None:
    """Read from inside the package (no network); every entry lower case, as the check compares."""
    assert COMMON_PASSWORDS.parts[-2:] == ("data", "common-passwords.txt")
    common = common_passwords()
    assert len(common) > 20_000
    assert {"password", "123456", "qwerty", "iloveyou", "quizapp"} <= common
    assert all(entry == entry.lower() and entry.strip() == entry for entry in common)
