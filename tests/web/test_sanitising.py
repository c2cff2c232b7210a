"""Rich text is safe: a table of XSS vectors written into html-format questions through the editor never
survives, neither in storage (only the allowed tags and attributes are kept) nor in the pages that show the
question (the teacher's preview, and the student's question, feedback and results pages). Plain-format texts
are shown escaped, and html stored by another way (an import) is cleaned again when shown.

Like test_editor.py, the module shares one app; each test works in a new set of Ada's.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask

from quizapp.extensions import db
from quizapp.models import QuestionSet
from quizapp.richtext import ATTRIBUTES, TAGS
from quizapp.services.teacher_sets import add_questions
from tests.web import editing
from tests.web.editing import CASES, Owned, new_url, question_ids, question_url, send, student_pages
from tests.web.editing import versions as stored_versions

# The editor's fixtures (editing.py), found by pytest in this module's names: `app` replaces conftest.py's.
app, ada_browser, ada = editing.app, editing.ada_browser, editing.ada

VECTORS = [
    ("script tag", "<script>alert(1)</script>"),
    ("img onerror", '<img src="x" onerror="alert(1)">'),
    ("javascript: link", '<a href="javascript:alert(1)">click</a>'),
    ("javascript: link, mixed case and a tab", '<a href="JaVa&#x09;ScRiPt:alert(1)">click</a>'),
    ("svg onload", '<svg onload="alert(1)"><circle r="1"/></svg>'),
    ("style element", "<style>body { display: none }</style>"),
    ("style attribute", '<b style="background:url(javascript:alert(1))">bold</b>'),
    ("iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("data: URL in a link", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("data: URL in an image", '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">'),
    ("nested script tags", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("broken tag", "<img src=x onerror=alert(1)//"),
    ("unclosed attribute", '<a href="javascript:alert(1)" title="x>y'),
    ("object and embed", '<object data="evil.swf"></object><embed src="evil.swf">'),
    ("form", '<form action="https://evil.example"><input name="x"><button>go</button></form>'),
    ("math with xlink", '<math><a xlink:href="javascript:alert(1)">x</a></math>'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
]
# The pages' own markup has an svg (the score bar); an svg of a question would need a handler to do harm.
UNSAFE_TAGS = {"script", "style", "iframe", "object", "embed", "math", "frame", "frameset", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcset", "poster"}


class Markup(HTMLParser):
    """Every element of an html text: its tag and attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def _bad_url(value: str) -> bool:
    """Whether a URL would run code or smuggle a document (control characters and case ignored)."""
    compact = re.sub(r"[\x00-\x20]", "", value).lower()
    return compact.startswith(("javascript:", "vbscript:", "data:"))


def _our_script(tag: str, attrs: dict[str, str]) -> bool:
    """The app's own scripts: a file of /static/js loaded by its address (the CSP allows no inline script)."""
    return (
        tag == "script" and attrs.get("src", "").startswith("/static/js/") and set(attrs) <= {"src", "defer"}
    )


def dangers(html: str) -> list[str]:
    """What in a page could run a script or restyle it: unsafe tags (but the app's own scripts), event
    handlers, styles, bad URLs."""
    found = []
    for tag, attrs in Markup(html).elements:
        if (tag in UNSAFE_TAGS and not _our_script(tag, attrs)) or (tag == "meta" and "http-equiv" in attrs):
            found.append(f"<{tag}>")
        found += [f"{tag} {name}" for name in attrs if name.startswith("on") or name == "style"]
        found += [
            f"{tag} {name}={value}"
            for name, value in attrs.items()
            if name in URL_ATTRIBUTES and _bad_url(value)
        ]
    return found


def outside_the_subset(html: str) -> list[str]:
    """Tags and attributes of a stored text that are not in the allowed subset (quizapp.richtext)."""
    found = []
    for tag, attrs in Markup(html).elements:
        if tag not in TAGS:
            found.append(f"<{tag}>")
        found += [f"{tag} {name}" for name in attrs if name not in ATTRIBUTES.get(tag, set()) | {"rel"}]
    return found + dangers(html)


def stored_texts(content: dict[str, Any]) -> list[str]:
    """Every text of a stored question a page may show as html."""
    texts = [content["prompt"], content.get("explanation") or "", *(content.get("choices") or [])]
    texts += content.get("feedback") or []
    if content["type"] == "ordering":
        texts += content["answer"]
    if content["type"] == "matching":
        texts += [left for left, _ in content["answer"]]
    return texts


