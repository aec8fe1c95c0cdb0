"""Browser test of the reader: choosing a fact opens its panel in place (with the script) and
under its passage (without it); "ask me this" starts its one-question quiz; the timeline's
links lead to the passage."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from quizapp.extensions import db
from quizapp.models import Fact
from tests.conftest import CHROMIUM, browser_log_in, make_user

pytestmark = pytest.mark.browser

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )


def _fact_id(app, key: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Fact.id).where(Fact.key == key))


def test_the_reader_opens_a_facts_panel_in_place_and_asks_it(live_server, page):
    base, app = live_server
    make_user(app, "ana")
    fact_id = _fact_id(app, "axis-entry-date-en")
    browser_log_in(page, base, "ana")
    page.goto(base + "/banks/romania-ww2/read/en")
    expect(page.locator("mark.evidence").first).to_be_visible()
    expect(page.locator("#fact-panel")).to_have_count(0)

    ref = page.locator(f'a.fact-ref[data-fact="{fact_id}"]')
    ref.click()
    panel = page.locator("#fact-panel")
    expect(panel).to_contain_text("Romania joined the Axis on 23 November 1940.")
    expect(panel).to_contain_text("23 November 1940")
    expect(panel.get_by_role("button", name="Short answer")).to_be_visible()
    # In place: under the passage of its evidence, which is marked as the selected one.
    expect(page.locator("#romania-overview-en-p1 #fact-panel")).to_have_count(1)
    expect(page.locator(f"#evidence-{fact_id}")).to_have_class(re.compile(r"\bselected\b"))
    expect(ref).to_have_attribute("aria-current", "true")
    page.wait_for_url(re.compile(rf"\?fact={fact_id}"))

    # Another fact replaces the panel; clicking marked words opens their fact too.
    other = _fact_id(app, "coup-1944-date-en")
    page.locator(f"#evidence-{other}").click()
    expect(panel).to_contain_text("23 August 1944")
    expect(page.locator("#fact-panel")).to_have_count(1)
    expect(page.locator("#romania-overview-en-p5 #fact-panel")).to_have_count(1)
    expect(ref).not_to_have_attribute("aria-current", "true")

    panel.get_by_role("link", name="Close").click()
    expect(page.locator("#fact-panel")).to_have_count(0)
    expect(page.locator("mark.evidence.selected")).to_have_count(0)

    # "Ask me this": a one-question quiz of the fact in that form.
    page.locator(f'a.fact-ref[data-fact="{fact_id}"]').click()
    panel.get_by_role("button", name="Short answer").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1$"))
    expect(page.locator("p.progress")).to_contain_text("Question 1 of 1")
    page.fill("input[name=answer]", "23 November 1940")
    page.locator("form[data-answer-form] button[type=submit]").first.click()
    expect(page.locator(".verdict")).to_contain_text("Right")


def test_without_javascript_a_fact_link_opens_the_page_with_its_panel(live_server, chromium):
    base, app = live_server
    make_user(app, "ana")
    fact_id = _fact_id(app, "axis-entry-date-en")
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        browser_log_in(page, base, "ana")
        page.goto(base + "/banks/romania-ww2/timeline/en")
        entry = page.locator("#axis-entry-date-1940-11-23")
        expect(entry).to_contain_text("Romania joins the Axis")
        entry.get_by_role("link", name=re.compile("Read it in its passage")).click()
        page.wait_for_url(re.compile(rf"/read/en\?fact={fact_id}#fact-panel$"))
        expect(page.locator("#romania-overview-en-p1 #fact-panel")).to_contain_text(
            "23 November 1940"
        )
        page.locator(f'a.fact-ref[data-fact="{_fact_id(app, "coup-1944-date-en")}"]').click()
        page.wait_for_url(re.compile(r"\?fact=\d+#fact-panel$"))
        expect(page.locator("#romania-overview-en-p5 #fact-panel")).to_contain_text(
            "23 August 1944"
        )
    finally:
        context.close()
