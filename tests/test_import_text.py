"""Reading uploaded text: line endings, encodings, control characters, odd spaces, big cells,
and work that grows linearly with the file (counted, never timed; see tests/bounded.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core import passages, text_files
from quizapp.core.formats import FORMATS, aiken, decode, gift
from quizapp.core.formats import csv as csv_format
from quizapp.core.formats.gift.reading import _comment_values
from tests.bounded import assert_linear, work

ENDINGS = {"LF": "\n", "CRLF": "\r\n", "CR": "\r", "CRCRLF": "\r\r\n"}

# One file per format, each with a problem on line 6 after five good lines.
SAMPLES = {
    "gift": (
        "::Capital::What is the capital\nof Romania? {\n=Bucharest\n~Cluj\n}\n"
        "Bad {#twelve}\n\nFine {T}\n"
    ),
    "aiken": "Capital?\nA. Bucharest\nB. Cluj\nANSWER: A\nQuestion two?\nANSWER: A\n",
    "csv": (
        "type,stem,answers,correct\n"
        'mcq,"A stem\non three\nlines",a|b,1\n'
        "tf,True?,,true\n"
        "mcq,Q?,a|b,3\n"
    ),
}
PROBLEM_LINES = {"gift": [6], "aiken": [6], "csv": [6]}


def _lines(result) -> list[int]:
    return [problem.line for problem in result.problems]


def _questions(result) -> list[dict]:
    return [q.to_dict() for q in result.questions]


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_every_format_reads_every_line_ending_and_names_the_same_line(name, ending):
    parse = FORMATS[name].parse
    reference = parse(SAMPLES[name])
    result = parse(SAMPLES[name].replace("\n", ENDINGS[ending]))
    assert _lines(result) == PROBLEM_LINES[name]
    assert _questions(result) == _questions(reference)
    assert [q.line for q in result.questions] == [q.line for q in reference.questions]
    # With a byte-order mark too (decoded from bytes as an upload is).
    text, problems = decode(b"\xef\xbb\xbf" + SAMPLES[name].replace("\n", ENDINGS[ending]).encode())
    assert problems == [] and _lines(parse(text)) == PROBLEM_LINES[name]


def test_gift_with_cr_cr_lf_line_endings_is_read_as_moodle_writes_it():
    # The file: every line ends "\r\r\n"; it was refused with "unclosed '{'".
    text = "Who led the coup? {\r\r\n=King Michael\r\r\n~Ion Antonescu\r\r\n}\r\r\n"
    result = gift.parse(text)
    assert result.problems == []
    assert [c.text for c in result.questions[0].choices] == ["King Michael", "Ion Antonescu"]


def test_a_mixed_file_counts_each_line_end_once():
    text = "a\r\nb\rc\r\r\nd\ne"
    assert text_files.normalise_line_ends(text) == "a\nb\nc\nd\ne"
    assert [text_files.line_at(text, text.index(c)) for c in "abcde"] == [1, 2, 3, 4, 5]
    assert text_files.line_at(text.encode(), text.index("e")) == 5
    # Unicode line and paragraph separators and NEL are characters, as in most editors.
    assert text_files.normalise_line_ends("a\u2028b\u0085c") == "a\u2028b\u0085c"


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_a_cp1252_file_is_refused_naming_the_line_of_the_first_bad_byte(ending):
    # The file: CP1252 with CR-only endings named line 1 for a problem on line 6.
    lines = ["Question one? {T}", "", "Question two? {F}", "", "Fine {T}", "Qué? {=sí}"]
    data = ENDINGS[ending].join(lines).encode("cp1252")
    text, problems = decode(data)
    assert [str(p) for p in problems] == [
        "line 6: this line is not UTF-8 text: save the file as UTF-8 and upload it again"
    ]
    assert text.startswith("Question one? {T}\n\nQuestion two?")


CONTROL_SAMPLES = {
    "gift": "Fine {T}\n\nAlso fine {F}\n\nNUL here\x00 {T}\n",
    "aiken": "Q?\nA. a\nB. b\nANSWER: A\nQ2\x00?\nA. a\nANSWER: A\n",
    "csv": "type,stem,correct\ntf,Fine,true\ntf,Escape \x1b here,true\n",
}
CONTROL_LINES = {"gift": 5, "aiken": 5, "csv": 3}


@pytest.mark.parametrize("name", sorted(CONTROL_SAMPLES))
def test_nul_and_other_control_characters_are_refused_with_their_line(name):
    result = FORMATS[name].parse(CONTROL_SAMPLES[name].replace("\n", "\r\n"))
    messages = [str(p) for p in result.problems]
    assert len(messages) == 1, messages
    expected = f"line {CONTROL_LINES[name]}: this line holds a control character"
    assert messages[0].startswith(expected)
    # Tabs and line ends are text, not control characters.
    assert text_files.control_characters("a\tb\nc") == []


def test_control_characters_are_reported_once_per_line_in_one_pass():
    text = "ok\n\x00\x00\x01\nok\n\x7f\n"
    assert [(p.line, "NUL" in p.message) for p in text_files.control_characters(text)] == [
        (2, True),
        (4, False),
    ]
    assert_linear(text_files.control_characters, lambda n: "a\x00\n" * n, 300)


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2007", " \u00a0", "\t"])
def test_aiken_options_after_any_space_are_options(space):
    # The file: "A." + U+00A0 + text was not seen as an option.
    text = f"Capital?\nA.{space}Bucharest\nB){space}Cluj\nANSWER:{space}A\n"
    result = aiken.parse(text)
    assert result.problems == []
    assert [(c.text, c.correct) for c in result.questions[0].choices] == [
        ("Bucharest", True),
        ("Cluj", False),
    ]
    # A letter and a dot with nothing after them is still not an option with text.
    assert "has no text" in str(aiken.parse("Q?\nA.\u00a0\nANSWER: A\n").problems[0])


def test_csv_cells_larger_than_128_kib_are_read():
    image = "<img src='data:image/png;base64," + "A" * 300_000 + "'>"
    text = f'type,stem,answers,correct\nmcq,"<p>Which?</p>{image}",a|b,1\n'
    result = csv_format.parse(text)
    assert result.problems == []
    assert result.questions[0].stem.endswith(image)


# --- bounded work ----------------------------------------------------------------------------

MOODLE_ID = re.compile(r"\[id:((?:\\.|[^\]\\\x00-\x1f\x7f])+)\]")
MOODLE_TAG = re.compile(r"\[tag:((?:\\.|[^\]\\\x00-\x1f\x7f])+)\]")


@settings(max_examples=400, deadline=None)
@given(st.text("[]id:tag\\x\x01 ", max_size=40))
def test_comment_ids_and_tags_are_found_as_moodle_finds_them(text):
    assert _comment_values(text, "id") == MOODLE_ID.findall(text)
    assert _comment_values(text, "tag") == MOODLE_TAG.findall(text)


def test_the_work_helper_tells_linear_from_quadratic():
    def quadratic(n: int) -> int:
        total = 0
        for i in range(n):
            for _ in range(i):
                total += 1
        return total

    def linear(n: int) -> int:
        total = 0
        for _ in range(n):
            total += 1
        return total

    assert_linear(linear, lambda n: n, 200)
    with pytest.raises(AssertionError, match="work grew"):
        assert_linear(quadratic, lambda n: n, 200)
    assert work(linear, 10) < work(linear, 100)


def _search_terms(query: str) -> list[str]:
    from quizapp.services.search import _terms

    return _terms(query)


# Hostile shapes for each reader: long runs of what a pattern repeats, with nothing that ends it.
HOSTILE = {
    "gift [id: repeats": (gift.parse, lambda n: "// " + "[id:" * n + "\nQ {T}\n"),
    "gift [tag: repeats": (gift.parse, lambda n: "// " + "[tag:\\" * n + "\nQ {T}\n"),
    "gift spaces": (gift.parse, lambda n: "Q" + " " * n + "x {=a" + " " * n + "~b}\n"),
    "gift answers": (gift.parse, lambda n: "Q {" + "~a#b " * n + "=c}\n"),
    "gift colons": (gift.parse, lambda n: "::" + ":" * n + "\n"),
    "gift digits": (gift.parse, lambda n: "Q {#" + "1" * n + " " * n + "x}\n"),
    "gift braces": (gift.parse, lambda n: "Q {" * n),
    "gift questions": (gift.parse, lambda n: "Q {=a ~b}\n\n" * n),
    "aiken spaces": (aiken.parse, lambda n: "Q\nA." + " " * n + "x\nANSWER:" + " " * n + "\n"),
    "aiken questions": (aiken.parse, lambda n: "Q\nA. a\nB. b\nANSWER: A\n" * n),
    "csv escapes": (csv_format.parse, lambda n: "type,stem,answers\nshort,q," + "a\\|" * n),
    "csv digits": (csv_format.parse, lambda n: "type,stem,answers\nnumeric,q," + "1" * n + " x"),
    "search terms": (_search_terms, lambda n: "Iași " * n + " " * n + "x"),
    "passages": (
        lambda text: passages.split_passages("d", text),
        lambda n: ("word. " * 20 + "\n\n") * n,
    ),
    "sentences": (
        lambda text: passages.sentence_span(text, len(text) - 1, len(text)),
        lambda n: '."' * n + " end",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_readers_do_linear_work_on_hostile_text(name):
    function, make = HOSTILE[name]
    assert_linear(function, make, 400)


def test_a_long_id_comment_is_read_in_one_pass():
    # The file: a 160 KB comment of "[id:" repeats, then a question.
    text = "// " + "[id:" * 40_000 + "\nQ {T}\n"
    counted = work(gift.parse, text)
    result = gift.parse(text)
    assert result.questions[0].external_id is None
    # A few Python lines per character, never per pair of characters.
    assert counted < 10 * len(text)


# --- bank files --------------------------------------------------------------------------------


def _problems(folder) -> list[str]:
    from quizapp.core.bank import BankError, load_bank

    try:
        load_bank(folder)
    except BankError as error:
        return [str(p) for p in error.problems]
    return []


def _bomb(levels: int) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("relative", "text", "expected"),
    [
        ("bank.yaml", _bomb(7), "romania-ww2/bank.yaml:1: invalid YAML: anchors (&l0)"),
        (
            "facts/romania-overview-en.yaml",
            "- &f {id: x}\n- *f\n",
            "romania-ww2/facts/romania-overview-en.yaml:1: invalid YAML: anchors (&f)",
        ),
        (
            "pools/en.yaml",
            "person: [a]\nplace: *p\n",
            "pools/en.yaml:2: invalid YAML: aliases (*p)",
        ),
        ("questions.yaml", "- id: q\n  <<: *base\n", "questions.yaml:2: invalid YAML: aliases"),
        ("bank.yaml", "a: " + "[" * 100 + "]" * 100 + "\n", "nested more than 64 levels"),
    ],
)
def test_bank_yaml_refuses_anchors_aliases_and_deep_nesting(bank_copy, relative, text, expected):
    (bank_copy / relative).write_text(text, encoding="utf-8")
    problems = _problems(bank_copy)
    assert any(expected in problem for problem in problems), problems


def test_front_matter_refuses_aliases_with_the_file_line(bank_copy):
    path = next((bank_copy / "sources").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("language: en", "language: &l en\nx: *l", 1), encoding="utf-8")
    problems = _problems(bank_copy)
    assert any(f"{path.name}:3: invalid front matter: anchors (&l)" in p for p in problems), (
        problems
    )


def test_an_alias_bomb_costs_no_more_work_than_its_size(bank_copy):
    (bank_copy / "bank.yaml").write_text(_bomb(8), encoding="utf-8")
    small = work(_problems, bank_copy)
    (bank_copy / "bank.yaml").write_text(_bomb(2), encoding="utf-8")
    # Eight levels expanded are 9**8 = 43 million strings; refused, they cost what two do.
    assert small <= work(_problems, bank_copy) * 1.2


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_bank_files_read_every_line_ending(bank_copy, ending):
    for path in bank_copy.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_bytes(text.replace("\n", ENDINGS[ending]).encode())
    assert _problems(bank_copy) == []
    # A problem still names its line as an editor shows it.
    facts = bank_copy / "facts" / "romania-overview-en.yaml"
    lines = facts.read_bytes().decode().split(ENDINGS[ending])
    lines.insert(2, "\t- a tab cannot indent YAML")
    facts.write_bytes(ENDINGS[ending].join(lines).encode())
    problems = _problems(bank_copy)
    assert any("romania-overview-en.yaml:3: invalid YAML" in p for p in problems), problems


def test_nul_in_a_source_is_refused_with_its_line(bank_copy):
    path = bank_copy / "sources" / "romania-overview-en.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[14] += "\x00"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    problems = _problems(bank_copy)
    assert any(
        "romania-overview-en.md:15: this line holds a control character (NUL)" in p
        for p in problems
    ), problems


# Any text, any line ends: a file reads the same, problems on the same lines.
LINES = st.lists(st.text('ab{}=~#:/\\-> .ABCD)ANSWER,"|\t', max_size=12), max_size=8)


@settings(max_examples=150, deadline=None)
@given(lines=LINES, ending=st.sampled_from(sorted(ENDINGS)), name=st.sampled_from(sorted(FORMATS)))
def test_any_file_reads_the_same_whatever_its_line_ends(lines, ending, name):
    parse = FORMATS[name].parse
    reference = parse("\n".join(lines))
    result = parse(ENDINGS[ending].join(lines))
    assert [str(p) for p in result.problems] == [str(p) for p in reference.problems]
    assert _questions(result) == _questions(reference)
