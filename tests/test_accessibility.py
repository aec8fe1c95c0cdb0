"""Accessibility in a real Chromium: axe-core finds nothing on any page, in either language, for
visitors, learners and teachers, in the light and the dark scheme; no page scrolls sideways on
a 360 px phone; the keyboard reaches a question's options and "Next question" in a few steps.

One browser and one login per role serve the whole module (tests/page_tour.py walks the pages).
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import CHROMIUM
from tests.page_tour import (
    LANGUAGES,
    ROLES,
    STOPS,
    USERS,
    log_in,
    make_app,
    open_attempt,
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
DUPLICATE_IDS = """() => {
  const seen = new Set(), twice = new Set();
  for (const element of document.querySelectorAll("[id]")) {
    (seen.has(element.id) ? twice : seen).add(element.id);
  }
  return [...twice];
}"""
# Pages checked in the dark scheme too: together they hold every component and message colour.
DARK_STOPS = frozenset(
    {
        "login",
        "error",
        "home",
        "question-timed",
        "feedback-match",
        "feedback-multi",
        "results",
        "history",
        "source-document",
        "reader-fact",
        "timeline",
        "teach-bank",
        "teach-fact",
        "teach-question-mcq",
        "teach-import-preview",
        "class",
        "assignment-misses",
        "admin-users",
    }
)


@pytest.fixture(scope="module")
def tour(tmp_path_factory, chromium):
    """The prepared site, served, and the module's Chromium."""
    folder = tmp_path_factory.mktemp("tour")
    app = make_app(folder)
    site = prepare(app, folder)
    with serve(app) as base:
        site.base = base
        yield site, chromium


@pytest.fixture(scope="module")
def pages(tour):
    """One page per role, logged in once."""
    site, browser = tour
    opened = {}
    for role in ROLES:
        # Without transitions: the dark scheme's colours are checked at once, not mid-change.
        context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
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
        if language == "en" and stop in DARK_STOPS:
            # The dark scheme has its own colours: their contrast is checked on pages that show
            # every kind of component (the tokens' pairs are checked on their own below).
            page.emulate_media(color_scheme="dark")
            dark = axe.run(page, options={"runOnly": ["color-contrast"]}).response
            problems += _violations(dark, where + " (dark)")
            page.emulate_media(color_scheme="light")
        duplicates = page.evaluate(DUPLICATE_IDS)
        if duplicates:
            problems.append(f"{where}: ids used more than once: {duplicates}")
        page.set_viewport_size(PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{where}: {width} px wide at {PHONE['width']} px")
        page.set_viewport_size(DESKTOP)
    assert visited >= 4
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def _tabs_until(page, selector: str, limit: int = 40) -> int:
    """Press Tab until the focused element matches `selector`; return how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return presses
    raise AssertionError(f"{selector} not reached in {limit} Tab presses")


def test_the_keyboard_reaches_the_options_and_next_question_in_a_few_steps(tour, pages):
    site, _browser = tour
    set_language(site, "en")
    page = pages["student"]
    attempt = open_attempt(site, "en", "mcq")
    url = site.url(f"/attempts/{attempt}/q/1")

    # Each option's label is its target, at least 44 px tall, on a phone too.
    page.set_viewport_size(PHONE)
    page.goto(url)
    heights = [label.bounding_box()["height"] for label in page.locator(".option label").all()]
    assert heights and min(heights) >= 44, heights
    page.set_viewport_size(DESKTOP)

    # From the top of the page: the skip link, the menu (few links: the brand, Sources,
    # Practice, History, Account, Log out), then the first option.
    page.goto(url)
    assert _tabs_until(page, "input[type=radio]") <= 8
    # With the skip link: one Tab to it, Enter, one Tab to the options.
    page.goto(url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip')")
    page.keyboard.press("Enter")
    assert _tabs_until(page, "input[type=radio]") == 1
    # Arrow keys choose within the group (one Tab stop); Tab reaches "Submit answer".
    page.keyboard.press("ArrowDown")
    assert page.locator("input[type=radio]:checked").count() == 1
    assert _tabs_until(page, "form[data-answer-form] button[type=submit]") == 1
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".verdict").count() == 1

    # The feedback: "Next question" a few Tab presses after the skip link. (The redirect kept
    # the question's #main, so the page is opened again as a link would open it.)
    page.goto(url)
    assert page.locator(".verdict").count() == 1
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert _tabs_until(page, ".next a, form.next button") <= 3
