"""Import and export: GIFT, Aiken and CSV question files, and whole banks as .zip folders.

An import is read and checked first and kept as a pending import for the teacher's preview;
confirming it stores everything in one transaction or nothing. Questions already in the bank
(same content) are skipped, so importing the same file twice adds nothing. Importing needs the
right to edit the bank (checked again when confirming); exporting, the right to see it.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import secrets
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from quizapp.core import bank as core
from quizapp.core import text_files
from quizapp.core.authored import AuthoredQuestion as Authored
from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, PendingImport, Source, User, utcnow
from quizapp.services import archives, permissions
from quizapp.services.authoring import AuthoringError, save_question, touch
from quizapp.services.banks import core_bank, store_bank

QUESTION_FORMATS = ("gift", "aiken", "csv")


def _formats() -> dict[str, Any]:
    from quizapp.core.formats import FORMATS

    return FORMATS


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
    """The text of an uploaded file, which must be UTF-8 (a byte-order mark is allowed).

    Line ends of every style become "\\n"; the line named is the line an editor shows. Control
    characters other than tab (NUL, escape…) are refused, each with its line.
    """
    text, problem = text_files.decode(data)
    if problem is not None:
        raise ImportError_(
            [_("line %(line)s: the file is not UTF-8 text; save it as UTF-8.", line=problem.line)]
        )
    controls = text_files.control_characters(text)
    if controls:
        # NUL above all: PostgreSQL cannot store it, and no text needs it.
        raise ImportError_(
            [
                _(
                    "line %(line)s: this line holds a control character (such as NUL) that "
                    "text cannot hold; remove it.",
                    line=found.line,
                )
                for found in controls
            ]
        )
    return text


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


def read_zip(data: bytes, filename: str = "upload.zip") -> dict[str, str]:
    """The text files of a bank folder packed as .zip, by path inside the bank folder.

    Raises ImportError_ with one message naming the file (and member) for any fault of the
    archive: see quizapp.services.archives.
    """
    try:
        return archives.read_bank_zip(data, filename)
    except archives.ArchiveError as error:
        raise ImportError_([error.message]) from None


def load_files(files: dict[str, str], slug: str) -> core.Bank:
    """Validate a bank given as {path: text} with the bank rules; its id becomes `slug`."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / slug
        for relative, text in files.items():
            target = root / relative
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            except (OSError, ValueError):
                # A name too long, or a file where the archive also has a folder of that name.
                raise ImportError_(
                    [_("%(name)s: this file name cannot be unpacked.", name=relative)]
                ) from None
        try:
            loaded = core.load_bank(root)
        except core.BankError as error:
            raise ImportError_([str(p) for p in error.problems]) from None
    loaded.id = slug
    return loaded


def pending_seconds() -> int:
    """How long a pending import waits for its confirmation (setting PENDING_IMPORT_SECONDS)."""
    return int(current_app.config.get("PENDING_IMPORT_SECONDS") or 3600)


def pending_limit() -> int:
    """The largest file kept as a pending import, in bytes: the upload limit by default."""
    config = current_app.config
    return int(
        config.get("PENDING_IMPORT_MAX_BYTES")
        or config.get("MAX_CONTENT_LENGTH")
        or 2 * 1024 * 1024
    )


def purge_expired_imports(now: dt.datetime | None = None) -> int:
    """Delete the pending imports older than `pending_seconds()`; return how many (no commit)."""
    cutoff = (now or utcnow()) - dt.timedelta(seconds=pending_seconds())
    result = db.session.execute(db.delete(PendingImport).where(PendingImport.created_at < cutoff))
    return int(result.rowcount or 0)


def expired(pending: PendingImport, now: dt.datetime | None = None) -> bool:
    """Whether a pending import is too old to be confirmed (it is purged soon)."""
    return pending.created_at < (now or utcnow()) - dt.timedelta(seconds=pending_seconds())


def prepare_import(
    bank: Bank, user: User, file_format: str, filename: str, data: bytes, language: str
) -> Preview:
    """Read an upload and keep it as a pending import; the preview says what it would do.

    The pending import keeps the uploaded file itself (no larger than `pending_limit()`), read
    again for the preview and the confirmation, so what waits in the database is never larger
    than the upload; it expires after `pending_seconds()`, and expired ones are deleted here.
    Site banks (from questions/) refuse every import: their files are their only editor.
    """
    permissions.require_edit(user, bank)
    purge_expired_imports()
    token = secrets.token_hex(16)
    if len(data) > pending_limit():
        raise ImportError_(
            [
                _(
                    "%(file)s is larger than %(limit)s: split it into smaller files.",
                    file=filename,
                    limit=f"{pending_limit() // (1024 * 1024)} MB",
                )
            ]
        )
    if file_format == "zip":
        loaded = load_files(read_zip(data, filename), bank.slug)
        payload: dict[str, Any] = {"zip": base64.b64encode(data).decode("ascii")}
        preview = Preview(token, file_format, filename, bank_summary=_bank_summary(loaded))
    else:
        text = decode_upload(data)
        questions, skipped, problems = parse_questions(file_format, text, language)
        if problems:
            raise ImportError_(problems)
        preview = _question_preview(bank, token, file_format, filename, questions, skipped)
        payload = {"text": text, "language": language}
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


