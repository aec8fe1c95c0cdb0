"""Browser test: real Chromium (Debian's package, driven by Playwright) takes a short quiz."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, answer_shown_question, browser_log_in

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
    expect(page.locator("body")).to_contain_text("Welcome, browser-learner")

    page.select_option("select[name=b1-language]", "es")
    page.fill("input[name=b1-count]", "5")
    page.get_by_role("button", name="Start a quiz").click()
    for number in range(1, 6):
        expect(page.locator("p.progress")).to_contain_text(f"Question {number} of 5")
        answer_shown_question(page)
        expect(page.locator(".verdict")).to_be_visible()
        verdict = page.locator(".verdict").inner_text()
        assert any(word in verdict for word in ("Right", "Wrong", "Partly"))
        assert page.locator("figure.source mark").count() >= 1
        if number < 5:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See your results").click()
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    expect(page.locator("main")).to_contain_text("Results")
    expect(page.locator("main")).to_contain_text("/ 5")

    link = page.locator("figure.source figcaption a").first
    href = link.get_attribute("href")
    anchor = href.split("#", 1)[1]
    link.click()
    expect(page).to_have_url(re.compile(re.escape("#" + anchor) + "$"))
    target = page.locator(f"section.passage#{anchor}")
    expect(target).to_be_visible()
    # The linked passage is the :target, highlighted by the stylesheet.
    outline = target.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"

    page.goto(live_server + "/history")
    expect(page.locator("svg.chart")).to_have_count(1)
    page.screenshot(path=str(os.environ.get("QUIZAPP_SCREENSHOT", "/tmp/quizapp-history.png")))


def test_a_timed_question_submits_itself_at_zero_with_what_was_typed(live_server, page):
    import datetime as dt

    from quizapp.extensions import db
    from quizapp.models import Attempt
    from tests.conftest import make_user
    from tests.quiz_helpers import frozen, responses

    base, app = live_server
    make_user(app, "timed-learner")
    browser_log_in(page, base, "timed-learner")
    page.select_option("select[name=b1-language]", "en")
    page.fill("input[name=b1-count]", "5")
    page.fill("input[name=b1-time_limit]", "1")
    boxes = page.locator("input[name=b1-types_en]")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        box.set_checked(box.get_attribute("value") == "short")
    page.get_by_role("button", name="Start a quiz").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1$"))
    attempt_id = int(re.search(r"/attempts/(\d+)/q/1$", page.url).group(1))

    # A few seconds left: the deadline is moved, then the page is shown again.
    with app.app_context():
        stored = db.session.get(Attempt, attempt_id)
        stored.deadline = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=4)
        db.session.commit()
    page.reload()
    expect(page.locator(".deadline-rule")).to_contain_text("is submitted for you")
    typed = frozen(app, attempt_id)[1]["key"]
    page.fill("input[name=answer]", typed)  # typed, never sent by the learner

    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}$"), timeout=30_000)
    expect(page.locator("body")).to_contain_text(
        "Time is up: your answer was submitted and counted."
    )
    expect(page.locator("main")).to_contain_text("Results")
    stored_answers = responses(app, attempt_id)
    assert set(stored_answers) == {1} and stored_answers[1].given == typed
    assert stored_answers[1].correct
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).finished_at is not None
