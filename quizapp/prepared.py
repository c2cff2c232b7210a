"""Reads built once, for the few requests a whole class sends in the same second.

A `Prepared` read's SELECT is built on first use and run as a Core select through the request's session
(SQLAlchemy caches its compiled form), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, inspect

from quizapp.extensions import db

Processor = Callable[[Any], Any] | None
T = TypeVar("T")


def transient(model: type[T], values: Mapping[str, Any]) -> T:
    """A read-only copy of a `model` row from these column values: never added to a database session, and
    built without the attribute events a constructor fires (the ORM fills the objects it loads the same way).
    Read its columns only: its relationships are not loaded."""
    instance = inspect(model).class_manager.new_instance()
    instance.__dict__.update(values)
    return instance  # type: ignore[no-any-return]


def columns_of(model: type, prefix: str, names: Sequence[str] | None = None) -> list[Any]:
    """The model's columns (default: all) labelled `<prefix>_<name>`, to select beside other models'."""
    return [getattr(model, name).label(f"{prefix}_{name}") for name in names or column_names(model)]


def copy_of(model: type[T], row: Any, prefix: str, names: Sequence[str] | None = None, **more: Any) -> T:
    """A `transient` copy of `model` from the columns `columns_of` selected, with `more` values."""
    values = {name: getattr(row, f"{prefix}_{name}") for name in names or column_names(model)}
    return transient(model, {**values, **more})


def column_names(model: type) -> tuple[str, ...]:
    """The names of the model's column attributes."""
    return _COLUMN_NAMES.get(model) or _COLUMN_NAMES.setdefault(
        model, tuple(attribute.key for attribute in inspect(model).column_attrs)
    )


_COLUMN_NAMES: dict[type, tuple[str, ...]] = {}


class Prepared:
    """A SELECT built by `build` (called once, on first use), run with `rows(**parameters)` through the
    request's session, as any other read (so on every engine, seen by its events and echo logging)."""

    def __init__(self, build: Callable[[], Select[Any]]):
        self._build = build
        self._statement: Select[Any] | None = None
        self._lock = threading.Lock()

    def _select(self) -> Select[Any]:
        if self._statement is None:
            with self._lock:
                self._statement = self._statement if self._statement is not None else self._build()
        return self._statement

    def rows(self, **parameters: Any) -> list[Any]:
        """Every row, in the request's transaction."""
        return list(db.session.execute(self._select(), parameters))

    def first(self, **parameters: Any) -> Any | None:
        """The first row, or None."""
        rows = self.rows(**parameters)
        return rows[0] if rows else None
