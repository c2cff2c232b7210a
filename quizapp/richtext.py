"""Rich text in questions: a small safe subset of HTML, cleaned with nh3 when saved and again when shown.

Allowed: bold, italic, lists, links (http, https, mailto), code, images by URL, line breaks and paragraphs.
Scripts, event handlers, styles and `javascript:` URLs never survive.
"""

from __future__ import annotations

import html

import nh3
from markupsafe import Markup

TAGS = {"b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "code", "pre", "img", "br", "p", "sub", "sup"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(text: str) -> str:
    """`text` reduced to the allowed subset (links get rel="noopener noreferrer nofollow")."""
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render(text: str, text_format: str = "plain") -> Markup:
    """Safe markup for a page: html texts are cleaned again; plain texts are escaped, line breaks kept."""
    if text_format == "html":
        return Markup(clean_html(text))  # noqa: S704 - cleaned by nh3 just above
    return Markup(html.escape(text).replace("\n", "<br>\n"))  # noqa: S704 - escaped just above


def to_plain(text: str, text_format: str = "plain") -> str:
    """The words of a text without markup (for titles, CSV files and screen-reader labels)."""
    if text_format != "html":
        return text
    return html.unescape(nh3.clean(text, tags=set(), attributes={})).strip()
