"""Command line: `flask --app quizapp bank ...`, `user create|set-role|reset-password`, `setup`.

`bank check` and `bank generate` read a bank folder and need no database. `bank import` and
`bank export` act as a named teacher (`--as`, the first admin by default) under the same rules
as the browser; the `user` commands act as the server's operator, who may manage every account.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from quizapp.core.bank import BankError, load_bank, summarise
from quizapp.core.generation import GenerationError
from quizapp.core.question_pool import DEFAULT_TYPES, QuestionPool
from quizapp.core.question_types import TYPES, Question

bank_cli = AppGroup("bank", help="Check, load and generate from question banks.")
user_cli = AppGroup("user", help="Manage user accounts.")


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(bank_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(setup_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from quizapp.lti_cli import lti_cli

    app.cli.add_command(lti_cli)


def _load_or_exit(path: str):
    try:
        return load_bank(path)
    except BankError as error:
        click.echo(f"{path}: {len(error.problems)} problem(s); nothing was loaded.", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None


@bank_cli.command("check")
@click.argument("path", type=click.Path(file_okay=False))
def check_command(path: str) -> None:
    """Validate a bank folder: exit 0 with a summary, or 1 listing every problem."""
    bank = _load_or_exit(path)
    summary = summarise(bank)
    click.echo(f"{bank.id}: {bank.title.get('en') or next(iter(bank.title.values()), '')}")
    click.echo(f"  {summary['facts']} facts; by language: " + _counts(summary["by_language"]))
    for language in bank.languages:
        kinds = {
            key.split("/")[1]: n
            for key, n in sorted(summary["by_language_kind"].items())
            if key.startswith(f"{language}/")
        }
        click.echo(f"  {language} by kind: {_counts(kinds)}")
    for document in summary["documents"]:
        line = (
            f"  {document['id']} ({document['language']}): "
            f"{document['covered']}/{document['passages']} passages have facts"
        )
        if document["uncovered"]:
            line += f"; none yet for {', '.join(document['uncovered'])}"
        click.echo(line)
    for warning in bank.warnings:
        click.echo(f"  warning: {warning}")
    _echo_readiness(bank)
    click.echo("OK")


def _echo_readiness(bank) -> None:
    """The facts that cannot make some question types, grouped by reason, one fact a line."""
    from quizapp.core.readiness import HEADINGS, readiness_warnings

    warnings = readiness_warnings(bank)
    for code, heading in HEADINGS.items():
        group = [w.problem for w in warnings if w.code == code]
        if group:
            click.echo(f"  warning: {len(group)} {heading}:")
            for problem in group:
                click.echo(f"    {problem}")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counts.items())) or "none"


@bank_cli.command("generate")
@click.argument("path", type=click.Path(file_okay=False))
@click.option("--lang", "language", default="en", show_default=True, help="en or es")
@click.option("--count", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option(
    "--types",
    default=",".join(DEFAULT_TYPES),
    show_default=True,
    help=f"comma-separated: {', '.join(TYPES)}",
)
@click.option("--seed", default=1, show_default=True, type=int)
@click.option(
    "--format",
    "output",
    type=click.Choice(["jsonl", "text"]),
    default="jsonl",
    show_default=True,
    help="one JSON object per line, or a readable quiz",
)
def generate_command(
    path: str, language: str, count: int, types: str, seed: int, output: str
) -> None:
    """Generate a question set from a bank: the same seed gives the same set."""
    bank = _load_or_exit(path)
    wanted = [t.strip() for t in types.split(",") if t.strip()]
    if language not in bank.languages:
        raise click.BadParameter(
            f"{language!r} is not one of the bank's languages ({', '.join(bank.languages)})",
            param_hint="--lang",
        )
    try:
        plan = QuestionPool(bank).plan(count, language, seed, wanted)
    except GenerationError as error:
        raise click.UsageError(str(error)) from None
    questions = plan.questions
    for number, question in enumerate(questions, start=1):
        if output == "jsonl":
            click.echo(json.dumps(question.to_dict(), ensure_ascii=False))
        else:
            click.echo(_as_text(number, question))
    if not plan.exact:
        asked = ", ".join(f"{t}: {n}" for t, n in plan.requested.items())
        given = ", ".join(f"{t}: {n}" for t, n in plan.planned.items())
        click.echo(
            f"note: the bank could give {len(questions)} of {count} questions"
            f" (asked {asked}; given {given})",
            err=True,
        )


def _as_text(number: int, question: Question) -> str:
    lines = [f"{number}. [{question.type}] {question.stem}"]
    options = question.options
    if isinstance(options, list):
        lines += [f"   {chr(97 + i)}) {option}" for i, option in enumerate(options)]
    elif isinstance(options, dict):
        lines += [f"   {left}  ->  ?" for left in options["left"]]
        lines.append("   choices: " + "; ".join(options["right"]))
    key = question.key
    if isinstance(key, list):
        key = " < ".join(key)
    elif isinstance(key, dict):
        key = "; ".join(f"{k} = {v}" for k, v in key.items())
    lines.append(f"   answer: {key}")
    # Ordering and matching: every item is proved by its own passage.
    entries = [(item.get("label"), item["source"]) for item in question.items] or [
        (None, question.source.__dict__ if question.source else None)
    ]
    for label, source in entries:
        if source is None:
            continue
        quote = source["passage_text"][source["evidence_start"] : source["evidence_end"]]
        who = f"{label}: " if label else ""
        lines.append(f"   source: {who}{source['document_title']} ({source['passage_id']})")
        lines += textwrap.wrap(
            f"“{quote}”", width=96, initial_indent="     ", subsequent_indent="     "
        )
    return "\n".join(lines)


def load_banks(folders: list[Path]) -> bool:
    """Validate and store each bank folder, one transaction each; report what happened."""
    from quizapp.extensions import db
    from quizapp.services.banks import load_folder

    ok = True
    for folder in folders:
        result = load_folder(folder)
        if result.status == "invalid":
            db.session.rollback()
            ok = False
            click.echo(f"{folder}: not loaded, {len(result.problems)} problem(s):", err=True)
            for problem in result.problems:
                click.echo(f"  {problem}", err=True)
            continue
        db.session.commit()
        click.echo(f"{result.slug}: {result.status} ({result.facts} facts)")
    return ok


@bank_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(file_okay=False, exists=True))
def load_command(paths: tuple[str, ...]) -> None:
    """Store banks in the database (all under the banks folder when no path is given).

    Loading is idempotent; a changed bank is updated in place and keeps learners' history.
    """
    from quizapp.services.banks import bank_folders

    folders = [Path(p) for p in paths] or bank_folders(current_app.config["BANKS_DIR"])
    if not load_banks(folders):
        raise SystemExit(1)


@user_cli.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(["student", "teacher", "admin"]), default="student")
def create_user_command(name: str, role: str) -> None:
    """Create a user; the password is asked for, or read from standard input when piped."""
    from quizapp.extensions import db
    from quizapp.services.users import AccountError, create_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(name, password, role)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"created {user.role} {user.name}")


def _user_or_exit(name: str):
    from quizapp.services.users import find_user

    user = find_user(name)
    if user is None:
        raise click.ClickException(f"there is no user {name!r}")
    return user


@user_cli.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(["student", "teacher", "admin"]))
def set_role_command(name: str, role: str) -> None:
    """Give a user another role (the last admin cannot be demoted)."""
    from quizapp.extensions import db
    from quizapp.services.permissions import OPERATOR
    from quizapp.services.users import AccountError, set_role

    user = _user_or_exit(name)
    try:
        set_role(OPERATOR, user, role)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{user.name} is now {user.role}")


@user_cli.command("reset-password")
@click.argument("name")
def reset_password_command(name: str) -> None:
    """Print a one-time password for a user, who must choose their own at the next login."""
    from quizapp.extensions import db
    from quizapp.services.permissions import OPERATOR
    from quizapp.services.users import reset_password

    user = _user_or_exit(name)
    password = reset_password(OPERATOR, user)
    db.session.commit()
    click.echo(f"  One-time password for {user.name}: {password}")
    click.echo("  (they must choose their own password when they log in)")


def _acting_teacher(name: str | None):
    """The teacher a bank command acts as: the one named, else the first admin."""
    from quizapp.extensions import db
    from quizapp.models import User

    if name:
        return _user_or_exit(name)
    user = db.session.scalar(db.select(User).where(User.role == "admin").order_by(User.id).limit(1))
    if user is None:
        raise click.ClickException("create a teacher first (flask --app quizapp setup)")
    return user


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Upgrade the database, load every bank, and make sure a teacher (an admin) exists."""
    from flask_migrate import upgrade

    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.banks import bank_folders
    from quizapp.services.sharing import adopt_orphan_banks
    from quizapp.services.users import ensure_teacher

    upgrade()
    load_banks(bank_folders(current_app.config["BANKS_DIR"]))
    created = ensure_teacher()
    admin = db.session.scalar(
        db.select(User).where(User.role == "admin").order_by(User.id).limit(1)
    )
    if admin is not None:
        adopted = adopt_orphan_banks(admin)
        if adopted:
            click.echo(f"{adopted} bank(s) without an owner now belong to {admin.name}")
    db.session.commit()
    if created:
        user, password = created
        click.echo("")
        click.echo(f"  First teacher account (admin): {user.name}")
        click.echo(f"  One-time password:     {password}")
        click.echo("  (log in with it and choose your own password)")
        click.echo("")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Copy the SQLite database to FILE with the online backup API (safe while serving)."""
    from quizapp.backup import BackupError, backup

    try:
        pages = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backed up {pages} pages to {file} (integrity check: ok)")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the SQLite database with a backup FILE (stop the server first)."""
    from quizapp.backup import BackupError, restore

    if not yes:
        click.confirm("This replaces every row of the current database. Go on?", abort=True)
    try:
        pages = restore(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored {pages} pages from {file}")


@bank_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--format", "file_format", type=click.Choice(["gift", "aiken", "csv", "zip"]), required=True
)
@click.option("--into", "slug", required=True, help="the bank's id (a .zip may create it)")
@click.option("--lang", "language", default=None, help="language of the questions")
@click.option("--dry-run", is_flag=True, help="read and check the file, store nothing")
@click.option("--as", "acting", default=None, help="the teacher importing (default: first admin)")
def import_command(
    file: Path, file_format: str, slug: str, language: str | None, dry_run: bool, acting: str
) -> None:
    """Import GIFT, Aiken or CSV questions, or a bank folder (.zip), into a bank.

    A .zip into a bank id that does not exist makes a new bank owned by the acting teacher.
    """
    from quizapp.extensions import db
    from quizapp.models import Bank
    from quizapp.services import exchange, permissions

    owner = _acting_teacher(acting)
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None and file_format == "zip":
        bank = _empty_bank(slug, owner)
    if bank is None:
        raise click.ClickException(f"there is no bank {slug!r}")
    language = language or bank.languages[0]
    try:
        preview = exchange.prepare_import(
            bank, owner, file_format, file.name, file.read_bytes(), language
        )
    except (permissions.NotFound, permissions.Forbidden) as error:
        db.session.rollback()
        raise click.ClickException(_refusal(error, owner.name, slug)) from None
    except exchange.ImportError_ as error:
        db.session.rollback()
        click.echo(f"{file}: {len(error.problems)} problem(s); nothing was imported.", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    if preview.bank_summary:
        click.echo(
            f"{file}: a bank folder with {preview.bank_summary['facts']} facts and "
            f"{preview.bank_summary['questions']} questions"
        )
    else:
        click.echo(
            f"{file}: {len(preview.new)} new, {len(preview.duplicates)} already in the bank, "
            f"{len(preview.skipped)} not importable"
        )
        for question, reason in preview.skipped:
            click.echo(f"  not imported: {question.stem[:60]!r}: {reason}")
    if dry_run:
        db.session.rollback()
        click.echo("dry run: nothing was stored")
        return
    from quizapp.models import PendingImport

    try:
        counts = exchange.commit_import(owner, db.session.get(PendingImport, preview.token))
    except exchange.ImportError_ as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo("imported: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@bank_cli.command("purge-imports")
def purge_imports_command() -> None:
    """Delete the imports that waited for confirmation longer than PENDING_IMPORT_SECONDS."""
    from quizapp.extensions import db
    from quizapp.services import exchange

    count = exchange.purge_expired_imports()
    db.session.commit()
    click.echo(f"deleted {count} expired pending import(s)")


def _refusal(error: Exception, name: str, slug: str) -> str:
    if isinstance(error, LookupError):
        return f"{name} may not see the bank {slug!r} (use --as with its owner or a co-editor)"
    return f"{name} may not do this to the bank {slug!r}: {error}"


def _empty_bank(slug: str, owner):
    from quizapp.extensions import db
    from quizapp.models import Bank

    bank = Bank(
        slug=slug,
        titles={"en": slug},
        descriptions={"en": ""},
        languages=["en", "es"],
        pools={},
        managed_in="browser",
        created_by_id=owner.id,
        owner_id=owner.id,
        version=1,
    )
    db.session.add(bank)
    db.session.flush()
    return bank


@bank_cli.command("export")
@click.argument("slug")
@click.option("--format", "file_format", type=click.Choice(["gift", "aiken", "csv", "zip"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--as", "acting", default=None, help="the teacher exporting (default: first admin)")
def export_command(slug: str, file_format: str, output: Path, acting: str | None) -> None:
    """Export a bank's questions as GIFT, Aiken or CSV, or the whole bank as a .zip."""
    from quizapp.extensions import db
    from quizapp.models import Bank
    from quizapp.services import exchange, permissions

    user = _acting_teacher(acting)
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None:
        raise click.ClickException(f"there is no bank {slug!r}")
    try:
        if file_format == "zip":
            output.write_bytes(exchange.export_zip(user, bank))
            click.echo(f"wrote {output}")
            return
        text, skipped = exchange.export_questions(user, bank, file_format)
    except (permissions.NotFound, permissions.Forbidden) as error:
        raise click.ClickException(_refusal(error, user.name, slug)) from None
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}")
    for question, reason in skipped:
        click.echo(f"  left out: {question.stem[:60]!r}: {reason}")
