"""What a fair reader of a typed answer knows from the whole bank, frozen into each question.

Some answers are right only because of what the bank as a whole says, so they are worked out
once per bank (`AnswerFormIndex`, built by `QuestionPool`) and frozen into every generated
question; an attempt is then checked against its frozen copy even after the bank changes.

* **Short names** (`AnswerForms.derived`): a person's surname alone ("Maniu" for "Iuliu Maniu")
  and a monarch's given name alone, without title, regnal numeral or land ("Michael", "Mihai"
  for "King Michael I"), but only when no other person the bank names in that language (facts'
  answers and alternatives, pools, excluded distractors) has the same short name: two
  Antonescus make "Antonescu" ambiguous, so it is accepted only if curators list it.
* **The evidence's own longer words** (also in `derived`): a phrase of the evidence or the
  statement that holds an accepted form and adds at most two modifier words before it (and, in
  Spanish, after it), such as "pro-Soviet communist saboteurs" for "communist saboteurs". A
  modifier is an adjective-like word (`MODIFIERS`, adjective endings); prepositions, numbers,
  months and words of another name the bank knows are never added.
* **Rivals** (`AnswerForms.rivals`): the bank's other names of the same kind and language that
  are near an accepted form; a misspelling at least as close to one of them is not a typo.
* **The known date** (`AnswerForms.known_date`): the fact's date as precisely as its accepted
  forms, statement and evidence state it ("12 September" with a statement of "12 September
  1944" is known to be 1944), so a learner's extra precision can be checked. Parts on which the
  fact's mentions disagree stay unknown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from quizapp.core.bank import Bank, Fact
from quizapp.core.names import (
    NAME_KINDS,
    PREPOSITIONS,
    ROMAN_NUMERALS,
    SURNAME_PARTICLES,
    has_monarch_title,
    is_regnal,
    segments,
    strip_regnal,
    strip_territory,
    strip_titles,
    typo_budget,
)
from quizapp.core.values import MONTH_NUMBERS, PartialDate, find_dates, normalise, parse_date

MAX_MODIFIERS = 2
MODIFIERS = {
    "en": frozenset(
        {"pro", "anti", "allied", "soviet", "nazi", "small", "little", "large", "big", "great"}
        | {"major", "main", "only", "significant", "early", "late", "new", "old", "former"}
        | {"communist", "fascist", "socialist", "nationalist", "german", "american", "jewish"}
        | {"offensive", "decisive", "massive", "organised", "organized", "armed"}
    ),
    "es": frozenset(
        {"pro", "anti", "aliado", "aliados", "aliada", "aliadas", "nazi", "nazis", "gran"}
        | {"grandes", "pequeno", "pequenos", "pequena", "pequenas", "principal", "principales"}
        | {"nuevo", "nueva", "antiguo", "antigua", "primer", "primera", "solo"}
    ),
}
ADJECTIVE_ENDINGS = {
    "en": ("ian", "ic", "ical", "onal", "ial", "ral", "ous", "ful", "less", "ary", "ese", "ern"),
    "es": (
        *("ico", "ica", "icos", "icas", "ista", "istas", "al", "ales", "ano", "ana", "anos"),
        *("anas", "ense", "enses", "oso", "osa", "osos", "osas", "ivo", "iva", "ivos", "ivas"),
    ),
}


@dataclass(frozen=True)
class AnswerForms:
    """Bank knowledge about one fact's answer, frozen into its questions."""

    derived: tuple[str, ...] = ()
    rivals: tuple[str, ...] = ()
    known_date: PartialDate | None = None

    def as_fields(self) -> dict[str, Any]:
        """The `Question` fields that freeze these forms (plain JSON-ready values)."""
        date = self.known_date
        return {
            "derived_forms": list(self.derived),
            "rival_names": list(self.rivals),
            "known_date": [date.year, date.month, date.day] if date else None,
        }


def pool_texts(value: Any) -> Iterator[str]:
    """Every name in a pool value: a text, a `{text: ...}` entry or an object with `.text`, a
    list, or a category map (both pool forms of the issue 8 bank format)."""
    if isinstance(value, str):
        if value.strip():
            yield value.strip()
    elif isinstance(getattr(value, "text", None), str):
        yield from pool_texts(value.text)
    elif isinstance(value, dict):
        if isinstance(value.get("text"), str):
            yield from pool_texts(value["text"])
        else:
            for item in value.values():
                yield from pool_texts(item)
    elif isinstance(value, Iterable):
        for item in value:
            yield from pool_texts(item)


@dataclass
class _Person:
    """One person the bank names: every full form of the name, and whether a monarch."""

    forms: set[tuple[str, ...]] = field(default_factory=set)
    monarch: bool = False


