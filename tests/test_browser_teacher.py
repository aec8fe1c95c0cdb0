"""Browser test: a teacher builds a bank from a pasted text, suggestions, a hand-written
question and an old GIFT file; a student takes a quiz from it the same day."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, answer_shown_question, browser_log_in, make_user

pytestmark = pytest.mark.browser

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )

LESSON = (
    "Romania joined the Axis on 23 November 1940, under Marshal Ion Antonescu.\n\n"
    "The Iași pogrom of June 1941 killed at least 13,266 Jews.\n\n"
    "King Michael led the coup of 23 August 1944 that deposed Antonescu."
)
OLD_GIFT = """::Coup::Who led the 1944 coup? {=King Michael ~Ion Antonescu ~Carol II}

Romania joined the Axis in 1940. {TRUE}

In what year was the coup? {#1944}

Which city saw the 1941 pogrom? {=Iași =Iasi =Jassy}

Write an essay about the war. {}
"""


def test_a_teacher_builds_a_bank_and_a_student_takes_it(live_server, page, tmp_path):
    base, app = live_server
    make_user(app, "maestra", role="teacher")

    browser_log_in(page, base, "maestra")
    page.goto(base + "/teach/")
    page.fill("input[name=slug]", "lesson")
    page.check("input[name=languages][value=en]")
    page.fill("input[name=title_en]", "Next week's lesson")
    page.get_by_role("button", name="Save the bank").click()
    expect(page.locator("body")).to_contain_text("Bank created")

    page.get_by_role("link", name="Add a source").click()
    page.fill("input[name=title]", "The lesson text")
    page.fill("textarea[name=text]", LESSON)
    page.fill("input[name=origin]", "my notes")
    page.fill("input[name=licence]", "CC BY 4.0")
    page.fill("input[name=attribution]", "A. Teacher")
    page.get_by_role("button", name="Add the source").click()
    expect(page.locator("body")).to_contain_text("Source added with 3 passages")

    page.get_by_role("link", name="Suggested facts").first.click()
    expect(page.locator("ol.suggestions li").nth(2)).to_be_visible()
    # Reject one suggestion, accept another and save it as a fact.
    before = page.locator("ol.suggestions li").count()
    page.locator("ol.suggestions li").last.get_by_role("button", name="Reject").click()
    expect(page.locator("ol.suggestions li")).to_have_count(before - 1)
    date = page.locator("ol.suggestions li", has_text="23 November 1940").first
    date.get_by_role("link", name="Accept and edit").click()
    assert page.input_value("input[name=answer]") == "23 November 1940"
    page.fill("input[name=label]", "Romania joins the Axis")
    page.get_by_role("button", name="Save the fact").click()
    expect(page.locator("body")).to_contain_text("Fact saved")
    expect(page.locator("mark", has_text="23 November 1940")).to_have_count(1)
    expect(page.locator("body")).to_contain_text("Preview")

    page.goto(base + "/teach/banks/lesson")
    page.get_by_role("link", name="multiple choice").click()
    page.fill("textarea[name=stem]", "Who was deposed by the 1944 coup?")
    page.fill("input[name='choices-0-text']", "Ion Antonescu")
    page.check("input[name='choices-0-right']")  # the right answer is ticked
    page.fill("input[name='choices-1-text']", "King Michael")
    page.fill("input[name='choices-2-text']", "Carol II")
    page.get_by_role("button", name="Save the question").click()
    expect(page.locator("body")).to_contain_text("Question saved")

    gift = tmp_path / "old.gift"
    gift.write_text(OLD_GIFT, encoding="utf-8")
    page.goto(base + "/teach/banks/lesson/import")
    page.set_input_files("input[name=file]", str(gift))
    page.get_by_role("button", name="Read the file").click()
    expect(page.locator("body")).to_contain_text("4 new questions will be imported")
    expect(page.locator("body")).to_contain_text("Not imported")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("body")).to_contain_text("Imported: 4 questions")
    # Learners are offered the bank once it is published.
    page.goto(base + "/teach/banks/lesson")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("body")).to_contain_text("The bank is published")
    page.get_by_role("button", name="Log out").click()

    page.goto(base + "/register")
    page.fill("input[name=name]", "alumno")
    page.fill("input[name=password]", "a long password")
    page.fill("input[name=confirm]", "a long password")
    page.get_by_role("button", name="Register").click()
    form = page.locator("section.bank", has_text="Next week's lesson")
    form.locator("input[type=number]").first.fill("5")
    form.get_by_role("button", name="Start a quiz").click()
    # Five questions, one of each type, would give answers away (both coup questions name 1944,
    # the year question's answer; each choice question offers the other's answer): the page
    # says what the bank can give before any attempt starts.
    expect(page.locator("body")).to_contain_text("This quiz cannot be made as asked")
    expect(page.locator("body")).to_contain_text("Your quiz would have 4 questions instead of 5")
    page.get_by_role("button", name="Start with the 4 questions the bank can give").click()
    for number in range(1, 5):
        expect(page.locator("body")).to_contain_text(f"Question {number} of 4")
        answer_shown_question(page)
        expect(page.locator(".verdict")).to_have_count(1)
        if number < 4:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See your results").click()
    expect(page.locator("body")).to_contain_text("/ 4")
