"""Import/export formats: GIFT, Aiken and CSV read, report problems, and round-trip.

Every format's round trip (write, then parse) must give back equal questions: `to_dict()` minus
`line` (and, for GIFT and CSV, minus the bank's `language` and `passage_id`, which no file
holds). Hypothesis builds questions of every type a format holds, with texts full of the
characters each format escapes.
"""

from __future__ import annotations

import csv
import io
import random
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.authored import AuthoredQuestion, Choice, MatchPair, NumericAnswer
from quizapp.core.formats import FORMATS, SKIP_REASONS, aiken, decode, gift
from quizapp.core.formats import csv as csv_format
from tests.bounded import assert_linear

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _same(question: AuthoredQuestion) -> dict[str, Any]:
    data = question.to_dict()
    data.pop("language")
    data.pop("passage_id")
    return data


def _grades(question: AuthoredQuestion) -> list[float]:
    """What each answer of a question is worth, the part of it that grading reads."""
    return [c.fraction() for c in question.choices] + [a.fraction() for a in question.numeric]


def _messages(problems: list[Any]) -> list[str]:
    return [str(p) for p in problems]


# --- strategies ------------------------------------------------------------------------------

# Letters, accents, punctuation and every character GIFT, Aiken or CSV treats specially.
ALPHABET = "abzAZ09áéñüçøß¿¡?!.,;'\"()<>/*%$_-~=#{}:\\[]|&@+"
WORD = st.text(ALPHABET, min_size=1, max_size=7)
# Texts as a file holds them: trimmed, one space between words (runs of spaces collapse in
# GIFT's moodle text), line breaks where the format keeps them.
LINE = st.lists(WORD, min_size=1, max_size=5).map(" ".join)
MULTILINE = st.lists(LINE, min_size=1, max_size=3).map("\n".join)
TRICKY = st.sampled_from(
    [
        "[html]not a marker",
        "%50% off",
        "// not a comment",
        "$CATEGORY: not a category",
        "::not a title::",
        "T",
        "FALSE",
        "####",
        "{}",
        "a -> b",
        "_____",
        "\\n is not a line break",
        "Iași, Brașov; «Timișoara»",
    ]
)
TEXT = st.one_of(MULTILINE, TRICKY)
NO_ARROW = TEXT.filter(lambda t: "->" not in t)
FEEDBACK = st.none() | TEXT
WEIGHT = st.none() | st.floats(-100, 100) | st.integers(-100, 100).map(float)
NUMBER = st.floats(allow_nan=False, allow_infinity=False) | st.integers(-5000, 5000).map(float)
SAFE = st.text("abcxyz0189-_.áé", min_size=1, max_size=10)


@st.composite
def numeric_answer(draw: st.DrawFn) -> NumericAnswer:
    weight, feedback = draw(WEIGHT), draw(FEEDBACK)
    if draw(st.booleans()):
        return NumericAnswer(low=draw(NUMBER), high=draw(NUMBER), weight=weight, feedback=feedback)
    return NumericAnswer(
        value=draw(NUMBER),
        tolerance=draw(st.just(0.0) | NUMBER),
        weight=weight,
        feedback=feedback,
    )


@st.composite
def choices(draw: st.DrawFn, kind: str, text: st.SearchStrategy[str]) -> list[Choice]:
    count = draw(st.integers(2, 5)) if kind != "short" else draw(st.integers(1, 4))
    if kind == "mcq":
        right = {draw(st.integers(0, count - 1))}
    elif kind == "multi":
        # GIFT: one '=' would read as mcq and all '=' as short, so none or several (not all).
        if count < 3 or draw(st.booleans()):
            right = set()
        else:
            right = draw(st.sets(st.integers(0, count - 1), min_size=2, max_size=count - 1))
    else:
        right = set(range(count))
    made = [Choice(draw(text), i in right, draw(WEIGHT), draw(FEEDBACK)) for i in range(count)]
    if kind == "mcq":
        # Moodle gives the '=' option full marks: a single-answer question's right option is
        # worth 100% (any other weight cannot be written; see the test of what is left out).
        for choice in made:
            if choice.correct:
                choice.weight = draw(st.sampled_from([None, 100.0]))
    return made


@st.composite
def gift_question(draw: st.DrawFn, kind: str) -> AuthoredQuestion:
    q = AuthoredQuestion(
        type=kind,
        stem=draw(TEXT),
        text_format=draw(st.sampled_from(["moodle", "html", "markdown", "plain"])),
        title=draw(st.none() | TEXT),
        category=draw(st.none() | LINE),
        external_id=draw(st.none() | SAFE),
        tags=draw(st.lists(SAFE, max_size=3)),
        general_feedback=None if kind == "description" else draw(FEEDBACK),
    )
    if kind in ("mcq", "multi"):
        q.choices = draw(choices(kind, TEXT))
    elif kind == "short":
        q.choices = draw(choices(kind, NO_ARROW))
    elif kind == "tf":
        q.is_true = draw(st.booleans())
        q.true_feedback, q.false_feedback = draw(FEEDBACK), draw(FEEDBACK)
    elif kind == "numeric":
        q.numeric = draw(st.lists(numeric_answer(), min_size=1, max_size=3))
    elif kind == "match":
        q.pairs = [MatchPair(draw(NO_ARROW), draw(TEXT)) for _ in range(draw(st.integers(2, 4)))]
    if kind not in SKIP_REASONS and draw(st.booleans()):
        # A missing-word question: the blank stands where the answer block goes.
        before = draw(st.none() | LINE)
        q.stem = ("_____ " if before is None else before + " _____ ") + draw(LINE)
        q.embedded = True
    return q


