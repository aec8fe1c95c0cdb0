"""The rules a bank's facts must meet (docs/bank-format.md), and the counts `bank check` shows.

Each rule is checked on its own and reported with the fact's file, line and id; nothing here
stops at the first problem.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from quizapp.core.agreement import answer_span, word_spans
from quizapp.core.bank_model import (
    GENDERS,
    GRAMMATICAL_NUMBERS,
    NAME_KINDS,
    NUMERIC_KINDS,
    SLUG,
    TIME_KINDS,
    Bank,
    Fact,
    Problem,
    is_tolerance,
)
from quizapp.core.values import (
    contains_phrase,
    find_dates,
    find_quantities,
    normalise,
    parse_date,
    parse_quantity,
)


def validate_facts(bank: Bank, facts: list[Fact]) -> list[Problem]:
    """Check every fact against its passage and the rules of docs/bank-format.md."""
    problems: list[Problem] = []
    first_seen: dict[str, Fact] = {}
    for fact in facts:

        def problem(message: str, fact: Fact = fact) -> None:
            problems.append(Problem(fact.file, fact.line, message, fact.id))

        if fact.id in first_seen:
            other = first_seen[fact.id]
            problem(f"duplicate id (first in {other.file}:{other.line})")
            continue
        first_seen[fact.id] = fact
        if fact.language not in bank.languages:
            problem(f"language {fact.language!r} is not one of the bank's languages")
        passage = bank.passage(fact.passage_id)
        if passage is None:
            problem(f"unknown passage {fact.passage_id!r}")
            continue
        source = bank.sources[passage.document_id]
        if fact.language != source.language:
            problem(
                f"language {fact.language!r} differs from its passage's language "
                f"{source.language!r} ({fact.passage_id})"
            )
        problems.extend(
            Problem(fact.file, fact.line, message, fact.id)
            for message in fact_problems(fact, passage.text)
        )
    return problems


def fact_problems(fact: Fact, passage_text: str) -> list[str]:
    """What is wrong with one fact given its passage text (empty when it is sound)."""
    messages: list[str] = []
    evidence = fact.evidence
    if not 0 <= evidence.start < evidence.end <= len(passage_text):
        messages.append(
            f"evidence offsets {evidence.start}..{evidence.end} are outside the passage "
            f"(length {len(passage_text)})"
        )
    elif passage_text[evidence.start : evidence.end] != evidence.text:
        found = passage_text.find(evidence.text)
        hint = (
            f"; the quote is at start: {found}, end: {found + len(evidence.text)}"
            if found >= 0
            else "; the quote is not in the passage at all (it must be verbatim)"
        )
        messages.append(
            f"evidence not at its offsets {evidence.start}..{evidence.end}: the passage has "
            f"{passage_text[evidence.start : evidence.end]!r} there{hint}"
        )
    if answer_span(fact.statement, fact.answer) is None:
        inside = fact.answer in fact.statement
        messages.append(
            f"the statement does not contain the answer {fact.answer!r} as whole words, as "
            "written" + (" (it is only found inside another word)" if inside else "")
        )
    messages.extend(_value_problems(fact))
    if not is_tolerance(fact.tolerance):
        messages.append(f"tolerance {fact.tolerance!r} is not a finite number, zero or more")
    messages.extend(grammar_problems(fact))
    messages.extend(false_statement_problems(fact))
    if fact.source_garbled:
        if not fact.note:
            messages.append("source_garbled needs a note explaining the defect")
    elif not answer_supported(fact):
        messages.append(
            f"answer {fact.answer!r} is not supported by its evidence {evidence.text!r} "
            "(neither it nor an alternative appears there)"
        )
    for stem in fact.stems:
        leaked = gives_away(stem, fact)
        if leaked:
            messages.append(f"stem {stem!r} gives its answer away ({leaked!r})")
    if fact.label:
        leaked = gives_away(fact.label, fact)
        if leaked:
            messages.append(f"label {fact.label!r} contains the answer ({leaked!r})")
    return messages


def grammar_problems(fact: Fact) -> list[str]:
    """What is wrong with a fact's category, gender, number, event mark and skipped types."""
    messages: list[str] = []
    if fact.category is not None and not SLUG.match(fact.category):
        messages.append(f"category {fact.category!r} must be lowercase letters, digits and hyphens")
    if fact.gender is not None and fact.gender not in GENDERS:
        messages.append(f"gender must be m or f, not {fact.gender!r}")
    if fact.number not in GRAMMATICAL_NUMBERS:
        messages.append(f"number must be singular or plural, not {fact.number!r}")
    if fact.event and fact.kind not in TIME_KINDS:
        messages.append(f"event: true only marks date and year facts, not a {fact.kind} fact")
    # Imported here: the registry imports the builders, which import this module's siblings.
    from quizapp.core.question_types import TYPES

    for name in fact.skip_types:
        if name not in TYPES:
            messages.append(
                f"skip_types: {name!r} is not a question type ({', '.join(sorted(TYPES))})"
            )
    return messages


