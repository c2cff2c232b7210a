"""End-to-end fixtures: the app served on a local port, headless Chromium, a fresh browser context per test.

Without /usr/bin/chromium these tests are skipped on a developer's machine, but fail on CI (CI is set), where
.ci/run installs Chromium and no test may be skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsers import PHONE
from live_server import CHROMIUM, TIMEOUT_MS, fresh_app, launch_chromium, serving
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """Skip the browser tests without Chromium, except on CI where that is an error."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing on CI: install Debian's chromium (see .ci/run)")
    pytest.skip(f"end-to-end tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a fresh, loaded SQLite file, served by a threaded werkzeug server for the whole run."""
    folder: Path = tmp_path_factory.mktemp("e2e")
    with serving(fresh_app(folder)) as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's sync API, started once."""
    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the run."""
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A new browser profile for each test: no cookies, so a new learner."""
    ctx = browser.new_context(viewport={"width": 1000, "height": 800})
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A tab in this test's browser context."""
    return context.new_page()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A tab in a fresh touch-phone profile."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()
