"""Browser test of a live game: a teacher and three players (two learners, one guest), each in
a browser context of their own, with JavaScript: the pages follow the game's Server-Sent
Events and change in place (no reload), answers are sent in the background. The same game
without JavaScript is tested with plain requests in test_live_views.py."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, browser_log_in, make_user

pytestmark = pytest.mark.browser

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _stays(page) -> None:
    """Mark the page, so that a later check can tell it was never reloaded."""
    page.evaluate("window.liveMarker = 1")


def _never_reloaded(page) -> None:
    assert page.evaluate("window.liveMarker") == 1


def test_a_teacher_and_three_players_play_live(live_server, browser):
    base, app = live_server
    make_user(app, "maestra", role="teacher")
    make_user(app, "ana")
    make_user(app, "bea")
    contexts = [browser.new_context() for _ in range(4)]
    teacher, ana, bea, guest = (context.new_page() for context in contexts)
    try:
        browser_log_in(teacher, base, "maestra")
        teacher.goto(base + "/live/new")
        teacher.fill("input[name=count]", "2")
        teacher.check("input[name=guests]")
        teacher.get_by_role("button", name="Create the game").click()
        teacher.wait_for_url(re.compile(r"/live/games/\d+/screen$"))
        pin = teacher.locator(".live-pin").inner_text().strip()
        expect(teacher.locator(".live-qr svg")).to_be_visible()
        _stays(teacher)

        for page, name in ((ana, "ana"), (bea, "bea")):
            browser_log_in(page, base, name)
            page.goto(base + "/live")
            page.fill("input[name=pin]", pin)
            page.get_by_role("button", name="Join the game").click()
            expect(page.locator("h1")).to_have_text("You are in!")
            _stays(page)
        guest.goto(f"{base}/live/{pin}")
        guest.fill("input[name=nickname]", "Zorro")
        guest.get_by_role("button", name="Join the game").click()
        expect(guest.locator("h1")).to_have_text("You are in!")
        _stays(guest)

        # The projected screen lists the players as they join, without a reload.
        expect(teacher.locator("main h2").first).to_have_text("3 players have joined")
        teacher.get_by_role("button", name="Start the game").click()
        expect(teacher.locator(".live-stem")).to_be_visible()
        _stays(teacher)
        for page in (ana, bea, guest):
            expect(page.locator("button.live-answer").first).to_be_visible()
            _never_reloaded(page)
            page.locator("button.live-answer").first.click()
            # The answer is in (the last one reveals the question at once).
            expect(page.locator("form[data-live-answer]")).to_have_count(0)
        expect(ana.locator(".stage")).not_to_contain_text("Your answer is in")
        # Everyone answered: the question is revealed everywhere.
        expect(teacher.locator("svg.spread")).to_be_visible()
        expect(teacher.locator("figure.source mark")).to_be_visible()
        for page in (ana, bea, guest):
            expect(page.locator(".verdict")).to_be_visible()
        teacher.get_by_role("button", name="Leaderboard").click()
        expect(teacher.locator("table.live-top")).to_be_visible()
        # The phones showed their rank with the answer, and keep it through the leaderboard.
        expect(ana.locator(".stage")).to_contain_text("You are number")
        teacher.get_by_role("button", name="End the game").click()
        expect(teacher.locator("ol.live-podium")).to_be_visible()
        for page in (ana, bea, guest):
            expect(page.locator("h1")).to_have_text("The game is over")
            _never_reloaded(page)
        expect(ana.locator(".stage")).to_contain_text("Your answers are in your history")
    finally:
        for context in contexts:
            context.close()
