"""A set's own fields in quizapp's JSON file, beside its title and questions: its description, its source text
and its switches (hints, certainty-based marking, asking names on the share page). An export writes them, and
an import into a new set restores them, so a set taken out and brought back is the same set.

Files without them (older exports, hand-written files) stay valid: a field left out takes the new set's
default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_DESCRIPTION = 5_000  # the set form's limits
MAX_SOURCE_TEXT = 200_000
SWITCHES = ("hints", "certainty_marking", "asks_name")
SET_KEYS = ("description", "source_text", "settings")


@dataclass(frozen=True)
class SetFields:
    """What a JSON file says of its set (None: the file does not say, the default stays)."""

    description: str | None = None
    source_text: str | None = None
    switches: Mapping[str, bool] = field(default_factory=dict)

    @property
    def given(self) -> bool:
        """Whether the file gives its set anything a new set takes (an empty description is nothing)."""
        return bool(self.description) or self.source_text is not None or bool(self.switches)

    def columns(self) -> dict[str, Any]:
        """The new set's columns the file gives (the others keep their defaults)."""
        said = {"description": self.description, "source_text": self.source_text}
        return {name: value for name, value in said.items() if value is not None} | dict(self.switches)


def set_fields_to_json(
    description: str, source_text: str | None, switches: Mapping[str, bool]
) -> dict[str, Any]:
    """The file's keys for a set (written before its questions)."""
    return {
        "description": description,
        "source_text": source_text,
        "settings": {name: bool(switches[name]) for name in SWITCHES},
    }


def read_set_fields(parsed: Mapping[str, Any]) -> tuple[SetFields, list[tuple[str, str]]]:
    """The set's fields of a parsed file, and its problems as (message, how to fix it)."""
    problems: list[tuple[str, str]] = []
    description = _text(parsed, "description", MAX_DESCRIPTION, problems)
    source_text = _text(parsed, "source_text", MAX_SOURCE_TEXT, problems)
    settings = parsed.get("settings")
    switches: dict[str, bool] = {}
    if settings is not None and not isinstance(settings, dict):
        problems.append(('"settings" is not an object.', 'Write "settings": {"hints": true, ...}.'))
    elif settings:
        for name, value in settings.items():
            if name not in SWITCHES:
                problems.append((f'"settings" has an unknown key "{name}".', f"Use {', '.join(SWITCHES)}."))
            elif not isinstance(value, bool):
                problems.append((f'"settings": "{name}" is not true or false.', f'Write "{name}": true.'))
            else:
                switches[name] = value
    return SetFields(description, source_text, switches), problems


def _text(parsed: Mapping[str, Any], key: str, limit: int, problems: list[tuple[str, str]]) -> str | None:
    value = parsed.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append((f'"{key}" is not a text.', f'Write "{key}": "..." or leave it out.'))
        return None
    if len(value) > limit:
        problems.append((f'"{key}" has {len(value):,} characters, more than {limit:,}.', "Shorten it."))
        return None
    return value.strip() or (None if key == "source_text" else "")