class AnswerFormIndex:
    """The bank's names per language and kind, and its persons, indexed once per bank."""

    def __init__(self, bank: Bank):
        self.bank = bank
        # (language, kind) -> normalised name -> ids of the facts it is an accepted form of
        self._names: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
        self._all_names: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self._persons: dict[str, list[_Person]] = defaultdict(list)
        self._person_of_fact: dict[str, int] = {}
        self._cache: dict[str, AnswerForms] = {}
        for fact in bank.facts:
            if fact.kind in NAME_KINDS:
                for form in fact.accepted:
                    self._add_name(fact.language, fact.kind, form, fact.id)
                for other in fact.exclude_distractors:
                    self._add_name(fact.language, fact.kind, other, None)
        for language, entries in (bank.pools or {}).items():
            if isinstance(entries, dict):  # {kind: values}, as a bank folder's file holds it
                for kind, values in entries.items():
                    for text in pool_texts(values):
                        self._add_name(language, kind, text, None)
            else:  # [PoolEntry], as core.pools reads both forms
                for entry in entries:
                    self._add_name(language, entry.kind, entry.text, None)
        self._index_persons()
        self._owners = self._short_name_owners()

    def _add_name(self, language: str, kind: str, text: str, fact_id: str | None) -> None:
        folded = normalise(text)
        if not folded:
            return
        owners = self._names[(language, kind)].setdefault(folded, set())
        if fact_id:
            owners.add(fact_id)
        self._all_names[language].add(tuple(folded.split()))

    def _index_persons(self) -> None:
        """Group person names into persons: facts sharing a full name are one person."""
        for language in {lang for lang, kind in self._names if kind == "person"}:
            persons = self._persons[language]
            by_form: dict[tuple[str, ...], int] = {}
            facts = [f for f in self.bank.facts if f.language == language and f.kind == "person"]
            for fact in facts:
                words = [normalise(form).split() for form in fact.accepted]
                full = {tuple(strip_titles(w)) for w in words if len(strip_titles(w)) >= 2}
                known = [by_form[f] for f in full if f in by_form]
                index = known[0] if known else len(persons)
                if not known:
                    persons.append(_Person())
                person = persons[index]
                person.forms |= {tuple(strip_titles(w)) for w in words if w}
                person.monarch |= any(has_monarch_title(w) or is_regnal(w) for w in words)
                for form in full:
                    by_form[form] = index
                self._person_of_fact[fact.id] = index
            for name, fact_ids in self._names[(language, "person")].items():
                if fact_ids:
                    continue
                words = strip_titles(name.split())
                if tuple(words) not in by_form:
                    by_form[tuple(words)] = len(persons)
                    persons.append(_Person({tuple(words)}, has_monarch_title(name.split())))

    @staticmethod
    def _short_names(person: _Person) -> set[tuple[str, ...]]:
        """A person's surname alone, or a monarch's given name alone."""
        shorts: set[tuple[str, ...]] = set()
        for form in person.forms:
            if len(form) == 1 and form[0] not in ROMAN_NUMERALS:
                shorts.add(form)
                continue
            core = strip_territory(list(form))
            if person.monarch:
                given = strip_regnal(core)
                if len(given) == 1:
                    shorts.add(tuple(given))
            elif len(core) >= 2 and core[-1] not in ROMAN_NUMERALS:
                shorts.add((core[-1],))
                if core[-2] in SURNAME_PARTICLES and len(core) >= 3:
                    shorts.add(tuple(core[-2:]))
        return shorts

    def _short_name_owners(self) -> dict[tuple[str, tuple[str, ...]], set[int]]:
        owners: dict[tuple[str, tuple[str, ...]], set[int]] = defaultdict(set)
        for language, persons in self._persons.items():
            for index, person in enumerate(persons):
                for short in self._short_names(person) | person.forms:
                    owners[(language, short)].add(index)
        return owners

    def forms(self, fact: Fact) -> AnswerForms:
        """The frozen knowledge for one fact's questions (computed once per fact)."""
        cached = self._cache.get(fact.id)
        if cached is None:
            cached = AnswerForms(
                derived=tuple(dict.fromkeys(self._derived(fact))),
                rivals=tuple(self._rivals(fact)),
                known_date=known_date(fact),
            )
            self._cache[fact.id] = cached
        return cached

    def _derived(self, fact: Fact) -> Iterator[str]:
        accepted = {normalise(form) for form in fact.accepted}
        if fact.kind == "person" and fact.id in self._person_of_fact:
            index = self._person_of_fact[fact.id]
            person = self._persons[fact.language][index]
            for short in sorted(self._short_names(person)):
                text = " ".join(short)
                if self._owners[(fact.language, short)] == {index} and text not in accepted:
                    yield text
        elif fact.kind in NAME_KINDS and fact.kind != "person":
            yield from self._evidence_phrases(fact, accepted)

    def _evidence_phrases(self, fact: Fact, accepted: set[str]) -> Iterator[str]:
        """Phrases of the evidence or statement that add only modifiers to an accepted form."""
        language = fact.language
        others = self._all_names[language] - {tuple(a.split()) for a in accepted}
        forms = [tuple(a.split()) for a in accepted if a]
        seen = set(accepted)
        for text in (fact.evidence.text, fact.statement):
            for segment in segments(text):
                words = normalise(segment).split()
                for form in forms:
                    for start in _occurrences(words, form):
                        for first, last in _extensions(
                            start, start + len(form), len(words), language
                        ):
                            extra = words[first:start] + words[start + len(form) : last]
                            phrase = " ".join(words[first:last])
                            if (
                                phrase not in seen
                                and all(_modifier(w, language) for w in extra)
                                and not _names_in(extra, others)
                            ):
                                seen.add(phrase)
                                yield phrase

    def _rivals(self, fact: Fact) -> list[str]:
        """Other names of the fact's kind near one of its accepted forms (see `names`)."""
        if fact.kind not in NAME_KINDS:
            return []
        names = self._names[(fact.language, fact.kind)]
        own = {normalise(form) for form in fact.accepted}
        same = {fact.id} | {fact_id for name in own for fact_id in names.get(name, ())}
        if fact.kind == "person":
            mine = self._person_of_fact.get(fact.id)
            same |= {f for f, index in self._person_of_fact.items() if index == mine}
        candidates = [name for name, fact_ids in names.items() if not fact_ids & same]
        reach_from = set(own)
        if fact.kind == "person":
            candidates += [
                " ".join(short)
                for (language, short), owners in self._owners.items()
                if language == fact.language and owners - {mine}
            ]
            reach_from |= set(self._derived(fact))
        rivals: dict[str, None] = {}
        for form in reach_from:
            reach = 2 * typo_budget(form)
            if reach == 0:
                continue
            for name, distance, _ in process.extract(
                form, candidates, scorer=OSA.distance, score_cutoff=reach, limit=None
            ):
                if distance <= reach and name not in own:
                    rivals[name] = None
        return list(rivals)


