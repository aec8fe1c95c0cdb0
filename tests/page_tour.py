"""A tour of every page type, shared by the accessibility test and `make screenshots`.

`prepare` fills a fresh database (the founding bank, a learner with finished and open attempts of
every question type, a teacher's own bank with a source, a fact and hand-written questions, a
class with an assignment the learner has started and one that two learners finished);
`serve` runs the app on a free port; the `*_stops` generators walk one role's pages in a
logged-in Playwright page and yield a name at each stop, where the caller checks or photographs
the page. The interface language is the users' setting (`set_language`), so one login serves
both languages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp import create_app
from quizapp.core.bank import load_bank

ROOT = Path(__file__).resolve().parent.parent
BANK_DIR = ROOT / "questions" / "romania-ww2"
PASSWORD = "correct horse battery"
STUDENT, TEACHER, SPARE = "ana", "profesora", "tomas"
LANGUAGES = ("en", "es")
ROLES = ("visitor", "student", "teacher")
# Question types made from facts, each shown on its own page (multi comes from the teacher's bank).
FACT_TYPES = ("mcq", "tf", "cloze", "short", "numeric", "order", "match")
LESSON = (
    "Romania joined the Axis on 23 November 1940, under Marshal Ion Antonescu.\n\n"
    "The Iași pogrom of June 1941 killed at least 13,266 Jews.\n\n"
    "King Michael led the coup of 23 August 1944 that deposed Antonescu."
)
GIFT = """::Coup::Who led the 1944 coup? {=King Michael ~Ion Antonescu ~Carol II}

Romania joined the Axis in 1940. {TRUE}

