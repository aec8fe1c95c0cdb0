"""View tests of the teachers' pages as a teacher uses them (issue 10, points 11 and 12): types in
words, right answers ticked, each type's fields without a save, the import preview, suggestions in
bulk, the fact form's hints, a learner's attempt read by a teacher, curators' notes on sources."""

from __future__ import annotations

import io
import re
from html import unescape
from html.parser import HTMLParser

import pytest

from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, Fact, Source, User
from quizapp.services import authoring, permissions
from quizapp.services import suggestions as suggesting
from tests.conftest import csrf_token, log_in, make_class, make_user
from tests.quiz_helpers import frozen, right_answer_form, start, wrong_answer_form
from tests.test_teach import _add_fact, _add_source, _create_bank, _question_data


class _FormReader(HTMLParser):
    """The fields a browser would send from the page's form bearing `marker` (no JavaScript)."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker
        self.fields: list[tuple[str, str]] = []
        self.inside = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.marker in attrs
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((attrs["name"], attrs.get("value", "y")))
            elif kind not in ("submit", "file"):
                self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def _form_fields(page: str, marker: str = "data-question-editor") -> dict[str, list[str]]:
    reader = _FormReader(marker)
    reader.feed(page)
    fields: dict[str, list[str]] = {}
    for name, value in reader.fields:
        fields.setdefault(name, []).append(unescape(value))
    return fields


def _stored(app, question_id: int) -> Authored:
    with app.app_context():
        return Authored.from_dict(db.session.get(AuthoredQuestion, question_id).data)


def _new_question(client, data) -> int:
    response = client.post("/teach/banks/lesson/questions/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].split("/")[-2])


def _choices(prefix_rows: list[dict]) -> dict[str, str]:
    data = {}
    for index, row in enumerate(prefix_rows):
        for key, value in row.items():
            data[f"choices-{index}-{key}"] = value
    return data


# ---------------------------------------------------------------------------------------------
# Types in words


def test_question_types_and_kinds_are_named_in_words(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    assert _add_fact(teacher_client, app, slug).status_code == 302
    _new_question(
        teacher_client,
        _question_data("tf", stem="The coup was in 1944.", is_true="true"),
    )
    bank_page = teacher_client.get("/teach/banks/lesson").get_data(as_text=True)
    assert '<td data-label="Type">True or false</td>' in bank_page
    assert ">tf<" not in bank_page
    assert ">English<" in bank_page  # languages in words too
    with app.app_context():
        fact_id = db.session.scalar(db.select(Fact.id).where(Fact.answer == "23 November 1940"))
    fact_page = teacher_client.get(f"/teach/facts/{fact_id}").get_data(as_text=True)
    previews = fact_page[fact_page.index("Preview") :]
    assert "<dt>Multiple choice</dt>" in previews and "<dt>True or false</dt>" in previews
    assert not re.search(r"<dt>(mcq|tf|cloze|short|numeric|order|match|multi)</dt>", previews)
    spanish = teacher_client.get(
        f"/teach/facts/{fact_id}", headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert "<dt>Opción múltiple</dt>" in spanish


# ---------------------------------------------------------------------------------------------
# Right answers ticked, weights advanced


def test_ticks_become_weights_an_equal_share_on_multiple_answers():
    ticks = authoring.weights_from_ticks
    assert ticks("mcq", [(True, None), (False, None), (False, None)]) == [100, 0, 0]
    assert ticks("mcq", [(True, None), (False, -25.0), (True, 50.0)]) == [100, -25, 50]
    assert ticks("multi", [(True, None), (True, None), (False, None)]) == [50, 50, 0]
    assert ticks("multi", [(True, 50.0), (True, None), (True, None)]) == [50, 25, 25]
    assert ticks("short", [(False, None), (False, None)]) == [100, 100]  # no tick: all accepted
    assert ticks("short", [(True, None), (False, None)]) == [100, 0]
    for kind, weights in [
        ("mcq", [100, 0, 50]),
        ("multi", [100 / 3] * 3 + [-50]),
        ("multi", [50, 25, 25]),
        ("short", [100, 0]),
    ]:
        rows = authoring.ticks_from_weights(kind, weights)
        assert ticks(kind, rows) == pytest.approx(weights)
    assert authoring.ticks_from_weights("multi", [50, 25, 25]) == [
        (True, 50),
        (True, None),
        (True, None),
    ]


@pytest.mark.parametrize(
    ("kind", "rows", "fractions", "shown_weights"),
    [
        (
            "mcq",
            [{"text": "King Michael", "right": "y"}, {"text": "Carol II"}, {"text": "Antonescu"}],
            [1, 0, 0],
            [],
        ),
        (
            "mcq",
            [
                {"text": "King Michael", "right": "y", "feedback": "Yes."},
                {"text": "Carol II", "weight": "50"},
                {"text": "Antonescu", "weight": "-25"},
            ],
            [1, 0.5, -0.25],
            ["50", "-25"],
        ),
        (
            "multi",
            [
                {"text": "Romania", "right": "y"},
                {"text": "Hungary", "right": "y"},
                {"text": "Bulgaria", "right": "y"},
                {"text": "Sweden"},
            ],
            [1 / 3, 1 / 3, 1 / 3, 0],
            [],
        ),
        (
            "short",
            [{"text": "Iași", "right": "y"}, {"text": "Bucharest", "feedback": "No: Iași."}],
            [1, 0],
            [],
        ),
    ],
)
def test_right_answers_are_ticked_and_come_back_ticked(
    app, teacher_client, kind, rows, fractions, shown_weights
):
    _create_bank(teacher_client)
    question_id = _new_question(
        teacher_client, _question_data(kind, stem="Which one?", **_choices(rows))
    )
    stored = _stored(app, question_id)
    assert [c.fraction() for c in stored.choices] == pytest.approx(fractions)
    assert [c.correct for c in stored.choices] == [f > 0 for f in fractions]

    page = teacher_client.get(f"/teach/questions/{question_id}/edit").get_data(as_text=True)
    fields = _form_fields(page)
    ticked = [f"choices-{i}-right" in fields for i in range(len(rows))]
    assert ticked == [f > 0 for f in fractions]
    weights = [fields[f"choices-{i}-weight"][0] for i in range(len(rows))]
    assert [w for w in weights if w] == shown_weights  # only weights a tick does not give
    assert ('class="weights-toggle" open' in page) == bool(shown_weights)

    # Saved again as shown, the question is unchanged.
    response = teacher_client.post(f"/teach/questions/{question_id}/edit", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    again = _stored(app, question_id)
    assert [c.fraction() for c in again.choices] == pytest.approx(fractions)
    assert [(c.text, c.feedback) for c in again.choices] == [
        (c.text, c.feedback) for c in stored.choices
    ]


def test_an_imported_question_with_many_options_keeps_them_all_when_edited(app, teacher_client):
    _create_bank(teacher_client)
    options = " ".join(["=Romania"] + [f"~Country {n}" for n in range(1, 9)])
    gift = f"Which country joined the Axis in November 1940? {{{options}}}\n"
    response = teacher_client.post(
        "/teach/banks/lesson/import",
        data={
            "file": (io.BytesIO(gift.encode()), "many.gift"),
            "file_format": "gift",
            "language": "en",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert teacher_client.post(response.headers["Location"]).status_code == 302
    with app.app_context():
        question_id = db.session.scalar(db.select(AuthoredQuestion.id))
    page = teacher_client.get(f"/teach/questions/{question_id}/edit").get_data(as_text=True)
    fields = _form_fields(page)
    assert fields["choices-8-text"] == ["Country 8"]
    assert "choices-0-right" in fields and "choices-1-right" not in fields
    assert (
        teacher_client.post(f"/teach/questions/{question_id}/edit", data=fields).status_code == 302
    )
    assert len(_stored(app, question_id).choices) == 9


# ---------------------------------------------------------------------------------------------
# Each type's fields without a save


def test_show_fields_for_this_type_shows_them_and_keeps_what_was_typed(app, teacher_client):
    _create_bank(teacher_client)
    data = _question_data(
        "tf",
        stem="Romania joined the Axis in 1940.",
        show_fields="1",
        **_choices([{"text": "typed before", "right": "y"}]),
    )
    response = teacher_client.post("/teach/banks/lesson/questions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please correct" not in page  # nothing was checked
    tf = re.search(r'<fieldset data-types="tf"( hidden)?>', page)
    choices = re.search(
        r'<fieldset class="answer-rows" data-types="mcq multi short"( hidden)?>', page
    )
    assert tf and not tf.group(1), "the true/false fields are shown"
    assert choices and choices.group(1), "the options are hidden, not dropped"
    assert 'value="typed before"' in page and "Romania joined the Axis in 1940." in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuthoredQuestion.id))) == 0
    # Back to multiple choice: the options typed are there, the tick too.
    data["type"] = "mcq"
    page = teacher_client.post("/teach/banks/lesson/questions/new", data=data).get_data(
        as_text=True
    )
    assert re.search(r'<fieldset class="answer-rows" data-types="mcq multi short">', page)
    assert "choices-0-right" in _form_fields(page)


def test_every_type_has_its_fields_in_the_page_for_the_script(teacher_client):
    _create_bank(teacher_client)
    page = teacher_client.get("/teach/banks/lesson/questions/new?type=numeric").get_data(
        as_text=True
    )
    for types in ("mcq multi short", "tf", "numeric", "match"):
        assert f'data-types="{types}"' in page
    assert 'data-types="numeric">' in page  # the chosen type's fields are not hidden
    assert "teach.js" in page and "Show fields for this type" in page


# ---------------------------------------------------------------------------------------------
# Import preview

PREVIEW_GIFT = """::Coup::Who led the 1944 coup? {
=King Michael#Yes, the king himself.
~%50%Carol II#Half: his father.
~Ion Antonescu#No: he was deposed.
####He acted with the opposition parties.}

Romania joined the Axis in 1940. {TRUE#Right.#It did, in November.}

In what year was the coup? {#=1944:0#Exactly. =%50%1943..1945#Close.}

Match each event to its year. {=Axis entry -> 1940 =Coup -> 1944 =Pogrom -> 1941}

Write an essay about the war. {}
"""


def test_the_import_preview_shows_every_question_as_it_will_be_imported(app, teacher_client):
    _create_bank(teacher_client)
    response = teacher_client.post(
        "/teach/banks/lesson/import",
        data={
            "file": (io.BytesIO(PREVIEW_GIFT.encode()), "old.gift"),
            "file_format": "gift",
            "language": "en",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = teacher_client.get(response.headers["Location"]).get_data(as_text=True)
    for words in ("Multiple choice", "True or false", "Numeric", "Matching", "Essay"):
        assert f"{words}</" in page, words
    # Answers, the right ones marked, partial credit and every feedback.
    assert re.search(r"✓ right</span>\s*King Michael", page)
    assert re.search(r"◐ partly right</span>\s*Carol II", page) and "(weight 50%)" in page
    assert re.search(r"✗ wrong</span>\s*Ion Antonescu", page)
    for feedback in (
        "Yes, the king himself.",
        "Half: his father.",
        "No: he was deposed.",
        "He acted with the opposition parties.",
        "It did, in November.",
        "Exactly.",
        "Close.",
    ):
        assert feedback in page, feedback
    assert "<strong>true</strong>" in page
    assert "1943 to 1945" in page and "<td>Pogrom</td><td>1941</td>" in page
    assert ">mcq<" not in page and ">tf<" not in page


# ---------------------------------------------------------------------------------------------
# Suggestions in bulk


def _suggestion_values(page: str) -> dict[str, str]:
    """The checkbox value of each suggestion by its answer."""
    return {
        unescape(value.split(":", 1)[1]): unescape(value)
        for value in re.findall(r'name="pick" value="([^"]+)"', page)
    }


def test_suggestions_are_accepted_and_rejected_in_bulk(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    url = f"/teach/sources/{slug}/suggestions"
    page = teacher_client.get(url).get_data(as_text=True)
    assert "Accept selected" in page and "Reject selected" in page and "Select all" in page
    assert "checked" not in page.split('<ol class="suggestions">', 1)[1]
    everything = teacher_client.get(url + "?select=all").get_data(as_text=True)
    boxes = everything.split('<ol class="suggestions">', 1)[1]
    assert boxes.count('<input type="checkbox"') == boxes.count(" checked>")
    values = _suggestion_values(page)
    assert {"23 November 1940", "13,266", "23 August 1944"} <= set(values)

    accepted = [values["23 November 1940"], values["23 August 1944"]]
    response = teacher_client.post(
        f"/teach/sources/{slug}/suggestions/selected", data={"pick": accepted, "action": "accept"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    after = teacher_client.get(url).get_data(as_text=True)
    assert "2 suggestions saved as facts." in after
    assert "<strong>23 November 1940</strong>" not in after  # now facts
    with app.app_context():
        facts = db.session.scalars(db.select(Fact).where(Fact.bank_id > 1)).all()
        assert sorted(f.answer for f in facts) == ["23 August 1944", "23 November 1940"]
        assert all(f.statement and f.stems and f.evidence_text for f in facts)

    response = teacher_client.post(
        f"/teach/sources/{slug}/suggestions/selected",
        data={"pick": [values["13,266"], values["Ion Antonescu"]], "action": "reject"},
    )
    assert response.status_code == 302
    after = teacher_client.get(url).get_data(as_text=True)
    assert "2 suggestions rejected." in after
    assert "<strong>13,266</strong>" not in after and "<strong>Ion Antonescu</strong>" not in after

    # Nothing ticked: nothing done, and the page says why.
    teacher_client.post(f"/teach/sources/{slug}/suggestions/selected", data={"action": "reject"})
    assert "Tick the suggestions first" in teacher_client.get(url).get_data(as_text=True)


def test_only_open_suggestions_are_taken_with_their_own_text(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    url = f"/teach/sources/{slug}/suggestions"
    values = _suggestion_values(teacher_client.get(url).get_data(as_text=True))
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.name == "profesora"))
        source = db.session.scalar(db.select(Source).where(Source.slug == slug))
        real = suggesting.open_suggestions(user, source)
        saved, refused = suggesting.accept_suggestions(
            user, source, [("p1", "not a suggestion"), ("p9", "23 November 1940")]
        )
        assert saved == [] and refused == []  # only open suggestions are taken, as they are
        assert len(real) == len(values)


def test_bulk_suggestions_need_the_right_to_edit_the_bank(app, teacher_client, student_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    url = f"/teach/sources/{slug}/suggestions/selected"
    pick = _suggestion_values(
        teacher_client.get(f"/teach/sources/{slug}/suggestions").get_data(as_text=True)
    )["13,266"]
    data = {"pick": [pick], "action": "accept"}
    assert student_client.post(url, data=data).status_code == 403
    make_user(app, "colega", role="teacher")
    colleague = log_in(app.test_client(), "colega")
    assert colleague.post(url, data=data).status_code == 404  # not published: not even seen
    assert teacher_client.post("/teach/banks/lesson/publish").status_code == 302
    assert colleague.post(url, data=data).status_code == 403  # seen, not editable
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.name == "colega"))
        source = db.session.scalar(db.select(Source).where(Source.slug == slug))
        for change in (suggesting.accept_suggestions, suggesting.reject_suggestions):
            with pytest.raises(permissions.Forbidden):
                change(user, source, [("p2", "13,266")])
        assert db.session.scalar(db.select(db.func.count(Fact.id)).where(Fact.bank_id > 1)) == 0


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_teachers_forms_refuse_a_post_without_its_csrf_token(app, teacher):
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={
            "name": "profesora",
            "password": "correct horse battery",
            "csrf_token": csrf_token(login),
        },
    )
    assert response.status_code == 302
    page = client.get("/teach/").get_data(as_text=True)
    token = csrf_token(page)
    response = client.post(
        "/teach/banks",
        data={"csrf_token": token, "slug": "lesson", "languages": ["en"], "title_en": "Lesson"},
    )
    assert response.status_code == 302
    response = client.post(
        "/teach/banks/lesson/sources/new",
        data={
            "csrf_token": token,
            "title": "Text",
            "language": "en",
            "text": "King Michael led the coup of 23 August 1944 that deposed Antonescu.",
            "origin": "notes",
            "licence": "CC0",
            "attribution": "me",
        },
    )
    assert response.status_code == 302
    slug = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/teach/sources/{slug}/suggestions").get_data(as_text=True)
    pick = _suggestion_values(page)["23 August 1944"]
    url = f"/teach/sources/{slug}/suggestions/selected"
    assert client.post(url, data={"pick": [pick], "action": "reject"}).status_code == 400
    form = page.split('id="suggestion-picks"', 1)[1]
    data = {"pick": [pick], "action": "reject", "csrf_token": csrf_token(form)}
    assert client.post(url, data=data).status_code == 302
    shown = {"type": "tf", "stem": "S", "language": "en", "show_fields": "1"}
    assert client.post("/teach/banks/lesson/questions/new", data=shown).status_code == 400
    shown["csrf_token"] = token
    assert client.post("/teach/banks/lesson/questions/new", data=shown).status_code == 200


# ---------------------------------------------------------------------------------------------
# Fact form hints, a learner's attempt, curators' notes


def test_every_fact_field_has_a_hint_read_with_it(teacher_client):
    _create_bank(teacher_client)
    _add_source(teacher_client)
    page = teacher_client.get("/teach/banks/lesson/facts/new").get_data(as_text=True)
    form = page.split("data-fact-editor", 1)[1].split("</form>", 1)[0]
    fields = re.findall(r"<(?:input|select|textarea)\b[^>]*>", form)
    named = [f for f in fields if 'type="hidden"' not in f and "skip_types" not in f]
    assert len(named) >= 18
    for field in named:
        described = re.search(r'aria-describedby="([^"]+)"', field)
        assert described, field
        for hint_id in described.group(1).split():
            hint = re.search(rf'id="{hint_id}">([^<]+)<', form)
            assert hint and hint.group(1).strip(), (field, hint_id)
    spanish = teacher_client.get(
        "/teach/banks/lesson/facts/new", headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert "Una por línea: otras grafías" in spanish


def test_a_teacher_reads_the_learners_answer_not_your_answer(app, student_client, teacher_client):
    attempt_id = start(student_client, count=5, types=["short"])
    for position, question in frozen(app, attempt_id).items():
        form = right_answer_form(question) if position == 1 else wrong_answer_form(question)
        student_client.post(f"/attempts/{attempt_id}/q/{position}", data=form)
    student_client.post(f"/attempts/{attempt_id}/finish")
    mine = student_client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Your answer" in mine and "Learner's answer" not in unescape(mine)
    # Only a teacher of a class the learner is in reads their attempts.
    assert teacher_client.get(f"/attempts/{attempt_id}").status_code == 404
    make_class(app, "profesora", "ana")
    response = teacher_client.get(f"/attempts/{attempt_id}")
    theirs = response.get_data(as_text=True)
    assert response.status_code == 200
    assert unescape(theirs).count("Learner's answer") == 5 and "Your answer" not in theirs


def test_curators_notes_are_shown_to_teachers_only(app, client, student_client, teacher_client):
    with app.app_context():
        source = db.session.scalar(db.select(Source).where(Source.slug == "romania-overview-en"))
        origin, cleaning = source.origin, source.cleaning
        attribution, licence = source.attribution, source.licence
    assert cleaning and origin
    note = unescape(cleaning)[:40]
    for reader in (client, student_client):
        response = reader.get("/sources/romania-overview-en")
        page = unescape(response.get_data(as_text=True))
        assert response.status_code == 200
        assert attribution in page and licence in page
        assert note not in page and origin[:40] not in page
        assert "Editing:" not in page and "Curators" not in page
    page = unescape(teacher_client.get("/sources/romania-overview-en").get_data(as_text=True))
    assert "Curators' notes (teachers only)" in page
    assert note in page and origin[:40] in page
    teachers_page = unescape(
        teacher_client.get("/teach/sources/romania-overview-en").get_data(as_text=True)
    )
    assert note in teachers_page and origin[:40] in teachers_page


def test_a_teachers_own_unpublished_source_shows_its_origin_to_its_editors_only(
    app, teacher_client
):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    page = teacher_client.get(f"/sources/{slug}").get_data(as_text=True)
    assert "Origin: my notes" in page
    make_user(app, "colega", role="teacher")
    colleague = log_in(app.test_client(), "colega")
    assert colleague.get(f"/sources/{slug}").status_code == 404  # not published
    with app.app_context():
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == "lesson"))
        assert not bank.published
