"""Import and export: previews, all-or-nothing imports, no duplicates, round trips per format."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import pytest

from quizapp.extensions import db
from quizapp.models import AuthoredQuestion, Bank, PendingImport
from tests.test_teach import _add_fact, _add_source, _create_bank

GIFT = """// A small Moodle export
$CATEGORY: $course$/History

::Coup::Who led the 1944 coup? {=King Michael#Yes ~Ion Antonescu#No, he was deposed ~Carol II}

// [tag:dates]
Romania joined the Axis in 1940. {TRUE}

::Year::In what year was the coup? {#1944:0}

Match each event to its year. {
    =Axis entry -> 1940
    =Pogrom -> 1941
    =Coup -> 1944
}

Which city saw the 1941 pogrom? {=Iași =Iasi =Jassy}

Write an essay about the war. {}
"""

BROKEN_GIFT = """Who led the coup? {=King Michael ~Ion Antonescu

Another question? {=yes}
"""


def _upload(client, slug, text, name="questions.gift", file_format="gift", language="en"):
    data = {
        "file": (io.BytesIO(text.encode("utf-8") if isinstance(text, str) else text), name),
        "file_format": file_format,
        "language": language,
    }
    return client.post(f"/teach/banks/{slug}/import", data=data, content_type="multipart/form-data")


def _authored(app, slug):
    with app.app_context():
        bank_id = db.session.scalar(db.select(Bank.id).where(Bank.slug == slug))
        return db.session.scalars(
            db.select(AuthoredQuestion)
            .where(AuthoredQuestion.bank_id == bank_id)
            .order_by(AuthoredQuestion.id)
        ).all()


def test_a_gift_import_shows_a_preview_then_stores_everything(app, teacher_client):
    _create_bank(teacher_client)
    response = _upload(teacher_client, "lesson", GIFT)
    assert response.status_code == 302, response.get_data(as_text=True)
    preview = teacher_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "5 new questions will be imported" in preview
    assert "Not imported" in preview and "essay" in preview.lower()
    assert not _authored(app, "lesson")  # nothing stored before confirming
    done = teacher_client.post(response.headers["Location"], follow_redirects=True)
    assert "Imported: 5 questions" in done.get_data(as_text=True)
    stored = _authored(app, "lesson")
    assert sorted(q.question_type for q in stored) == ["match", "mcq", "numeric", "short", "tf"]


def test_importing_the_same_file_twice_adds_nothing(app, teacher_client):
    _create_bank(teacher_client)
    for _ in range(2):
        response = _upload(teacher_client, "lesson", GIFT)
        teacher_client.post(response.headers["Location"])
    assert len(_authored(app, "lesson")) == 5
    third = _upload(teacher_client, "lesson", GIFT)
    preview = teacher_client.get(third.headers["Location"]).get_data(as_text=True)
    assert "0 new questions" in preview and "5 are already in the bank" in preview


def test_a_file_with_an_error_imports_nothing_and_names_the_line(app, teacher_client):
    _create_bank(teacher_client)
    response = _upload(teacher_client, "lesson", BROKEN_GIFT)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nothing was imported" in page and "line 1" in page
    assert not _authored(app, "lesson")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PendingImport.id))) == 0


def test_a_file_that_is_not_utf8_is_refused(app, teacher_client):
    _create_bank(teacher_client)
    response = _upload(teacher_client, "lesson", "Qué ciudad? {=Iaşi}".encode("cp1250"))
    assert response.status_code == 400 and "not UTF-8" in response.get_data(as_text=True)


def test_imported_html_is_sanitised_when_shown(app, teacher_client):
    _create_bank(teacher_client)
    text = "[html]<p>Who <b>led</b> it?<script>alert(1)</script></p>{=King Michael ~Carol II}"
    response = _upload(teacher_client, "lesson", text)
    preview = teacher_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<b>led</b>" in preview and "<script>alert(1)" not in preview


AIKEN_HOLDABLE = """Who led the 1944 coup? {=King Michael ~Ion Antonescu ~Carol II}

Which city saw the 1941 pogrom? {~Cluj =Iași ~Bucharest ~Timișoara}
"""


@pytest.mark.parametrize("file_format", ["gift", "aiken", "csv"])
def test_export_then_import_gives_the_same_questions(app, teacher_client, file_format):
    _create_bank(teacher_client)
    # Aiken holds single-answer multiple choice without titles or feedback: nothing more.
    response = _upload(teacher_client, "lesson", AIKEN_HOLDABLE if file_format == "aiken" else GIFT)
    teacher_client.post(response.headers["Location"])
    exported = teacher_client.get(f"/teach/banks/lesson/export.{file_format}")
    assert exported.status_code == 200
    _create_bank(teacher_client, slug="copy")
    name = {"gift": "x.gift", "aiken": "x.txt", "csv": "x.csv"}[file_format]
    response = _upload(teacher_client, "copy", exported.data, name, file_format)
    assert response.status_code == 302, response.get_data(as_text=True)
    teacher_client.post(response.headers["Location"])
    original = {q.fingerprint for q in _authored(app, "lesson")}
    copied = {q.fingerprint for q in _authored(app, "copy")}
    assert copied == original and len(copied) == (2 if file_format == "aiken" else 5)


def test_aiken_export_leaves_out_what_it_cannot_hold(app, teacher_client):
    _create_bank(teacher_client)
    response = _upload(teacher_client, "lesson", GIFT)
    teacher_client.post(response.headers["Location"])
    exported = teacher_client.get("/teach/banks/lesson/export.aiken")
    assert exported.headers["X-Quizapp-Skipped"] == "4"
    assert b"ANSWER: " in exported.data


def test_a_bank_zip_round_trips(app, teacher_client):
    _create_bank(teacher_client)
    slug = _add_source(teacher_client)
    assert _add_fact(teacher_client, app, slug).status_code == 302
    response = _upload(teacher_client, "lesson", GIFT)
    teacher_client.post(response.headers["Location"])
    first = teacher_client.get("/teach/banks/lesson/export.zip").data
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert "lesson/bank.yaml" in names and "lesson/questions.yaml" in names
    teacher_client.post("/teach/banks/lesson/delete")
    runner = app.test_cli_runner()
    path = app.instance_path + "/lesson-test.zip"
    with open(path, "wb") as handle:
        handle.write(first)
    args = ["bank", "import", path, "--format", "zip", "--into", "lesson", "--as", "profesora"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    second = teacher_client.get("/teach/banks/lesson/export.zip").data

    def contents(data):
        archive = zipfile.ZipFile(io.BytesIO(data))
        return {name: archive.read(name) for name in archive.namelist()}

    assert contents(first) == contents(second)


def test_a_site_bank_is_exported_but_takes_no_import(app, teacher_client):
    exported = teacher_client.get("/teach/banks/romania-ww2/export.zip")
    assert exported.status_code == 200
    for name, data, file_format in (("r.zip", exported.data, "zip"), ("q.gift", GIFT, "gift")):
        response = _upload(teacher_client, "romania-ww2", data, name, file_format)
        assert response.status_code == 403
        assert "edited through its files" in response.get_data(as_text=True)
    assert not _authored(app, "romania-ww2")


def test_the_command_line_imports_with_a_dry_run_and_exports(app, teacher_client, tmp_path):
    _create_bank(teacher_client)
    runner = app.test_cli_runner()
    gift = tmp_path / "q.gift"
    gift.write_text(GIFT, encoding="utf-8")
    args = ["bank", "import", str(gift), "--format", "gift", "--into", "lesson"]
    args += ["--as", "profesora"]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert dry.exit_code == 0 and "5 new" in dry.output and "nothing was stored" in dry.output
    assert not _authored(app, "lesson")
    real = runner.invoke(args=args)
    assert real.exit_code == 0 and "imported: 5 questions" in real.output
    again = runner.invoke(args=args)
    assert "0 new, 5 already in the bank" in again.output
    out = tmp_path / "out.gift"
    exported = runner.invoke(
        args=["bank", "export", "lesson", "--format", "gift", "-o", str(out), "--as", "profesora"]
    )
    assert exported.exit_code == 0 and "King Michael" in out.read_text(encoding="utf-8")
    broken = tmp_path / "broken.gift"
    broken.write_text(BROKEN_GIFT, encoding="utf-8")
    args = ["bank", "import", str(broken), "--format", "gift", "--into", "lesson"]
    failed = runner.invoke(args=[*args, "--as", "profesora"])
    assert failed.exit_code == 1 and "line 1" in failed.output


def test_the_command_line_acts_under_the_same_rules(app, teacher_client, tmp_path):
    from tests.conftest import make_user

    _create_bank(teacher_client)
    make_user(app, "otra", role="teacher")
    runner = app.test_cli_runner()
    gift = tmp_path / "q.gift"
    gift.write_text(GIFT, encoding="utf-8")
    into_site = ["bank", "import", str(gift), "--format", "gift", "--into", "romania-ww2"]
    refused = runner.invoke(args=[*into_site, "--as", "profesora"])
    assert refused.exit_code == 1 and "edited through its files" in refused.output
    into_other = ["bank", "import", str(gift), "--format", "gift", "--into", "lesson"]
    hidden = runner.invoke(args=[*into_other, "--as", "otra"])
    assert hidden.exit_code == 1 and "may not see the bank 'lesson'" in hidden.output
    out = tmp_path / "out.gift"
    export = ["bank", "export", "lesson", "--format", "gift", "-o", str(out), "--as", "otra"]
    assert runner.invoke(args=export).exit_code == 1 and not out.exists()
    assert not _authored(app, "lesson") and not _authored(app, "romania-ww2")


def test_the_csv_template_downloads(teacher_client):
    response = teacher_client.get("/teach/csv-template.csv")
    assert response.status_code == 200 and b"type" in response.data.splitlines()[0]


# --- hostile and damaged uploads ---------------------------------------------------------------

# The manifest: aliases nested seven levels deep (1.2 KB that expanded to gigabytes).
ALIAS_BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]"
            for prev, name in zip("abcdef", "bcdefg", strict=True)
        ),
        "id: evil",
    ]
)


def _zip(files: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _patch(data: bytes, field: str, value: int) -> bytes:
    """Overwrite one field in every local and central header of a zip."""
    offsets = {  # (local header offset, central header offset, struct format)
        "flags": (6, 8, "<H"),
        "method": (8, 10, "<H"),
        "crc": (14, 16, "<I"),
        "size": (22, 24, "<I"),
    }
    local, central, fmt = offsets[field]
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        start = 0
        while (index := out.find(signature, start)) >= 0:
            struct.pack_into(fmt, out, index + offset, value)
            start = index + 4
    return bytes(out)


BANK_FILES = {"b/bank.yaml": "id: b\n", "b/sources/s.md": "---\ntitle: s\n---\n\nText.\n"}


def _corrupt_stream(data: bytes) -> bytes:
    out = bytearray(data)
    start = out.find(b"PK\x03\x04") + 30 + len("b/bank.yaml")
    out[start : start + 4] = b"\xff\xff\xff\xff"
    return bytes(out)


DAMAGED = {
    "encrypted": (lambda: _patch(_zip(BANK_FILES), "flags", 1), "is encrypted"),
    "unknown method": (
        lambda: _patch(_zip(BANK_FILES), "method", 98),
        "compression method quizapp cannot read",
    ),
    "bad checksum": (lambda: _patch(_zip(BANK_FILES), "crc", 12345), "is damaged"),
    "corrupt stream": (lambda: _corrupt_stream(_zip(BANK_FILES)), "is damaged"),
    "truncated": (lambda: _zip(BANK_FILES)[:-30], "is not a .zip archive, or it is damaged"),
    "not a zip": (lambda: b"PK\x03\x04 hello", "is not a .zip archive, or it is damaged"),
    "file and folder of one name": (
        lambda: _zip({**BANK_FILES, "b/x.md": "x", "b/x.md/f.yaml": "[]"}),
        "b/x.md has a name that cannot be unpacked",
    ),
    "name too long": (
        lambda: _zip({**BANK_FILES, "b/sources/" + "x" * 300 + ".md": "x"}),
        "has a name that cannot be unpacked",
    ),
    "not utf-8": (
        lambda: _zip({**BANK_FILES, "b/sources/t.md": "a\rb\rc\rd\re\rQué".encode("cp1252")}),
        "b/sources/t.md is not UTF-8 text (line 6)",
    ),
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_a_damaged_archive_is_one_clear_message_naming_the_file(app, teacher_client, case):
    make, expected = DAMAGED[case]
    _create_bank(teacher_client)
    response = _upload(teacher_client, "lesson", make(), "lesson.zip", "zip")
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert "lesson.zip" in page and expected in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PendingImport.id))) == 0


def test_a_zip_whose_headers_understate_the_sizes_is_never_inflated_whole():
    import tracemalloc

    from quizapp.services import archives

    honest = _zip({**BANK_FILES, "b/sources/big.md": b"\0" * (40 * 1024 * 1024)})
    assert len(honest) < 100_000
    lying = _patch(honest, "size", 100)
    tracemalloc.start()
    try:
        with pytest.raises(archives.ArchiveError, match=r"big\.md is damaged"):
            archives.read_bank_zip(lying, "bomb.zip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Read in 64 KiB chunks and counted: never the 40 MB the member inflates to.
    assert peak < 4 * 1024 * 1024
    with pytest.raises(archives.ArchiveError, match="add up to more than 50 MB"):
        archives.read_bank_zip(_zip({"b/bank.yaml": b"\0" * (51 * 1024 * 1024)}), "big.zip")


def test_a_member_larger_than_its_cap_is_refused_while_reading(monkeypatch):
    from quizapp.services import archives

    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 1024 * 1024)
    data = _zip({**BANK_FILES, "b/sources/big.md": b"x" * (3 * 1024 * 1024)})
    with pytest.raises(archives.ArchiveError, match=r"big\.md is larger than 1 MB unpacked"):
        archives.read_bank_zip(data, "big.zip")


def test_a_bank_zip_with_yaml_aliases_is_refused_naming_file_and_line(app, teacher_client):
    _create_bank(teacher_client)
    data = _zip({"evil/bank.yaml": ALIAS_BOMB, "evil/sources/s.md": BANK_FILES["b/sources/s.md"]})
    assert len(data) < 2000
    response = _upload(teacher_client, "lesson", data, "evil.zip", "zip")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "bank.yaml:1: invalid YAML: anchors (&amp;a) are not allowed in bank files" in page


def test_nul_in_an_uploaded_file_is_refused_with_its_line(app, teacher_client):
    _create_bank(teacher_client)
    response = _upload(teacher_client, "lesson", "Fine {T}\r\n\r\nBad\x00 {T}\r\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "line 3: this line holds a control character (such as NUL)" in page
    assert not _authored(app, "lesson")


def test_a_cp1252_upload_with_cr_endings_names_the_line_of_the_bad_byte(app, teacher_client):
    _create_bank(teacher_client)
    data = "\r".join(["One? {T}", "", "Two? {F}", "", "Three? {T}", "Qué? {=sí}"]).encode("cp1252")
    response = _upload(teacher_client, "lesson", data)
    assert response.status_code == 400
    assert "line 6: the file is not UTF-8 text" in response.get_data(as_text=True)


# --- pending imports ---------------------------------------------------------------------------


def _pending_rows(app) -> list[PendingImport]:
    with app.app_context():
        return list(db.session.scalars(db.select(PendingImport)))


def test_a_pending_import_keeps_no_more_than_the_uploaded_file(app, teacher_client):
    # The case: a small zip whose texts unpack to megabytes left them all in the database.
    exported = teacher_client.get("/teach/banks/romania-ww2/export.zip").data
    archive = zipfile.ZipFile(io.BytesIO(exported))
    files = {name: archive.read(name) for name in archive.namelist()}
    source = next(name for name in files if "/sources/" in name)
    files[source] += ("\n\n{#padding}\n" + "Padding words here. " * 150_000 + "\n").encode()
    data = _zip(files)
    assert len(data) < 500_000
    _create_bank(teacher_client)
    response = _upload(teacher_client, "lesson", data, "big.zip", "zip")
    assert response.status_code == 302, response.get_data(as_text=True)
    (row,) = _pending_rows(app)
    assert len(json.dumps(row.payload)) < len(data) * 4 / 3 + 100
    assert "Padding" not in json.dumps(row.payload)
    preview = teacher_client.get(response.headers["Location"])
    assert preview.status_code == 200


@pytest.mark.settings(PENDING_IMPORT_MAX_BYTES=1000)
def test_a_file_larger_than_the_pending_limit_is_refused(app, teacher_client):
    _create_bank(teacher_client)
    text = "\n\n".join(f"Question {i}? {{T}}" for i in range(100))
    response = _upload(teacher_client, "lesson", text, "many.gift")
    assert response.status_code == 400
    assert "many.gift is larger than 0 MB" in response.get_data(as_text=True)
    assert _pending_rows(app) == []


def test_pending_imports_expire_and_are_purged(app, teacher_client):
    import datetime as dt

    _create_bank(teacher_client)
    first = _upload(teacher_client, "lesson", GIFT)
    second = _upload(teacher_client, "lesson", GIFT)
    with app.app_context():
        rows = list(db.session.scalars(db.select(PendingImport)))
        for row in rows:
            row.created_at -= dt.timedelta(hours=2)
        db.session.commit()
    # An expired import cannot be confirmed: the teacher is told, and nothing is stored.
    page = teacher_client.post(first.headers["Location"], follow_redirects=True)
    assert "has expired" in page.get_data(as_text=True)
    assert not _authored(app, "lesson")
    # The next upload deletes the other expired one.
    third = _upload(teacher_client, "lesson", GIFT)
    tokens = {row.id for row in _pending_rows(app)}
    assert tokens == {third.headers["Location"].rsplit("/", 1)[1]}
    assert second.headers["Location"].rsplit("/", 1)[1] not in tokens
    # And the command line purges them too.
    with app.app_context():
        for row in db.session.scalars(db.select(PendingImport)):
            row.created_at -= dt.timedelta(hours=2)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["bank", "purge-imports"])
    assert result.exit_code == 0 and "deleted 1 expired" in result.output
    assert _pending_rows(app) == []


@pytest.mark.parametrize(
    ("file_format", "media_type"),
    [("gift", "text/plain"), ("aiken", "text/plain"), ("csv", "text/csv")],
)
def test_exports_name_their_type_and_charset_once(teacher_client, file_format, media_type):
    response = teacher_client.get(f"/teach/banks/romania-ww2/export.{file_format}")
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
    template = teacher_client.get("/teach/csv-template.csv")
    assert template.headers["Content-Type"] == "text/csv; charset=utf-8"
