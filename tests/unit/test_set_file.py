"""A set's own fields in quizapp's JSON file (domain/set_file.py): what a new set takes from them."""

from __future__ import annotations

from quizapp.domain.set_file import read_set_fields


def test_only_what_the_file_gives_becomes_the_new_sets_columns() -> None:
    fields, problems = read_set_fields({"source_text": " Text. ", "settings": {"hints": False}})
    assert problems == [] and fields.given
    assert fields.columns() == {"source_text": "Text.", "hints": False}


def test_an_empty_description_alone_gives_nothing() -> None:
    fields, problems = read_set_fields({"description": "  ", "source_text": ""})
    assert problems == [] and not fields.given  # the preview then says nothing of the set's fields
    assert fields.columns() == {"description": ""}
