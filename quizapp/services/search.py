"""Full-text search over passages: SQLite FTS5 ranked by BM25, PostgreSQL text search elsewhere.

Used to propose the best-matching passages for a hand-written question that has none.
"""

from __future__ import annotations

import re

from sqlalchemy import DDL, event, text

from quizapp.core.values import strip_accents
from quizapp.extensions import db
from quizapp.models import Passage, Source

# Kept in step with the migration that creates them (revision cbbd8b9ed578). A later migration
# that rebuilds the passages table in batch mode on SQLite must create these again.
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5("
    "text, content='passages', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS passages_fts_insert AFTER INSERT ON passages BEGIN "
    "INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS passages_fts_delete AFTER DELETE ON passages BEGIN "
    "INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS passages_fts_update AFTER UPDATE OF text ON passages BEGIN "
    "INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text); END",
]
POSTGRESQL_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_passages_text_search ON passages "
    "USING gin (to_tsvector('simple', text))"
]
SEARCH_OBJECTS = ("passages_fts", "ix_passages_text_search")

STOP_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "with",
        "from",
        "this",
        "was",
        "were",
        "which",
        "who",
        "what",
        "when",
        "where",
        "how",
        "are",
        "not",
        "his",
        "her",
        "its",
        "their",
        "had",
        "has",
        "have",
        "but",
        "all",
        "any",
        "one",
        "two",
        "las",
        "los",
        "del",
        "una",
        "por",
        "para",
        "con",
        "que",
        "fue",
        "como",
        "sus",
        "uno",
        "más",
        "sobre",
        "entre",
        "desde",
        "hasta",
        "tras",
        "sin",
        "esta",
        "este",
        "estos",
        "estas",
    ]
)

for statement in SQLITE_DDL:
    event.listen(Passage.__table__, "after_create", DDL(statement).execute_if(dialect="sqlite"))
for statement in POSTGRESQL_DDL:
    event.listen(Passage.__table__, "after_create", DDL(statement).execute_if(dialect="postgresql"))


def _terms(query: str) -> list[str]:
    words = re.findall(r"\w+", strip_accents(query).casefold())
    terms = [w for w in words if len(w) >= 3 and w not in STOP_WORDS and not w.isdigit()]
    terms += [w for w in words if w.isdigit() and len(w) >= 3]
    return list(dict.fromkeys(terms))[:40]


def propose_passages(bank_id: int, query: str, limit: int = 5) -> list[Passage]:
    """The bank's passages that best match the words of `query`, best first."""
    terms = _terms(query)
    if not terms:
        return []
    if db.engine.dialect.name == "sqlite":
        match = " OR ".join(f'"{term}"' for term in terms)
        rows = db.session.execute(
            text(
                "SELECT passages.id FROM passages_fts "
                "JOIN passages ON passages.id = passages_fts.rowid "
                "JOIN sources ON sources.id = passages.source_id "
                "WHERE passages_fts MATCH :match AND sources.bank_id = :bank "
                "ORDER BY bm25(passages_fts) LIMIT :limit"
            ),
            {"match": match, "bank": bank_id, "limit": limit},
        ).all()
    else:
        tsquery = " | ".join(terms)
        rows = db.session.execute(
            text(
                "SELECT passages.id FROM passages JOIN sources ON sources.id = passages.source_id "
                "WHERE sources.bank_id = :bank AND "
                "to_tsvector('simple', passages.text) @@ to_tsquery('simple', :query) "
                "ORDER BY ts_rank(to_tsvector('simple', passages.text), "
                "to_tsquery('simple', :query)) DESC, passages.id LIMIT :limit"
            ),
            {"query": tsquery, "bank": bank_id, "limit": limit},
        ).all()
    ids = [row[0] for row in rows]
    found = {p.id: p for p in db.session.scalars(db.select(Passage).where(Passage.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def passage_choices(bank_id: int) -> list[tuple[int, str]]:
    """Every passage of a bank as (id, "document#anchor: first words"), for a select."""
    rows = db.session.execute(
        db.select(Passage.id, Source.slug, Passage.anchor, Passage.text)
        .join(Source)
        .where(Source.bank_id == bank_id)
        .order_by(Source.position, Passage.position)
    ).all()
    return [(pid, f"{slug}#{anchor}: {body[:70]}…") for pid, slug, anchor, body in rows]
