"""The bank folder format: load a bank from disk, validate all of it, report every problem.

A bank either loads whole or not at all: `load_bank` raises `BankError` listing every problem,
each naming the file, the line or fact id, and what is wrong. See docs/bank-format.md.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quizapp.core.passages import Passage, Source, split_front_matter, split_passages
from quizapp.core.values import (
    contains_phrase,
    find_dates,
    find_quantities,
    normalise,
    parse_date,
    parse_quantity,
)

LANGUAGES = ("en", "es")
KINDS = ("date", "year", "number", "person", "place", "organisation", "event", "term")
NUMERIC_KINDS = ("year", "number")
POOL_KINDS = ("person", "place", "organisation", "event", "term")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FACT_FIELDS = {
    "id",
    "language",
    "topic",
    "passage",
    "evidence",
    "statement",
    "answer",
    "kind",
    "stems",
    "alternatives",
    "label",
    "tolerance",
    "exclude_distractors",
    "note",
    "source_garbled",
}
REQUIRED_FACT_FIELDS = ("id", "language", "topic", "passage", "evidence", "statement", "answer")
SOURCE_FIELDS = {"title", "language", "origin", "licence", "attribution", "cleaning", "id"}
MANIFEST_FIELDS = {"id", "title", "description", "subject", "licence", "languages"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank: where it is and what is wrong."""

    file: str
    line: int | None
    message: str
    fact_id: str | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        who = f" fact {self.fact_id}:" if self.fact_id else ""
        return f"{where}:{who} {self.message}"


class BankError(Exception):
    """A bank that failed validation; `problems` lists everything that is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the bank:\n{lines}")


@dataclass(frozen=True)
class Evidence:
    """The verbatim words of a passage that prove a fact, by character offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    """A true statement with its answer, anchored to its evidence in one passage."""

    id: str
    language: str
    topic: str
    passage_id: str
    evidence: Evidence
    statement: str
    answer: str
    kind: str
    stems: tuple[str, ...]
    alternatives: tuple[str, ...] = ()
    label: str | None = None
    tolerance: float = 0.0
    exclude_distractors: tuple[str, ...] = ()
    note: str | None = None
    source_garbled: bool = False
    file: str = ""
    line: int | None = None

    @property
    def document_id(self) -> str:
        """The id of the source document the fact's passage belongs to."""
        return self.passage_id.split("#", 1)[0]

    @property
    def accepted(self) -> tuple[str, ...]:
        """The answer and every accepted alternative."""
        return (self.answer, *self.alternatives)


@dataclass
class Bank:
    """A whole bank: manifest, sources with passages, facts and distractor pools."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    subject: str
    licence: str
    languages: list[str]
    sources: dict[str, Source] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    pools: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    questions: list[BankQuestion] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    path: Path | None = None

    def passage(self, passage_id: str) -> Passage | None:
        """Look a passage up by its full id `<document>#<anchor>`."""
        document_id, _, anchor = passage_id.partition("#")
        source = self.sources.get(document_id)
        return source.passage(anchor) if source else None

    def source_of(self, fact: Fact) -> Source:
        """The source document a fact's evidence comes from."""
        return self.sources[fact.document_id]


@dataclass
class BankQuestion:
    """A hand-written or imported question of a bank, with its id and optional passage."""

    id: str
    question: Any  # quizapp.core.authored.AuthoredQuestion (imported late: it needs this module)
    passage_id: str | None = None


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line each mapping starts on, under '__line__'."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    relative = _relative(path, root)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except UnicodeDecodeError as error:
        problems.append(Problem(relative, None, f"not valid UTF-8 ({error.reason})"))
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        problems.append(Problem(relative, line, f"invalid YAML: {error.problem}"))
    except yaml.YAMLError as error:
        problems.append(Problem(relative, None, f"invalid YAML: {error}"))
    return None


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def load_bank(path: str | Path) -> Bank:
    """Load and validate a bank folder; raise BankError listing every problem if any."""
    root = Path(path)
    problems: list[Problem] = []
    if not root.is_dir():
        raise BankError([Problem(str(root), None, "no such bank folder")])
    bank = _load_manifest(root, problems)
    _load_sources(root, bank, problems)
    _load_pools(root, bank, problems)
    facts = _load_facts(root, bank, problems)
    problems.extend(validate_facts(bank, facts))
    bank.questions = _load_questions(root, bank, problems)
    if problems:
        raise BankError(problems)
    bank.facts = facts
    return bank


