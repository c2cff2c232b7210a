"""Rich text in questions: a small safe subset of HTML, cleaned with nh3 when saved and again when shown.

Allowed: bold, italic, lists, links (http, https, mailto), code, images by URL or embedded in the question
(Moodle's `@@PLUGINFILE@@/name`), line breaks and paragraphs, spans and divs, and a few inline styles that
change how text looks (font style and weight, colour, alignment). Scripts, event handlers, other styles (so no
`url(...)` that loads something, no `expression(...)`) and `javascript:` URLs never survive.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import unquote

import nh3
from markupsafe import Markup

TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "img",
    "br",
    "p",
    "sub",
    "sup",
    "span",
    "div",
}
STYLED = ("span", "p", "div", "li", "b", "strong", "i", "em", "u", "sub", "sup", "code", "pre")
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    **{tag: {"style"} for tag in STYLED},
}
STYLE_PROPERTIES = {"font-style", "font-weight", "color", "text-align"}
URL_SCHEMES = {"http", "https", "mailto"}
PLUGINFILE = "@@PLUGINFILE@@/"
_PLUGINFILE_LINK = re.compile(r'(src|href)="@@PLUGINFILE@@/([^"?#]*)')
_UNSAFE_VALUE = re.compile(r"url\s*\(|expression\s*\(|\\|/\*|@import|javascript:", re.IGNORECASE)


def clean_html(text: str) -> str:
    """`text` reduced to the allowed subset (links get rel="noopener noreferrer nofollow")."""
    cleaned = nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        filter_style_properties=STYLE_PROPERTIES,
        attribute_filter=_safe_style,
    )
    return cleaned


def _safe_style(tag: str, attribute: str, value: str) -> str | None:
    """Of a style attribute, only the allowed properties whose value can neither load nor run anything."""
    if attribute != "style":
        return value
    kept = []
    for declaration in html.unescape(value).split(";"):
        name, _, setting = declaration.partition(":")
        if name.strip().lower() in STYLE_PROPERTIES and setting.strip() and not _UNSAFE_VALUE.search(setting):
            kept.append(f"{name.strip().lower()}:{setting.strip()}")
    return ";".join(kept) or None


FileLink = Callable[
    [str], str | None
]  # an embedded file's name -> its URL (None: the question has no such file)


def render(text: str, text_format: str = "plain", file_link: FileLink | None = None) -> Markup:
    """Safe markup for a page: html texts are cleaned again, their embedded files' links made URLs by
    `file_link`; plain texts are escaped, line breaks kept."""
    if text_format == "html":
        cleaned = clean_html(text)
        if file_link is not None and PLUGINFILE in cleaned:
            cleaned = link_files(cleaned, file_link)
        return Markup(cleaned)  # noqa: S704 - cleaned by nh3 just above; links point at our own route
    return Markup(html.escape(text).replace("\n", "<br>\n"))  # noqa: S704 - escaped just above


def link_files(cleaned: str, file_link: FileLink) -> str:
    """Cleaned HTML with each `@@PLUGINFILE@@/name` link made the URL `file_link` gives for the name."""

    def replace(match: re.Match[str]) -> str:
        url = file_link(unquote(match.group(2)))
        return f'{match.group(1)}="{html.escape(url)}' if url else match.group(0)

    return _PLUGINFILE_LINK.sub(replace, cleaned)


def to_plain(text: str, text_format: str = "plain") -> str:
    """The words of a text without markup (for titles, CSV files and screen-reader labels)."""
    if text_format != "html":
        return text
    return html.unescape(nh3.clean(text, tags=set(), attributes={})).strip()
