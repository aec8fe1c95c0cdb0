"""Reading a bank folder: YAML and Markdown files into a validated `Bank`, all or nothing.

`load_bank` raises `BankError` listing every problem, each naming the file, the line or fact
id, and what is wrong. The rules a fact must meet are in `bank_rules`. See docs/bank-format.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from quizapp.core import safe_yaml, text_files
from quizapp.core.bank_model import (
    KINDS,
    LANGUAGES,
    SLUG,
    Bank,
    BankError,
    BankQuestion,
    Evidence,
    Fact,
    Problem,
    is_tolerance,
)
from quizapp.core.bank_rules import validate_facts
from quizapp.core.passages import Source, split_front_matter, split_passages
from quizapp.core.pools import read_pool

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
    "category",
    "gender",
    "number",
    "event",
    "false_statements",
    "skip_types",
}
REQUIRED_FACT_FIELDS = ("id", "language", "topic", "passage", "evidence", "statement", "answer")
SOURCE_FIELDS = {"title", "language", "origin", "licence", "attribution", "cleaning", "id"}
MANIFEST_FIELDS = {"id", "title", "description", "subject", "licence", "languages"}
QUESTIONS_FILE = "questions.yaml"


def _read_text(path: Path, name: str, problems: list[Problem]) -> str | None:
    """A bank file's text with "\\n" line ends, or None after adding its problems (not UTF-8,
    control characters such as NUL), each with its line.

    Read as bytes: Python's text mode would turn "\\r\\r\\n" into two line ends.
    """
    text, problem = text_files.decode(path.read_bytes())
    if problem is not None:
        problems.append(Problem(name, problem.line, problem.message))
        return None
    controls = text_files.control_characters(text)
    if controls:
        problems.extend(Problem(name, p.line, p.message) for p in controls)
        return None
    return text


def _read_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    """A bank YAML file's data with '__line__' in each mapping, or None after adding problems.

    Every line-end style is read; control characters, anchors, aliases and deep nesting are
    refused with their line (see quizapp.core.safe_yaml).
    """
    relative = _relative(path, root)
    text = _read_text(path, relative, problems)
    if text is None:
        return None
    try:
        return safe_yaml.load(text, lines=True)
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
    bank.questions = _load_questions(root, bank, problems, {fact.id for fact in facts})
    if problems:
        raise BankError(problems)
    bank.facts = facts
    return bank


def _load_questions(
    root: Path, bank: Bank, problems: list[Problem], fact_keys: set[str]
) -> list[BankQuestion]:
    """Hand-written and imported questions kept in questions.yaml (optional); a question's
    `fact_key` must name one of the bank's facts (`fact_keys`)."""
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
        if question.fact_key and question.fact_key not in fact_keys:
            messages.append(f"unknown fact {question.fact_key!r}")
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
    text = _read_text(path, name, problems)
    if text is None:
        return None
    front, body, first_line = split_front_matter(text)
    if front is None:
        problems.append(Problem(name, 1, "missing front matter (a block between --- lines)"))
        return None
    try:
        meta = safe_yaml.load(front) or {}
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else None
        problems.append(Problem(name, line, f"invalid front matter: {error.problem}"))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(name, 2, f"invalid front matter: {error}"))
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
        bank.pools[language] = read_pool(data, name, problems)


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
    if not is_tolerance(tolerance):
        problem("tolerance must be a number, zero or more")
        tolerance = 0
    garbled = data.get("source_garbled", False)
    if not isinstance(garbled, bool):
        problem("source_garbled must be true or false")
    for key in ("category", "gender", "number"):
        if data.get(key) is not None and not isinstance(data[key], str):
            problem(f"{key} must be a text, not {data[key]!r}")
    event = data.get("event", False)
    if not isinstance(event, bool):
        problem("event must be true or false")
    false_statements = data.get("false_statements") or []
    if not isinstance(false_statements, list) or not all(
        isinstance(s, str) for s in false_statements
    ):
        problem("false_statements must be a list of sentences")
        false_statements = []
    skip_types = _as_texts(data.get("skip_types"))
    if skip_types is None:
        problem("skip_types must be a list of question types (mcq, tf, cloze, ...)")
        skip_types = ()
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
        category=str(data["category"]).strip() if data.get("category") else None,
        gender=str(data["gender"]).strip() if data.get("gender") else None,
        number=str(data.get("number") or "singular").strip(),
        event=bool(event),
        false_statements=tuple(s.strip() for s in false_statements if s.strip()),
        skip_types=tuple(s.strip() for s in skip_types),
        file=name,
        line=line,
    )