GIFT_TYPES = ["mcq", "multi", "tf", "short", "numeric", "match", "essay", "description"]
ANY_GIFT_QUESTION = st.sampled_from(GIFT_TYPES).flatmap(gift_question)


def _back(result: Any) -> list[dict[str, Any]]:
    return [_same(q) for q in result.questions] + [_same(q) for q, _ in result.skipped]


# --- GIFT --------------------------------------------------------------------------------------

SAMPLE_GIFT = """\
// A sample with every type.
$CATEGORY: Romania/Geography

// [id:geo-1] [tag:capitals] [tag:europe]
::Capital::What is the capital of Romania? {
    ~Cluj-Napoca#No, that is in Transylvania.
    =Bucharest#Right!
    ~%25%Iași#Once, for two years.
    ####[html]<p>Bucharest since <b>1862</b>.</p>
}

Which rivers flow through Romania? {
    ~%50%Mureș
    ~%50%Olt
    ~%-100%Rhine
}

The Danube flows into the Black Sea.{TRUE#Yes.#It does.}

The {=Danube =%50%Dunărea} forms the border with Bulgaria.

In which year did Romania join the EU? {#
    =2007
    =%50%2006..2008#Close.
}

Tolerance? {#3.1415:0.0005}

Match the cities. {
    =Cluj-Napoca -> Transylvania
    =Iași -> Moldavia
}

[markdown]Write about **Brașov**. {}

$CATEGORY:

::Note::Escapes\\: \\~ \\= \\# \\{ \\} \\\\ and a line\\nbreak.
"""


def test_gift_reads_every_type() -> None:
    result = gift.parse("\ufeff" + SAMPLE_GIFT.replace("\n", "\r\n"))
    assert result.problems == []
    kinds = [q.type for q in result.questions]
    assert kinds == ["mcq", "multi", "tf", "short", "numeric", "numeric", "match"]
    mcq = result.questions[0]
    assert mcq.title == "Capital"
    assert mcq.category == "Romania/Geography"
    assert (mcq.external_id, mcq.tags) == ("geo-1", ["capitals", "europe"])
    assert mcq.choices[1] == Choice("Bucharest", True, None, "Right!")
    assert mcq.choices[2] == Choice("Iași", False, 25.0, "Once, for two years.")
    assert mcq.general_feedback == "<p>Bucharest since <b>1862</b>.</p>"
    assert mcq.line == 5
    assert [c.weight for c in result.questions[1].choices] == [50.0, 50.0, -100.0]
    tf = result.questions[2]
    assert (tf.is_true, tf.true_feedback, tf.false_feedback) == (True, "Yes.", "It does.")
    short = result.questions[3]
    assert short.embedded
    assert short.stem == "The _____ forms the border with Bulgaria."
    assert short.choices == [Choice("Danube", True), Choice("Dunărea", True, 50.0)]
    assert result.questions[4].numeric == [
        NumericAnswer(value=2007.0),
        NumericAnswer(low=2006.0, high=2008.0, weight=50.0, feedback="Close."),
    ]
    assert result.questions[5].numeric == [NumericAnswer(value=3.1415, tolerance=0.0005)]
    assert result.questions[6].pairs[1] == MatchPair("Iași", "Moldavia")
    essay, description = result.skipped
    assert essay == (essay[0], SKIP_REASONS["essay"])
    assert (essay[0].type, essay[0].text_format) == ("essay", "markdown")
    assert essay[0].stem == "Write about **Brașov**."
    assert description[1] == "a description has no question to answer"
    assert description[0].category is None
    assert description[0].stem == "Escapes: ~ = # { } \\ and a line\nbreak."


