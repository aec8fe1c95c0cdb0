"""What of a frozen question the API shows: nothing of the key before an answer, and the
feedback's passage with the answers of questions still to come hidden (offsets kept true)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.masking import MASK, HiddenSpan
from quizapp.core.public_questions import _moved, before_answer, feedback, masked_source
from quizapp.core.question_types import TYPES, Question

SHOWN = {"type", "language", "stem", "text_format", "options", "answers_wanted", "tolerance"}


def test_before_an_answer_only_what_the_page_shows(pool):
    types = [name for name, kind in TYPES.items() if kind.from_facts]
    seen = set()
    for seed in range(6):
        for question in pool.generate(12, "en", seed=seed, types=types):
            shown = before_answer(question)
            assert set(shown) == SHOWN
            seen.add(question.type)
            text = repr(shown)
            if question.type in ("short", "cloze", "numeric"):
                assert str(question.key) not in text.replace(question.stem, "")
            if question.type == "multi":
                assert shown["answers_wanted"] == len(question.key)
    assert {"mcq", "tf", "short"} <= seen


def test_feedback_hides_what_later_questions_ask(pool):
    questions = pool.generate(10, "en", seed=4, types=["short", "cloze", "mcq"])
    source_question = questions[0]
    text = source_question.source.passage_text
    words = [w for w in text.split() if w.isalpha() and len(w) > 5]
    later = Question.from_dict(source_question.to_dict() | {"fact_answers": [words[0]]})
    from quizapp.core.masking import question_answers

    pending = [(2, question_answers(later))]
    result = feedback(source_question, "x", False, 0.0, pending)
    assert result["key"] == source_question.key and result["correct"] is False
    source = result["source"]
    assert source["hidden"] >= 1 and MASK in source["passage_text"]
    assert words[0] not in source["passage_text"]


@given(
    st.lists(st.integers(0, 60), min_size=0, max_size=8, unique=True),
    st.integers(0, 80),
)
def test_offsets_move_with_the_masks(cuts, position):
    edges = sorted(cuts)
    spans = [HiddenSpan(a, b, 1) for a, b in zip(edges[::2], edges[1::2], strict=False) if a < b]
    text = "".join(chr(97 + i % 26) for i in range(80))
    moved = _moved(position, spans)
    pieces, last = [], 0
    for span in spans:
        pieces += [text[last : span.start], MASK]
        last = span.end
    pieces.append(text[last:])
    masked = "".join(pieces)
    inside = any(s.start <= position < s.end for s in spans)
    if not inside:
        # A position outside every span keeps the character that followed it.
        assert masked[moved : moved + 1] == text[position : position + 1]
    assert 0 <= moved <= len(masked)


def test_no_source_no_passage():
    assert masked_source(None, []) is None
