"""Browser test: finish a quiz, read the summary, practise what was missed; history on a phone."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, browser_log_in, make_user
from tests.quiz_helpers import frozen

pytestmark = pytest.mark.browser

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )


def test_practise_what_i_missed_from_the_results_then_history_on_a_phone(live_server, page):
    base, app = live_server
    make_user(app, "practising-learner")
    browser_log_in(page, base, "practising-learner")

    page.select_option("select[name=b1-language]", "en")
    page.fill("input[name=b1-count]", "5")
    boxes = page.locator("input[name=b1-types_en]")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        box.set_checked(box.get_attribute("value") in ("short", "mcq"))
    page.get_by_role("button", name="Start a quiz").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1$"))
    attempt_id = int(re.search(r"/attempts/(\d+)/q/1$", page.url).group(1))
    questions = frozen(app, attempt_id)

    # Right on the first two questions, wrong on the other three.
    for position in range(1, 6):
        question = questions[position]
        right = position <= 2
        if question["type"] == "mcq":
            wanted = (
                question["key"]
                if right
                else next(o for o in question["options"] if o != question["key"])
            )
            # Options are sent by their index in the frozen question.
            index = question["options"].index(wanted)
            page.locator(f"input[type=radio][name=answer][value='{index}']").check()
        else:
            page.fill("input[name=answer]", question["key"] if right else "Nobody at all")
        page.get_by_role("button", name="Submit answer", exact=True).click()
        if position < 5:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See your results").click()

    # The summary comes before the detailed review.
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}$"))
    summary = page.locator("section.results-summary")
    expect(summary).to_be_visible()
    expect(page.locator("ol.result-grid .cell")).to_have_count(5)
    expect(page.locator("ol.result-grid .cell.right")).to_have_count(2)
    expect(summary).to_contain_text("2 / 5")
    expect(page.locator("ol.review")).to_be_visible()
    review_top = page.locator("ol.review").bounding_box()["y"]
    assert summary.bounding_box()["y"] < review_top

    page.get_by_role("button", name="Practise what I missed").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1$"))
    practice_id = int(re.search(r"/attempts/(\d+)/q/1$", page.url).group(1))
    assert practice_id != attempt_id
    expect(page.locator("p.progress")).to_contain_text("Question 1 of 3")
    practised = {q["fact_id"] for q in frozen(app, practice_id).values()}
    assert practised == {questions[p]["fact_id"] for p in (3, 4, 5)}

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(base + "/history")
    expect(page.locator("svg.chart")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("details.chart-data summary").click()
    expect(page.locator("details.chart-data table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
