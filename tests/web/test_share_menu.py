"""The site menu's "Read the article" on a teacher's set: on its share page and on the quiz pages of an
attempt at it, the link leads to the set's own text (/s/<token>/text), or is left out when the set has none;
the article's own pages keep the article."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.unit.factories import make_question
from tests.web.homework import finish, start
from tests.web.teachers import ADA, make_set, page_text, share_set


def menu_links(html: str) -> list[str]:
    """The addresses of the site menu's "Read the article" links."""
    menu = re.search(r'<nav class="bar" aria-label="Main">(.*?)</nav>', html, re.S)
    assert menu is not None
    return re.findall(r'<a href="([^"]+)"[^>]*>Read the article</a>', menu.group(1))


def test_the_menu_leads_to_the_sets_own_text_on_its_share_and_quiz_pages(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    _, token = shared
    own_text = [f"/s/{token}/text"]
    assert menu_links(page_text(client.get(f"/s/{token}"))) == own_text
    assert menu_links(page_text(client.get(f"/s/{token}/text"))) == own_text
    public_id = start(client, token, mode="test")
    assert menu_links(page_text(client.get(f"/attempts/{public_id}/1"))) == own_text
    assert menu_links(page_text(client.get(f"/attempts/{public_id}/finish"))) == own_text
    assert menu_links(finish(client, public_id)) == own_text


def test_the_menu_has_no_article_link_for_a_set_without_text(
    app: Flask, client: FlaskClient, shared: tuple[int, str]
) -> None:
    token = share_set(app, make_set(app, ADA, "No text", text="", questions=[make_question("true_false")]))
    assert menu_links(page_text(client.get(f"/s/{token}"))) == []
    public_id = start(client, token)
    assert menu_links(page_text(client.get(f"/attempts/{public_id}/1"))) == []


def test_the_articles_own_pages_keep_the_article_link(client: FlaskClient) -> None:
    assert menu_links(page_text(client.get("/"))) == ["/article"]
