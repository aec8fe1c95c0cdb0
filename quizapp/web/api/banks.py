"""The API's banks: list, read, export; sources with their passages; a drawn quiz without
keys. Rights are the browser's (`services.permissions`): a bank is read by whoever may take a
quiz on it or see it in the teachers' area, exported by teachers who may see it, and "not
found" for anyone else."""

from __future__ import annotations

import secrets

from flask import Response

from quizapp.core.formats import FORMATS
from quizapp.core.public_questions import before_answer
from quizapp.core.question_types import TYPES
from quizapp.extensions import db
from quizapp.models import Bank, Passage, Source
from quizapp.services import attempts, banks, exchange, permissions
from quizapp.web.api.access import api_blueprint, api_user
from quizapp.web.api.paging import PageArgs, paged, sliced
from quizapp.web.api.problems import problem
from quizapp.web.api.schemas import banks as schemas

blp = api_blueprint(
    "api_banks", __name__, "Banks", "Banks, their sources and passages, quizzes drawn."
)


def readable_bank(slug: str) -> Bank:
    """The bank by slug if the token's user may take a quiz on it or see it in the teachers'
    area; NotFound otherwise (its name is not given away)."""
    user = api_user()
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None or not (permissions.can_take(user, bank) or permissions.can_view(user, bank)):
        raise permissions.NotFound(slug)
    return bank


def bank_data(bank: Bank, facts: int) -> dict:
    """A bank's listed fields."""
    return {
        "slug": bank.slug,
        "titles": dict(bank.titles or {}),
        "languages": list(bank.languages or []),
        "subject": bank.subject or "",
        "managed_in": bank.managed_in,
        "published": bool(bank.published),
        "archived": bool(bank.archived),
        "facts": facts,
    }


@blp.route("/banks")
@blp.arguments(PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.BankPageSchema)
def list_banks(args: dict):
    """The banks offered to this user, by slug (as the home page lists them)."""
    listed = banks.list_banks(api_user())
    page = [bank_data(bank, count) for bank, count in sliced(listed, args)]
    return paged(schemas.BankPageSchema, page, len(listed), args)


@blp.route("/banks/<slug>")
@blp.response(200, schemas.BankDetailSchema)
def read_bank(slug: str):
    """One bank: descriptions, sources, and the question types it can make per language."""
    bank = readable_bank(slug)
    counts = banks.facts_by_language(bank.id)
    passages = dict(
        db.session.execute(
            db.select(Passage.source_id, db.func.count(Passage.id))
            .join(Source)
            .where(Source.bank_id == bank.id)
            .group_by(Passage.source_id)
        ).all()
    )
    data = bank_data(bank, sum(counts.values()))
    data.update(
        descriptions=dict(bank.descriptions or {}),
        licence=bank.licence or "",
        question_types=banks.offered_types(bank) if not bank.archived else {},
        sources=[
            {
                "slug": source.slug,
                "title": source.title,
                "language": source.language,
                "attribution": source.attribution,
                "licence": source.licence,
                "passages": passages.get(source.id, 0),
            }
            for source in sorted(bank.sources, key=lambda s: (s.position, s.id))
        ],
        editable=permissions.can_edit(api_user(), bank),
    )
    return data


@blp.route("/banks/<slug>/export")
@blp.arguments(schemas.ExportArgs, location="query", as_kwargs=False)
@blp.doc(
    responses={
        "200": {
            "description": "The bank folder as a .zip (format zip), or its hand-written "
            "questions as GIFT or Aiken text or as CSV.",
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in ("application/zip", "text/plain", "text/csv")
            },
        }
    }
)
def export_bank(args: dict, slug: str):
    """Export a bank (teachers who may see it, as the browser's export; students 403)."""
    user = api_user()
    permissions.require_teacher(user)
    bank = readable_bank(slug)
    file_format = args["format"]
    if file_format == "zip":
        return Response(
            exchange.export_zip(user, bank),
            mimetype="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{bank.slug}.zip"'},
        )
    text, skipped = exchange.export_questions(user, bank, file_format)
    suffix = {"gift": "gift", "aiken": "txt", "csv": "csv"}[file_format]
    headers = {
        "Content-Disposition": f'attachment; filename="{bank.slug}.{suffix}"',
        "X-Quizapp-Skipped": str(len(skipped)),
    }
    media_type = FORMATS[file_format].media_type
    return Response(text, content_type=f"{media_type}; charset=utf-8", headers=headers)


def _source_data(source: Source) -> dict:
    return {
        "slug": source.slug,
        "bank": source.bank.slug,
        "title": source.title,
        "language": source.language,
        "attribution": source.attribution,
        "licence": source.licence,
        "passages": [
            {
                "id": passage.id,
                "anchor": passage.anchor,
                "full_id": passage.full_id,
                "position": passage.position,
                "text": passage.text,
            }
            for passage in sorted(source.passages, key=lambda p: (p.position, p.id))
        ],
    }


@blp.route("/sources/<slug>")
@blp.response(200, schemas.SourceSchema)
def read_source(slug: str):
    """A source document with every passage verbatim (readable as on the sources pages)."""
    source = banks.get_source(api_user(), slug)
    if source is None:
        raise permissions.NotFound(slug)
    return _source_data(source)


@blp.route("/banks/<slug>/quiz")
@blp.arguments(schemas.QuizArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.QuizSchema)
def draw_quiz(args: dict, slug: str):
    """Draw a question set as a quiz would, WITHOUT keys: to look at; start an attempt to
    answer it (the same seed draws the same set)."""
    bank = readable_bank(slug)
    permissions.require_take(api_user(), bank)
    types = list(args["types"]) or sorted(TYPES)
    seed = args["seed"] if args["seed"] is not None else secrets.randbelow(2**31)
    try:
        plan = attempts.plan_set(bank, args["language"], args["count"], types, seed)
    except attempts.QuizError as error:
        return _unprocessable(str(error))
    return {
        "bank": bank.slug,
        "language": plan.language,
        "plan": plan_data(plan, seed),
        "questions": [before_answer(question) for question in plan.questions],
    }


def plan_data(plan, seed: int) -> dict:
    """What a set plan says, for a client to decide whether to accept it."""
    return {
        "exact": plan.exact,
        "seed": seed,
        "requested": dict(plan.requested),
        "capacity": {name: int(n) for name, n in plan.capacity.items()},
        "planned": dict(plan.planned),
        "signature": plan.signature(),
    }


def _unprocessable(detail: str) -> Response:
    return problem(422, detail)
