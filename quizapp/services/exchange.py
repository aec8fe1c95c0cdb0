"""Import and export: GIFT, Aiken and CSV question files, and whole banks as .zip folders.

An import is read and checked first and kept as a pending import for the teacher's preview;
confirming it stores everything in one transaction or nothing. Questions already in the bank
(same content) are skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import io
import secrets
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from flask_babel import gettext as _

from quizapp.core import bank as core
from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, PendingImport, Source, User
from quizapp.services.authoring import AuthoringError, save_question, touch
from quizapp.services.banks import core_bank, store_bank

QUESTION_FORMATS = ("gift", "aiken", "csv")


def _formats() -> dict[str, Any]:
    from quizapp.core.formats import FORMATS

    return FORMATS


MAX_ZIP_FILES = 2000
MAX_ZIP_BYTES = 50 * 1024 * 1024


class ImportError_(ValueError):
    """An import file that cannot be read; `problems` name the line (or file) and the problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Preview:
    """What an import would do, shown before anything is stored."""

    token: str
    file_format: str
    filename: str
    new: list[Authored] = field(default_factory=list)
    duplicates: list[Authored] = field(default_factory=list)
    skipped: list[tuple[Authored, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    bank_summary: dict[str, Any] | None = None


def decode_upload(data: bytes) -> str:
    """The text of an uploaded file, which must be UTF-8 (a byte-order mark is allowed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportError_(
            [_("line %(line)s: the file is not UTF-8 text; save it as UTF-8.", line=line)]
        ) from None
    line = _nul_line(text)
    if line is not None:
        raise ImportError_([_("line %(line)s: a NUL character (code 0) is not text.", line=line)])
    return text


def _nul_line(text: str) -> int | None:
    """The line of the first NUL character, or None: PostgreSQL stores none in text or JSON."""
    at = text.find("\x00")
    return None if at < 0 else text.count("\n", 0, at) + 1


def parse_questions(file_format: str, text: str, language: str) -> tuple[list, list, list[str]]:
    """Parse a question file: (questions, skipped with reasons, line-numbered problems)."""
    if file_format not in QUESTION_FORMATS:
        raise ImportError_([_("Unknown format %(format)s.", format=file_format)])
    result = _formats()[file_format].parse(text)
    for question in result.questions:
        question.language = question.language or language
        # Several "=" answers without weights: Moodle grades any of them right, one choice.
        if question.type == "multi" and all(c.weight is None for c in question.choices):
            question.type = "mcq"
    problems = [str(p) for p in result.problems]
    return result.questions, result.skipped, problems


def read_zip(data: bytes) -> dict[str, str]:
    """The text files of a bank folder packed as .zip, by path inside the bank folder."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportError_([_("The file is not a .zip archive.")]) from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_FILES or sum(m.file_size for m in members) > MAX_ZIP_BYTES:
        raise ImportError_([_("The archive is too large to be a question bank.")])
    manifests = [m.filename for m in members if PurePosixPath(m.filename).name == "bank.yaml"]
    if len(manifests) != 1:
        raise ImportError_([_("The archive must hold exactly one bank folder with a bank.yaml.")])
    root = PurePosixPath(manifests[0]).parent
    files: dict[str, str] = {}
    for member in members:
        path = PurePosixPath(member.filename)
        if path.is_absolute() or ".." in path.parts:
            raise ImportError_([_("%(name)s: unsafe path in the archive.", name=member.filename)])
        try:
            relative = path.relative_to(root)
        except ValueError:
            continue
        if relative.suffix not in (".yaml", ".md", ".txt"):
            continue
        try:
            files[str(relative)] = archive.read(member).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportError_([_("%(name)s: not UTF-8 text.", name=member.filename)]) from None
        line = _nul_line(files[str(relative)])
        if line is not None:
            raise ImportError_(
                [
                    _(
                        "%(name)s, line %(line)s: a NUL character (code 0) is not text.",
                        name=member.filename,
                        line=line,
                    )
                ]
            )
    return files


def load_files(files: dict[str, str], slug: str) -> core.Bank:
    """Validate a bank given as {path: text} with the bank rules; its id becomes `slug`."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / slug
        for relative, text in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            loaded = core.load_bank(root)
        except core.BankError as error:
            raise ImportError_([str(p) for p in error.problems]) from None
    loaded.id = slug
    return loaded


def prepare_import(
    bank: Bank, user: User, file_format: str, filename: str, data: bytes, language: str
) -> Preview:
    """Read an upload and keep it as a pending import; the preview says what it would do."""
    token = secrets.token_hex(16)
    if file_format == "zip" and bank.managed_in == "folder":
        raise ImportError_(
            [
                _(
                    "This bank is kept in the folder questions/%(slug)s; import the .zip into "
                    "a new bank instead.",
                    slug=bank.slug,
                )
            ]
        )
    if file_format == "zip":
        files = read_zip(data)
        loaded = load_files(files, bank.slug)
        payload: dict[str, Any] = {"files": files}
        preview = Preview(token, file_format, filename, bank_summary=_bank_summary(loaded))
    else:
        questions, skipped, problems = parse_questions(file_format, decode_upload(data), language)
        if problems:
            raise ImportError_(problems)
        have = _fingerprints(bank)
        preview = Preview(token, file_format, filename, skipped=skipped)
        seen: set[str] = set()
        for question in questions:
            fingerprint = question.fingerprint()
            if fingerprint in have or fingerprint in seen:
                preview.duplicates.append(question)
            else:
                preview.new.append(question)
            seen.add(fingerprint)
        payload = {
            "questions": [q.to_dict() for q in questions],
            "skipped": [[q.to_dict(), reason] for q, reason in skipped],
            "language": language,
        }
    db.session.add(
        PendingImport(
            id=token,
            bank_id=bank.id,
            user_id=user.id,
            file_format=file_format,
            filename=filename[:256],
            payload=payload,
        )
    )
    db.session.flush()
    return preview


def _bank_summary(loaded: core.Bank) -> dict[str, Any]:
    summary = core.summarise(loaded)
    summary["sources"] = [s.title for s in loaded.sources.values()]
    summary["questions"] = len(loaded.questions)
    return summary


def _fingerprints(bank: Bank) -> set[str]:
    return set(
        db.session.scalars(
            db.select(AuthoredQuestion.fingerprint).where(AuthoredQuestion.bank_id == bank.id)
        )
    )


def pending_for(user: User, token: str) -> PendingImport | None:
    """A pending import of this user."""
    pending = db.session.get(PendingImport, token)
    return pending if pending is not None and pending.user_id == user.id else None


def preview_pending(pending: PendingImport) -> Preview:
    """Rebuild the preview of a pending import (for the preview page)."""
    bank = db.session.get(Bank, pending.bank_id)
    assert bank is not None
    if pending.file_format == "zip":
        loaded = load_files(pending.payload["files"], bank.slug)
        return Preview(pending.id, "zip", pending.filename, bank_summary=_bank_summary(loaded))
    questions = [Authored.from_dict(q) for q in pending.payload["questions"]]
    have = _fingerprints(bank)
    preview = Preview(pending.id, pending.file_format, pending.filename)
    seen: set[str] = set()
    for question in questions:
        fingerprint = question.fingerprint()
        target = preview.duplicates if fingerprint in have or fingerprint in seen else preview.new
        target.append(question)
        seen.add(fingerprint)
    preview.skipped = [
        (Authored.from_dict(data), reason) for data, reason in pending.payload.get("skipped", [])
    ]
    return preview


def commit_import(pending: PendingImport) -> dict[str, int]:
    """Store a pending import, all of it or nothing (the caller commits)."""
    bank = db.session.get(Bank, pending.bank_id)
    assert bank is not None
    if pending.file_format == "zip":
        loaded = load_files(pending.payload["files"], bank.slug)
        _rename_clashing_sources(loaded, bank)
        result = store_bank(loaded, "", managed_in="browser")
        if result.status == "invalid":
            raise ImportError_(result.problems)
        touch(bank)
        db.session.delete(pending)
        return {"facts": len(loaded.facts), "questions": len(loaded.questions)}
    added = duplicates = 0
    have = _fingerprints(bank)
    for data in pending.payload["questions"]:
        question = Authored.from_dict(data)
        if question.fingerprint() in have:
            duplicates += 1
            continue
        try:
            save_question(bank, question, None, origin="import")
        except AuthoringError as error:
            raise ImportError_(error.problems) from None
        have.add(question.fingerprint())
        added += 1
    db.session.delete(pending)
    return {"questions": added, "duplicates": duplicates}


def _rename_clashing_sources(loaded: core.Bank, bank: Bank) -> None:
    """Source ids are unique across banks: give another bank's ids a prefix in this one."""
    taken = set(db.session.scalars(db.select(Source.slug).where(Source.bank_id != bank.id)))
    renames = {old: f"{bank.slug}-{old}" for old in loaded.sources if old in taken}
    if not renames:
        return
    sources = {}
    for old, source in loaded.sources.items():
        new = renames.get(old, old)
        source.id = new
        source.passages = [
            core.Passage(f"{new}#{p.anchor}", new, p.anchor, p.text, p.position, p.line, p.anchored)
            for p in source.passages
        ]
        sources[new] = source
    loaded.sources = sources
    loaded.facts = [_renamed_fact(f, renames) for f in loaded.facts]
    for item in loaded.questions:
        if item.passage_id:
            document, _sep, anchor = item.passage_id.partition("#")
            item.passage_id = f"{renames.get(document, document)}#{anchor}"


def _renamed_fact(fact: core.Fact, renames: dict[str, str]) -> core.Fact:
    from dataclasses import replace

    document, _sep, anchor = fact.passage_id.partition("#")
    return replace(fact, passage_id=f"{renames.get(document, document)}#{anchor}")


def import_file(
    bank: Bank, user: User, file_format: str, path: Path, language: str
) -> tuple[Preview, dict[str, int]]:
    """Preview and store an import in one go (the command line's path; the caller commits)."""
    preview = prepare_import(bank, user, file_format, path.name, path.read_bytes(), language)
    pending = db.session.get(PendingImport, preview.token)
    assert pending is not None
    return preview, commit_import(pending)


def export_questions(bank: Bank, file_format: str) -> tuple[str, list[tuple[Authored, str]]]:
    """The bank's hand-written and imported questions as GIFT or Aiken (or CSV) text."""
    rows = db.session.scalars(
        db.select(AuthoredQuestion)
        .where(AuthoredQuestion.bank_id == bank.id, AuthoredQuestion.retired.is_(False))
        .order_by(AuthoredQuestion.id)
    )
    questions = [Authored.from_dict(row.data) for row in rows]
    return _formats()[file_format].write(questions)


def export_zip(bank: Bank) -> bytes:
    """The whole bank as a bank folder in a .zip (sources, facts, pools, questions)."""
    loaded = core_bank(bank)
    # Ids in the file are positions, not database ids, so an export of a re-import is equal.
    for number, item in enumerate(loaded.questions, start=1):
        item.id = f"q{number}"
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / bank.slug
        core.dump_bank(loaded, root)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.write(path, str(Path(bank.slug) / path.relative_to(root)))
    return buffer.getvalue()
