"""The command line: `bank check` and `bank generate` work without a database."""

from __future__ import annotations

import json

from tests.conftest import BANK_DIR


def test_bank_check_passes_with_a_summary(app):
    result = app.test_cli_runner().invoke(args=["bank", "check", str(BANK_DIR)])
    assert result.exit_code == 0, result.output
    assert "facts; by language: en" in result.output
    assert "es by kind:" in result.output
    assert "passages have facts" in result.output and result.output.strip().endswith("OK")


def test_bank_check_lists_every_problem_and_exits_1(app, bank_copy):
    source = bank_copy / "sources" / "pogromo-iasi-es.md"
    source.write_text(source.read_text(encoding="utf-8").replace("13.266", "13.267"), "utf-8")
    result = app.test_cli_runner().invoke(args=["bank", "check", str(bank_copy)])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    assert "pogromo-iasi-es" in result.output and "evidence" in result.output


def test_bank_generate_prints_one_json_object_per_question(app):
    args = ["bank", "generate", str(BANK_DIR), "--lang", "es", "--count", "12", "--seed", "7"]
    args += ["--types", "mcq,tf,cloze,short,numeric,order,match"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(lines) == 12
    for question in lines:
        for field in ("type", "stem", "options", "key", "accepted", "fact_id", "source"):
            assert field in question
        for field in ("document", "passage_id", "passage_text", "evidence_start", "evidence_end"):
            assert field in question["source"]
        assert question["language"] == "es"
    again = app.test_cli_runner().invoke(args=args)
    assert again.output == result.output


def test_bank_generate_refuses_an_unknown_type(app):
    args = ["bank", "generate", str(BANK_DIR), "--types", "essay"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2
    assert "unknown question type(s): essay" in result.output


def test_bank_generate_as_text_names_each_matched_items_passage(app):
    args = ["bank", "generate", str(BANK_DIR), "--types", "match", "--count", "1"]
    result = app.test_cli_runner().invoke(args=[*args, "--format", "text"])
    assert result.exit_code == 0, result.output
    data = app.test_cli_runner().invoke(args=args).output.splitlines()[0]
    items = json.loads(data)["items"]
    sources = [line for line in result.output.splitlines() if "   source: " in line]
    assert len(sources) == len(items) >= 3
    for item, line in zip(items, sources, strict=True):
        assert item["label"] in line and item["source"]["passage_id"] in line