def test_gift_reports_every_problem_with_its_line() -> None:
    text = """\
Unclosed {=yes

Stray } brace.

::Title without end

Bad weight {~%150%a =b}

Too much feedback {TRUE#a#b#c}

Mixed {=a -> b =c}

Numbers {#twelve}

Fine {T}

Text first {oops =a ~b}

Second block {=a ~b} and {=c ~d}
"""
    result = gift.parse(text)
    assert _messages(result.problems) == [
        "line 1: unclosed '{' — the answer block that starts here has no closing '}' "
        "(a blank line ends a question)",
        "line 3: '}' closes an answer block that was never opened (write \\} for a literal '}')",
        "line 5: the title that starts with '::' has no closing '::' "
        "(write \\: for a colon inside a title)",
        "line 7: the weight %150% is not a number from -100 to 100",
        "line 9: a true/false answer takes at most two feedbacks ({TRUE#…#…}); "
        "write \\# for a literal '#'",
        "line 11: in a matching question every answer needs 'item -> match'; this one has no '->'",
        "line 13: 'twelve' is not a number: write 3.14, 3.14:0.01 (with a tolerance) "
        "or 3..4 (a range)",
        "line 17: text before the first answer: start each answer with '=' (right) or '~' "
        "(wrong), or write \\= and \\~ for literal characters",
        "line 19: a question has only one answer block {…}: write \\{ and \\} for literal braces",
    ]
    # Parsing goes on after each problem: the sound question is still read.
    assert [q.stem for q in result.questions] == ["Fine"]
    assert not result.ok


def test_gift_problem_lines_inside_a_multiline_block() -> None:
    text = "// comment\nQuestion? {\n    =right\n    ~%x%wrong\n    ~\n}\n"
    assert _messages(gift.parse(text).problems) == [
        "line 4: the weight %x% is not a number from -100 to 100",
        "line 5: the answer after '~' has no text",
    ]


def test_gift_comments_ids_and_tags() -> None:
    text = "// [id:a\\]b] [tag:one]\n\n// [tag:two]\nQ {T}\n\nR {F}\n// [id:own]\n"
    first, second = gift.parse(text).questions
    # Comments above a question belong to it, even across a blank line (as in the oracle).
    assert (first.external_id, first.tags) == ("a]b", ["one", "two"])
    assert (second.external_id, second.tags) == ("own", [])


def test_gift_escaped_newline_survives_in_moodle_text() -> None:
    q = gift.parse("Two\\nlines and   spaces\nand a break {T}").questions[0]
    assert q.stem == "Two\nlines and spaces and a break"
    html = gift.parse("[html]<p>a</p>\n<p>b   c</p> {T}").questions[0]
    assert html.stem == "<p>a</p>\n<p>b   c</p>"


def test_gift_short_answer_without_equals_and_true_false_words() -> None:
    one, word = gift.parse("How do you write 1? {One}\n\nSay it {True}").questions
    assert one.type == "short"
    assert one.choices == [Choice("One", True)]
    # Only T, TRUE, F and FALSE (in capitals) make a true/false question.
    assert (word.type, word.choices) == ("short", [Choice("True", True)])


def test_gift_write_lists_what_it_cannot_hold() -> None:
    two_right = AuthoredQuestion("mcq", "Q", choices=[Choice("a", True), Choice("b", True)])
    half_right = AuthoredQuestion("mcq", "Q", choices=[Choice("a", True, 50.0), Choice("b", False)])
    arrow = AuthoredQuestion("short", "Q", choices=[Choice("a -> b", True)])
    left = AuthoredQuestion("match", "Q", pairs=[MatchPair("a -> b", "c"), MatchPair("d", "e")])
    text, unwritten = gift.write([two_right, half_right, arrow, left])
    assert text == ""
    assert [q for q, _ in unwritten] == [two_right, half_right, arrow, left]
    reasons = [reason for _, reason in unwritten]
    assert "has 2 options marked right" in reasons[0]
    assert "('=') full marks, and this one is worth 50%" in reasons[1]
    assert "matching pair" in reasons[2]
    assert "contains '->'" in reasons[3]


def test_gift_write_sample_and_category_reset() -> None:
    questions = gift.parse(SAMPLE_GIFT)
    bank = questions.questions + [q for q, _ in questions.skipped]
    text, unwritten = gift.write(bank)
    assert unwritten == []
    again = gift.parse(text)
    assert again.problems == []
    assert _back(again) == [_same(q) for q in bank]
    assert "$CATEGORY:\n" in text


@pytest.mark.parametrize("kind", GIFT_TYPES)
@SETTINGS
@given(data=st.data())
def test_gift_round_trip(kind: str, data: st.DataObject) -> None:
    question = data.draw(gift_question(kind))
    text, unwritten = gift.write([question])
    assert unwritten == []
    result = gift.parse(text)
    assert result.problems == []
    # Marks and weights as Moodle reads them (gift.normalize), which grade the same.
    assert _back(result) == [_same(gift.normalize(question))], text
    assert [_grades(q) for q in result.questions] == [_grades(q) for q in [question] if q.gradable]


@SETTINGS
@given(bank=st.lists(ANY_GIFT_QUESTION, min_size=1, max_size=6))
def test_gift_round_trip_of_a_bank(bank: list[AuthoredQuestion]) -> None:
    text, unwritten = gift.write(bank)
    assert unwritten == []
    items, problems = gift.read(text)
    assert problems == []
    back = [_same(i) for i in items if isinstance(i, AuthoredQuestion)]
    assert back == [_same(gift.normalize(q)) for q in bank]


MESSY = st.text("ab ~=#{}:\\\n\t\u00a0\r[]%-", max_size=12)


