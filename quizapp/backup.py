"""Online backups of the SQLite database, with SQLite's backup API (safe while serving)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def sqlite_path(database_url: str) -> Path:
    """The file behind a SQLite URL; other databases have their own tools."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "backup and restore work on a SQLite file; for PostgreSQL use pg_dump and "
            "pg_restore (see docs/deploy.md)"
        )
    return Path(url.database)


def integrity(path: Path) -> str:
    """SQLite's own integrity check of a database file ('ok' when sound)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def backup(database_url: str, target: Path) -> int:
    """Copy the live database into `target` page by page; return the number of pages."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupError(f"there is no database at {source_path}")
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    destination = sqlite3.connect(target)
    try:
        # Small steps let writers in between, so serving goes on during a long backup.
        source.backup(destination, pages=256, sleep=0.005)
        pages = destination.execute("PRAGMA page_count").fetchone()[0]
    finally:
        destination.close()
        source.close()
    result = integrity(target)
    if result != "ok":
        target.unlink()
        raise BackupError(f"the copy failed its integrity check: {result}")
    return int(pages)


def restore(database_url: str, source_file: Path) -> int:
    """Replace the database's contents with a backup file's, after checking the file."""
    target_path = sqlite_path(database_url)
    if not source_file.exists():
        raise BackupError(f"there is no backup at {source_file}")
    try:
        result = integrity(source_file)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source_file} is not a SQLite database ({error})") from None
    if result != "ok":
        raise BackupError(f"{source_file} failed its integrity check: {result}")
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    destination = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(destination)
        pages = destination.execute("PRAGMA page_count").fetchone()[0]
    finally:
        destination.close()
        source.close()
    return int(pages)
