"""Browser profiles for the browser tests: the projector's, a laptop's and a phone's sizes, a fresh context,
where screenshots go, and whether a page scrolls sideways."""

from __future__ import annotations

from pathlib import Path

from live_server import TIMEOUT_MS
from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]


SHOTS = ROOT / "test-results" / "screenshots"


PROJECTOR = {"width": 1280, "height": 800}


LAPTOP = {"width": 1000, "height": 800}


PHONE = {"width": 390, "height": 844}


def new_context(
    browser: Browser, viewport: dict[str, int], phone: bool = False, js: bool = True
) -> BrowserContext:
    """A fresh browser profile (a phone at 2x with touch when `phone`, JavaScript off when not `js`)."""
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
        java_script_enabled=js,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen (0 when it fits). Against the layout viewport
    (clientWidth): on a phone profile the browser zooms a page that is too wide out, and window.innerWidth
    grows with it, so that a page 78 px too wide had read as fitting."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
