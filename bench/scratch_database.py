"""A fresh database for one benchmark run, and the bulk inserts that fill it.

`report.py`, `memory_answer.py` and `practice_pages.py` each build the data they time in a
database of their own: SQLite in a temporary folder, or a PostgreSQL database created for the
run (named after the bench, the process and a random number, so that runs side by side do not
meet) and dropped after it, even when the run fails.
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

# Rows per INSERT statement of a bulk insert.
BATCH = 5_000
# One password hash for every synthetic learner: hashing thousands of passwords would time
# the hash function, not what a bench measures.
PASSWORD_HASH = "scrypt:32768:8:1$bench$" + "0" * 128


@contextlib.contextmanager
def scratch_database(kind: str, pg_url: str, label: str, pg_options: str = "") -> Iterator[str]:
    """A fresh, empty database URL for one run (`kind` "sqlite" or "postgresql"); removed
    afterwards. `label` names the SQLite file and the PostgreSQL database ("bench_<label>_…");
    `pg_options` is appended to the PostgreSQL URL (a query string such as
    "?options=-c%20max_parallel_workers_per_gather%3D0")."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / f'{label}.sqlite3'}"
        return
    name = f"bench_{label}_{os.getpid()}_{random.randrange(10**6)}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_url.rsplit("/", 1)[0] + "/" + name + pg_options
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def insert_rows(session: Any, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts of column values) into `table` (a Table or a mapped class) through
    `session`, BATCH rows a statement."""
    for start in range(0, len(rows), BATCH):
        session.execute(sa.insert(table), rows[start : start + BATCH])