@SETTINGS
@given(question=ANY_GIFT_QUESTION, stem=MESSY, feedback=MESSY)
def test_gift_reads_back_what_normalize_says(
    question: AuthoredQuestion, stem: str, feedback: str
) -> None:
    # Any text: GIFT trims it and collapses runs of spaces in moodle and plain text; whatever
    # it cannot hold is listed, never written wrong.
    question.stem, question.embedded = stem, False
    question.general_feedback = feedback if question.type != "description" else None
    text, unwritten = gift.write([question])
    if unwritten:
        assert text == ""
        return
    assert _back(gift.parse(text)) == [_same(gift.normalize(question))]


# --- Aiken -------------------------------------------------------------------------------------

SAMPLE_AIKEN = """\
What is the capital of Romania?
A. Cluj-Napoca
B) Bucharest
C. Iași
ANSWER: B
Which river forms the border
with Bulgaria?
A. Danube
B. Olt
ANSWER: A
"""


def test_aiken_reads_questions() -> None:
    result = aiken.parse("\ufeff" + SAMPLE_AIKEN)
    assert result.problems == []
    first, second = result.questions
    assert (first.type, first.stem, first.line) == ("mcq", "What is the capital of Romania?", 1)
    assert first.choices == [
        Choice("Cluj-Napoca", False),
        Choice("Bucharest", True),
        Choice("Iași", False),
    ]
    assert second.stem == "Which river forms the border\nwith Bulgaria?"
    assert second.line == 6


def test_aiken_reports_every_problem_with_its_line() -> None:
    text = """\
A. An option first
Question one?
A. yes
C. no
ANSWER: D

Question two?
A. yes
B. no
a continuation line
ANSWER: A

Question three?
ANSWER: A

Question four?
A. yes
"""
    assert _messages(aiken.parse(text).problems) == [
        "line 1: 'A. An option first' is an option or answer line with no question before it",
        "line 4: option C is out of order: the next option is B",
        "line 5: the answer is D, but the options are A, C: "
        "write 'ANSWER: ' and one of their letters",
        "line 10: expected the next option ('C. …') or the 'ANSWER: …' line; "
        "Aiken options are one line each",
        "line 14: 'ANSWER:' comes before any option ('A. …')",
        "line 16: the question that starts here has no 'ANSWER: …' line",
    ]


def test_aiken_write_skips_what_it_cannot_hold_and_drops_extras() -> None:
    mcq = AuthoredQuestion(
        "mcq",
        "Capital?",
        title="Capital",
        tags=["x"],
        choices=[Choice("Bucharest", True, None, "Right"), Choice("Iași", False)],
        general_feedback="Since 1862.",
    )
    tf = AuthoredQuestion("tf", "True?", is_true=True)
    partial = AuthoredQuestion(
        "mcq", "Q", choices=[Choice("a", True), Choice("b", False, weight=50.0)]
    )
    text, unwritten = aiken.write([mcq, tf, partial])
    assert text == "Capital?\nA. Bucharest\nB. Iași\nANSWER: A\n"
    assert unwritten == [
        (tf, "Aiken holds only single-answer multiple choice"),
        (partial, "Aiken cannot hold partial credit (weights)"),
    ]


AIKEN_LINE = (
    st.lists(
        st.text("abzñé09?!.,;:'\"()%$#{}=~\\[]|-", min_size=1, max_size=7), min_size=1, max_size=4
    )
    .map(" ".join)
    .map(lambda t: "q " + t)
)


@st.composite
def aiken_question(draw: st.DrawFn) -> AuthoredQuestion:
    count = draw(st.integers(1, 8))
    right = draw(st.integers(0, count - 1))
    option = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
    return AuthoredQuestion(
        type="mcq",
        stem="\n".join(draw(st.lists(AIKEN_LINE, min_size=1, max_size=3))),
        choices=[Choice(draw(option), i == right) for i in range(count)],
    )


@SETTINGS
@given(bank=st.lists(aiken_question(), min_size=1, max_size=5))
def test_aiken_round_trip(bank: list[AuthoredQuestion]) -> None:
    text, unwritten = aiken.write(bank)
    assert unwritten == []
    result = aiken.parse(text)
    assert result.problems == []
    assert [q.to_dict() for q in result.questions] == [q.to_dict() for q in bank]


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_template_has_one_row_per_type_and_reads_cleanly() -> None:
    template = csv_format.template()
    assert template.splitlines()[0] == ",".join(csv_format.COLUMNS)
    result = csv_format.parse(template)
    assert result.problems == []
    assert [q.type for q in result.questions] == ["mcq", "multi", "tf", "short", "numeric", "match"]
    mcq = result.questions[0]
    assert (mcq.title, mcq.category, mcq.external_id) == (
        "Capital of Romania",
        "Geography",
        "geo-1",
    )
    assert mcq.tags == ["europe", "capitals"]
    assert [c.correct for c in mcq.choices] == [False, True, False]
    assert mcq.choices[2].feedback is None
    assert result.questions[3].embedded
    assert result.questions[4].numeric[1] == NumericAnswer(
        low=2006.0, high=2008.0, weight=50.0, feedback="Close: it was 2007."
    )
    assert result.questions[5].pairs[0] == MatchPair("Cluj-Napoca", "Transylvania")


