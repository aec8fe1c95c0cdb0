"""The Spanish interface: a complete, well-formed catalogue, and pages that use it."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

TRANSLATIONS = Path(__file__).resolve().parent.parent / "quizapp" / "translations"
PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
# Named placeholders such as %(name)s or %(num)d, escaped percent signs, and bare percent signs.
PERCENT = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%|%")


def _catalogue():
    with PO.open("rb") as file:
        return read_po(file, locale="es")


def _messages():
    return [message for message in _catalogue() if message.id]


def _percents(text: str) -> Counter[str]:
    return Counter(PERCENT.findall(text))


@pytest.fixture(scope="module")
def compiled() -> Path:
    """The compiled catalogue, (re)built in place when missing or older than the .po."""
    mo = PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < PO.stat().st_mtime:
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        with partial.open("wb") as file:
            write_mo(file, _catalogue(), use_fuzzy=True)  # as `make` compiles it
        partial.replace(mo)
    return mo


def test_the_catalogue_parses_and_is_spanish_with_two_plural_forms():
    catalogue = _catalogue()
    assert str(catalogue.locale) == "es"
    assert catalogue.num_plurals == 2
    assert catalogue.plural_expr.replace(" ", "") == "(n!=1)"
    assert len(_messages()) > 300


def test_no_message_is_empty_or_fuzzy():
    catalogue = _catalogue()
    assert not catalogue.fuzzy
    fuzzy = [message.id for message in _messages() if message.fuzzy]
    empty = [
        message.id
        for message in _messages()
        if not all(message.string)
        or (message.pluralizable and len(message.string) != catalogue.num_plurals)
    ]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not empty, f"untranslated entries: {empty}"


def test_every_translation_keeps_the_placeholders_of_its_message():
    wrong = []
    for message in _messages():
        if message.pluralizable:
            singular, plural = message.id
            pairs = [(singular, message.string[0])]
            pairs += [(plural, form) for form in message.string[1:]]
        else:
            pairs = [(message.id, message.string)]
        wrong += [
            (msgid, msgstr) for msgid, msgstr in pairs if _percents(msgid) != _percents(msgstr)
        ]
    assert not wrong, f"placeholders differ: {wrong}"


def test_babel_finds_no_error_in_the_catalogue():
    problems = [(message.id, errors) for message, errors in _catalogue().check()]
    assert not problems


def test_plural_forms_are_chosen_by_number(compiled):
    translations = Translations.load(str(TRANSLATIONS), ["es"])
    assert translations.ngettext("%(num)d fact", "%(num)d facts", 1) == "%(num)d dato"
    assert translations.ngettext("%(num)d fact", "%(num)d facts", 2) == "%(num)d datos"
    assert translations.ngettext("%(num)d fact", "%(num)d facts", 0) == "%(num)d datos"


def test_the_home_page_speaks_spanish_to_a_spanish_browser(compiled, client):
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "<h1>Cuestionarios</h1>" in page
    assert "Iniciar sesión" in page
    assert re.search(r"\d+ datos", page)  # ngettext with its placeholder filled in
    assert "Quizzes" not in page and "Log in" not in page


def test_the_home_page_stays_english_for_an_english_browser(compiled, client):
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>Quizzes</h1>" in page and "Log in" in page
    assert "Cuestionarios" not in page
