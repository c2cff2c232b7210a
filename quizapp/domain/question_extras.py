"""The fields a question keeps for the exchange with Moodle: case sensitivity, category path, files, extras.

`check_kept_fields` validates them as read from a file or JSON (docs/question-format.md)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from quizapp.domain.questions import Problem


def check_kept_fields(qid: str, raw: Mapping[str, Any]) -> list[Problem]:
    """Problems with `case_sensitive`, `category`, `files` and `moodle`; [] when they can be kept."""
    problems = []
    if not isinstance(raw.get("case_sensitive", False), bool):
        problems.append(Problem(qid, "case_sensitive must be true or false", "case_sensitive: true"))
    if not isinstance(raw.get("category") or "", str):
        problems.append(Problem(qid, "category must be a text", "category: Chang'e/Missions"))
    if not isinstance(raw.get("moodle") or {}, dict):
        problems.append(Problem(qid, "moodle must be a mapping of Moodle's fields", "remove 'moodle'"))
    files = raw.get("files") or []
    if not isinstance(files, list) or not all(_good_file(f) for f in files):
        problems.append(
            Problem(qid, "files must be a list of {name, data} with base64 data", "re-import the Moodle file")
        )
    return problems


def _good_file(entry: Any) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        return False
    try:
        base64.b64decode(str(entry.get("data", "")), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True
