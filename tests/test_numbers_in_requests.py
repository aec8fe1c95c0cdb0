"""Numbers in requests: ids and pages out of range are 404; NaN, infinities and huge numbers
are refused with a message in every number field; unknown choices and NUL characters are form
errors or a 400, never a 500."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.authored import AuthoredQuestion, Choice, NumericAnswer, authored_problems
from quizapp.core.values import parse_decimal
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion as StoredQuestion
from quizapp.models import Bank, Fact
from quizapp.web.numbers import DB_INTEGER_MAX, BoundedIntegerConverter, whole_number
from tests.conftest import make_user
from tests.quiz_helpers import start
from tests.test_teach import _add_fact, _add_source, _create_bank

HUGE = "99999999999999999999999"
# Ids no route may take: far too large, just past the database's integer, zero, negative,
# longer than Python reads as an int, and digits that are not ASCII.
OUT_OF_RANGE_IDS = [HUGE, str(DB_INTEGER_MAX + 1), "0", "-1", "9" * 5000, "²", "١٢"]
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _int_rules(app):
    """Every route with at least one <int:...> argument, as (rule, its int argument names)."""
    found = []
    for rule in app.url_map.iter_rules():
        names = [
            name
            for name, converter in rule._converters.items()
            if isinstance(converter, BoundedIntegerConverter)
        ]
        if names:
            found.append((rule, names))
    return found


def _path(rule, values: dict[str, str]) -> str:
    return _ARGUMENT.sub(lambda m: values.get(m.group(2), "x"), rule.rule)


def test_every_int_argument_uses_the_bounded_converter(app):
    rules = _int_rules(app)
    assert {rule.endpoint for rule, _names in rules} >= {
        "quiz.question",
        "quiz.review",
        "quiz.finish",
        "history.learner",
        "teach.fact",
        "teach.edit_fact",
        "teach.retire_fact",
        "teach.edit_question",
        "teach.retire_question",
    }
    plain = [
        rule.rule
        for rule in app.url_map.iter_rules()
        for converter in rule._converters.values()
        if type(converter).__name__ == "IntegerConverter"
    ]
    assert not plain, f"routes with an unbounded int: {plain}"


@pytest.mark.parametrize("who", ["student", "teacher"])
def test_every_int_route_is_404_for_ids_out_of_range(app, who):
    from tests.conftest import log_in

    make_user(app, "someone", role=who)
    client = log_in(app.test_client(), "someone")
    attempt_id = start(client) if who == "student" else 1
    checked = 0
    for rule, names in _int_rules(app):
        for name in names:
            for bad in OUT_OF_RANGE_IDS:
                values = dict.fromkeys(names, "1") | {"attempt_id": str(attempt_id), name: bad}
                path = _path(rule, values)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = client.open(path, method=method)
                    assert response.status_code == 404, (method, path, response.status_code)
                    checked += 1
    assert checked >= 9 * len(OUT_OF_RANGE_IDS)


def test_the_examples_of_the_issue_are_404(app, student_client):
    assert student_client.get(f"/attempts/{HUGE}").status_code == 404
    assert student_client.get(f"/history?page={HUGE}").status_code == 404


def test_an_id_in_range_but_missing_is_404_on_every_database(app, teacher_client):
    for path in (
        f"/attempts/{DB_INTEGER_MAX}",
        f"/attempts/{DB_INTEGER_MAX}/q/{DB_INTEGER_MAX}",
        f"/history/{DB_INTEGER_MAX}",
        f"/teach/facts/{DB_INTEGER_MAX}",
        f"/teach/questions/{DB_INTEGER_MAX}/edit",
    ):
        assert teacher_client.get(path).status_code == 404, path


BAD_PAGES = [HUGE, "0", "-1", "abc", "1.5", "²", "9" * 5000, "2"]  # "2": past the last page


def test_page_numbers_out_of_range_are_404_on_every_paginated_page(app, teacher_client):
    _create_bank(teacher_client)
    class_page = teacher_client.post("/classes/new", data={"name": "3B"}).headers["Location"]
    pages = [
        ("/history", "page"),
        (class_page, "page"),
        ("/teach/banks/lesson", "facts"),
        ("/teach/banks/lesson", "questions"),
    ]
    for path, name in pages:
        assert teacher_client.get(path).status_code == 200, path
        assert teacher_client.get(f"{path}?{name}=1").status_code == 200, path
        assert teacher_client.get(f"{path}?{name}=").status_code == 200, path
        for bad in BAD_PAGES:
            response = teacher_client.get(path, query_string={name: bad})
            assert response.status_code == 404, (path, name, bad, response.status_code)


def test_the_last_page_is_shown_and_the_one_after_it_is_404(app, teacher, teacher_client):
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import classes
    from quizapp.web.classes import LEARNERS_PER_PAGE

    with app.app_context():
        school_class = classes.create_class(db.session.get(User, teacher), "3B")
        db.session.commit()
        class_id, code = school_class.id, school_class.join_code
    for number in range(LEARNERS_PER_PAGE + 1):  # one more than a class page shows
        learner = make_user(app, f"learner{number:02d}")
        with app.app_context():
            classes.join_class(db.session.get(User, learner), code)
            db.session.commit()
    assert teacher_client.get(f"/classes/{class_id}?page=2").status_code == 200
    assert teacher_client.get(f"/classes/{class_id}?page=3").status_code == 404


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        (str(DB_INTEGER_MAX), DB_INTEGER_MAX),
        (str(DB_INTEGER_MAX + 1), None),
        (HUGE, None),
        ("-3", None),
        ("²", None),
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_whole_numbers_are_read_only_from_ascii_digits_in_range(text, expected):
    assert whole_number(text) == expected


@given(st.text())
def test_whole_number_never_raises_and_stays_in_range(text):
    value = whole_number(text)
    assert value is None or 0 <= value <= DB_INTEGER_MAX


# ---------------------------------------------------------------------------------------------
# NaN, infinities and absurd magnitudes

NOT_NUMBERS = ["NaN", "sNaN", "nan", "-NaN", "inf", "-Infinity", "Infinity", "1e999999", "-1e101"]


@pytest.mark.parametrize("text", NOT_NUMBERS[:7])
def test_parse_decimal_refuses_nan_and_infinities(text):
    assert parse_decimal(text) is None


@given(st.text())
def test_parse_decimal_gives_only_finite_numbers(text):
    value = parse_decimal(text)
    assert value is None or value.is_finite()


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_parse_decimal_reads_back_every_finite_decimal(value):
    assert parse_decimal(str(value)) == value


def _number_fields():
    """(form class, field path) for every number field of every form, nested rows included."""
    from flask_wtf import FlaskForm
    from wtforms import DecimalField, FloatField
    from wtforms.fields import FieldList, FormField

    from quizapp.web import forms
    from quizapp.web.teach import forms as teach_forms

    found = []

    def walk(form_class, prefix, top):
        for name in dir(form_class):
            unbound = getattr(form_class, name)
            field_class = getattr(unbound, "field_class", None)
            if field_class is None:
                continue
            if issubclass(field_class, DecimalField | FloatField):
                found.append((top, prefix + name, field_class))
            elif issubclass(field_class, FieldList):
                inner = unbound.args[0] if unbound.args else unbound.kwargs["unbound_field"]
                if issubclass(inner.field_class, FormField):
                    walk(inner.args[0], f"{prefix}{name}-0-", top)
            elif issubclass(field_class, FormField):
                walk(unbound.args[0], f"{prefix}{name}-", top)

    for module in (forms, teach_forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, FlaskForm):
                walk(value, "", value.__name__)
    return found


NUMBER_FIELD_POSTS = {
    # field path -> (form, the question type whose rows use it)
    ("FactForm", "tolerance"): "fact",
    ("QuestionForm", "choices-0-weight"): "mcq",
    ("QuestionForm", "numeric-0-value"): "numeric",
    ("QuestionForm", "numeric-0-tolerance"): "numeric",
    ("QuestionForm", "numeric-0-low"): "numeric",
    ("QuestionForm", "numeric-0-high"): "numeric",
    ("QuestionForm", "numeric-0-weight"): "numeric",
}


def test_every_number_field_is_a_finite_number_field_and_is_tested_here():
    from quizapp.web.fields import NumberField

    fields = _number_fields()
    plain = [(form, path) for form, path, kind in fields if not issubclass(kind, NumberField)]
    assert not plain, f"number fields that let NaN through: {plain}"
    assert {(form, path) for form, path, _kind in fields} == set(NUMBER_FIELD_POSTS)


def _fact_post(app, client, slug, field, value):
    return _add_fact(client, app, slug, **{field: value})


def _question_post(client, kind, field, value):
    data = {"type": kind, "language": "en", "text_format": "plain", "passage_id": "0"}
    if kind == "mcq":
        data |= {
            "stem": "Who led the 1944 coup?",
            "choices-0-text": "King Michael",
            "choices-0-weight": "100",
            "choices-1-text": "Ion Antonescu",
        }
    else:
        data |= {"stem": "In what year was the coup?", "numeric-0-value": "1944"}
        if field in ("numeric-0-low", "numeric-0-high"):
            data |= {"numeric-0-low": "1943", "numeric-0-high": "1945"}
            del data["numeric-0-value"]
    data[field] = value
    return client.post("/teach/banks/lesson/questions/new", data=data)


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_every_number_field_refuses_nan_infinity_and_huge_with_a_message(
    app, teacher_client, value
):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    for (_form, field), kind in NUMBER_FIELD_POSTS.items():
        if kind == "fact":
            response = _fact_post(app, teacher_client, slug, field, value)
        else:
            response = _question_post(teacher_client, kind, field, value)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (field, value, response.status_code)
        assert "Enter a number" in page, (field, value)
        assert value in page, "the typed text is kept in the form"
    with app.app_context():
        lesson = db.session.scalar(db.select(Bank.id).where(Bank.slug == "lesson"))
        for model in (Fact, StoredQuestion):
            count = db.select(db.func.count(model.id)).where(model.bank_id == lesson)
            assert db.session.scalar(count) == 0


def test_the_same_fields_take_ordinary_numbers(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    assert _fact_post(app, teacher_client, slug, "tolerance", "0.5").status_code == 302
    response = _question_post(teacher_client, "numeric", "numeric-0-tolerance", "1e0")
    assert response.status_code == 302
    assert _question_post(teacher_client, "mcq", "choices-0-weight", "100.0").status_code == 302


def test_the_number_message_is_in_spanish_for_a_spanish_teacher(app, teacher_client):
    _create_bank(teacher_client)
    _add_source(teacher_client)
    teacher_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    response = _question_post(teacher_client, "numeric", "numeric-0-tolerance", "sNaN")
    assert response.status_code == 400
    assert "Escribe un número" in response.get_data(as_text=True)


@pytest.mark.parametrize("number", [float("nan"), float("inf"), -float("inf"), 1e300])
def test_questions_with_nan_or_infinite_numbers_have_a_problem(number):
    questions = [
        AuthoredQuestion("mcq", "Q?", choices=[Choice("a", True, number), Choice("b", False)]),
        AuthoredQuestion("numeric", "Q?", numeric=[NumericAnswer(value=number)]),
        AuthoredQuestion("numeric", "Q?", numeric=[NumericAnswer(value=1, tolerance=number)]),
        AuthoredQuestion("numeric", "Q?", numeric=[NumericAnswer(low=0, high=number)]),
        AuthoredQuestion("numeric", "Q?", numeric=[NumericAnswer(value=1, weight=number)]),
    ]
    for question in questions:
        assert any("finite" in problem for problem in authored_problems(question)), question


def test_a_bank_folder_fact_with_a_nan_tolerance_is_refused(bank_copy):
    from quizapp.core.bank import BankError, load_bank

    facts = bank_copy / "facts" / "armistice-soviet-occupation-en.yaml"
    text = facts.read_text(encoding="utf-8")
    # A number fact given a tolerance that is no number.
    assert "  kind: number\n" in text
    facts.write_text(
        text.replace("  kind: number\n", "  kind: number\n  tolerance: .nan\n", 1), "utf-8"
    )
    with pytest.raises(BankError, match="tolerance"):
        load_bank(bank_copy)


def test_a_stored_fact_tolerance_of_nan_is_a_fact_problem(bank):
    from dataclasses import replace

    from quizapp.core.bank import fact_problems

    fact = bank.facts[0]
    passage = bank.passage(fact.passage_id)
    assert fact_problems(fact, passage.text) == []
    for number in (float("nan"), float("inf"), -1.0):
        problems = fact_problems(replace(fact, tolerance=number), passage.text)
        assert any("tolerance" in problem for problem in problems)


# ---------------------------------------------------------------------------------------------
# Choices and NUL characters


def test_a_bank_posted_with_an_unknown_language_is_a_form_error(app, teacher_client):
    data = {"slug": "odd", "title_en": "Odd", "languages": ["en", "xx"]}
    response = teacher_client.post("/teach/banks", data=data)
    assert response.status_code == 400
    assert "is not a valid choice" in response.get_data(as_text=True)
    response = teacher_client.post("/teach/banks", data={"title_en": "Odd", "languages": ["zz"]})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(Bank).where(Bank.slug == "odd")) is None


def test_bank_edits_with_an_unknown_language_are_a_form_error(app, teacher_client):
    _create_bank(teacher_client)
    response = teacher_client.post(
        "/teach/banks/lesson/edit", data={"title_en": "Lesson", "languages": ["en", "xx"]}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "essay"),
        ("language", "fr"),
        ("text_format", "moodle"),
        ("passage_id", "abc"),
        ("passage_id", "999999"),
        ("is_true", "maybe"),
    ],
)
def test_question_choices_outside_the_list_are_form_errors(app, teacher_client, field, value):
    _create_bank(teacher_client)
    data = {
        "type": "tf",
        "language": "en",
        "text_format": "plain",
        "passage_id": "0",
        "stem": "The coup was in 1944.",
        "is_true": "true",
        field: value,
    }
    response = teacher_client.post("/teach/banks/lesson/questions/new", data=data)
    assert response.status_code == 400


@pytest.mark.parametrize(("field", "value"), [("kind", "colour"), ("passage_id", HUGE)])
def test_fact_choices_outside_the_list_are_form_errors(app, teacher_client, field, value):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    response = _add_fact(teacher_client, app, slug, **{field: value})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


@pytest.mark.parametrize("key", ["choices-²-text", f"choices-{'9' * 5000}-text", "choices--text"])
def test_odd_row_indices_are_ignored(app, teacher_client, key):
    _create_bank(teacher_client)
    data = {
        "type": "mcq",
        "language": "en",
        "text_format": "plain",
        "passage_id": "0",
        "stem": "Who led the 1944 coup?",
        "choices-0-text": "King Michael",
        "choices-0-weight": "100",
        "choices-1-text": "Ion Antonescu",
        key: "Carol II",
    }
    response = teacher_client.post("/teach/banks/lesson/questions/new", data=data)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("POST", "/login", {"name": "ana\x00", "password": "x"}),
        ("POST", "/register", {"name": "ana", "password": "p\x00ssword1", "confirm": "x"}),
        ("GET", "/sources/a%00b", None),
        ("GET", "/history?page=1%00", None),
        ("POST", "/teach/banks", {"title_en": "A\x00", "languages": ["en"]}),
    ],
)
def test_a_nul_character_anywhere_is_a_400_that_says_so(app, teacher_client, method, path, data):
    response = teacher_client.open(path, method=method, data=data)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_numbers_are_kept_exactly_when_a_question_is_edited(app, teacher_client):
    _create_bank(teacher_client)
    response = _question_post(teacher_client, "numeric", "numeric-0-tolerance", "0.25")
    assert response.status_code == 302
    page = teacher_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="0.25"' in page and 'value="1944' in page
    assert Decimal("0.25") == parse_decimal("0.25")


def test_a_nul_character_in_an_uploaded_file_is_refused_with_its_line(app, teacher_client):
    import io

    _create_bank(teacher_client)
    source = {
        "title": "Upload",
        "language": "en",
        "origin": "notes",
        "licence": "CC BY 4.0",
        "attribution": "A. Teacher",
        "upload": (io.BytesIO(b"First paragraph.\n\nSecond \x00 one."), "text.txt"),
    }
    response = teacher_client.post("/teach/banks/lesson/sources/new", data=source)
    assert response.status_code == 400
    assert "line 3: this line holds a control character" in response.get_data(as_text=True)
    gift = {
        "file_format": "gift",
        "language": "en",
        "file": (io.BytesIO(b"Who? {=Michael ~Carol\x00}\n"), "q.gift"),
    }
    response = teacher_client.post("/teach/banks/lesson/import", data=gift)
    assert response.status_code == 400
    assert "line 1: this line holds a control character" in response.get_data(as_text=True)


def test_a_nul_character_in_a_zipped_bank_file_is_refused(app, bank_copy):
    import io
    import zipfile

    from quizapp.services.exchange import ImportError_, load_files, read_zip

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bank/bank.yaml", (bank_copy / "bank.yaml").read_text("utf-8"))
        archive.writestr("bank/sources/x.md", "Text\n\x00\n")
    # The archive reads; the bank in it is refused with the file and line of the NUL.
    with (
        app.app_context(),
        pytest.raises(ImportError_, match=r"x\.md:2: this line holds a control character"),
    ):
        load_files(read_zip(buffer.getvalue()), "copy")
