"""Numbers, dates and times in the reader's language and time zone (quizapp.web.formatting)."""

from __future__ import annotations

import datetime as dt

import pytest

from quizapp.web import formatting

MOMENT = dt.datetime(2026, 1, 15, 13, 51, 7)  # stored times are naive UTC


def _context(app, language: str, zone: str = "", **config):
    app.config.update(config)
    cookies = f"quizapp_language={language}" + (f"; quizapp_tz={zone}" if zone else "")
    return app.test_request_context("/", headers={"Cookie": cookies})


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("3.53", "0.5", "1,250", "7", "83%")),
        ("es", ("3,53", "0,5", "1250", "7", "83\xa0%")),
    ],
)
def test_numbers_follow_the_interface_language(app, language, expected):
    with _context(app, language):
        shown = (
            formatting.number(3.5333),
            formatting.number(0.5),
            formatting.number(1250),
            formatting.number(7.0),
            formatting.percent(83.4),
        )
    # Spanish groups thousands from five digits on (CLDR); Babel may or may not.
    assert shown[:2] == expected[:2] and shown[3:] == expected[3:]
    assert shown[2] in (expected[2], "1.250")


def test_times_are_shown_in_the_browsers_zone_else_the_configured_one(app):
    with _context(app, "en"):
        assert formatting.when(MOMENT) == "Jan 15, 2026, 1:51\u202fPM"
        assert formatting.clock(MOMENT) == "1:51:07\u202fPM"
    with _context(app, "es", zone="Europe/Bucharest"):
        assert formatting.current_timezone() == "Europe/Bucharest"
        assert formatting.when(MOMENT) == "15 ene 2026, 15:51"
        assert formatting.day(MOMENT) == "15 ene 2026"
    with _context(app, "en", TIMEZONE="America/New_York"):
        assert formatting.clock(MOMENT) == "8:51:07\u202fAM"
    # A zone the system does not know is ignored, never an error.
    with _context(app, "en", zone="Mars/Olympus", TIMEZONE="Nowhere/Else"):
        assert formatting.current_timezone() == "UTC"
    assert formatting.iso_utc(MOMENT) == "2026-01-15T13:51:07Z"


def test_a_timed_question_says_its_deadline_in_the_readers_zone(app, student_client):
    from quizapp.extensions import db
    from quizapp.models import Attempt

    data = {"b1-language": "en", "b1-count": "5", "b1-types": ["short"], "b1-time_limit": "10"}
    response = student_client.post("/banks/romania-ww2/start", data=data)
    attempt_id = int(response.headers["Location"].split("/")[2])
    with app.app_context():
        db.session.get(Attempt, attempt_id).deadline = MOMENT + dt.timedelta(days=3650)
        db.session.commit()
    student_client.set_cookie("quizapp_tz", "Asia/Tokyo")
    page = student_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert '<time datetime="2036-01-13T13:51:07Z">10:51:07\u202fPM</time>' in page
    assert "UTC" not in page.split('class="deadline"', 1)[1].split("</div>", 1)[0]
