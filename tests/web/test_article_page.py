"""The article page names its source and ends with a button that starts a quiz on it; every page links the
site's icon, and /favicon.ico (asked by browsers that ignore the link) leads to it."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import csrf_token


def test_the_article_names_its_source(client: FlaskClient) -> None:
    page = client.get("/article").get_data(as_text=True)
    source = re.search(r'<p class="article-source">(.*?)</p>', page, re.S)
    assert source
    assert "<cite>Xi Focus: Celebrating China’s Lunar Exploration Achievements</cite>" in source.group(1)


def test_the_article_ends_with_a_button_that_starts_a_quiz_on_it(client: FlaskClient) -> None:
    page = client.get("/article").get_data(as_text=True)
    ending = page[page.rindex('class="sentence"') :]
    form = re.search(r'<form class="actions" method="post" action="([^"]+)">(.*?)</form>', ending, re.S)
    assert form and "Start a quiz on this article</button>" in form.group(2)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(2)))
    assert fields == {"mode": "practice", "count": "10"}
    started = client.post(form.group(1), data={**fields, "csrf_token": csrf_token(page)})
    assert started.status_code == 302
    assert re.fullmatch(r"/attempts/[\w-]+/1", started.headers["Location"])
    assert "Question 1 of 10" in client.get(started.headers["Location"]).get_data(as_text=True)


def test_every_page_links_the_icon_and_favicon_ico_leads_to_it(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon
    with client.get(icon.group(1)) as svg:  # a static file: closed after reading
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    old_place = client.get("/favicon.ico")
    assert old_place.status_code == 301 and old_place.headers["Location"] == icon.group(1)