def test_csv_reads_bom_semicolons_escapes_and_tolerance() -> None:
    text = (
        "\ufeffType;Stem;Answers;Correct;Tolerance;Feedback\n"
        'short;"Pipe?";a\\|b|c\\\\d;;;\n'
        "numeric;Pi?;3.14|3;;0.01;close|\n"
        "mcq;Letter?;x|y;B;;\n"
        "essay;Why?;;;;\n"
    )
    result = csv_format.parse(text)
    assert result.problems == []
    short, numeric, mcq = result.questions
    assert short.choices == [Choice("a|b", True), Choice("c\\d", True)]
    assert numeric.numeric == [
        NumericAnswer(value=3.14, tolerance=0.01, feedback="close"),
        NumericAnswer(value=3.0, tolerance=0.01),
    ]
    assert [c.correct for c in mcq.choices] == [False, True]
    assert result.skipped == [(result.skipped[0][0], SKIP_REASONS["essay"])]


def test_csv_reports_every_problem_with_line_and_column() -> None:
    text = "type,stem,answers,correct,weights,feedback,colour\nmcq,Q?,a|b,3,,,\n"
    assert _messages(csv_format.parse(text).problems) == [
        "line 1: unknown column 'colour': the columns are " + ", ".join(csv_format.COLUMNS),
        "line 2: column 'correct': there is no answer 3: this row has 2",
    ]
    text = (
        "type,stem,answers,correct,weights,feedback,tolerance\n"
        'mcq,"A stem\non two lines",a|b,3,,,\n'
        "multi,Q?,a|b|c,,50|x|,,\n"
        "tf,Q?,a|b,maybe,,,\n"
        "numeric,Q?,12|twelve,,,a|b|c,\n"
        "match,Q?,a -> b|c,,,,\n"
        "quiz,Q?,,,,,\n"
        "short,Q?,a||b,,,,1\n"
    )
    assert _messages(csv_format.parse(text).problems) == [
        "line 2: column 'correct': there is no answer 3: this row has 2",
        "line 4: column 'weights': 'x' is not a number from -100 to 100",
        "line 5: column 'answers': a tf question does not use this column; leave it empty",
        "line 5: column 'correct': a tf question needs true or false here",
        "line 6: column 'feedback': 3 values for 2 answers: give one per answer, separated by "
        "'|' (leave a value empty for none)",
        "line 6: column 'answers': 'twelve' is not a number: write 1822, 3.14:0.01 (with a "
        "tolerance) or 1..5 (a range), with a dot for decimals",
        "line 7: column 'answers': 'c' needs 'item -> match'",
        "line 8: column 'type': 'quiz' is not a question type; use one of "
        + ", ".join(csv_format.TYPES),
        "line 9: column 'tolerance': a short question does not use this column; leave it empty",
        "line 9: column 'answers': an answer is empty (two '|' in a row, or one at an end)",
    ]


def test_csv_header_must_name_type_and_stem() -> None:
    assert _messages(csv_format.parse("title,answers\nx,y\n").problems) == [
        "line 1: the header has no 'type' column",
        "line 1: the header has no 'stem' column",
    ]
    assert _messages(csv_format.parse("Type,Stem,stem\n").problems) == [
        "line 1: the column 'stem' appears twice"
    ]
    assert _messages(csv_format.parse("").problems) == [
        "line 1: the file is empty: it needs a header row"
    ]


CSV_TEXT = (
    st.lists(st.text(ALPHABET + "\n\t", min_size=1, max_size=7), min_size=1, max_size=4)
    .map(" ".join)
    .map(str.strip)
    .filter(bool)
)
CSV_NO_ARROW = CSV_TEXT.filter(lambda t: "->" not in t)


@st.composite
def csv_question(draw: st.DrawFn, kind: str) -> AuthoredQuestion:
    feedback = st.none() | CSV_TEXT
    q = AuthoredQuestion(
        type=kind,
        stem=draw(CSV_TEXT),
        text_format=draw(st.sampled_from(["moodle", "html", "markdown", "plain"])),
        title=draw(st.none() | CSV_TEXT),
        category=draw(st.none() | CSV_TEXT),
        external_id=draw(st.none() | CSV_TEXT),
        tags=draw(st.lists(CSV_TEXT, max_size=3)),
        general_feedback=None if kind == "description" else draw(feedback),
        embedded=draw(st.booleans()),
    )
    if kind in ("mcq", "multi", "short"):
        count = draw(st.integers(1, 5))
        if kind == "mcq":
            right = {draw(st.integers(0, count - 1))}
        else:
            right = draw(st.sets(st.integers(0, count - 1), min_size=1))
        q.choices = [
            Choice(draw(CSV_TEXT), i in right, draw(WEIGHT), draw(feedback)) for i in range(count)
        ]
    elif kind == "tf":
        q.is_true = draw(st.booleans())
        q.true_feedback, q.false_feedback = draw(feedback), draw(feedback)
    elif kind == "numeric":
        q.numeric = draw(st.lists(numeric_answer(), min_size=1, max_size=3))
        for answer in q.numeric:
            answer.feedback = draw(feedback)
    elif kind == "match":
        q.pairs = [
            MatchPair(draw(CSV_NO_ARROW), draw(CSV_TEXT)) for _ in range(draw(st.integers(1, 4)))
        ]
    return q