QUESTIONS_FILE = "questions.yaml"


def _load_questions(root: Path, bank: Bank, problems: list[Problem]) -> list[BankQuestion]:
    """Hand-written and imported questions kept in questions.yaml (optional)."""
    from quizapp.core.authored import AuthoredQuestion, authored_problems

    path = root / QUESTIONS_FILE
    if not path.exists():
        return []
    name = _relative(path, root)
    data = _read_yaml(path, root, problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(name, 1, "questions.yaml holds a list of questions"))
        return []
    loaded: list[BankQuestion] = []
    seen: set[str] = set()
    for entry in data:
        line = entry.get("__line__") if isinstance(entry, dict) else None
        if not isinstance(entry, dict):
            problems.append(Problem(name, line, "each question must be a mapping of fields"))
            continue
        values = _strip_lines(entry)
        question_id = str(values.pop("id", "") or "")
        passage_id = values.pop("passage", None)
        if not SLUG.match(question_id):
            problems.append(Problem(name, line, "a question needs an id (letters, digits, -)"))
            continue
        if question_id in seen:
            problems.append(Problem(name, line, f"duplicate question id {question_id!r}"))
            continue
        seen.add(question_id)
        try:
            question = AuthoredQuestion.from_dict(values)
        except (TypeError, ValueError) as error:
            problems.append(Problem(name, line, f"question {question_id}: {error}"))
            continue
        question.line = line
        messages = authored_problems(question)
        if passage_id and bank.passage(passage_id) is None:
            messages.append(f"unknown passage {passage_id!r}")
        if question.language and question.language not in bank.languages:
            messages.append(f"language {question.language!r} is not one of the bank's")
        problems.extend(Problem(name, line, f"question {question_id}: {m}") for m in messages)
        loaded.append(BankQuestion(question_id, question, passage_id))
    return loaded


def _load_manifest(root: Path, problems: list[Problem]) -> Bank:
    manifest_path = root / "bank.yaml"
    name = _relative(manifest_path, root)
    bank = Bank(id=root.name, title={}, description={}, subject="", licence="", languages=[])
    bank.path = root
    if not manifest_path.exists():
        problems.append(Problem(name, None, "missing manifest bank.yaml"))
        return bank
    data = _read_yaml(manifest_path, root, problems)
    if data is None:
        return bank
    if not isinstance(data, dict):
        problems.append(Problem(name, 1, "the manifest must be a mapping of fields"))
        return bank
    data = _strip_lines(data)
    for unknown in sorted(set(data) - MANIFEST_FIELDS):
        problems.append(Problem(name, None, f"unknown field {unknown!r}"))
    bank.id = str(data.get("id") or "")
    if not SLUG.match(bank.id):
        problems.append(Problem(name, None, "id must be lowercase letters, digits and hyphens"))
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages:
        problems.append(Problem(name, None, "languages must be a list such as [en, es]"))
        languages = []
    for language in languages:
        if language not in LANGUAGES:
            problems.append(
                Problem(name, None, f"unknown language {language!r} (use {', '.join(LANGUAGES)})")
            )
    bank.languages = [lang for lang in languages if lang in LANGUAGES]
    for key in ("title", "description"):
        value = data.get(key)
        if not isinstance(value, dict):
            problems.append(Problem(name, None, f"{key} must give one text per language"))
            continue
        for language in bank.languages:
            if not str(value.get(language) or "").strip():
                problems.append(Problem(name, None, f"{key} has no {language} text"))
        setattr(bank, key, {str(k): str(v) for k, v in value.items()})
    for key in ("subject", "licence"):
        if not str(data.get(key) or "").strip():
            problems.append(Problem(name, None, f"{key} is required"))
        setattr(bank, key, str(data.get(key) or ""))
    return bank


