"""The bank format's categories, grammar, events and false statements (issue 8): loading,
errors naming file, line and fact id, `bank check` warnings, storage and the .zip round trip."""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml

from quizapp.core.bank import BankError, PoolEntry, dump_bank, load_bank, read_pool

FACTS_FILE = "facts/romania-overview-en.yaml"


def _edit_fact(bank_dir, fact_id: str, **fields) -> None:
    path = bank_dir / FACTS_FILE
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    for fact in facts:
        if fact["id"] == fact_id:
            fact.update(fields)
    path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), "utf-8")


def _first_fact(bank_dir, kind: str) -> dict:
    facts = yaml.safe_load((bank_dir / FACTS_FILE).read_text(encoding="utf-8"))
    return next(f for f in facts if f["kind"] == kind)


CATEGORISED_POOL = """\
place:
  country:
    - Hungary
    - {text: United States, number: plural}
  city: [Cluj, Timișoara]
person:
  monarch: [Carol II, Ferdinand I]
"""


def test_the_categorised_pool_form_is_read_with_grammar(bank_copy):
    (bank_copy / "pools" / "en.yaml").write_text(CATEGORISED_POOL, encoding="utf-8")
    (bank_copy / "pools" / "es.yaml").write_text(
        "place:\n  country:\n    - {text: Hungría, gender: f}\n"
        "    - {text: Estados Unidos, gender: m, number: plural}\n",
        encoding="utf-8",
    )
    bank = load_bank(bank_copy)
    assert PoolEntry("place", "United States", "country", None, "plural") in bank.pools["en"]
    assert PoolEntry("person", "Carol II", "monarch") in bank.pools["en"]
    assert PoolEntry("place", "Hungría", "country", "f") in bank.pools["es"]


def test_the_old_flat_pool_form_is_still_read_without_categories(bank_copy):
    (bank_copy / "pools" / "en.yaml").write_text(
        "person: [Carol II, Iuliu Maniu]\nplace: [Cluj]\n", encoding="utf-8"
    )
    bank = load_bank(bank_copy)
    assert PoolEntry("person", "Iuliu Maniu") in bank.pools["en"]
    assert all(entry.category is None for entry in bank.pools["en"])


def test_pool_mistakes_name_the_file_and_line(bank_copy):
    (bank_copy / "pools" / "en.yaml").write_text(
        "place:\n  country:\n    - {text: Hungary, gender: x}\n    - Hungary\n"
        "  Bad Category: [Cluj]\n",
        encoding="utf-8",
    )
    with pytest.raises(BankError) as error:
        load_bank(bank_copy)
    messages = [str(p) for p in error.value.problems]
    assert any("pools/en.yaml:3" in m and "gender must be m or f" in m for m in messages)
    assert any("category 'Bad Category'" in m for m in messages)


def test_a_fact_carries_its_new_fields(bank_copy):
    person = _first_fact(bank_copy, "person")
    year = _first_fact(bank_copy, "year")
    _edit_fact(bank_copy, person["id"], category="monarch", gender="m", number="singular")
    wrong = person["statement"].replace(person["answer"], "Nobody Else")
    _edit_fact(bank_copy, person["id"], false_statements=[wrong])
    _edit_fact(bank_copy, year["id"], event=True, skip_types=["cloze", "mcq"])
    bank = load_bank(bank_copy)
    facts = {f.id: f for f in bank.facts}
    assert facts[year["id"]].skip_types == ("cloze", "mcq")
    assert facts[person["id"]].skip_types == ()
    assert facts[person["id"]].category == "monarch"
    assert facts[person["id"]].gender == "m"
    assert facts[person["id"]].false_statements == (wrong,)
    assert facts[year["id"]].event is True
    assert facts[year["id"]].number == "singular"


def test_grammar_mistakes_are_named_with_the_fact_id(bank_copy):
    person = _first_fact(bank_copy, "person")
    year = _first_fact(bank_copy, "year")
    _edit_fact(
        bank_copy,
        person["id"],
        gender="n",
        number="dual",
        event=True,
        category="A B",
        skip_types=["essay"],
    )
    _edit_fact(bank_copy, year["id"], false_statements=[year["statement"], "Another year."])
    with pytest.raises(BankError) as error:
        load_bank(bank_copy)
    by_fact = [str(p) for p in error.value.problems if p.fact_id == person["id"]]
    assert FACTS_FILE in by_fact[0]
    text = "\n".join(by_fact)
    for expected in ("gender must be m or f", "number must be singular or plural"):
        assert expected in text
    assert "event: true only marks date and year facts" in text
    assert "category 'A B'" in text
    assert "skip_types: 'essay' is not a question type" in text
    year_text = "\n".join(str(p) for p in error.value.problems if p.fact_id == year["id"])
    assert "is the statement itself" in year_text


def test_a_false_statement_that_keeps_the_answer_is_refused(bank_copy):
    person = _first_fact(bank_copy, "person")
    _edit_fact(bank_copy, person["id"], false_statements=[f"{person['answer']} never existed."])
    with pytest.raises(BankError, match="still contains the answer"):
        load_bank(bank_copy)


