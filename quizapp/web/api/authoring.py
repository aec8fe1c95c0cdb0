"""The API's facts: list, read, write, update and retire them, through the fact editor's own
service (`services.authoring`), so the rights and the bank's rules are the browser's: teachers
who may see a bank read its facts; its owner and co-editors write them; a site bank is
read-only (403 with the reason); a bank the teacher may not see is "not found"; students 403.
"""

from __future__ import annotations

from flask.views import MethodView

from quizapp.extensions import db
from quizapp.models import Bank, Fact
from quizapp.services import authoring, permissions
from quizapp.web.api.access import api_blueprint, api_user
from quizapp.web.api.paging import PageArgs, paged
from quizapp.web.api.schemas import authoring as schemas

blp = api_blueprint("api_facts", __name__, "Facts", "Facts of a bank: read, write, update, retire.")


@blp.before_request
def teachers_only() -> None:
    """Students get 403 here before anything is read, as in the teachers' area."""
    permissions.require_teacher(api_user())


class FactListArgs(schemas.ListArgs, PageArgs):
    """A page of facts, retired ones too when asked."""


def _bank(slug: str) -> Bank:
    """The bank by slug; students first get 403, as everywhere in the teachers' area."""
    permissions.require_teacher(api_user())
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == slug))
    if bank is None:
        raise permissions.NotFound(slug)
    return bank


def _fact(fact_id: int) -> tuple[Fact, Bank]:
    """The fact and its bank, if the user may see the bank in the teachers' area."""
    permissions.require_teacher(api_user())
    fact = db.session.get(Fact, fact_id)
    if fact is None:
        raise permissions.NotFound(str(fact_id))
    bank = db.session.get(Bank, fact.bank_id)
    permissions.require_view(api_user(), bank)
    return fact, bank


def fact_data(fact: Fact, bank: Bank) -> dict:
    """A fact's fields as the API sends them."""
    return {
        "id": fact.id,
        "key": fact.key,
        "bank": bank.slug,
        "language": fact.language,
        "passage_id": fact.passage_id,
        "topic": fact.topic,
        "kind": fact.kind,
        "statement": fact.statement,
        "answer": fact.answer,
        "alternatives": list(fact.alternatives or []),
        "stems": list(fact.stems or []),
        "label": fact.label,
        "category": fact.category,
        "tolerance": float(fact.tolerance or 0),
        "evidence": fact.evidence_text,
        "evidence_start": fact.evidence_start,
        "evidence_end": fact.evidence_end,
        "note": fact.note,
        "retired": bool(fact.retired),
        "needs_review": bool(fact.needs_review),
    }


def editor_data(args: dict) -> dict:
    """The API's fact as the fact editor's fields (lists as one line each)."""
    data = dict(args)
    for name in ("stems", "alternatives", "false_statements", "exclude_distractors"):
        data[name] = "\n".join(args.get(name) or [])
    return data


@blp.route("/banks/<slug>/facts")
@blp.arguments(FactListArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.FactPageSchema)
def list_facts(args: dict, slug: str):
    """A bank's facts by id (teachers who may see the bank), retired ones with `retired`."""
    bank = _bank(slug)
    permissions.require_view(api_user(), bank)
    query = db.select(Fact).where(Fact.bank_id == bank.id).order_by(Fact.id)
    if not args["retired"]:
        query = query.where(Fact.retired.is_(False))
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False)
    rows = [fact_data(fact, bank) for fact in page.items]
    return paged(schemas.FactPageSchema, rows, page.total or 0, args)


@blp.route("/banks/<slug>/facts", methods=["POST"])
@blp.arguments(schemas.FactInputSchema, as_kwargs=False)
@blp.response(201, schemas.FactSchema)
def create_fact(args: dict, slug: str):
    """Write a fact (the bank's owner and co-editors), checked by the bank's rules: 422 with
    every problem when refused."""
    bank = _bank(slug)
    fact = authoring.save_fact(api_user(), bank, editor_data(args))
    db.session.commit()
    return fact_data(fact, bank), 201


# One rule for both methods: with a GET rule and a PUT rule on one path, Werkzeug answers 405
# instead of 404 for an id its converter refuses (as the quiz pages found).
@blp.route("/facts/<int:fact_id>", endpoint="fact")
class FactResource(MethodView):
    """One fact."""

    @blp.response(200, schemas.FactSchema)
    def get(self, fact_id: int):
        """One fact (teachers who may see its bank)."""
        fact, bank = _fact(fact_id)
        return fact_data(fact, bank)

    @blp.arguments(schemas.FactInputSchema, as_kwargs=False)
    @blp.response(200, schemas.FactSchema)
    def put(self, args: dict, fact_id: int):
        """Rewrite a fact (every field, as the editor saves it); its key stays."""
        fact, bank = _fact(fact_id)
        fact = authoring.save_fact(api_user(), bank, editor_data(args), fact)
        db.session.commit()
        return fact_data(fact, bank)


@blp.route("/facts/<int:fact_id>/retire", methods=["POST"])
@blp.response(200, schemas.FactSchema)
def retire_fact(fact_id: int):
    """Take a fact out of quizzes (attempts keep their frozen copies); twice is no error."""
    fact, bank = _fact(fact_id)
    authoring.retire_fact(api_user(), fact)
    db.session.commit()
    return fact_data(fact, bank)