@pytest.mark.parametrize("kind", csv_format.TYPES)
@SETTINGS
@given(data=st.data())
def test_csv_round_trip(kind: str, data: st.DataObject) -> None:
    bank = data.draw(st.lists(csv_question(kind), min_size=1, max_size=3))
    text, unwritten = csv_format.write(bank)
    assert unwritten == []
    result = csv_format.parse(text)
    assert result.problems == []
    assert _back(result) == [_same(q) for q in bank]


def test_csv_write_lists_what_it_cannot_hold() -> None:
    arrow = AuthoredQuestion("match", "Q", pairs=[MatchPair("a -> b", "c")])
    none_right = AuthoredQuestion("mcq", "Q", choices=[Choice("a", False), Choice("b", False)])
    text, unwritten = csv_format.write([arrow, none_right])
    assert text.splitlines() == [",".join(csv_format.COLUMNS)]
    assert unwritten[0] == (arrow, "an item to match contains '->', which separates item and match")
    assert unwritten[1][1] == (
        "the CSV cannot hold it: column 'correct': an mcq has exactly one right answer: "
        "give its number or letter"
    )


# --- the registry -------------------------------------------------------------------------------


def test_registry_and_decode() -> None:
    assert set(FORMATS) == {"gift", "aiken", "csv"}
    for name, entry in FORMATS.items():
        assert entry.name == name
        text, unwritten = entry.write([])
        assert unwritten == []
        assert entry.parse(text).ok
        assert entry.parse(text).questions == []
    assert FORMATS["csv"].template is not None
    assert decode("\ufeffé".encode()) == ("é", [])
    text, problems = decode(b"ok\nok\n\xff bad\n")
    assert _messages(problems) == [
        "line 3: this line is not UTF-8 text: save the file as UTF-8 and upload it again"
    ]
    assert text.startswith("ok\nok\n")


# --- Moodle's reading of what GIFT export writes ---------------------------------------------

# Moodle's own pattern for a weight (question/format/gift/format.php, $giftanswerweightregex).
MOODLE_WEIGHT = re.compile(r"^%\-*([0-9]{1,2})\.?([0-9]*)%")


def _moodle_weight(answer: str) -> tuple[float, str]:
    """Moodle's answerweightparser: the weight between the first two '%', and the rest."""
    answer = answer[1:]
    end = answer.index("%")
    return float(answer[:end]) / 100, answer[end + 1 :]


def _moodle_comment(answer: str) -> tuple[str, str]:
    """Moodle's commentparser: the answer and its feedback, split on the first '#'."""
    text, _, feedback = answer.partition("#")
    return text.strip(), feedback.strip()


def moodle_reads(gift_text: str) -> dict[str, Any]:
    """How Moodle's GIFT importer reads the answers of one question without escapes.

    A transcription of format.php's rules for the types quizapp writes with weights: its type
    choice ('#' numerical, any '~' multichoice, else short answer), multichoice's `single`
    (set by any '='), '=' worth full marks whatever follows, '~%N%' worth N%, a bare '~' worth
    nothing, short answers' '=%N%', and a numerical '~' that starts feedback for any other
    number. Each answer is (text, fraction, feedback).
    """
    answertext = gift_text[gift_text.index("{") + 1 : gift_text.rindex("}")].strip()
    if answertext.startswith("#"):
        answertext = answertext[1:]
        other = None
        if "~" in answertext:
            answertext, other = answertext.split("~", 1)
        parts = [p.strip() for p in answertext.split("=")]
        parts = parts[1:] if not parts[0] else parts
        answers = []
        for part in parts:
            fraction, part = _moodle_weight(part) if MOODLE_WEIGHT.match(part) else (1.0, part)
            answers.append((*_moodle_comment(part)[:1], fraction, _moodle_comment(part)[1]))
        if other is not None:
            answers.append(("*", 0.0, _moodle_comment(other)[1]))
        return {"qtype": "numerical", "answers": answers}
    if "~" in answertext:
        single = "=" in answertext
        parts = [p.strip() for p in answertext.replace("=", "~=").split("~")]
        parts = parts[1:] if not parts[0] else parts
        answers = []
        for part in parts:
            if part.startswith("="):
                fraction, part = 1.0, part[1:]
            elif MOODLE_WEIGHT.match(part):
                fraction, part = _moodle_weight(part)
            else:
                fraction = 0.0
            answers.append((_moodle_comment(part)[0], fraction, _moodle_comment(part)[1]))
        return {"qtype": "multichoice", "single": single, "answers": answers}
    parts = [p.strip() for p in answertext.split("=")]
    parts = parts[1:] if not parts[0] else parts
    answers = []
    for part in parts:
        fraction, part = _moodle_weight(part) if MOODLE_WEIGHT.match(part) else (1.0, part)
        answers.append((_moodle_comment(part)[0], fraction, _moodle_comment(part)[1]))
    return {"qtype": "shortanswer", "answers": answers}


