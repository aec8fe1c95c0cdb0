"""Browser test: the question form shows a type's fields as soon as the type is chosen, without a
save, and keeps what was typed for another type (static/teach.js)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, browser_log_in, make_user

pytestmark = pytest.mark.browser

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )


def test_the_question_form_shows_a_types_fields_without_saving(live_server, page):
    base, app = live_server
    make_user(app, "maestra", role="teacher")
    browser_log_in(page, base, "maestra")
    page.goto(base + "/teach/")
    page.fill("input[name=slug]", "lesson")
    page.check("input[name=languages][value=en]")
    page.fill("input[name=title_en]", "Next week's lesson")
    page.get_by_role("button", name="Save the bank").click()

    page.goto(base + "/teach/banks/lesson/questions/new?type=mcq")
    url = page.url
    options = page.locator("fieldset[data-types='mcq multi short']")
    true_false = page.locator("fieldset[data-types='tf']")
    assert options.is_visible() and not true_false.is_visible()
    # With the script, the no-JavaScript button is gone: Enter in a field saves the question.
    assert page.get_by_role("button", name="Show fields for this type").count() == 0
    page.fill("input[name='choices-0-text']", "typed for multiple choice")

    page.select_option("select[name=type]", "tf")
    assert true_false.is_visible() and not options.is_visible()
    assert page.get_by_label("true", exact=True).is_visible()
    assert page.url == url  # nothing was sent
    page.select_option("select[name=type]", "numeric")
    assert page.locator("fieldset[data-types='numeric']").is_visible()
    assert not true_false.is_visible()
    page.select_option("select[name=type]", "mcq")
    assert page.input_value("input[name='choices-0-text']") == "typed for multiple choice"

    page.select_option("select[name=type]", "tf")
    page.fill("textarea[name=stem]", "Romania joined the Axis in 1940.")
    page.get_by_label("true", exact=True).check()
    page.fill("input[name=true_feedback]", "Yes, in November.")
    page.press("input[name=true_feedback]", "Enter")
    expect(page.locator("body")).to_contain_text("Question saved")
    expect(page.locator("fieldset[data-types='tf']")).to_be_visible()
    assert page.locator("select[name=type]").input_value() == "tf"