def test_a_statement_must_hold_its_answer_on_word_boundaries(bank_copy):
    place = _first_fact(bank_copy, "place")
    # The answer glued inside a longer word is no answer in the statement.
    statement = place["statement"].replace(place["answer"], place["answer"] + "ns")
    _edit_fact(bank_copy, place["id"], statement=statement)
    with pytest.raises(BankError) as error:
        load_bank(bank_copy)
    (problem,) = [p for p in error.value.problems if p.fact_id == place["id"]]
    assert "as whole words" in problem.message and "inside another word" in problem.message
    assert problem.file.endswith(FACTS_FILE) and problem.line


def test_every_founding_fact_holds_its_answer_on_word_boundaries(bank):
    from quizapp.core.agreement import answer_span

    for fact in bank.facts:
        assert answer_span(fact.statement, fact.answer) is not None, fact.id


def test_bank_check_warns_about_facts_that_cannot_make_some_types(app, bank_copy):
    facts = yaml.safe_load((bank_copy / FACTS_FILE).read_text(encoding="utf-8"))
    person, other = [f for f in facts if f["kind"] == "person"][:2]
    # A category no pool entry or other fact shares, and a name fact with no category at all.
    _edit_fact(bank_copy, person["id"], category="astronaut")
    path = bank_copy / FACTS_FILE
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    for fact in facts:
        if fact["id"] == other["id"]:
            fact.pop("category", None)
    path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), "utf-8")
    result = app.test_cli_runner().invoke(args=["bank", "check", str(bank_copy)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    heading = next(i for i, line in enumerate(lines) if "name facts with no category" in line)
    assert lines[heading + 1].startswith("    ") and "fact " in lines[heading + 1]
    few = next(line for line in lines if person["id"] in line and "usable wrong" in line)
    assert "person/astronaut in en has" in few and "pools/en.yaml" in few
    assert any(other["id"] in line for line in lines[heading + 1 :])
    assert "facts with no false form" in result.output


def test_dump_and_reload_keep_categories_grammar_and_pools(bank_copy, tmp_path):
    (bank_copy / "pools" / "en.yaml").write_text(CATEGORISED_POOL, encoding="utf-8")
    person = _first_fact(bank_copy, "person")
    _edit_fact(bank_copy, person["id"], category="monarch", gender="m", number="plural")
    bank = load_bank(bank_copy)
    dump_bank(bank, tmp_path / "again")
    again = load_bank(tmp_path / "again")
    assert again.facts == [
        f.__class__(**{**f.__dict__, "file": g.file, "line": g.line})
        for f, g in zip(bank.facts, again.facts, strict=True)
    ]
    assert sorted(again.pools["en"], key=str) == sorted(bank.pools["en"], key=str)


def test_read_pool_reads_what_the_database_stores():
    from quizapp.core.bank import pool_to_data

    entries = [
        PoolEntry("place", "Hungría", "country", "f"),
        PoolEntry("place", "Estados Unidos", "country", "m", "plural"),
        PoolEntry("term", "uranio", "element", "m"),
    ]
    problems: list = []
    assert read_pool(pool_to_data(entries), "x", problems) == entries
    assert not problems


def test_the_new_fields_survive_storage_and_a_zip_round_trip(app, teacher_client, bank_copy):
    from quizapp.extensions import db
    from quizapp.models import Bank, Fact, User
    from quizapp.services.banks import core_bank, store_bank
    from quizapp.services.exchange import export_zip, load_files, read_zip

    (bank_copy / "pools" / "en.yaml").write_text(CATEGORISED_POOL, encoding="utf-8")
    person = _first_fact(bank_copy, "person")
    year = _first_fact(bank_copy, "year")
    wrong = person["statement"].replace(person["answer"], "Nobody Else")
    _edit_fact(bank_copy, person["id"], category="monarch", gender="m", false_statements=[wrong])
    _edit_fact(bank_copy, year["id"], event=True, skip_types=["tf"])
    loaded = load_bank(bank_copy)
    with app.app_context():
        store_bank(loaded, "edited")
        db.session.commit()
        row = db.session.scalar(db.select(Fact).where(Fact.key == person["id"]))
        assert (row.category, row.gender, row.number) == ("monarch", "m", "singular")
        assert row.false_statements == [wrong]
        stored = db.session.scalar(db.select(Bank).where(Bank.slug == loaded.id))
        rebuilt = core_bank(stored)
        facts = {f.id: f for f in rebuilt.facts}
        assert facts[person["id"]].false_statements == (wrong,)
        assert facts[year["id"]].event
        assert facts[year["id"]].skip_types == ("tf",)
        assert PoolEntry("place", "United States", "country", None, "plural") in rebuilt.pools["en"]
        teacher = db.session.scalar(db.select(User).where(User.role.in_(("teacher", "admin"))))
        data = export_zip(teacher, stored)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.endswith("pools/en.yaml") for n in names)
    with app.app_context():
        again = load_files(read_zip(data), "copy")
    facts = {f.id: f for f in again.facts}
    assert facts[person["id"]].category == "monarch"
    assert facts[person["id"]].false_statements == (wrong,)
    assert facts[year["id"]].event
    assert facts[year["id"]].skip_types == ("tf",)
    assert PoolEntry("person", "Carol II", "monarch") in again.pools["en"]
