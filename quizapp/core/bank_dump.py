"""Writing a bank back as a folder in the bank format (the inverse of `load_bank`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from quizapp.core.bank_model import Bank, Fact
from quizapp.core.pools import pool_to_data

QUESTIONS_FILE = "questions.yaml"


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def fact_to_dict(fact: Fact) -> dict[str, Any]:
    """A fact as written in a facts/*.yaml file (defaults left out)."""
    data: dict[str, Any] = {
        "id": fact.id,
        "language": fact.language,
        "topic": fact.topic,
        "passage": fact.passage_id,
        "evidence": {
            "text": fact.evidence.text,
            "start": fact.evidence.start,
            "end": fact.evidence.end,
        },
        "statement": fact.statement,
        "answer": fact.answer,
        "kind": fact.kind,
        "stems": list(fact.stems),
    }
    if fact.alternatives:
        data["alternatives"] = list(fact.alternatives)
    if fact.label:
        data["label"] = fact.label
    if fact.tolerance:
        data["tolerance"] = fact.tolerance
    if fact.exclude_distractors:
        data["exclude_distractors"] = list(fact.exclude_distractors)
    if fact.note:
        data["note"] = fact.note
    if fact.source_garbled:
        data["source_garbled"] = True
    if fact.category:
        data["category"] = fact.category
    if fact.gender:
        data["gender"] = fact.gender
    if fact.number != "singular":
        data["number"] = fact.number
    if fact.event:
        data["event"] = True
    if fact.false_statements:
        data["false_statements"] = list(fact.false_statements)
    if fact.skip_types:
        data["skip_types"] = list(fact.skip_types)
    return data


def dump_bank(bank: Bank, folder: Path) -> None:
    """Write a bank as a folder in the bank format (the inverse of load_bank)."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "id": bank.id,
        "title": dict(bank.title),
        "description": dict(bank.description),
        "subject": bank.subject,
        "licence": bank.licence,
        "languages": list(bank.languages),
    }
    (folder / "bank.yaml").write_text(_yaml(manifest), encoding="utf-8")
    sources = folder / "sources"
    sources.mkdir(exist_ok=True)
    for source in bank.sources.values():
        front = {
            "title": source.title,
            "language": source.language,
            "origin": source.origin,
            "licence": source.licence,
            "attribution": source.attribution,
        }
        if source.cleaning:
            front["cleaning"] = source.cleaning
        body = "\n".join(f"{{#{p.anchor}}}\n{p.text}\n" for p in source.passages)
        text = f"---\n{_yaml(front)}---\n\n{body}"
        (sources / f"{source.id}.md").write_text(text, encoding="utf-8")
    facts_folder = folder / "facts"
    facts_folder.mkdir(exist_ok=True)
    by_document: dict[str, list[dict[str, Any]]] = {}
    for fact in bank.facts:
        by_document.setdefault(fact.document_id, []).append(fact_to_dict(fact))
    for document_id, facts in by_document.items():
        (facts_folder / f"{document_id}.yaml").write_text(_yaml(facts), encoding="utf-8")
    if bank.pools:
        pools = folder / "pools"
        pools.mkdir(exist_ok=True)
        for language, entries in bank.pools.items():
            (pools / f"{language}.yaml").write_text(_yaml(pool_to_data(entries)), encoding="utf-8")
    if bank.questions:
        entries = []
        for item in bank.questions:
            entry: dict[str, Any] = {"id": item.id}
            if item.passage_id:
                entry["passage"] = item.passage_id
            entry.update(item.question.to_dict())
            entries.append(entry)
        (folder / QUESTIONS_FILE).write_text(_yaml(entries), encoding="utf-8")
