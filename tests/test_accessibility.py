"""Accessibility in a real Chromium: axe-core finds nothing on any page, in either language, for
visitors, learners and teachers, in the light and the dark scheme; no page scrolls sideways on
a 360 px phone; the keyboard reaches a question's options and "Next question" in a few steps.

One browser and one login per role serve the whole module (tests/page_tour.py walks the pages).
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.page_tour import (
    LANGUAGES,
    ROLES,
    STOPS,
    USERS,
    log_in,
    make_app,
    prepare,
    serve,
    set_language,
)

pytestmark = pytest.mark.browser

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def tour(tmp_path_factory):
    """The prepared site, served, and one Chromium for the module."""
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("tour")
    app = make_app(folder)
    site = prepare(app, folder)
    with serve(app) as base, sync_playwright() as playwright:
        site.base = base
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield site, browser
        browser.close()


@pytest.fixture(scope="module")
def pages(tour):
    """One page per role, logged in once."""
    site, browser = tour
    opened = {}
    for role in ROLES:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        if role in USERS:
            log_in(page, site, USERS[role])
        opened[role] = page
    yield opened
    for page in opened.values():
        page.context.close()


def _violations(results: dict, where: str) -> list[str]:
    """One line per violated rule: where, the rule id, what it asks, and the first targets."""
    lines = []
    for violation in results["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        more = f" (+{len(targets) - 4} more)" if len(targets) > 4 else ""
        lines.append(
            f"{where}: {violation['id']} [{violation['impact']}] {violation['help']}: "
            f"{', '.join(targets[:4])}{more}"
        )
    return lines


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_and_fits_a_phone(tour, pages, role, language):
    from axe_playwright_python.sync_playwright import Axe

    site, _browser = tour
    page = pages[role]
    axe = Axe()
    set_language(site, language)
    problems: list[str] = []
    visited = 0
    for stop in STOPS[role](page, site, language):
        visited += 1
        where = f"{role}/{stop}/{language}"
        assert page.evaluate("document.documentElement.lang") == language, where
        problems += _violations(axe.run(page).response, where)
        # The dark scheme has its own colours: their contrast is checked too.
        page.emulate_media(color_scheme="dark")
        dark = axe.run(page, options={"runOnly": ["color-contrast"]}).response
        problems += _violations(dark, where + " (dark)")
        page.emulate_media(color_scheme="light")
        page.set_viewport_size(PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{where}: {width} px wide at {PHONE['width']} px")
        page.set_viewport_size(DESKTOP)
    assert visited >= 4
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
