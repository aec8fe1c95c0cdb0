"""Command line: `flask --app quizapp bank check|generate` (these need no database)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from quizapp.core.bank import BankError, load_bank, summarise
from quizapp.core.generation import DEFAULT_TYPES, GenerationError, QuestionPool
from quizapp.core.question_types import TYPES, Question

bank_cli = AppGroup("bank", help="Check banks and generate questions from them.")


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(bank_cli)


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
    click.echo("OK")


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
        questions = QuestionPool(bank).generate(count, language, seed, wanted)
    except GenerationError as error:
        raise click.UsageError(str(error)) from None
    for number, question in enumerate(questions, start=1):
        if output == "jsonl":
            click.echo(json.dumps(question.to_dict(), ensure_ascii=False))
        else:
            click.echo(_as_text(number, question))
    if len(questions) < count:
        click.echo(
            f"note: the bank had enough distinct facts for {len(questions)} of {count} questions",
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
    source = question.source
    start, end = source.evidence_start, source.evidence_end
    quote = source.passage_text[start:end]
    lines.append(f"   source: {source.document_title} ({source.passage_id})")
    lines += textwrap.wrap(
        f"“{quote}”", width=96, initial_indent="     ", subsequent_indent="     "
    )
    return "\n".join(lines)


def bank_paths(banks_dir: str) -> list[Path]:
    """Every bank folder (one holding a bank.yaml) under the banks directory."""
    return sorted(p.parent for p in Path(banks_dir).glob("*/bank.yaml"))
