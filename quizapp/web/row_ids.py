"""Numbers from a browser that name a row (a set's id, a question's position): within what the database holds.

SQLite stores signed 64-bit integers; a larger Python int makes the driver raise OverflowError, a server
error. So `<int:...>` in a route matches only what fits (anything else is not found, like any unknown
address), and numbers read from a form or a query go through `row_id`.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, ValidationError

MAX_ROW_ID = 2**63 - 1  # the largest integer SQLite (and PostgreSQL's BIGINT) stores


class RowIdConverter(IntegerConverter):
    """`<int:name>`, registered in place of werkzeug's: digits only, at most MAX_ROW_ID (else 404)."""

    def to_python(self, value: str) -> Any:
        number = super().to_python(value)
        if not -MAX_ROW_ID - 1 <= number <= MAX_ROW_ID:
            raise ValidationError()
        return number


def row_id(text: object) -> int | None:
    """A non-negative integer that fits the database, from a form or query value; None for anything else."""
    value = str(text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ROW_ID)):
        return None
    number = int(value)
    return number if number <= MAX_ROW_ID else None