def false_statement_problems(fact: Fact) -> list[str]:
    """Curated false statements must differ from the statement and leave the answer out."""
    messages: list[str] = []
    seen: set[str] = set()
    for sentence in fact.false_statements:
        folded = normalise(sentence)
        if folded == normalise(fact.statement):
            messages.append(f"false statement {sentence!r} is the statement itself")
        elif folded in seen:
            messages.append(f"false statement {sentence!r} is listed twice")
        else:
            named = [form for form in fact.accepted if word_spans(sentence, form, True)]
            if named:
                messages.append(
                    f"false statement {sentence!r} still contains the answer {named[0]!r} "
                    "(it would be true): change the point it gets wrong"
                )
        seen.add(folded)
    return messages


def _value_problems(fact: Fact) -> list[str]:
    if fact.kind == "date":
        if parse_date(fact.answer) is None:
            return [f"answer {fact.answer!r} is not a date this app can read"]
    elif fact.kind in NUMERIC_KINDS:
        quantity = parse_quantity(fact.answer)
        if quantity is None:
            return [f"answer {fact.answer!r} is not one number"]
        if fact.kind == "year" and not (quantity.value == int(quantity.value) > 0):
            return [f"answer {fact.answer!r} is not a year"]
    elif fact.tolerance:
        return ["tolerance only applies to number and year facts"]
    return []


def answer_supported(fact: Fact) -> bool:
    """Whether the evidence states the answer: by words, or by value for dates and numbers."""
    evidence = fact.evidence.text
    if any(contains_phrase(evidence, form) for form in fact.accepted):
        return True
    if fact.kind == "date":
        wanted = {parse_date(form) for form in fact.accepted} - {None}
        return any(m.date in wanted for m in find_dates(evidence))
    if fact.kind in NUMERIC_KINDS:
        wanted_values = {q.value for q in map(parse_quantity, fact.accepted) if q}
        return any(q.value in wanted_values for _, _, q in find_quantities(evidence))
    return False


def gives_away(text: str, fact: Fact) -> str | None:
    """The accepted answer that the text reveals, if it reveals one."""
    for form in fact.accepted:
        if contains_phrase(text, form):
            return form
    if fact.kind == "date":
        wanted = {parse_date(form) for form in fact.accepted} - {None}
        for mention in find_dates(text):
            if mention.date in wanted:
                return text[mention.start : mention.end]
    elif fact.kind in NUMERIC_KINDS:
        wanted_values = {q.value for q in map(parse_quantity, fact.accepted) if q}
        for _, _, quantity in find_quantities(text):
            if quantity.value in wanted_values:
                return str(quantity.value)
    return None


def summarise(bank: Bank) -> dict[str, Any]:
    """Counts for `bank check`: facts by language and kind, and passages covered."""
    by_language_kind = Counter((f.language, f.kind) for f in bank.facts)
    covered = {f.passage_id for f in bank.facts}
    documents = []
    for source in bank.sources.values():
        ids = [p.id for p in source.passages]
        documents.append(
            {
                "id": source.id,
                "language": source.language,
                "passages": len(ids),
                "covered": sum(1 for i in ids if i in covered),
                "uncovered": [i for i in ids if i not in covered],
            }
        )
    categories = Counter(
        (f.language, f.kind, f.category or "-") for f in bank.facts if f.kind in NAME_KINDS
    )
    return {
        "facts": len(bank.facts),
        "by_category": {f"{lang}/{kind}/{cat}": n for (lang, kind, cat), n in categories.items()},
        "by_language": dict(Counter(f.language for f in bank.facts)),
        "by_language_kind": {f"{lang}/{kind}": n for (lang, kind), n in by_language_kind.items()},
        "documents": documents,
    }
