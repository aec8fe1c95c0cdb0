"""The bank format and the founding bank: loading, validation, passages and curated facts."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from quizapp.core.bank import KINDS, BankError, answer_supported, load_bank
from quizapp.core.passages import split_front_matter, split_passages

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_FILES = {
    "romania-overview-en": "000_b5ccfc88c9b958ac.txt",
    "armistice-soviet-occupation-en": "001_76d5aa292ff11dd5.txt",
    "ocupacion-sovietica-es": "002_ff734be5c6a7e7ca.txt",
    "pogromo-iasi-es": "003_be786ed9055fc8fa.txt",
}


# --- the founding bank -----------------------------------------------------------------------


def test_founding_bank_has_enough_facts_in_both_languages(bank):
    languages = Counter(f.language for f in bank.facts)
    assert len(bank.facts) >= 90
    assert languages["es"] >= 35
    assert languages["en"] >= 35


def test_every_passage_of_every_document_has_a_fact(bank):
    covered = {f.passage_id for f in bank.facts}
    assert len(bank.sources) == 4
    for source in bank.sources.values():
        for passage in source.passages:
            assert passage.id in covered, f"no fact for {passage.id}"


def test_every_evidence_is_at_its_offsets(bank):
    for fact in bank.facts:
        passage = bank.passage(fact.passage_id)
        assert passage is not None, fact.id
        assert passage.text[fact.evidence.start : fact.evidence.end] == fact.evidence.text, fact.id


def test_every_key_is_supported_by_its_passage(bank):
    for fact in bank.facts:
        if fact.source_garbled:
            assert fact.note, fact.id
        else:
            assert answer_supported(fact), fact.id


def test_facts_speak_their_passages_language(bank):
    for fact in bank.facts:
        assert bank.source_of(fact).language == fact.language, fact.id


def test_garbled_sources_are_carried_by_true_values_with_notes(bank):
    garbled = [f for f in bank.facts if f.source_garbled]
    assert garbled, "the Iași text's defects should be curated with notes"
    for fact in garbled:
        assert fact.document_id == "pogromo-iasi-es"
        assert fact.note


def test_kinds_cover_dates_numbers_and_names(bank):
    kinds = Counter(f.kind for f in bank.facts)
    for kind in ("date", "year", "number", "person", "place", "organisation", "event", "term"):
        assert kinds[kind] > 0, kind
    assert set(kinds) <= set(KINDS)


def test_topics_link_english_and_spanish_facts(bank):
    languages_by_topic: dict[str, set[str]] = {}
    for fact in bank.facts:
        languages_by_topic.setdefault(fact.topic, set()).add(fact.language)
    shared = [t for t, langs in languages_by_topic.items() if langs == {"en", "es"}]
    assert len(shared) >= 5, shared


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
def test_sources_are_the_corpus_verbatim_less_page_furniture(bank):
    for document_id, file_name in CORPUS_FILES.items():
        original = (CORPUS / file_name).read_text(encoding="utf-8")
        # The only removals inside passages: footnote markers and a pronunciation widget.
        original = re.sub(r"\[\d+\]", "", re.sub(r"^\[\d+\] ", "", original, flags=re.M))
        original = original.replace("pronunciación rumana: [ja] (escuchar), ", "")
        for passage in bank.sources[document_id].passages:
            assert passage.text in original, passage.id
        for furniture in ("fbpx", "Skip to main content", "Wayback Machine", "Custom Search"):
            assert all(furniture not in p.text for p in bank.sources[document_id].passages)


def test_every_source_carries_its_attribution_and_licence(bank):
    for source in bank.sources.values():
        assert source.attribution and source.licence and source.origin


# --- passages ----------------------------------------------------------------------------------


BODY = """
{#intro}
First paragraph.

{#p2}
Second paragraph,
on two lines.

Third, with no anchor.
"""


def test_passages_split_at_blank_lines_with_anchor_ids():
    passages, problems = split_passages("doc", BODY)
    assert not problems
    assert [p.id for p in passages] == ["doc#intro", "doc#p2", "doc#p3"]
    assert passages[1].text == "Second paragraph,\non two lines."
    assert [p.anchored for p in passages] == [True, True, False]
    assert passages[1].line == 5


def test_passage_ids_survive_edits_to_other_passages():
    before, _ = split_passages("doc", BODY)
    edited = BODY.replace("First paragraph.", "First paragraph, now longer.\n\n{#new}\nInserted.")
    after, _ = split_passages("doc", edited)
    ids_after = {p.id: p.text for p in after}
    for passage in before[:2]:
        if passage.id != "doc#intro":
            assert ids_after[passage.id] == passage.text
    assert "doc#new" in ids_after


def test_reloading_gives_the_same_ids(bank_copy):
    first = load_bank(bank_copy)
    second = load_bank(bank_copy)
    ids = [p.id for s in first.sources.values() for p in s.passages]
    assert ids == [p.id for s in second.sources.values() for p in s.passages]


def test_duplicate_anchor_is_reported_with_its_line():
    _, problems = split_passages("doc", "{#a}\nOne.\n\n{#a}\nTwo.\n")
    assert problems and problems[0].line == 4 and "duplicate passage id" in problems[0].message


def test_front_matter_is_separated_from_the_body():
    front, body, first_line = split_front_matter("---\ntitle: T\n---\n\n{#p1}\nText.\n")
    assert front == "title: T" and "{#p1}" in body and first_line == 4


# --- bad banks: each problem is named, and nothing loads ----------------------------------


def _facts_file(bank_dir: Path) -> Path:
    return sorted((bank_dir / "facts").glob("*.yaml"))[0]


def _edit_first_fact(bank_dir: Path, **changes) -> str:
    path = _facts_file(bank_dir)
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            facts[0].pop(key, None)
        else:
            facts[0][key] = value
    path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return facts[0]["id"]


def _problems(bank_dir: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank(bank_dir)
    return [str(p) for p in caught.value.problems]


def _first_fact(bank_dir: Path) -> dict:
    return yaml.safe_load(_facts_file(bank_dir).read_text(encoding="utf-8"))[0]


def test_evidence_off_its_offsets_is_named(bank_copy):
    fact = _first_fact(bank_copy)
    evidence = dict(fact["evidence"], start=fact["evidence"]["start"] + 3)
    evidence["end"] = evidence["start"] + len(evidence["text"])
    fact_id = _edit_first_fact(bank_copy, evidence=evidence)
    (problem,) = _problems(bank_copy)
    assert _facts_file(bank_copy).name in problem and fact_id in problem
    assert "evidence not at its offsets" in problem and "the quote is at start:" in problem


def test_unknown_passage_is_named(bank_copy):
    fact_id = _edit_first_fact(bank_copy, passage="romania-overview-en#p99")
    (problem,) = _problems(bank_copy)
    assert fact_id in problem and "unknown passage 'romania-overview-en#p99'" in problem


def test_duplicate_id_is_named(bank_copy):
    path = _facts_file(bank_copy)
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts[1]["id"] = facts[0]["id"]
    path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (problem,) = _problems(bank_copy)
    assert f"fact {facts[0]['id']}: duplicate id" in problem


def test_unsupported_answer_is_named(bank_copy):
    fact = _first_fact(bank_copy)
    statement = fact["statement"].replace(fact["answer"], "Zanzibar")
    fact_id = _edit_first_fact(
        bank_copy, answer="Zanzibar", alternatives=[], statement=statement, kind="place"
    )
    problems = _problems(bank_copy)
    assert any(fact_id in p and "not supported by its evidence" in p for p in problems)


def test_stem_that_gives_its_answer_away_is_named(bank_copy):
    fact = _first_fact(bank_copy)
    fact_id = _edit_first_fact(bank_copy, stems=[f"Was it {fact['answer']}?"])
    (problem,) = _problems(bank_copy)
    assert fact_id in problem and "gives its answer away" in problem


def test_language_differing_from_the_passage_is_named(bank_copy):
    fact = _first_fact(bank_copy)
    other = "es" if fact["language"] == "en" else "en"
    fact_id = _edit_first_fact(bank_copy, language=other)
    (problem,) = _problems(bank_copy)
    assert fact_id in problem and "differs from its passage's language" in problem


def test_missing_field_and_unknown_kind_are_named(bank_copy):
    fact_id = _edit_first_fact(bank_copy, statement=None, kind="colour")
    problems = _problems(bank_copy)
    assert any(fact_id in p and "statement is required" in p for p in problems)
    assert any(fact_id in p and "kind must be one of" in p for p in problems)


def test_broken_yaml_names_the_file_and_line(bank_copy):
    path = _facts_file(bank_copy)
    path.write_text("- id: broken\n  stems: [unclosed\n", encoding="utf-8")
    (problem,) = _problems(bank_copy)
    assert path.name in problem and "invalid YAML" in problem and re.search(r"\.yaml:\d+", problem)


def test_every_problem_is_listed_at_once(bank_copy):
    _edit_first_fact(bank_copy, passage="nowhere#p1")
    source = bank_copy / "sources" / "romania-overview-en.md"
    source.write_text(source.read_text(encoding="utf-8").replace("{#p2}", "{#p1}"), "utf-8")
    problems = _problems(bank_copy)
    assert any("unknown passage 'nowhere#p1'" in p for p in problems)
    assert any("romania-overview-en.md" in p and "duplicate passage id" in p for p in problems)


def test_edited_passage_flags_the_facts_whose_evidence_moved(bank_copy):
    source = bank_copy / "sources" / "romania-overview-en.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("The Kingdom of Romania", "Romania, a kingdom,"), "utf-8")
    problems = _problems(bank_copy)
    assert problems and all("romania-overview-en#p1" in p or "evidence" in p for p in problems)