def single_choice_with(text: str) -> dict[str, str]:
    """An html-format single-choice question with `text` in its prompt, a choice, its feedback and the
    explanation."""
    return {
        "prompt": f"Which? {text}",
        "format": "html",
        "choices-0-text": f"cat {text}",
        "choices-0-feedback": f"Yes {text}",
        "choices-1-text": "dog",
        "choices-2-text": "bird",
        "correct": "0",
        "explanation": f"Because {text}",
    }


@pytest.mark.parametrize(("vector", "html"), VECTORS, ids=[name for name, _ in VECTORS])
def test_a_vector_written_in_the_editor_never_survives(
    app: Flask, ada: Owned, vector: str, html: str
) -> None:
    response = send(ada.client, new_url(ada.set_id, "single_choice"), single_choice_with(html))
    assert response.status_code == 302, vector
    [[content]] = stored_versions(app, ada.set_id)
    assert [problem for text in stored_texts(content) for problem in outside_the_subset(text)] == []
    preview = ada.client.get(question_url(ada.set_id, question_ids(app, ada.set_id)[0], "preview"))
    pages = [preview.get_data(as_text=True), *student_pages(app, ada.set_id)]
    assert [dangers(page) for page in pages] == [[], [], [], []]


RICH_FIELDS = [
    ("single_choice", {"choices-0-feedback": "<b>Yes</b><script>x()</script>"}, "<b>Yes</b>"),
    ("multiple_choice", {"choices-1-text": "<i>fish</i><img src=x onerror=x()>"}, "<i>fish</i>"),
    (
        "true_false",
        {"feedback_false": '<a href="javascript:x()">why</a>'},
        '<a rel="noopener noreferrer nofollow">why</a>',
    ),
    ("fill_blank", {"answers-1-feedback": "<u>close</u><iframe></iframe>"}, "<u>close</u>"),
    ("ordering", {"items-0": "<code>cat</code><svg onload=x()>"}, "<code>cat</code>"),
    ("matching", {"pairs-0-left": "<em>cat</em><style>*{}</style>"}, "<em>cat</em>"),
    (
        "description",
        {"prompt": '<a href="https://example.org/" onclick="x()">read</a>'},
        '<a href="https://example.org/" rel="noopener noreferrer nofollow">read</a>',
    ),
]


@pytest.mark.parametrize(("qtype", "fields", "kept"), RICH_FIELDS, ids=[case[0] for case in RICH_FIELDS])
def test_every_rich_text_of_every_type_is_cleaned_and_its_formatting_kept(
    app: Flask, ada: Owned, qtype: str, fields: dict[str, str], kept: str
) -> None:
    response = send(ada.client, new_url(ada.set_id, qtype), {**CASES[qtype][0], "format": "html", **fields})
    assert response.status_code == 302
    [[content]] = stored_versions(app, ada.set_id)
    texts = stored_texts(content) + [content.get("explanation") or ""]
    assert [problem for text in texts for problem in outside_the_subset(text)] == []
    assert any(kept in text for text in texts)
    preview = ada.client.get(question_url(ada.set_id, question_ids(app, ada.set_id)[0], "preview"))
    assert dangers(preview.get_data(as_text=True)) == []
    assert kept in preview.get_data(as_text=True)


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "a < b & c"])
def test_plain_text_is_stored_as_typed_and_shown_escaped(app: Flask, ada: Owned, text: str) -> None:
    fields = {**single_choice_with(text), "format": "plain"}
    assert send(ada.client, new_url(ada.set_id, "single_choice"), fields).status_code == 302
    [[content]] = stored_versions(app, ada.set_id)
    assert content["prompt"] == f"Which? {text}"
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for page in student_pages(app, ada.set_id):
        assert dangers(page) == []
        assert f"cat {escaped}" in page.replace("&#34;", '"').replace("&quot;", '"')


def test_html_stored_by_an_import_is_cleaned_again_when_shown(app: Flask, ada: Owned) -> None:
    raw = {
        "id": "imported",
        "type": "single_choice",
        "format": "html",
        "answer": "<b>cat</b>",
        "prompt": "Which? <script>alert(1)</script><img src=x onerror=alert(1)>",
        "choices": ["<b>cat</b>", '<a href="javascript:alert(1)">dog</a>', "bird<style>*{}</style>"],
        "explanation": '<iframe src="https://evil.example/"></iframe>Because.',
    }
    with app.app_context():
        add_questions(db.session.get(QuestionSet, ada.set_id), [raw])
    preview = ada.client.get(question_url(ada.set_id, question_ids(app, ada.set_id)[0], "preview"))
    pages = [preview.get_data(as_text=True), *student_pages(app, ada.set_id)]
    assert [dangers(page) for page in pages] == [[], [], [], []]
    assert all("<b>cat</b>" in page for page in pages)
