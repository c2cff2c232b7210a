"""The password policy: long enough, and not one that attackers try first.

As NIST SP 800-63B advises: a minimum length and a list of common passwords, no rules about character
classes. The list ships in the package (`quizapp/data/common-passwords.txt`, its sources in the README
beside it); nothing is looked up over the network.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).resolve().parents[1] / "data" / "common-passwords.txt"

TOO_SHORT = f"Use at least {MIN_LENGTH} characters."
TOO_LONG = f"Use at most {MAX_LENGTH} characters."
ONLY_SPACES = "Use letters, digits or symbols, not only spaces."
PATTERN = "This password is a repeated or sequential pattern, easy to guess. Choose another."
COMMON = "This password is on a list of common passwords that attackers try first. Choose another."
PERSONAL = "Do not use your name or e-mail address as your password."

# Runs along the alphabet, the digits and the keyboard; a password inside one (or its reverse) is a walk.
_RUNS = (
    string.ascii_lowercase,
    string.digits,
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "1q2w3e4r5t6y7u8i9o0p",
    "qazwsxedcrfvtgbyhnujmikolp",
)
# What people put around a common word to pass a length rule: digits, symbols and spaces.
_PADDING = string.digits + string.punctuation + string.whitespace


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lower case."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def _is_pattern(folded: str) -> bool:
    """Few distinct characters, one unit repeated ('abcabcabcabc'), or a walk ('1234567890123')."""
    if len(set(folded)) < 5 or re.fullmatch(r"(.+?)\1+", folded, re.S):
        return True
    return any(folded in run * 3 or folded in run[::-1] * 3 for run in _RUNS)


def password_problem(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why `password` is refused, in words to show beside the field; None when it is acceptable.

    `personal` are the account's own words (its e-mail address, its owner's name), refused as passwords too.
    """
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    if not password.strip():
        return ONLY_SPACES
    folded = password.lower()
    if _is_pattern(folded):
        return PATTERN
    core = folded.strip(_PADDING)  # 'Password2024!' is 'password' to an attacker's word list
    common = common_passwords()
    if any(candidate in common for candidate in (folded, core, core.replace(" ", ""))):
        return COMMON
    words = {word.strip().lower() for word in personal if word.strip()}
    words |= {word.split("@")[0] for word in words if "@" in word}
    if core in words or core.replace(" ", "") in {word.replace(" ", "") for word in words}:
        return PERSONAL
    return None