def _question_preview(
    bank: Bank,
    token: str,
    file_format: str,
    filename: str,
    questions: list[Authored],
    skipped: list[tuple[Authored, str]],
) -> Preview:
    have = _fingerprints(bank)
    preview = Preview(token, file_format, filename, skipped=skipped)
    seen: set[str] = set()
    for question in questions:
        fingerprint = question.fingerprint()
        target = preview.duplicates if fingerprint in have or fingerprint in seen else preview.new
        target.append(question)
        seen.add(fingerprint)
    return preview


def _pending_files(pending: PendingImport) -> dict[str, str]:
    """The bank folder of a pending .zip import, read again from the kept archive."""
    payload = pending.payload
    if "files" in payload:  # kept by an earlier version, before archives were kept whole
        return payload["files"]
    return read_zip(base64.b64decode(payload["zip"]), pending.filename)


def _pending_questions(pending: PendingImport) -> tuple[list[Authored], list[tuple[Authored, str]]]:
    """The questions (and those skipped) of a pending question import, read again."""
    payload = pending.payload
    if "questions" in payload:  # kept by an earlier version, before files were kept whole
        questions = [Authored.from_dict(q) for q in payload["questions"]]
        skipped = [(Authored.from_dict(q), reason) for q, reason in payload.get("skipped", [])]
        return questions, skipped
    questions, skipped, problems = parse_questions(
        pending.file_format, payload["text"], payload["language"]
    )
    if problems:
        raise ImportError_(problems)
    return questions, skipped


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


def pending_for(user: User, token: str) -> PendingImport:
    """A pending import of this user, into a bank the user may still edit (else NotFound)."""
    pending = db.session.get(PendingImport, token)
    if pending is None or pending.user_id != user.id:
        raise permissions.NotFound(token)
    permissions.require_edit(user, db.session.get(Bank, pending.bank_id))
    return pending


def preview_pending(pending: PendingImport) -> Preview:
    """Rebuild the preview of a pending import (for the preview page)."""
    bank = db.session.get(Bank, pending.bank_id)
    assert bank is not None
    if pending.file_format == "zip":
        loaded = load_files(_pending_files(pending), bank.slug)
        return Preview(pending.id, "zip", pending.filename, bank_summary=_bank_summary(loaded))
    questions, skipped = _pending_questions(pending)
    return _question_preview(
        bank, pending.id, pending.file_format, pending.filename, questions, skipped
    )


def commit_import(user: User, pending: PendingImport) -> dict[str, int]:
    """Store a pending import of `user`, all of it or nothing (the caller commits)."""
    if pending.user_id != user.id:
        raise permissions.NotFound(pending.id)
    bank = db.session.get(Bank, pending.bank_id)
    assert bank is not None
    permissions.require_edit(user, bank)
    if pending.file_format == "zip":
        loaded = load_files(_pending_files(pending), bank.slug)
        _rename_clashing_sources(loaded, bank)
        result = store_bank(loaded, "", managed_in="browser")
        if result.status == "invalid":
            raise ImportError_(result.problems)
        touch(bank)
        db.session.delete(pending)
        return {"facts": len(loaded.facts), "questions": len(loaded.questions)}
    added = duplicates = 0
    have = _fingerprints(bank)
    questions, _skipped = _pending_questions(pending)
    for question in questions:
        if question.fingerprint() in have:
            duplicates += 1
            continue
        try:
            save_question(user, bank, question, None, origin="import")
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
    return preview, commit_import(user, pending)


def export_questions(
    user: User, bank: Bank, file_format: str
) -> tuple[str, list[tuple[Authored, str]]]:
    """The bank's hand-written and imported questions as GIFT or Aiken (or CSV) text."""
    permissions.require_view(user, bank)
    rows = db.session.scalars(
        db.select(AuthoredQuestion)
        .where(AuthoredQuestion.bank_id == bank.id, AuthoredQuestion.retired.is_(False))
        .order_by(AuthoredQuestion.id)
    )
    questions = [Authored.from_dict(row.data) for row in rows]
    return _formats()[file_format].write(questions)


def export_zip(user: User, bank: Bank) -> bytes:
    """The whole bank as a bank folder in a .zip (sources, facts, pools, questions)."""
    permissions.require_view(user, bank)
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
