"""axe-core audits for the browser tests: a page's serious or critical problems, kept by page name."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

SERIOUS = ("serious", "critical")


AXE = Axe()


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each (id, help, targets)."""
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['id']} [{v['impact']}] {v['help']}: {[node['target'] for node in v['nodes']]}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


def audit(page: Page, name: str, found: dict[str, list[str]]) -> None:
    """Record the serious violations of the page under `name` (the test asserts on all of them at the end)."""
    found[name] = serious_violations(page)


def problems_of(found: dict[str, list[str]]) -> dict[str, list[str]]:
    """Only the audited pages that have problems."""
    return {name: problems for name, problems in found.items() if problems}
