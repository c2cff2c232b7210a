"""Question files for the exchange tests of the services and of the web: a good GIFT file, a question to
repeat, and hostile files with the words their refusal must say."""

from __future__ import annotations

from quizapp.domain.formats.mapping import to_moodle
from quizapp.domain.formats.moodle_xml import write_moodle_xml
from quizapp.domain.questions import question_from_dict
from tests.unit.factories import make_question

GOOD_GIFT = b"""$CATEGORY: $course$/top/Lunar Missions

// [tag:Far Side]
::Lander:: Which probe landed on the far side? {=Chang'e 4 ~Apollo 11 ~Luna 9}

::Sky:: The moon has an atmosphere. {F}

::Essay:: Write about the moon. {}
"""


def billion_laughs() -> bytes:
    """An XML entity bomb."""
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE quiz [{"".join(levels)}]>\n<quiz>&lol9;</quiz>'.encode()


EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b'<quiz><question type="description"><name><text>&x;</text></name></question></quiz>'
)


A_GIFT_QUESTION = "::Q{n}:: What is {n} + 1? {{=right ~wrong ~other}}\n\n"


# (name, file, format or None, words the refusal must say): shared with the web tests.
HOSTILE_FILES = [
    ("not UTF-8", "Caf\xe9 au lait? {=yes ~no}".encode("latin-1"), None, "not UTF-8 text"),
    ("UTF-16", "Q? {=a ~b}".encode("utf-16"), None, "UTF-16"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None, "binary data"),
    ("XML bomb", billion_laughs(), None, "DTD"),
    ("external entity", EXTERNAL_ENTITY, None, "DTD"),
    (
        "truncated XML",
        write_moodle_xml([to_moodle(question_from_dict(make_question()))])[:300],
        None,
        "cut short",
    ),
    ("truncated JSON", b'{"title": "T", "questions": [{"id": "q1", "type": "sin', None, "cut short"),
    ("truncated GIFT", b"::Q1:: What? {=a ~b}\n\n::Q2:: Where? {=here ~th", None, "no matching '}'"),
    ("deep JSON", b"[" * 100_000, "json", "nested too deeply"),
    ("empty", b"  \n", None, "empty"),
]
