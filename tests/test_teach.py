"""View tests: the teachers' area (banks, sources, facts, questions) and its rules."""

from __future__ import annotations

import io
import re

import pytest

from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, Fact, Passage, Source
from tests.quiz_helpers import frozen, right_answer_form

LESSON = """Romania joined the Axis on 23 November 1940, under Marshal Ion Antonescu.

The Iași pogrom of June 1941 killed at least 13,266 Jews.

King Michael led the coup of 23 August 1944 that deposed Antonescu."""


def _create_bank(client, slug="lesson", languages=("en",)):
    data = {
        "slug": slug,
        "title_en": "Next week's lesson",
        "title_es": "La lección",
        "description_en": "A short bank.",
        "languages": list(languages),
        "subject": "history",
        "licence": "CC BY-SA 4.0",
    }
    response = client.post("/teach/banks", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def _add_source(client, slug="lesson", text=LESSON, title="The lesson text"):
    data = {
        "title": title,
        "language": "en",
        "text": text,
        "origin": "my notes",
        "licence": "CC BY 4.0",
        "attribution": "A. Teacher",
    }
    response = client.post(f"/teach/banks/{slug}/sources/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def _passage_id(app, source_slug, anchor):
    with app.app_context():
        return db.session.scalar(
            db.select(Passage.id)
            .join(Source)
            .where(Source.slug == source_slug, Passage.anchor == anchor)
        )


def _add_fact(client, app, source_slug, anchor="p1", **overrides):
    data = {
        "passage_id": str(_passage_id(app, source_slug, anchor)),
        "evidence": "Romania joined the Axis on 23 November 1940",
        "statement": "Romania joined the Axis on 23 November 1940.",
        "answer": "23 November 1940",
        "kind": "date",
        "stems": "On what date did Romania join the Axis?",
        "alternatives": "November 23, 1940",
        "label": "Romania joins the Axis",
        "topic": "axis-entry-date",
    }
    data.update(overrides)
    return client.post("/teach/banks/lesson/facts/new", data=data)


def test_students_get_403_in_the_teachers_area(student_client):
    for url in ("/teach/", "/teach/banks/romania-ww2", "/teach/banks/romania-ww2/import"):
        assert student_client.get(url).status_code == 403
    assert student_client.post("/teach/banks", data={}).status_code == 403


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/teach/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_teacher_creates_a_bank_that_learners_see_once_published_and_able(teacher_client, client):
    _create_bank(teacher_client)
    page = teacher_client.get("/teach/").get_data(as_text=True)
    mine = page[page.index("My banks") : page.index("Shared with me")]
    assert "Next week&#39;s lesson" in mine and "not published" in mine
    # Empty, it cannot make a quiz: nobody is offered it yet, not even its owner.
    assert "Next week&#39;s lesson" not in teacher_client.get("/").get_data(as_text=True)
    data = _question_data("short", stem="Which city saw the 1941 pogrom?")
    data["choices-0-text"] = "Iași"
    response = teacher_client.post("/teach/banks/lesson/questions/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Next week&#39;s lesson" in teacher_client.get("/").get_data(as_text=True)
    assert "Next week&#39;s lesson" not in client.get("/").get_data(as_text=True)  # unpublished
    assert teacher_client.post("/teach/banks/lesson/publish").status_code == 302
    assert "Next week&#39;s lesson" in client.get("/").get_data(as_text=True)


def test_bank_form_errors_rerender(teacher_client):
    response = teacher_client.post("/teach/banks", data={"languages": ["en"], "title_en": ""})
    assert response.status_code == 400
    assert "Give a title in each language of the bank." in response.get_data(as_text=True)
    _create_bank(teacher_client)
    again = teacher_client.post(
        "/teach/banks", data={"slug": "lesson", "languages": ["en"], "title_en": "X"}
    )
    assert again.status_code == 400 and "exists already" in again.get_data(as_text=True)


def test_pasted_text_is_split_into_passages_with_ids(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    page = teacher_client.get(f"/teach/sources/{slug}").get_data(as_text=True)
    for anchor in ("p1", "p2", "p3"):
        assert f"{slug}#{anchor}" in page
    assert "13,266" in page


def test_an_uploaded_markdown_file_becomes_a_source(app, teacher_client):
    _create_bank(teacher_client)
    data = {
        "title": "Uploaded",
        "language": "en",
        "text": "",
        "upload": (io.BytesIO(LESSON.encode("utf-8")), "lesson.md"),
        "origin": "file",
        "licence": "CC0",
        "attribution": "me",
    }
    response = teacher_client.post(
        "/teach/banks/lesson/sources/new", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    with app.app_context():
        source = db.session.scalar(db.select(Source).where(Source.title == "Uploaded"))
        assert len(source.passages) == 3


def test_a_file_that_is_not_utf8_is_refused_with_a_message(app, teacher_client):
    _create_bank(teacher_client)
    data = {
        "title": "Latin-1",
        "language": "en",
        "upload": (io.BytesIO("Iași é".encode("latin-1", errors="replace")), "bad.txt"),
        "origin": "file",
        "licence": "CC0",
        "attribution": "me",
    }
    response = teacher_client.post(
        "/teach/banks/lesson/sources/new", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Source).where(Source.title == "Latin-1")) is None


@pytest.mark.settings(MAX_CONTENT_LENGTH=2048)
def test_an_upload_over_the_limit_gets_a_413_that_says_the_limit(teacher_client):
    _create_bank(teacher_client)
    data = {
        "title": "Big",
        "language": "en",
        "upload": (io.BytesIO(b"x" * 10_000), "big.txt"),
        "origin": "o",
        "licence": "l",
        "attribution": "a",
    }
    response = teacher_client.post(
        "/teach/banks/lesson/sources/new", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert "2 KB" in response.get_data(as_text=True)


def test_a_fact_with_verbatim_evidence_is_saved_and_previewed(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    response = _add_fact(teacher_client, app, slug)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = teacher_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<mark>Romania joined the Axis on 23 November 1940</mark>" in page
    assert "Preview" in page and "Multiple choice" in page and "Fill in the blank" in page
    assert "<dt>mcq</dt>" not in page and "<dt>cloze</dt>" not in page  # types in words
    with app.app_context():
        fact = db.session.scalar(db.select(Fact).where(Fact.managed_in == "browser"))
        assert fact.evidence_start == 0 and fact.managed_in == "browser"


def test_a_fact_keeps_its_category_grammar_event_and_false_statements(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    false = "Romania joined the Axis on 23 November 1941."
    response = _add_fact(
        teacher_client,
        app,
        slug,
        category="treaty-date",
        event="y",
        false_statements=false,
        skip_types=["cloze", "mcq"],
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        fact = db.session.scalar(db.select(Fact).where(Fact.managed_in == "browser"))
        assert fact.category == "treaty-date" and fact.is_event
        assert fact.false_statements == [false] and fact.number == "singular"
        assert fact.skip_types == ["cloze", "mcq"]
        fact_id = fact.id
    form = teacher_client.get(f"/teach/facts/{fact_id}/edit").get_data(as_text=True)
    assert 'value="treaty-date"' in form and false in form
    assert 'checked id="skip_types-0" name="skip_types" type="checkbox" value="mcq"' in form
    bogus = _add_fact(teacher_client, app, slug, skip_types=["essay"])
    assert bogus.status_code == 400  # not a choice: refused, with the form kept
    assert 'list="categories-date"' in form and '<datalist id="categories-person">' in form
    assert '<option value="general">' in form  # the documented taxonomy is suggested
    refused = _add_fact(teacher_client, app, slug, category="Not A Slug", event="y")
    assert refused.status_code == 400
    assert "lowercase letters, digits and hyphens" in refused.get_data(as_text=True)
    person = _add_fact(
        teacher_client, app, slug, event="y", kind="person", answer="Romania",
        statement="Romania joined the Axis.", stems="Who joined the Axis?", alternatives="",
    )  # fmt: skip
    assert "event: true only marks date and year facts" in person.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"evidence": "Romania joined the Axis in 1940"}, "word for word"),
        ({"stems": "Did Romania join the Axis on 23 November 1940?"}, "gives its answer away"),
        ({"statement": "Romania joined the Axis."}, "does not contain the answer"),
        (
            {"answer": "1 May 1941", "statement": "It was 1 May 1941.", "alternatives": ""},
            "not supported",
        ),
    ],
)
def test_bad_facts_are_refused_with_the_reason(app, teacher_client, changes, message):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    response = _add_fact(teacher_client, app, slug, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Fact.id)).where(Fact.bank_id > 1)) == 0


def test_editing_a_source_keeps_moves_and_flags_facts(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    assert _add_fact(teacher_client, app, slug).status_code == 302
    assert (
        _add_fact(
            teacher_client,
            app,
            slug,
            anchor="p2",
            evidence="killed at least 13,266 Jews",
            statement="The Iași pogrom killed at least 13,266 Jews.",
            answer="13,266",
            kind="number",
            stems="How many Jews did the Iași pogrom kill, at least?",
            alternatives="",
            label="",
            topic="iasi-victims",
        ).status_code
        == 302
    )
    assert (
        _add_fact(
            teacher_client,
            app,
            slug,
            anchor="p3",
            evidence="King Michael led the coup",
            statement="King Michael led the coup of 1944.",
            answer="King Michael",
            kind="person",
            stems="Who led the coup of 1944?",
            alternatives="",
            label="leader of the 1944 coup",
            topic="coup-leader",
        ).status_code
        == 302
    )
    edit_page = teacher_client.get(f"/teach/sources/{slug}/edit").get_data(as_text=True)
    assert "{#p1}" in edit_page
    new_text = (
        "{#p1}\nIn the autumn of 1940, Romania joined the Axis on 23 November 1940, "
        "under Marshal Ion Antonescu.\n\n"
        "{#p2}\nThe Iași pogrom of June 1941 killed thousands of Jews.\n\n"
        "{#p3}\nKing Michael led the coup of 23 August 1944 that deposed Antonescu.\n\n"
        "A new paragraph without an id."
    )
    response = teacher_client.post(
        f"/teach/sources/{slug}/edit",
        data={
            "title": "The lesson text",
            "text": new_text,
            "origin": "my notes",
            "licence": "CC BY 4.0",
            "attribution": "A. Teacher",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "1 facts unchanged, 1 re-anchored, 1 flagged for review" in page
    with app.app_context():
        facts = {f.topic: f for f in db.session.scalars(db.select(Fact).where(Fact.bank_id > 1))}
        moved = facts["axis-entry-date"]
        assert moved.passage.text[moved.evidence_start : moved.evidence_end] == moved.evidence_text
        assert facts["iasi-victims"].needs_review and not facts["iasi-victims"].retired
        assert not facts["coup-leader"].needs_review
        anchors = db.session.scalars(
            db.select(Passage.anchor).join(Source).where(Source.slug == slug)
        ).all()
        assert sorted(anchors) == ["p1", "p2", "p3", "p4"]
    bank_page = teacher_client.get("/teach/banks/lesson").get_data(as_text=True)
    assert "needs review" in bank_page


def _question_data(kind, **extra):
    data = {"type": kind, "language": "en", "text_format": "plain", "passage_id": "0"}
    data.update(extra)
    return data


def test_hand_written_questions_of_every_type_are_saved_and_taken(app, teacher_client, client):
    from tests.conftest import log_in, make_user

    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    passage = str(_passage_id(app, slug, "p3"))
    questions = [
        _question_data(
            "mcq",
            stem="Who led the 1944 coup?",
            passage_id=passage,
            **{
                "choices-0-text": "King Michael",
                "choices-0-weight": "100",
                "choices-0-feedback": "Yes: the king himself.",
                "choices-1-text": "Ion Antonescu",
                "choices-1-feedback": "No: he was deposed.",
                "choices-2-text": "Carol II",
            },
        ),
        _question_data(
            "multi",
            stem="Which were Axis members?",
            **{
                "choices-0-text": "Romania",
                "choices-0-weight": "50",
                "choices-1-text": "Hungary",
                "choices-1-weight": "50",
                "choices-2-text": "Sweden",
                "choices-2-weight": "-50",
            },
        ),
        _question_data("tf", stem="The coup was in 1944.", is_true="true"),
        _question_data(
            "short", stem="Which city saw the 1941 pogrom?", **{"choices-0-text": "Iași"}
        ),
        _question_data(
            "numeric",
            # (Not the coup's year, nor naming Iași: the true/false statement and the pairs
            # name the year, Iași answers the short question, and a set never holds a
            # question whose answer another one shows.)
            stem="How many days did the pogrom last?",
            **{"numeric-0-value": "8", "numeric-0-tolerance": "0"},
        ),
        _question_data(
            "match",
            stem="Match each event to its year.",
            **{
                "pairs-0-left": "Axis entry",
                "pairs-0-right": "1940",
                "pairs-1-left": "Pogrom",
                "pairs-1-right": "1941",
                "pairs-2-left": "Coup",
                "pairs-2-right": "1944",
            },
        ),
    ]
    for data in questions:
        response = teacher_client.post("/teach/banks/lesson/questions/new", data=data)
        assert response.status_code == 302, (data["type"], response.get_data(as_text=True))
    with app.app_context():
        stored = db.session.scalars(
            db.select(AuthoredQuestion).where(AuthoredQuestion.bank_id > 1)
        ).all()
        assert sorted(q.question_type for q in stored) == sorted(
            ["mcq", "multi", "tf", "short", "numeric", "match"]
        )
        bank_id = db.session.scalar(db.select(Bank.id).where(Bank.slug == "lesson"))
    assert teacher_client.post("/teach/banks/lesson/publish").status_code == 302
    make_user(app, "learner")
    learner = log_in(app.test_client(), "learner")
    response = learner.post(
        "/banks/lesson/start",
        data={
            f"b{bank_id}-language": "en",
            f"b{bank_id}-count": "6",
            f"b{bank_id}-types": ["mcq", "multi", "tf", "short", "numeric", "match"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    items = frozen(app, attempt_id)
    assert sorted(q["type"] for q in items.values()) == sorted(
        ["mcq", "multi", "tf", "short", "numeric", "match"]
    )
    for position, question in items.items():
        url = f"/attempts/{attempt_id}/q/{position}"
        assert learner.get(url).status_code == 200
        if question["type"] == "multi":
            form = {"answer": [str(question["options"].index(k)) for k in question["key"]]}
        else:
            form = right_answer_form(question)
        assert learner.post(url, data=form).status_code == 302
        page = learner.get(url).get_data(as_text=True)
        assert 'class="verdict right"' in page, (question["type"], page[-2000:])
        if question["type"] == "mcq":
            assert "Yes: the king himself." in page and "<mark>" not in page
            assert "King Michael led the coup" in page  # the linked passage is shown


def test_weighted_answers_earn_partial_points(app, teacher_client):
    from quizapp.core.authored import AuthoredQuestion as Authored
    from quizapp.core.authored import Choice, as_question
    from quizapp.core.question_types import check_answer

    question = Authored(
        type="multi",
        stem="Which were Axis members?",
        choices=[
            Choice("Romania", True, 50),
            Choice("Hungary", True, 50),
            Choice("Sweden", False, -50),
        ],
    )
    import random

    frozen_question = as_question(
        question, random.Random(1), question_id="q", language="en", source=None
    )
    assert check_answer(frozen_question, ["Romania", "Hungary"]).correct
    half = check_answer(frozen_question, ["Romania"])
    assert not half.correct and half.points == pytest.approx(0.5)
    assert check_answer(frozen_question, ["Romania", "Sweden"]).points == pytest.approx(0.0)


def test_a_question_without_a_passage_gets_proposals_from_full_text_search(app, teacher_client):
    _create_bank(teacher_client)
    _add_source(teacher_client)
    data = _question_data(
        "short", stem="How many Jews were killed in the Iași pogrom?"
    )  # no answer: the form comes back with proposals
    response = teacher_client.post("/teach/banks/lesson/questions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "needs at least one accepted answer" in page
    assert "match this question best" in page
    proposals = page[page.index("match this question best") :]
    assert proposals.index("#p2") < proposals.index("</ol>")


def test_a_bank_with_attempts_is_archived_not_deleted(app, teacher_client, student_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    assert _add_fact(teacher_client, app, slug).status_code == 302
    for number in range(5):
        data = _question_data("tf", stem=f"Statement number {number} is true.", is_true="true")
        response = teacher_client.post("/teach/banks/lesson/questions/new", data=data)
        assert response.status_code == 302
    teacher_client.post("/teach/banks/lesson/publish")
    with app.app_context():
        bank_id = db.session.scalar(db.select(Bank.id).where(Bank.slug == "lesson"))
    form = {f"b{bank_id}-language": "en", f"b{bank_id}-count": "5", f"b{bank_id}-types": ["tf"]}
    assert student_client.post("/banks/lesson/start", data=form).status_code == 302
    page = teacher_client.get("/teach/banks/lesson/delete").get_data(as_text=True)
    assert "Delete" in page
    response = teacher_client.post("/teach/banks/lesson/delete", follow_redirects=True)
    assert "archived" in response.get_data(as_text=True)
    with app.app_context():
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == "lesson"))
        assert bank is not None and bank.archived
    assert f'id="bank-{bank_id}"' not in student_client.get("/").get_data(as_text=True)
    assert "/attempts/" in student_client.get("/history").get_data(as_text=True)
    assert student_client.post("/banks/lesson/start", data=form).status_code == 404
    teacher_client.post("/teach/banks/lesson/restore")
    assert f'id="bank-{bank_id}"' in student_client.get("/").get_data(as_text=True)


def test_a_bank_without_attempts_is_deleted(app, teacher_client):
    _create_bank(teacher_client)
    _add_source(teacher_client)
    teacher_client.post("/teach/banks/lesson/delete")
    with app.app_context():
        assert db.session.scalar(db.select(Bank).where(Bank.slug == "lesson")) is None
        assert db.session.scalar(db.select(Source).where(Source.title == "The lesson text")) is None


def test_imported_and_edited_text_is_escaped(app, teacher_client):
    _create_bank(teacher_client)
    data = _question_data(
        "short",
        stem="<script>alert(1)</script> Which city?",
        **{"choices-0-text": "Iași"},
    )
    response = teacher_client.post("/teach/banks/lesson/questions/new", data=data)
    assert response.status_code == 302
    page = teacher_client.get("/teach/banks/lesson").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_html_text_is_sanitised_with_an_allow_list():
    from quizapp.web.setup import rich_text

    html = rich_text('<p onclick="x()">Hi <b>there</b><script>alert(1)</script></p>', "html")
    assert "<b>there</b>" in html and "<script" not in html and "onclick" not in html
    assert str(rich_text("*bold*", "markdown")) == "<p><em>bold</em></p>"
    assert "&lt;b&gt;" in str(rich_text("<b>plain</b>", "plain"))


def test_suggested_facts_are_listed_rejected_and_accepted(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    page = teacher_client.get(f"/teach/sources/{slug}/suggestions").get_data(as_text=True)
    assert "23 November 1940" in page and "13,266" in page and "Draft question" in page
    accept = re.search(r'href="(/teach/banks/lesson/facts/new\?[^"]*answer=13,266[^"]*)"', page)
    assert accept, "an accept link prefilled with the suggestion"
    form = teacher_client.get(accept.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert 'value="13,266"' in form
    teacher_client.post(
        f"/teach/sources/{slug}/suggestions/reject", data={"passage": "p2", "answer": "13,266"}
    )
    page = teacher_client.get(f"/teach/sources/{slug}/suggestions").get_data(as_text=True)
    assert "<strong>13,266</strong>" not in page and "<strong>23 November 1940</strong>" in page
    assert _add_fact(teacher_client, app, slug).status_code == 302
    page = teacher_client.get(f"/teach/sources/{slug}/suggestions").get_data(as_text=True)
    assert "<strong>23 November 1940</strong>" not in page  # now a fact: no longer suggested


def test_suggestions_carry_their_category_and_survive_long_runs_of_spaces(app, teacher_client):
    _create_bank(teacher_client)
    # A long run of spaces inside a sentence used to make drafting the question quadratic.
    text = (
        "In June 1941 Romania invaded the Soviet Union"
        + " " * 60_000
        + "with Germany, and Marshal Ion Antonescu led it."
    )
    slug = _add_source(teacher_client, text=text)
    page = teacher_client.get(f"/teach/sources/{slug}/suggestions").get_data(as_text=True)
    assert "<strong>Soviet Union</strong>" in page and "(place: country," in page
    accept = re.search(r'href="(/teach/banks/lesson/facts/new\?[^"]*answer=Soviet[^"]*)"', page)
    assert accept and "category=country" in accept.group(1)
    assert "which marshal" in page and "Marshal who" not in page
