"""Checks on read models, for the service tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any


def assert_holds_what_the_orm_reads(read: Any, model: type, stored: Any, nested: Sequence[str] = ()) -> None:
    """Every field of the read model `read` (but `nested`, read models of their own) equals the ORM's
    value of the same column of `stored`, with the same type (a boolean, not SQLite's 1; a datetime, not a
    string), and `read` has no other attributes of the model."""
    names = [f.name for f in dataclasses.fields(read) if f.name not in nested]
    assert names, read
    for name in names:
        assert getattr(model, name) is not None  # a column of the model
        assert getattr(read, name) == getattr(stored, name), name
        assert type(getattr(read, name)) is type(getattr(stored, name)), name
