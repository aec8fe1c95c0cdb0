"""Browser tests (Chromium): taking a quiz with the keyboard only, every question type; flags
for review with and without JavaScript; ordering by dragging; no sideways scrolling."""

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

ALL_EIGHT = {"mcq", "tf", "multi", "cloze", "short", "numeric", "order", "match"}


def _start(page, base: str, count: int, types: set[str] | None = None) -> int:
    """Start an English quiz from the home page (accepting what the bank can give)."""
    page.goto(base + "/")
    page.select_option("select[name=b1-language]", "en")
    page.fill("input[name=b1-count]", str(count))
    if types is not None:
        boxes = page.locator("input[name=b1-types_en]")
        for index in range(boxes.count()):
            box = boxes.nth(index)
            box.set_checked(box.get_attribute("value") in types)
    page.get_by_role("button", name="Start a quiz").click()
    # Either the first question or the confirmation of a shortfall: wait for one of them.
    page.wait_for_url(re.compile(r"/(confirm|attempts/\d+/q/1)(\?|$)"))
    if "/confirm" in page.url:
        page.locator("form[action$='/start'] button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/attempts/\d+/q/1$"))
    return int(re.search(r"/attempts/(\d+)/q/1$", page.url).group(1))


def _make_multi(app, attempt_id: int, position: int, like: dict) -> dict:
    """Turn an item into a multiple-answer question (hand-written ones only, in a bank) made
    from a multiple-choice question's options: the first and the last are right."""
    from quizapp.extensions import db
    from quizapp.models import AttemptItem

    options = like["options"]
    right = [options[0], options[-1]]
    question = dict(
        like,
        type="multi",
        stem="Which two of these are listed first and last?",
        key=right,
        accepted=right,
        weights={option: (0.5 if option in right else -0.5) for option in options},
    )
    with app.app_context():
        item = db.session.scalar(
            db.select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        item.question = question
        item.question_type = "multi"
        db.session.commit()
    return question


def _focused(page, script: str) -> bool:
    return bool(
        page.evaluate(f"(() => {{ const e = document.activeElement; return {script}; }})()")
    )


def _tab_to(page, script: str, limit: int = 40) -> int:
    """Press Tab until the focused element satisfies `script` (a JS expression of `e`); the
    number of presses. Shift+Tab is tried too, for an element behind the focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if _focused(page, script):
            return presses
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab")
        if _focused(page, script):
            return presses
    raise AssertionError(f"no focusable element matches {script}")


def _answer_with_keys(page, question: dict) -> None:
    """Answer the shown question rightly with the keyboard alone, and submit it."""
    kind = question["type"]
    if kind in ("mcq", "tf"):
        index = question["options"].index(question["key"])
        page.keyboard.press(str(index + 1))  # the option's shortcut
        radio = page.locator("input[type=radio]").nth(index)
        assert radio.is_checked() and _focused(page, "e.type === 'radio'")
        assert radio.get_attribute("aria-keyshortcuts") == str(index + 1)
        _tab_to(page, "e.type === 'submit' && e.textContent.includes('Submit answer')")
        page.keyboard.press("Enter")
    elif kind == "multi":
        options = question["options"]
        first, last = options.index(question["key"][0]), options.index(question["key"][1])
        page.keyboard.press(str(first + 1))  # a shortcut ticks…
        page.keyboard.press("2" if first != 1 else "3")  # …and a second press unticks
        page.keyboard.press("2" if first != 1 else "3")
        # Tab and Space tick the other one.
        _tab_to(page, f"e.type === 'checkbox' && e.value === '{last}'")
        page.keyboard.press("Space")
        boxes = page.locator("input[type=checkbox]")
        assert [boxes.nth(i).is_checked() for i in range(boxes.count())] == [
            i in (first, last) for i in range(len(options))
        ]
        _tab_to(page, "e.type === 'submit' && e.textContent.includes('Submit answer')")
        page.keyboard.press("Enter")
    elif kind in ("cloze", "short", "numeric"):
        expect(page.locator("input[name=answer]")).to_be_focused()  # at once: autofocus
        page.keyboard.type(str(question["key"]))
        page.keyboard.press("Enter")
    elif kind == "order":
        labels = question["options"]
        for target, label in enumerate(question["key"]):
            value = labels.index(label)
            row = f"li.sortable-item[data-value='{value}']"
            current = (
                page.locator("li.sortable-item")
                .evaluate_all("rows => rows.map(r => r.getAttribute('data-value'))")
                .index(str(value))
            )
            if current == target:
                continue
            _tab_to(
                page,
                f'e.matches && e.matches("{row} button.move.up")',
            )
            for _ in range(current - target):
                page.keyboard.press("Enter" if _ % 2 == 0 else "Space")
            expect(page.locator("[data-order] [role=status]")).to_contain_text(
                f"now at position {target + 1} of {len(labels)}"
            )
        selects = page.locator("select[name^=place_]")
        assert [selects.nth(i).input_value() for i in range(len(labels))] == [
            str(labels.index(label)) for label in question["key"]
        ]
        _tab_to(page, "e.type === 'submit' && e.textContent.includes('Submit answer')")
        page.keyboard.press("Enter")
    elif kind == "match":
        left, right = question["options"]["left"], question["options"]["right"]
        for index, item in enumerate(left):
            _tab_to(page, f"e.name === 'pair_{index}'")
            for _ in range(right.index(question["key"][item]) + 1):
                page.keyboard.press("ArrowDown")  # past "—", to the right match
            assert page.locator(f"select[name=pair_{index}]").input_value() == str(
                right.index(question["key"][item])
            )
        _tab_to(page, "e.type === 'submit' && e.textContent.includes('Submit answer')")
        page.keyboard.press("Enter")
    else:
        raise AssertionError(kind)
    page.wait_for_load_state()


def test_every_question_type_answered_with_the_keyboard_alone(live_server, page):
    base, app = live_server
    make_user(app, "keys")
    browser_log_in(page, base, "keys")
    attempt_id = _start(page, base, count=8)
    questions = frozen(app, attempt_id)
    kinds = [q["type"] for q in questions.values()]
    # Eight questions of seven types: the second of a doubled type becomes multiple-answer.
    twice = next(p for p, q in questions.items() if kinds[: p - 1].count(q["type"]))
    mcq = next(q for q in questions.values() if q["type"] == "mcq")
    questions[twice] = _make_multi(app, attempt_id, twice, mcq)
    assert {q["type"] for q in questions.values()} == ALL_EIGHT
    page.goto(f"{base}/attempts/{attempt_id}/q/1")
    for position, question in questions.items():
        assert f"Question {position} of 8" in page.locator("p.progress").inner_text()
        _answer_with_keys(page, question)
        assert "Right" in page.locator(".verdict.right").inner_text(), question["type"]
        # "Next question" right after the verdict: the first Tab stop after the site's links.
        if position < 8:
            header_links = page.locator("a.skip, header.site a, header.site button").count()
            stops = _tab_to(page, "e.textContent.trim() === 'Next question'")
            assert stops <= header_links + 1, stops
            page.keyboard.press("Enter")
            page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/q/{position + 1}$"))
            page.wait_for_load_state()
    _tab_to(page, "e.textContent.trim() === 'See your results'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}$"))
    expect(page.locator("main")).to_contain_text("8 / 8")


def test_digit_keys_are_typed_in_a_text_field_and_shown_as_hints(live_server, page):
    base, app = live_server
    make_user(app, "typist")
    browser_log_in(page, base, "typist")
    attempt_id = _start(page, base, count=5, types={"short"})
    expect(page.locator("input[name=answer]")).to_be_focused()
    page.keyboard.type("12 x")
    assert page.locator("input[name=answer]").input_value() == "12 x"
    attempt_id = _start(page, base, count=5, types={"mcq"})
    # The hints appear once the deferred script has run: wait for them, not for a fixed time.
    expect(page.locator(".key-hint")).to_be_visible()
    expect(page.locator("kbd.key").first).to_be_visible()
    expect(page.locator("input[type=radio]").first).to_have_attribute("aria-keyshortcuts", "1")
    page.keyboard.press("Control+2")  # with a modifier the key is the browser's
    expect(page.locator("input[type=radio]").nth(1)).not_to_be_checked()
    page.keyboard.press("2")
    expect(page.locator("input[type=radio]").nth(1)).to_be_checked()
    assert attempt_id


def test_flag_for_review_with_the_keyboard_without_reloading(live_server, page):
    base, app = live_server
    make_user(app, "flagger")
    browser_log_in(page, base, "flagger")
    attempt_id = _start(page, base, count=5, types={"short"})
    page.fill("input[name=answer]", "half typed")
    page.evaluate("window.notReloaded = true")
    _tab_to(page, "e.classList.contains('flag-toggle')")
    page.keyboard.press("Space")
    toggle = page.locator("button.flag-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.notReloaded === true")
    assert page.locator("input[name=answer]").input_value() == "half typed"
    assert page.locator(".flag-state").inner_text() == "Question 1 is flagged for review."
    cell = page.locator(".question-grid a[data-position='1']")
    assert "flagged" in cell.get_attribute("class").split()
    # Said in words to a screen reader, drawn as a flag.
    assert cell.locator(".corner-flag").is_visible()
    named = page.get_by_role("link", name="Question 1, not answered, flagged for review")
    assert named.get_attribute("aria-current") == "page"
    assert _focused(page, "e.classList.contains('flag-toggle')")
    page.keyboard.press("Enter")  # again: the flag is removed
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert "flagged" not in cell.get_attribute("class").split()
    assert toggle.is_visible()

    # The grid leads to another question; the confirmation before finishing says what is left.
    page.keyboard.press("Enter")  # flagged again
    expect(toggle).to_have_attribute("aria-pressed", "true")
    _tab_to(page, "e.getAttribute('data-position') === '3'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/q/3$"))
    assert page.locator(".question-grid a[aria-current=page]").get_attribute("data-position") == "3"
    _tab_to(page, "e.textContent.includes('Finish the quiz now')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/finish\?from=3$"))
    text = page.locator("main").inner_text()
    assert "5 questions are not answered" in text and "You flagged 1 question" in text
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Back to question 3").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/q/3$"))


def test_flag_for_review_without_javascript(live_server, browser_without_js):
    base, app = live_server
    page = browser_without_js
    make_user(app, "nojs")
    browser_log_in(page, base, "nojs")
    attempt_id = _start(page, base, count=5, types={"order"})
    # The ordering question keeps its selects.
    expect(page.locator("select[name=place_0]")).to_be_visible()
    assert page.locator("ol.sortable").count() == 0
    assert page.locator("kbd.key").count() == 0
    page.get_by_role("button", name="Flag for review").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/q/1$"))
    expect(page.locator(".flashes")).to_contain_text("Question 1 is flagged for review.")
    expect(page.locator("button.flag-toggle")).to_have_attribute("aria-pressed", "true")


@pytest.fixture
def browser_without_js(chromium):
    """A Chromium page with JavaScript turned off."""
    context = chromium.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_ordering_by_dragging_with_a_mouse_and_on_a_phone(live_server, page):
    base, app = live_server
    make_user(app, "dragger")
    browser_log_in(page, base, "dragger")
    attempt_id = _start(page, base, count=5, types={"order"})
    rows = page.locator("li.sortable-item")
    last = rows.nth(rows.count() - 1)
    moved = last.get_attribute("data-value")
    source, target = last.bounding_box(), rows.nth(0).bounding_box()
    page.mouse.move(source["x"] + 60, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 60, target["y"] + 4, steps=8)
    page.mouse.up()
    assert rows.nth(0).get_attribute("data-value") == moved
    assert page.locator("select[name=place_0]").input_value() == moved
    expect(page.locator("[data-order] [role=status]")).to_contain_text("now at position 1")
    for width in (375, 360):
        page.set_viewport_size({"width": width, "height": 800})
        for path in (f"/attempts/{attempt_id}/q/1", f"/attempts/{attempt_id}/finish"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                width,
                path,
            )
        buttons = page.locator("ol.sortable button.move")
        page.goto(f"{base}/attempts/{attempt_id}/q/1")
        box = buttons.first.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
