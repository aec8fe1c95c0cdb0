"""Browser test of spaced practice: a learner opens Practice from the menu, picks a bank and
language, practises now, answers, sees the feedback with the source passage, and finds the
practice page's counts changed (one fact less is new) and the session to continue."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, answer_shown_question, browser_log_in, make_user

pytestmark = pytest.mark.browser

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )


def test_a_learner_practises_a_bank(live_server, page):
    base, app = live_server
    make_user(app, "ana")
    browser_log_in(page, base, "ana")

    page.goto(base + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").click()
    page.wait_for_url(base + "/practice")
    bank_link = page.locator("a.open-attempt-title[href='/practice/romania-ww2/en']")
    expect(bank_link).to_be_visible()
    bank_link.click()
    page.wait_for_url(re.compile(r"/practice/romania-ww2/en$"))

    new = page.locator('dd[data-count="new"]')
    expect(new).to_have_text(re.compile(r"^\d+$"))
    new_before = int(new.inner_text())
    assert new_before > 20
    expect(page.locator('dd[data-count="due"]')).to_have_text("0")
    expect(page.locator("svg#due-forecast")).to_be_visible()
    expect(page.locator("#session-hint")).to_contain_text("20 new facts")

    page.get_by_role("button", name="Practise now").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1$"))
    expect(page.locator("p.progress")).to_contain_text("Question 1 of 20")
    answer_shown_question(page)
    # The quiz's own feedback: the verdict and the source passage with its evidence marked.
    expect(page.locator("p.verdict[role=status]")).to_have_text(re.compile(r"Right|Wrong|Partly"))
    source = page.locator("figure.source").first
    expect(source).to_be_visible()
    expect(source.locator("mark").first).to_be_visible()
    expect(page.get_by_role("link", name="Next question")).to_be_visible()

    page.goto(base + "/practice/romania-ww2/en")
    expect(page.locator('dd[data-count="new"]')).to_have_text(str(new_before - 1))
    expect(page.locator('dd[data-count="allowed"]')).to_contain_text("19")
    page.get_by_role("link", name="Continue the session").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/2$"))
    expect(page.locator("p.progress")).to_contain_text("Question 2 of 20")