In what year was the coup? {#1944:0}

Which two were wartime leaders of Romania? {~%50%Ion Antonescu ~%50%King Michael ~%-100%Carol I}
"""


@dataclass
class Site:
    """What `prepare` made: ids and paths the tour visits."""

    base: str = ""
    app: Any = None
    student_id: int = 0
    teacher_id: int = 0
    spare_id: int = 0
    lesson_slug: str = "lesson"
    lesson_source: str = ""
    fact_id: int = 0
    question_id: int = 0
    finished_attempt: int = 0
    timed_attempt: int = 0
    gift_file: Path | None = None
    class_id: int = 0
    other_class_code: str = ""
    assignment_id: int = 0
    assignment_attempt: int = 0
    report_assignment_id: int = 0
    live_game_id: int = 0  # a live game asking its first question, the learner in it
    live_pin: str = ""
    live_reveal_id: int = 0  # a live game showing its first question's answers

    def url(self, path: str) -> str:
        """The full address of a path on the served app."""
        return self.base + path


def make_app(folder: Path):
    """The app with CSRF on, on a SQLite file in `folder`, holding the founding bank."""
    from quizapp.extensions import db
    from quizapp.services.banks import store_bank

    app = create_app(
        {
            "SECRET_KEY": "page tour",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'tour.sqlite3'}",
            # The tour starts many attempts at once; the limit is for people.
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        store_bank(load_bank(BANK_DIR), "tour")
        db.session.commit()
    return app


@contextlib.contextmanager
def serve(app) -> Iterator[str]:
    """Serve `app` on a free local port in a thread; yield its base address."""
    from werkzeug.serving import make_server

    from quizapp.extensions import db

    # The tour's requests are not news: keep the console for what goes wrong.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("quizapp.requests").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


def _start(user, bank, language: str, count: int, types: list[str], minutes: int | None = None):
    """An attempt as the bank can give it (a shortfall is accepted)."""
    from quizapp.services import attempts

    try:
        return attempts.start_attempt(
            user, bank, language, count, types, seed=7, time_limit_minutes=minutes
        )
    except attempts.QuizShortfall as shortfall:
        return attempts.start_attempt(
            user,
            bank,
            language,
            count,
            types,
            seed=shortfall.seed,
            time_limit_minutes=minutes,
            accepted=shortfall.plan.signature(),
        )


def _answer(question: dict, right: bool) -> Any:
    """A right or a wrong answer to a frozen question, as the quiz stores it."""
    kind, key, options = question["type"], question["key"], question.get("options")
    if right:
        return key
    if kind in ("mcq", "tf"):
        return next(option for option in options if option != key)
    if kind == "numeric":
        return "0"
    if kind in ("cloze", "short"):
        return "Nobody at all"
    if kind == "order":
        return list(reversed(key))
    if kind == "match":
        values = list(key.values())
        return dict(zip(key, values[1:] + values[:1], strict=True))
    return None


def _finished_attempt(student, bank, language: str, count: int, right_every: int, days_ago: int):
    """A finished attempt of `count` questions, every `right_every`-th one answered wrongly."""
    from quizapp.extensions import db
    from quizapp.services import attempts

    attempt = _start(student, bank, language, count, list(FACT_TYPES))
    db.session.commit()
    for item in attempt.items:
        given = _answer(dict(item.question), right=item.position % right_every != 0)
        if given is not None:
            attempts.record_answer(student, attempt.id, item.position, given)
    attempts.finish_attempt(student, attempt.id)
    db.session.commit()
    shift = dt.timedelta(days=days_ago, minutes=-7 * item.position)
    attempt.started_at -= shift
    attempt.finished_at -= shift - dt.timedelta(minutes=3 * count)
    db.session.commit()
    return attempt.id


def _answered_assignment(teacher, school_class, bank, learners) -> int:
    """An assignment of the class (the same questions for everyone, multiple choice and typed
    answers) that each learner finished, wrong more often the later they come; its id."""
    from quizapp.extensions import db
    from quizapp.services import assignments, attempts
    from quizapp.services.assignments import AssignmentSettings

    assignment = assignments.create_assignment(
        teacher,
        school_class,
        AssignmentSettings("Revision: Romania 1940-1944", bank.id, "en", ["mcq", "short"], 6),
        seed=7,
    )
    db.session.commit()
    for number, learner in enumerate(learners, start=2):
        attempt = assignments.start_attempt(learner, assignment.id)
        db.session.commit()
        for item in attempt.items:
            given = _answer(dict(item.question), right=item.position % number != 0)
            attempts.record_answer(learner, attempt.id, item.position, given)
        attempts.finish_attempt(learner, attempt.id)
        db.session.commit()
    return assignment.id


def prepare(app, folder: Path) -> Site:
    """Fill the database with everything the tour shows; return where it is."""
    from quizapp.core.authored import AuthoredQuestion, Choice
    from quizapp.extensions import db
    from quizapp.models import Bank, utcnow
    from quizapp.services import assignments, authoring, classes, sharing
    from quizapp.services.users import create_user

    site = Site(app=app)
    with app.app_context():
        student = create_user(STUDENT, PASSWORD)
        teacher = create_user(TEACHER, PASSWORD, "admin")
        spare = create_user(SPARE, PASSWORD)
        db.session.commit()
        site.student_id, site.teacher_id, site.spare_id = student.id, teacher.id, spare.id
        from quizapp.services import tokens

        tokens.create_token(student, "grading script", "read", 30)
        db.session.commit()

        lesson = authoring.create_bank(
            teacher,
            slug=site.lesson_slug,
            titles={"en": "Next week's lesson", "es": "La lección de la semana"},
            descriptions={
                "en": "Questions for next week, from the lesson text.",
                "es": "Preguntas para la semana que viene, del texto de la lección.",
            },
            languages=["en"],
            subject="history",
            licence="CC BY 4.0",
        )
        source = authoring.add_source(
            teacher,
            lesson,
            title="The lesson text",
            language="en",
            text=LESSON,
            origin="my notes",
            licence="CC BY 4.0",
            attribution="A. Teacher",
        )
        site.lesson_source = source.slug
        first = source.passages[0]
        fact = authoring.save_fact(
            teacher,
            lesson,
            {
                "passage_id": first.id,
                "evidence": "23 November 1940",
                "statement": "Romania joined the Axis on 23 November 1940.",
                "answer": "23 November 1940",
                "kind": "date",
                "stems": "When did Romania join the Axis?",
                "label": "Romania joins the Axis",
            },
        )
        multi = authoring.save_question(
            teacher,
            lesson,
            AuthoredQuestion(
                type="multi",
                stem="Which two led Romania during the war?",
                choices=[
                    Choice("Ion Antonescu", True, 50),
                    Choice("King Michael", True, 50),
                    Choice("Carol I", False, -100),
                ],
                language="en",
            ),
            passage_id=None,
        )
        sharing.set_published(teacher, lesson, True)
        db.session.commit()
        site.fact_id, site.question_id = fact.id, multi.id

        founding = db.session.scalar(db.select(Bank).where(Bank.slug == "romania-ww2"))
        site.timed_attempt = _start(student, founding, "en", 5, ["mcq", "short"], minutes=20).id
        db.session.commit()
        _finished_attempt(student, founding, "es", 5, 2, 6)
        site.finished_attempt = _finished_attempt(student, founding, "en", 7, 3, 1)

        # A class the learner is in (with a co-teacher), and one whose join link she opens.
        school_class = classes.create_class(teacher, "History 3B")
        classes.join_class(student, school_class.join_code)
        classes.join_class(spare, school_class.join_code)
        other = classes.create_class(teacher, "History 4A")
        db.session.commit()
        site.class_id, site.other_class_code = school_class.id, other.join_code

        # An assignment reviewed after it closes, which the learner has started and answered
        # once (its feedback says only "answer recorded").
        assignment = assignments.create_assignment(
            teacher,
            school_class,
            assignments.AssignmentSettings(
                "Week 1: the coup of 1944",
                founding.id,
                "en",
                ["mcq", "short"],
                6,
                closes_at=utcnow() + dt.timedelta(days=7),
                attempts_allowed=2,
                review="after_close",
            ),
            seed=5,
        )
        db.session.commit()
        site.assignment_id = assignment.id
        assigned = assignments.start_attempt(student, assignment.id)
        db.session.commit()
        site.assignment_attempt = assigned.id
        # An assignment two learners finished, for the teachers' reports.
        site.report_assignment_id = _answered_assignment(
            teacher, school_class, founding, [student, spare]
        )
        _live_games(site, teacher, student, spare, founding)
    site.gift_file = folder / "old-questions.gift"
    site.gift_file.write_text(GIFT, encoding="utf-8")
    return site


def _live_games(site: Site, teacher, student, spare, founding) -> None:
    """Two live games: one asking its first question with the learner in it, one showing how
    its first question was answered."""
    from quizapp.extensions import db
    from quizapp.services.live import games, players

    settings = games.GameSettings(seconds=240, guests=True)
    asking = games.create_from_bank(teacher, founding, "en", ["mcq", "tf"], 3, settings, seed=4)
    db.session.commit()
    players.join(asking.id, student)
    players.join(asking.id, None, "Zorro")
    games.teacher_move(teacher, asking.id, "next", "lobby", 0)
    site.live_game_id, site.live_pin = asking.id, asking.pin
    shown = games.create_from_bank(teacher, founding, "en", ["mcq"], 3, settings, seed=6)
    db.session.commit()
    for learner in (student, spare):
        players.join(shown.id, learner)
    games.teacher_move(teacher, shown.id, "next", "lobby", 0)
    question = games.question_at(shown, 1)
    players.answer(shown.id, players.player_for(shown, student, None).id, 1, question.key, student)
    games.teacher_move(teacher, shown.id, "next", "question", 1)
    site.live_reveal_id = shown.id


def set_language(site: Site, language: str) -> None:
    """Make `language` every tour user's interface language."""
    from quizapp.extensions import db
    from quizapp.models import User

    with site.app.app_context():
        for user in db.session.scalars(db.select(User)):
            user.locale = language
        db.session.commit()


def click_through(page, target) -> None:
    """Click `target` (a Playwright locator) that leads to another page, and return once that
    page has loaded.

    `wait_for_load_state()` right after a click returns at once (the old page is still the
    loaded one), so the next read could see the old page; waiting on the navigation itself
    is what makes every read after this call see the new page."""
    with page.expect_navigation():
        target.click()


def browser_log_in(page, base: str, name: str) -> None:
    """Log a Playwright page in through the login form as `name` (the shared test password).

    Waits until the login has landed, whatever the interface language (no button names)."""
    page.goto(base + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    click_through(page, page.locator("main form button[type=submit]"))
    assert "/login" not in page.url, page.inner_text("main")


def log_in(page, site: Site, name: str) -> None:
    """Log a Playwright page in through the login form (no button names: any language)."""
    browser_log_in(page, site.base, name)


def answer_in_browser(page) -> None:
    """Answer the shown question through its inputs, then submit (any language)."""
    radios = page.locator("form[data-answer-form] input[type=radio]")
    boxes = page.locator("form[data-answer-form] input[type=checkbox]")
    if radios.count():
        radios.first.check()
    elif boxes.count():
        boxes.first.check()
    elif page.locator("input[name=answer]").count():
        page.fill("input[name=answer]", "1944")
    else:
        # Selects (without JavaScript); a sortable list stands for them when the script runs,
        # and the order it shows is the answer.
        selects = page.locator("form[data-answer-form] select")
        for index in range(selects.count()):
            if selects.nth(index).is_visible():
                selects.nth(index).select_option(index=index + 1)
    click_through(page, page.locator("form[data-answer-form] button[type=submit]").first)


def visitor_stops(page, site: Site, language: str) -> Iterator[str]:
    """Pages of someone not logged in."""
    page.context.add_cookies([{"name": "quizapp_language", "value": language, "url": site.base}])
    page.goto(site.url("/"))
    yield "home"
    page.goto(site.url("/login"))
    yield "login"
    page.goto(site.url("/register"))
    yield "register"
    page.goto(site.url("/no-such-page"))
    yield "error"


def student_stops(page, site: Site, language: str) -> Iterator[str]:
    """A learner's pages: home, the start confirmation, every question type with its
    feedback, a timed question, results, history, practice, classes and joining, sources,
    password."""
    page.goto(site.url("/"))
    yield "home"
    query = (
        f"b1-language={language}&b1-count=50&b1-time_limit=0"
        f"&b1-types_{language}=numeric&b1-types_{language}=mcq&b1-seed=3"
    )
    page.goto(site.url(f"/banks/romania-ww2/confirm?{query}"))
    yield "quiz-confirm"
    for kind in (*FACT_TYPES, "multi"):
        attempt = open_attempt(site, language, kind)
        page.goto(site.url(f"/attempts/{attempt}/q/1"))
        yield f"question-{kind}"
        answer_in_browser(page)
        yield f"feedback-{kind}"
        if kind == "mcq":
            # The source opened from feedback: its evidence marked, a way back to the question.
            click_through(page, page.locator("figure.source figcaption a").first)
            yield "source-from-feedback"
        _drop_attempt(site, attempt)
    page.goto(site.url(f"/attempts/{site.timed_attempt}/q/1"))
    yield "question-timed"
    click_through(page, page.locator(".finish-link a"))
    yield "quiz-finish"
    page.goto(site.url(f"/attempts/{site.finished_attempt}"))
    yield "results"
    page.goto(site.url("/history"))
    yield "history"
    page.goto(site.url("/practice"))
    yield "practice"
    page.goto(site.url(f"/practice/romania-ww2/{language}"))
    yield "practice-bank"
    page.goto(site.url("/classes"))
    yield "my-classes"
    page.goto(site.url(f"/classes/{site.class_id}"))
    yield "class-joined"
    page.goto(site.url(f"/assignments/{site.assignment_id}"))
    yield "assignment-learner"
    # A question of its own per language: each pass answers one.
    position = LANGUAGES.index(language) + 1
    page.goto(site.url(f"/attempts/{site.assignment_attempt}/q/{position}"))
    answer_in_browser(page)
    yield "assignment-answer-recorded"
    page.goto(site.url("/live"))
    yield "live-join"
    page.goto(site.url(f"/live/{site.live_pin}/play"))
    yield "live-play"
    page.goto(site.url("/join"))
    yield "join"
    page.goto(site.url(f"/join/{site.other_class_code}"))
    yield "join-link"
    page.goto(site.url("/sources"))
    yield "sources"
    page.goto(site.url("/sources/" + _first_document(site)))
    yield "source-document"
    page.goto(site.url(f"/banks/romania-ww2/read/{language}"))
    yield "reader"
    page.locator("a.fact-ref").first.click()
    page.locator("#fact-panel").wait_for()
    yield "reader-fact"
    page.goto(site.url(f"/banks/romania-ww2/timeline/{language}"))
    yield "timeline"
    page.goto(site.url("/password"))
    yield "password"
    page.goto(site.url("/account"))
    yield "account"
    page.goto(site.url("/api/v1/reference"))
    yield "api-reference"


def teacher_stops(page, site: Site, language: str) -> Iterator[str]:
    """A teacher's (and admin's) pages: banks, sources, facts, questions, imports, classes,
    an assignment and its reports, what a class is forgetting, learners."""
    lesson, source = site.lesson_slug, site.lesson_source
    page.goto(site.url("/"))
    yield "home"
    page.goto(site.url("/teach/"))
    yield "teach-banks"
    page.goto(site.url(f"/teach/banks/{lesson}"))
    yield "teach-bank"
    page.goto(site.url("/teach/banks/romania-ww2"))
    yield "teach-site-bank"
    page.goto(site.url(f"/teach/banks/{lesson}/edit"))
    yield "teach-bank-form"
    page.goto(site.url(f"/teach/banks/{lesson}/delete"))
    yield "teach-bank-delete"
    page.goto(site.url(f"/teach/sources/{source}"))
    yield "teach-source"
    page.goto(site.url(f"/teach/sources/{source}/edit"))
    yield "teach-source-edit"
    page.goto(site.url(f"/teach/banks/{lesson}/sources/new"))
    yield "teach-source-form"
    page.goto(site.url(f"/teach/sources/{source}/suggestions"))
    yield "teach-suggestions"
    page.goto(site.url(f"/teach/facts/{site.fact_id}"))
    yield "teach-fact"
    page.goto(site.url(f"/teach/facts/{site.fact_id}/edit"))
    yield "teach-fact-form"
    page.goto(site.url(f"/teach/banks/{lesson}/facts/new"))
    yield "teach-fact-new"
    for kind in ("mcq", "numeric", "match"):
        page.goto(site.url(f"/teach/banks/{lesson}/questions/new?type={kind}"))
        yield f"teach-question-{kind}"
    page.goto(site.url(f"/teach/questions/{site.question_id}/edit"))
    yield "teach-question-edit"
    page.goto(site.url(f"/teach/banks/{lesson}/import"))
    yield "teach-import"
    assert site.gift_file is not None
    page.set_input_files("input[name=file]", str(site.gift_file))
    click_through(page, page.locator("main form.editor button[type=submit]"))
    yield "teach-import-preview"
    page.goto(site.url("/classes"))
    yield "classes"
    page.goto(site.url(f"/classes/{site.class_id}"))
    yield "class"
    page.goto(site.url(f"/classes/{site.class_id}/assignments/new"))
    yield "assignment-new"
    page.goto(site.url(f"/assignments/{site.assignment_id}"))
    yield "assignment-teacher"
    reported = f"/assignments/{site.report_assignment_id}/report"
    page.goto(site.url(reported))
    yield "assignment-report"
    page.goto(site.url(f"{reported}/misses"))
    yield "assignment-misses"
    page.goto(site.url(f"{reported}/items"))
    yield "assignment-items"
    page.goto(site.url(f"/classes/{site.class_id}/gradebook"))
    yield "gradebook"
    page.goto(site.url(f"/classes/{site.class_id}/memory"))
    yield "class-memory"
    # A fading fact's passage: the source with its evidence marked and the way back.
    click_through(page, page.locator("table.fading-facts a").first)
    yield "source-of-fading-fact"
    page.goto(site.url("/live/new"))
    yield "live-new"
    page.goto(site.url(f"/live/games/{site.live_game_id}/screen"))
    yield "live-screen-question"
    page.goto(site.url(f"/live/games/{site.live_reveal_id}/screen"))
    yield "live-screen-reveal"
    page.goto(site.url(f"/live/games/{site.live_reveal_id}/results"))
    yield "live-results"
    page.goto(site.url(f"/history/{site.student_id}"))
    yield "learner-history"
    page.goto(site.url(f"/attempts/{site.finished_attempt}"))
    yield "learner-results"
    page.goto(site.url("/admin/users"))
    yield "admin-users"
    row = page.locator("tr", has=page.locator(f"th:text-is('{SPARE}')"))
    click_through(page, row.locator("form[action$='/password'] button"))
    yield "admin-password"


def open_attempt(site: Site, language: str, kind: str) -> int:
    """A new attempt of the learner whose first question is of type `kind` (in `language`
    when the bank makes that type in it)."""
    from quizapp.extensions import db
    from quizapp.models import Bank, User
    from quizapp.services import attempts

    with site.app.app_context():
        student = db.session.get(User, site.student_id)
        slug = site.lesson_slug if kind == "multi" else "romania-ww2"
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
        try:
            attempt = _start(student, bank, language, 5, [kind])
        except attempts.QuizError:
            attempt = _start(student, bank, "en", 5, [kind])
        db.session.commit()
        return attempt.id


def _drop_attempt(site: Site, attempt_id: int) -> None:
    """Delete an attempt made for one stop, so that home and history show only the others."""
    from quizapp.extensions import db
    from quizapp.models import Attempt

    with site.app.app_context():
        db.session.delete(db.session.get(Attempt, attempt_id))
        db.session.commit()


def _first_document(site: Site) -> str:
    from quizapp.extensions import db
    from quizapp.models import Source

    with site.app.app_context():
        return db.session.scalar(
            db.select(Source.slug).where(Source.managed_in == "folder").order_by(Source.id)
        )


STOPS = {"visitor": visitor_stops, "student": student_stops, "teacher": teacher_stops}
USERS = {"student": STUDENT, "teacher": TEACHER}
