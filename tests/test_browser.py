"""Browser test: real Chromium (Debian's package, driven by Playwright) takes a short quiz."""

from __future__ import annotations

import os

import pytest

from tests.conftest import CHROMIUM, answer_shown_question

pytestmark = pytest.mark.browser

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )


def test_a_learner_takes_a_short_quiz_and_follows_a_source_link(live_server, page):
    live_server, _app = live_server
    page.goto(live_server + "/register")
    page.fill("input[name=name]", "browser-learner")
    page.fill("input[name=password]", "a long password")
    page.fill("input[name=confirm]", "a long password")
    page.get_by_role("button", name="Register").click()
    assert "Welcome, browser-learner" in page.content()

    page.select_option("select[name=b1-language]", "es")
    page.fill("input[name=b1-count]", "5")
    page.get_by_role("button", name="Start a quiz").click()
    for number in range(1, 6):
        assert f"Question {number} of 5" in page.content()
        answer_shown_question(page)
        verdict = page.locator(".verdict").inner_text()
        assert any(word in verdict for word in ("Right", "Wrong", "Partly"))
        assert page.locator("figure.source mark").count() >= 1
        if number < 5:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See your results").click()
    assert "Results" in page.content() and "/ 5" in page.content()

    link = page.locator("figure.source figcaption a").first
    href = link.get_attribute("href")
    anchor = href.split("#", 1)[1]
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("#" + anchor)
    target = page.locator(f"section.passage#{anchor}")
    assert target.is_visible()
    # The linked passage is the :target, highlighted by the stylesheet.
    outline = target.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"

    page.goto(live_server + "/history")
    assert page.locator("svg.chart").count() == 1
    page.screenshot(path=str(os.environ.get("QUIZAPP_SCREENSHOT", "/tmp/quizapp-history.png")))
