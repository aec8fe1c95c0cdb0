"""GIFT conformance: our reader against the parses GIFT-grammar-PEG.js expects of its test files.

The pairs live outside the project, in the folder named by GIFT_CONFORMANCE_DIR (by default
../shared/conformance/gift beside the project root); each NAME.gift is read with our importer
and compared, item by item and exactly, with NAME.json: type, title, stem text and format,
missing-word flag, category, id and tags, every choice's text, correctness, weight and feedback,
numbers, tolerances and ranges, match pairs, the true/false value and its two feedbacks, and the
general feedback. The JSON is that project's AST, so `expected` maps it onto our model:

- "Category" items set the category of the questions after them (and are items of `read`).
- "MC" is our mcq when exactly one choice is marked right ('='), else multi (see gift/reading.py).
- A single numerical answer ({"type": "simple"|"range"|"high-low"}) is a list of one; "simple"
  is a tolerance of 0; a wrong ('~') number without a weight earns 0 (not in these files).
- Feedback texts are compared as text; an empty one is None, as their null.
- The format of each answer and feedback is not compared: quizapp keeps one text format per
  question (the stem's, which is compared), so a per-answer "[html]" only changes how that
  text's spaces are read. docs/import-formats.md lists this limitation.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from quizapp.core.authored import AuthoredQuestion, Choice, MatchPair, NumericAnswer
from quizapp.core.formats.gift import SKIP_REASONS, Category, parse, read

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "gift"
CONFORMANCE_DIR = Path(os.environ.get("GIFT_CONFORMANCE_DIR") or DEFAULT_DIR)
TYPES = {
    "Short": "short",
    "TF": "tf",
    "Numerical": "numeric",
    "Matching": "match",
    "Essay": "essay",
    "Description": "description",
}


def _cases() -> list[Any]:
    files = sorted(CONFORMANCE_DIR.glob("*.gift")) if CONFORMANCE_DIR.is_dir() else []
    if not files:
        reason = (
            f"no GIFT conformance pairs in {CONFORMANCE_DIR}: the shared folder is absent "
            "(set GIFT_CONFORMANCE_DIR to the folder of NAME.gift/NAME.json pairs)"
        )
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="absent")]
    return [pytest.param(path, id=path.name) for path in files]


def _text(rich: dict[str, Any] | None) -> str | None:
    return None if rich is None else rich["text"]


def _number(spec: dict[str, Any], weight: float | None, feedback: str | None) -> NumericAnswer:
    if spec["type"] == "simple":
        return NumericAnswer(value=spec["number"], weight=weight, feedback=feedback)
    if spec["type"] == "range":
        return NumericAnswer(
            value=spec["number"], tolerance=spec["range"], weight=weight, feedback=feedback
        )
    assert spec["type"] == "high-low", spec
    return NumericAnswer(
        low=spec["numberLow"], high=spec["numberHigh"], weight=weight, feedback=feedback
    )


def expected(item: dict[str, Any], category: str | None) -> AuthoredQuestion:
    """Their JSON question as the AuthoredQuestion our reader must produce."""
    kind = item["type"]
    q = AuthoredQuestion(
        type=TYPES.get(kind, kind),
        stem=item["stem"]["text"],
        text_format=item["stem"]["format"],
        title=item["title"],
        category=category,
        external_id=item["id"],
        tags=list(item["tags"] or []),
        general_feedback=_text(item.get("globalFeedback")),
        embedded=item["hasEmbeddedAnswers"],
    )
    if kind in ("MC", "Short"):
        q.choices = [
            Choice(c["text"]["text"], c["isCorrect"], c["weight"], _text(c["feedback"]))
            for c in item["choices"]
        ]
        if kind == "MC":
            right = sum(1 for c in item["choices"] if c["isCorrect"])
            q.type = "mcq" if right == 1 else "multi"
    elif kind == "TF":
        q.is_true = item["isTrue"]
        q.true_feedback = _text(item["trueFeedback"])
        q.false_feedback = _text(item["falseFeedback"])
    elif kind == "Numerical":
        choices = item["choices"]
        if isinstance(choices, dict):
            q.numeric = [_number(choices, None, None)]
        else:
            for c in choices:
                weight = c["weight"]
                if not c["isCorrect"] and weight is None:
                    weight = 0.0
                q.numeric.append(_number(c["text"], weight, _text(c["feedback"])))
    elif kind == "Matching":
        q.pairs = [MatchPair(p["subquestion"]["text"], p["subanswer"]) for p in item["matchPairs"]]
    else:
        assert kind in ("Essay", "Description"), f"unknown type {kind!r} in the JSON"
    return q


@pytest.mark.parametrize("gift_file", _cases())
def test_gift_file_matches_its_json(gift_file: Path) -> None:
    json_file = gift_file.with_suffix(".json")
    assert json_file.is_file(), f"{gift_file.name} has no {json_file.name} beside it"
    text = gift_file.read_text(encoding="utf-8")
    want_items = json.loads(json_file.read_text(encoding="utf-8"))

    items, problems = read(text)
    assert problems == []
    assert len(items) == len(want_items), [type(i).__name__ for i in items]

    category = None
    for number, (got, want) in enumerate(zip(items, want_items, strict=True), start=1):
        if want["type"] == "Category":
            category = want["title"] or None
            assert got == Category(category, got.line), f"item {number}"
            continue
        assert isinstance(got, AuthoredQuestion), f"item {number}: {got}"
        assert got.to_dict() == expected(want, category).to_dict(), f"item {number}"
        assert got.line is not None

    # parse(): gradable questions to import, essays and descriptions skipped with the reason.
    result = parse(text)
    questions = [i for i in items if isinstance(i, AuthoredQuestion)]
    assert result.ok
    assert [q.to_dict() for q in result.questions] == [
        q.to_dict() for q in questions if q.type not in SKIP_REASONS
    ]
    assert [(q.to_dict(), reason) for q, reason in result.skipped] == [
        (q.to_dict(), SKIP_REASONS[q.type]) for q in questions if q.type in SKIP_REASONS
    ]