def _extensions(start: int, end: int, size: int, language: str) -> Iterator[tuple[int, int]]:
    """Spans that extend [start, end) by up to MAX_MODIFIERS words: before it in English, on
    either side in Spanish (where adjectives usually follow the noun)."""
    for left in range(MAX_MODIFIERS + 1):
        rights = range(MAX_MODIFIERS + 1 - left) if language == "es" else range(1)
        for right in rights:
            if (left or right) and start - left >= 0 and end + right <= size:
                yield start - left, end + right


def _occurrences(words: list[str], form: tuple[str, ...]) -> Iterator[int]:
    size = len(form)
    for start in range(len(words) - size + 1):
        if tuple(words[start : start + size]) == form:
            yield start


def _modifier(word: str, language: str) -> bool:
    """Whether a word may be an added modifier: adjective-like, not a value or function word."""
    if any(c.isdigit() for c in word) or word in MONTH_NUMBERS or word in PREPOSITIONS:
        return False
    if word in MODIFIERS.get(language, ()):
        return True
    return len(word) > 3 and word.endswith(ADJECTIVE_ENDINGS.get(language, ()))


def _names_in(words: list[str], names: set[tuple[str, ...]]) -> bool:
    """Whether any known name stands in the words as a contiguous run."""
    for size in range(1, len(words) + 1):
        for start in range(len(words) - size + 1):
            if tuple(words[start : start + size]) in names:
                return True
    return False


def known_date(fact: Fact) -> PartialDate | None:
    """The fact's date as precisely as its accepted forms, statement and evidence state it."""
    if fact.kind not in ("date", "year"):
        return None
    key = parse_date(fact.answer)
    if key is None:
        return None
    mentions = [parse_date(form) for form in fact.accepted]
    for text in (fact.statement, fact.evidence.text):
        mentions.extend(m.date for m in find_dates(text))
    parts = ("year", "month", "day")
    consistent = [
        m
        for m in mentions
        if m is not None
        and all(getattr(key, p) is None or getattr(m, p) == getattr(key, p) for p in parts)
    ]
    known = {}
    for part in parts:
        if getattr(key, part) is not None:
            known[part] = getattr(key, part)
            continue
        values = {getattr(m, part) for m in consistent} - {None}
        known[part] = values.pop() if len(values) == 1 else None
    # A day is only meaningful with its month, a month with a year or a day.
    if known["month"] is None:
        known["day"] = None
    return PartialDate(known["year"], known["month"], known["day"])


__all__ = ["AnswerFormIndex", "AnswerForms", "known_date", "pool_texts"]