PLAIN = st.lists(st.text("abcxyz", min_size=1, max_size=5), min_size=1, max_size=3).map(" ".join)
MOODLE_WEIGHTS = st.none() | st.sampled_from([0.0, 100.0, 50.0, -100.0, 33.33333, 1e-05, 12.5])


@st.composite
def moodle_question(draw: st.DrawFn, kind: str) -> AuthoredQuestion:
    feedback = st.none() | PLAIN
    q = AuthoredQuestion(kind, draw(PLAIN))
    if kind == "numeric":
        q.numeric = [
            NumericAnswer(value=float(draw(st.integers(0, 99))), weight=draw(MOODLE_WEIGHTS))
            for _ in range(draw(st.integers(1, 3)))
        ]
        q.other_feedback = draw(feedback)
        return q
    count = draw(st.integers(2, 4))
    texts = draw(st.lists(PLAIN, min_size=count, max_size=count, unique=True))
    if kind == "mcq":
        right = draw(st.integers(0, count - 1))
        q.choices = [
            Choice(
                text,
                i == right,
                draw(st.sampled_from([None, 100.0])) if i == right else draw(MOODLE_WEIGHTS),
                draw(feedback),
            )
            for i, text in enumerate(texts)
        ]
    elif kind == "multi":
        q.choices = [
            Choice(text, draw(st.booleans()), draw(MOODLE_WEIGHTS), draw(feedback))
            for text in texts
        ]
    else:
        q.choices = [Choice(text, True, draw(MOODLE_WEIGHTS), draw(feedback)) for text in texts]
    return q


@pytest.mark.parametrize("kind", ["mcq", "multi", "short", "numeric"])
@SETTINGS
@given(data=st.data())
def test_moodle_reads_gift_exports_with_the_weights_quizapp_grades(kind, data):
    question = data.draw(moodle_question(kind))
    text, unwritten = gift.write([question])
    assert unwritten == [], unwritten
    read = moodle_reads(text)
    if kind == "numeric":
        expected = [(numeric_text(a), a.fraction(), a.feedback or "") for a in question.numeric]
        if question.other_feedback:
            expected.append(("*", 0.0, question.other_feedback))
        assert read == {"qtype": "numerical", "answers": expected}, text
        return
    expected = [(c.text, pytest.approx(c.fraction()), c.feedback or "") for c in question.choices]
    assert read["answers"] == expected, text
    assert read["qtype"] == ("shortanswer" if kind == "short" else "multichoice"), text
    if kind != "short":
        # Moodle's single-answer questions have an '='; its check-box questions have none.
        assert read["single"] == (kind == "mcq"), text


def numeric_text(answer: NumericAnswer) -> str:
    return gift.numeric_spec(answer)


def test_gift_export_writes_full_and_partial_marks_as_moodle_reads_them():
    mcq = AuthoredQuestion(
        "mcq",
        "Capital of France?",
        choices=[
            Choice("Paris", True, 100.0),
            Choice("Lyon", False, 0.0),
            Choice("Nice", False, 50),
        ],
    )
    multi = AuthoredQuestion(
        "multi",
        "Rivers of Romania?",
        choices=[Choice("Olt", True, 50.0), Choice("Mureș", True, 50.0), Choice("Rhine", False)],
    )
    text, unwritten = gift.write([mcq, multi])
    assert unwritten == []
    assert text == (
        "Capital of France? {\n    =Paris\n    ~Lyon\n    ~%50%Nice\n}\n\n"
        "Rivers of Romania? {\n    ~%50%Olt\n    ~%50%Mureș\n    ~Rhine\n}\n"
    )
    assert "=%" not in text


# --- numeric feedback for any other number, wildcards --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Spider legs? {#8~#Count again.}",
        "Spider legs? {#\n    =8\n    ~#Count again.\n}",
        "Spider legs? {#=8 ~*#Count again.}",
        "Spider legs? {#=8:0 ~ #Count again.}",
    ],
)
def test_gift_numeric_feedback_for_any_other_number_is_read_as_moodle_does(text):
    result = gift.parse(text)
    assert result.problems == []
    (q,) = result.questions
    assert (q.type, q.numeric, q.other_feedback) == (
        "numeric",
        [NumericAnswer(8.0)],
        "Count again.",
    )
    back = gift.parse(gift.write([q])[0]).questions
    assert [x.to_dict() for x in back] == [q.to_dict()]