def _load_sources(root: Path, bank: Bank, problems: list[Problem]) -> None:
    folder = root / "sources"
    files = sorted(folder.glob("*.md")) + sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        problems.append(Problem(_relative(folder, root), None, "no source documents (*.md)"))
    for path in files:
        source = load_source(path, root, bank.languages, problems)
        if source is not None:
            bank.sources[source.id] = source
    for source in bank.sources.values():
        for passage in source.passages:
            if not passage.anchored:
                bank.warnings.append(
                    Problem(
                        _relative(folder / f"{source.id}.md", root),
                        passage.line,
                        f"passage has no {{#id}} anchor line; it is {passage.id} by position, "
                        "which shifts if a passage is inserted before it",
                    )
                )


def load_source(
    path: Path, root: Path, languages: Iterable[str], problems: list[Problem]
) -> Source | None:
    """Read one source document file: front matter and passages."""
    name = _relative(path, root)
    document_id = path.stem
    if not SLUG.match(document_id):
        problems.append(
            Problem(name, None, "file name must be lowercase letters, digits and hyphens")
        )
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(name, None, f"not valid UTF-8 ({error.reason})"))
        return None
    front, body, first_line = split_front_matter(text)
    if front is None:
        problems.append(Problem(name, 1, "missing front matter (a block between --- lines)"))
        return None
    try:
        meta = yaml.safe_load(front) or {}
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else None
        problems.append(Problem(name, line, f"invalid front matter: {error.problem}"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(name, 2, "front matter must be a mapping of fields"))
        return None
    before = len(problems)
    for unknown in sorted(set(meta) - SOURCE_FIELDS):
        problems.append(Problem(name, None, f"unknown front matter field {unknown!r}"))
    if "id" in meta and meta["id"] != document_id:
        problems.append(Problem(name, None, f"id {meta['id']!r} differs from the file name"))
    for key in ("title", "language", "origin", "licence", "attribution"):
        if not str(meta.get(key) or "").strip():
            problems.append(Problem(name, None, f"front matter needs {key}"))
    language = meta.get("language")
    if language and language not in languages:
        problems.append(
            Problem(name, None, f"language {language!r} is not one of the bank's languages")
        )
    passages, split_problems = split_passages(document_id, body, first_line)
    problems.extend(Problem(name, p.line, p.message) for p in split_problems)
    if not passages:
        problems.append(Problem(name, None, "the document has no text"))
    if len(problems) > before:
        return None
    return Source(
        id=document_id,
        title=str(meta["title"]),
        language=str(language),
        origin=str(meta["origin"]),
        licence=str(meta["licence"]),
        attribution=str(meta["attribution"]),
        cleaning=str(meta.get("cleaning") or ""),
        passages=passages,
    )


def _load_pools(root: Path, bank: Bank, problems: list[Problem]) -> None:
    folder = root / "pools"
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        name = _relative(path, root)
        language = path.stem
        if language not in bank.languages:
            problems.append(Problem(name, None, f"{language!r} is not one of the bank's languages"))
            continue
        data = _read_yaml(path, root, problems)
        if data is None:
            continue
        data = _strip_lines(data)
        if not isinstance(data, dict):
            problems.append(Problem(name, 1, "a pool file maps each kind to a list of values"))
            continue
        pools: dict[str, list[str]] = {}
        for kind, values in data.items():
            if kind not in POOL_KINDS:
                problems.append(
                    Problem(name, None, f"unknown kind {kind!r} (use {', '.join(POOL_KINDS)})")
                )
                continue
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                problems.append(Problem(name, None, f"{kind}: a list of texts is expected"))
                continue
            folded = Counter(normalise(v) for v in values)
            for value, count in folded.items():
                if count > 1:
                    problems.append(Problem(name, None, f"{kind}: {value!r} is listed twice"))
            pools[kind] = [v.strip() for v in values if v.strip()]
        bank.pools[language] = pools


def _load_facts(root: Path, bank: Bank, problems: list[Problem]) -> list[Fact]:
    folder = root / "facts"
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        problems.append(Problem(_relative(folder, root), None, "no fact files (*.yaml)"))
    facts: list[Fact] = []
    for path in files:
        name = _relative(path, root)
        data = _read_yaml(path, root, problems)
        if data is None:
            continue
        if not isinstance(data, list):
            problems.append(Problem(name, 1, "a fact file holds a list of facts (- id: ...)"))
            continue
        for entry in data:
            fact = _fact_from_entry(entry, name, problems)
            if fact is not None:
                facts.append(fact)
    return facts


def _as_texts(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return tuple(str(v) for v in value)
    return None


def _fact_from_entry(entry: Any, name: str, problems: list[Problem]) -> Fact | None:
    if not isinstance(entry, dict):
        problems.append(Problem(name, None, "each fact must be a mapping of fields"))
        return None
    line = entry.get("__line__")
    fact_id = str(entry.get("id") or "") or None

    def problem(message: str) -> None:
        problems.append(Problem(name, line, message, fact_id))

    before = len(problems)
    data = _strip_lines(entry)
    for unknown in sorted(set(data) - FACT_FIELDS):
        problem(f"unknown field {unknown!r}")
    for key in REQUIRED_FACT_FIELDS:
        if data.get(key) in (None, ""):
            problem(f"{key} is required")
    if fact_id and not SLUG.match(fact_id):
        problem("id must be lowercase letters, digits and hyphens")
    kind = data.get("kind")
    if kind not in KINDS:
        problem(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    evidence = data.get("evidence")
    if not (
        isinstance(evidence, dict)
        and isinstance(evidence.get("text"), str)
        and isinstance(evidence.get("start"), int)
        and isinstance(evidence.get("end"), int)
    ):
        problem("evidence needs text, start and end (character offsets into the passage)")
        evidence = None
    stems = _as_texts(data.get("stems"))
    if not stems:
        problem("stems must be a list of one or more questions")
    alternatives = _as_texts(data.get("alternatives"))
    if alternatives is None:
        problem("alternatives must be a list of texts")
    excluded = _as_texts(data.get("exclude_distractors"))
    if excluded is None:
        problem("exclude_distractors must be a list of texts")
    tolerance = data.get("tolerance", 0)
    if not _is_tolerance(tolerance):
        problem("tolerance must be a number, zero or more")
        tolerance = 0
    garbled = data.get("source_garbled", False)
    if not isinstance(garbled, bool):
        problem("source_garbled must be true or false")
    if len(problems) > before:
        return None
    assert evidence is not None and stems and alternatives is not None and excluded is not None
    return Fact(
        id=str(data["id"]),
        language=str(data["language"]),
        topic=str(data["topic"]),
        passage_id=str(data["passage"]),
        evidence=Evidence(evidence["text"], evidence["start"], evidence["end"]),
        statement=str(data["statement"]).strip(),
        answer=str(data["answer"]).strip(),
        kind=str(kind),
        stems=tuple(s.strip() for s in stems),
        alternatives=tuple(a.strip() for a in alternatives),
        label=str(data["label"]).strip() if data.get("label") else None,
        tolerance=float(tolerance),
        exclude_distractors=excluded,
        note=str(data["note"]).strip() if data.get("note") else None,
        source_garbled=bool(garbled),
        file=name,
        line=line,
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


def _is_tolerance(value: object) -> bool:
    """A finite number, zero or more (YAML's .nan and .inf are floats, and not tolerances)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


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
    if fact.answer not in fact.statement:
        messages.append(f"the statement does not contain the answer {fact.answer!r} as written")
    messages.extend(_value_problems(fact))
    if not _is_tolerance(fact.tolerance):
        messages.append(f"tolerance {fact.tolerance!r} is not a finite number, zero or more")
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
    return {
        "facts": len(bank.facts),
        "by_language": dict(Counter(f.language for f in bank.facts)),
        "by_language_kind": {f"{lang}/{kind}": n for (lang, kind), n in by_language_kind.items()},
        "documents": documents,
    }


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
        for language, by_kind in bank.pools.items():
            (pools / f"{language}.yaml").write_text(_yaml(by_kind), encoding="utf-8")
    if bank.questions:
        entries = []
        for item in bank.questions:
            entry: dict[str, Any] = {"id": item.id}
            if item.passage_id:
                entry["passage"] = item.passage_id
            entry.update(item.question.to_dict())
            entries.append(entry)
        (folder / QUESTIONS_FILE).write_text(_yaml(entries), encoding="utf-8")
