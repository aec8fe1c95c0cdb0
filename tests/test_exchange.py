"""Import and export: previews, all-or-nothing imports, no duplicates, round trips per format."""

from __future__ import annotations

import io
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
