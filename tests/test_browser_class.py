"""Browser test of the teacher's loop: a teacher creates a class, two students join with its
code, the teacher assigns a quiz with the same questions for everyone, the students take it,
the teacher follows their progress on the assignment page and downloads the gradebook."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import (
    CHROMIUM,
    answer_shown_question,
    browser_log_in,
    click_through,
    make_user,
)

pytestmark = pytest.mark.browser

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )


def _take_assignment(page, base: str, name: str) -> None:
    """A student logs in, starts the assignment from home and answers every question."""
    browser_log_in(page, base, name)
    page.goto(base + "/")
    card = page.locator("li.assigned-item", has_text="Week 1")
    expect(card).to_contain_text("to do")
    click_through(page, card.get_by_role("button", name="Start"))
    for _ in range(12):
        if page.locator("input[name=answer]:not([type=radio]):not([type=checkbox])").count():
            # A name no question of the bank has as its key: wrong, and readable as a name.
            page.fill("input[name=answer]", "Napoleon Bonaparte")
            click_through(page, page.locator("form[data-answer-form] button[type=submit]").first)
        else:
            answer_shown_question(page)
        expect(page.locator("body")).to_contain_text("Answer recorded.")
        next_link = page.get_by_role("link", name="Next question")
        if next_link.count():
            click_through(page, next_link)
            continue
        page.get_by_role("button", name="Finish the attempt").click()
        break
    # Review opens once the attempt is finished: the results page with its sources.
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    expect(page.locator("figure.source").first).to_be_visible()


def test_a_class_takes_an_assignment(live_server, page):
    base, app = live_server
    make_user(app, "maestra", role="teacher")
    make_user(app, "ana")
    make_user(app, "bea")

    browser_log_in(page, base, "maestra")
    page.goto(base + "/classes")
    page.fill("input[name=name]", "History 3B")
    page.get_by_role("button", name="Create the class").click()
    page.wait_for_url(re.compile(r"/classes/\d+$"))
    class_url = page.url
    code = page.locator("code.nowrap").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", code)

    browser = page.context.browser
    learners = {}
    for name in ("ana", "bea"):
        learner = browser.new_context().new_page()
        browser_log_in(learner, base, name)
        learner.goto(base + "/")
        learner.fill("input[name=code]", code.lower().replace("-", " "))
        click_through(learner, learner.get_by_role("button", name="Join the class"))
        expect(learner.locator("main")).to_contain_text("History 3B")
        learners[name] = learner

    page.goto(class_url)
    page.get_by_role("link", name="Assign a quiz").click()
    page.fill("input[name=title]", "Week 1")
    page.select_option("select[name=bank]", label="Romania in the Second World War")
    page.select_option("select[name=language]", "en")
    for kind in ("mcq", "tf", "short"):
        box = page.locator(f"input[name=types][value={kind}]")
        if kind == "short":
            box.check()
        else:
            box.uncheck()
    page.locator("input[name=types][value=mcq]").check()
    page.fill("input[name=count]", "8")
    page.fill("input[name=attempts_allowed]", "1")
    page.check("input[name=review][value=after_attempt]")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("body")).to_contain_text("The quiz is assigned to History 3B.")
    assignment_url = page.url

    for name, learner in learners.items():
        _take_assignment(learner, base, name)
        # One attempt allowed: no way to start another.
        learner.goto(base + "/")
        card = learner.locator("li.assigned-item", has_text="Week 1")
        expect(card).to_contain_text("done")
        assert card.get_by_role("button").count() == 0

    page.goto(assignment_url)
    rows = page.locator("#learners tbody tr")
    expect(rows).to_have_count(2)
    for index in range(2):
        expect(rows.nth(index)).to_contain_text("finished")

    # The report: the histogram of grades (an SVG with its data table) and the statistics.
    page.get_by_role("link", name="Report").click()
    expect(page.locator("figure svg").first).to_be_visible()
    expect(page.locator("details.chart-data table")).to_have_count(1)
    expect(page.locator("body")).to_contain_text("Median")
    # The item analysis: Moodle's figures per question and for the test.
    page.get_by_role("link", name="Item analysis").click()
    expect(page.locator("main")).to_contain_text("Facility index")
    expect(page.locator("main")).to_contain_text("Cronbach")
    # What the class misses: mark a typed answer right; the attempts are regraded and logged.
    page.get_by_role("link", name="What the class misses").click()
    marks = page.get_by_role("button", name=re.compile("^Mark right"))
    expect(marks.first).to_be_visible()
    marks.first.click()
    expect(page.locator(".flash", has_text="is marked right")).to_have_count(1)
    page.get_by_role("link", name="Report").click()
    # The regrade log names the answer.
    expect(page.locator("main")).to_contain_text(re.compile("napoleon bonaparte", re.IGNORECASE))

    # The gradebook: a row per learner with their grade, and its CSV download.
    page.goto(class_url)
    page.get_by_role("link", name="Gradebook").click()
    table = page.locator("table.gradebook")
    expect(table.locator("tbody tr")).to_have_count(2)
    for name in ("ana", "bea"):
        cell = table.locator("tbody tr", has_text=name).locator("td").first
        assert re.fullmatch(r"\d+%", cell.inner_text().strip()), cell.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the gradebook (CSV)").click()
    text = Path(download.value.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[0] == ["Learner", "Week 1 (Highest grade, %)"]
    assert [row[0] for row in rows[1:]] == ["ana", "bea"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Answers to Week 1 (CSV)").click()
    answers = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(answers, newline="")))
    assert lines[0][:5] == ["Learner", "Attempt", "Question", "Question text", "Answer given"]
    assert len(lines) == 1 + 2 * 8  # eight answers each