def test_gift_numeric_other_feedback_problems():
    text = "A {#=8 ~%50%#x}\n\nB {#=8 ~#x ~#y}\n\nC {#=*}\n"
    assert _messages(gift.parse(text).problems) == [
        "line 1: feedback for any other number ('~#…') is worth nothing: remove its weight",
        "line 3: a numeric question takes one feedback for any other number ('~#…')",
        "line 5: any other number ('*') is worth nothing: write it '~#feedback'",
    ]


def test_other_number_feedback_reaches_the_learner_and_round_trips_in_csv():
    from quizapp.core.authored import as_question
    from quizapp.core.question_types import check_answer

    (q,) = gift.parse("Spider legs? {#8~#Count again.}").questions
    shown = as_question(q, random.Random(1), question_id="q", language="en", source=None)
    assert check_answer(shown, "8").correct and shown.feedback_for("8") is None
    assert not check_answer(shown, "6").correct
    assert shown.feedback_for("6") == "Count again."
    text, unwritten = csv_format.write([q])
    assert unwritten == [] and "8|*" in text
    assert [x.to_dict() for x in csv_format.parse(text).questions] == [q.to_dict()]
    # Questions stored before the field existed keep their fingerprint.
    plain = AuthoredQuestion("numeric", "Q", numeric=[NumericAnswer(1.0)])
    data = plain.to_dict()
    data.pop("other_feedback")
    assert AuthoredQuestion.from_dict(data).fingerprint() == plain.fingerprint()


@pytest.mark.parametrize(
    ("pattern", "given", "accepted"),
    [
        ("colo*r", "color", True),
        ("colo*r", "colour", True),
        ("colo*r", "Colour", True),
        ("colo*r", "colr", False),
        ("colo*r", "colours", False),
        ("*", "anything at all", True),
        ("Grant*", "Ulysses Grant", False),
        ("*Grant", "Ulysses S. Grant", True),
        ("a**b*c", "aXbYc", True),
        ("a*b*c", "acb", False),
        ("5\\*3", "5*3", True),
        ("5\\*3", "513", False),
        ("5\\**", "5*3", True),
    ],
)
def test_short_answer_wildcards_are_read_as_moodle_does(pattern, given, accepted):
    from quizapp.core.short_answers import short_answer_accepts

    assert short_answer_accepts(pattern, given) is accepted


def test_a_gift_wildcard_answer_grades_and_gives_its_feedback():
    from quizapp.core.authored import as_question
    from quizapp.core.question_types import check_answer

    # "=%0%*" is Moodle's "any other answer" in a short-answer question (a '~' would make it
    # a multiple choice).
    (q,) = gift.parse("Spell it {=colo*r =%50%gr*y =%0%*#Not a colour.}").questions
    assert q.type == "short"
    shown = as_question(q, random.Random(1), question_id="q", language="en", source=None)
    assert check_answer(shown, "colour").points == 1.0
    assert check_answer(shown, "grey").points == 0.5
    assert check_answer(shown, "blue").points == 0.0
    assert shown.feedback_for("blue") == "Not a colour."
    assert shown.feedback_for("color") is None
    # The same question from CSV grades the same.
    (from_csv,) = csv_format.parse(
        "type,stem,answers,weights,feedback\n"
        "short,Spell it,colo*r|gr*y|*,100|50|0,||Not a colour.\n"
    ).questions
    shown = as_question(from_csv, random.Random(1), question_id="q", language="en", source=None)
    assert [check_answer(shown, a).points for a in ("Colour", "gray", "blue")] == [1.0, 0.5, 0.0]


def test_wildcard_matching_is_linear_in_the_answer():
    from quizapp.core.short_answers import short_answer_accepts

    assert_linear(lambda n: short_answer_accepts("a*" * n + "b", "a" * n + "c"), lambda n: n, 300)


# --- CSV formula injection -----------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "'=", "''-"])
def test_csv_export_neutralises_formulas_and_reads_them_back(start):
    q = AuthoredQuestion(
        "short",
        start + 'HYPERLINK("http://evil","click")',
        title=start + "1+1",
        choices=[Choice(start + "cmd", True)],
    )
    text, unwritten = csv_format.write([q])
    assert unwritten == []
    row = next(csv.reader(io.StringIO(text.splitlines(keepends=True)[1])))
    stem, title, answers = row[6], row[1], row[8]
    for cell in (stem, title, answers):
        assert cell.startswith("'" + start), cell
    back = csv_format.parse(text).questions
    assert [x.to_dict() for x in back] == [csv_format.normalize(q).to_dict()]
    # A file written by someone else: a leading apostrophe before '=' is taken as ours.
    assert csv_format.parse("type,stem,answers\nshort,'=1+1,x\n").questions[0].stem == "=1+1"
    assert csv_format.parse("type,stem,answers\nshort,'quoted',x\n").questions[0].stem == "'quoted'"
    # Tabs and carriage returns start formulas too (trimmed texts never do, but cells might).
    for cell in ("\t=1+1", "\r=1+1", "'\t"):
        assert csv_format.unguard_cell(csv_format.guard_cell(cell)) == cell
        assert csv_format.guard_cell(cell) == "'" + cell
