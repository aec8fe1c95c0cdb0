"""Benchmark: fact suggestion (quizapp.core.suggest) on XQuAD, English and Spanish side by side.

Each XQuAD paragraph is treated as a text a teacher pastes. Its gold answers are the spans a
person thought worth asking about; we measure how many of those of the kinds we suggest (dates,
years, numbers and quantities, proper names) our suggestions cover, how many suggestions we make
per paragraph, and that every suggestion is an exact span of the paragraph.

    .venv/bin/python bench/suggest.py [--data ../shared/benchmarks/xquad] [--limit 12]
                                      [--misses N] [--language en|es]

How a gold answer's kind is decided (`gold_kind`, applied to the answer text with its position
in the paragraph; surrounding punctuation and quotes are ignored):

- date: a calendar date or a month (with a day or a year, or alone), possibly after qualifier
  words ("on", "around", "el"): "8 February 2007", "July 1961", "27 de enero de 1967", "March".
- year / number: one or more numbers (digits, "28.5°E", "£30m", "12%", "6½", or number words
  "four", "cuatro", "hundreds"), joined by "to", "and", "a", "y", "–"..., after optional qualifier
  words ("over", "more than", "más de", "summer of", "década de") and followed by at most three
  words (a unit or what is counted: "17 seconds", "$5 million in cash", "nueve naciones"). It is
  a year when every number is a year (1000-2099, or a decade "1950s") and nothing counted follows.
- name: every word capitalised or a connecting lowercase word ("of", "the", "de", "del", "y",
  "and", "&"...), the first one capitalised or an article: "Pedro Menéndez de Avilés",
  "Universidad de París", "Super Bowl XXXIII". A single capitalised word at the start of a
  sentence counts only if the paragraph also writes it capitalised elsewhere, mid-sentence (so
  "Students" opening a sentence is a common noun, "Manning" is a name).
- anything else (common-noun phrases, clauses, verbs, adjectives) is not of our kinds and is
  left out of the coverage figures.

A gold answer is covered (strict) when some suggestion for its paragraph is equal to it after
quizapp.core.values.normalise (case, accents, punctuation, articles, number grouping); "overlap"
coverage, reported as secondary information, also accepts a suggestion that contains the gold
answer as whole words, or is contained in it. The goal is judged on strict coverage: at least
70% in both languages with at most 12 suggestions per paragraph.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.core.suggest import suggest  # noqa: E402
from quizapp.core.values import (  # noqa: E402
    MONTHS,
    NUMBER_WORDS,
    contains_phrase,
    find_dates,
    normalise,
    strip_accents,
)


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(text.split())


LANGUAGES = ("en", "es")
GOAL_COVERAGE = 70.0
GOAL_LIMIT = 12
KINDS = ("date", "year", "number", "name")

# Words that may stand before a date or a number without changing what it is.
QUALIFIERS = words(
    "over more than less fewer about around approximately nearly almost roughly some just only "
    "up to by in on at after before since until from between the early late mid summer winter "
    "spring autumn fall of circa c exactly least "
    "mas menos de del cerca alrededor aproximadamente casi unos unas solo hasta por en desde "
    "entre despues antes el la los las anos decada decadas verano invierno primavera otono a "
    "al mediados principios finales"
)
# Words that join two numbers into one answer: "30 to 50 thousand", "1321 hasta 1323".
JOINERS = words("to and or a y o e hasta - – — × x")
UNIT_WORDS = words("min s h km m")
NAME_CONNECTORS = words(
    "of the de del la las los le les du da di van von der den and y e & or o for upon al el "
    "ibn bin v. vs."
)
ARTICLES = words("the el la los las")
NUMBER_WORDS_ALL = frozenset(strip_accents(w) for w in NUMBER_WORDS) | words(
    "thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
    "million millions billion billions dozen dozens "
    "veintiuno veintidos veintitres veinticuatro veinticinco veintiseis veintisiete "
    "veintiocho veintinueve treinta cuarenta cincuenta sesenta setenta ochenta noventa cien "
    "ciento cientos centenares mil miles millon millones docena docenas decenas"
)
ARTICLE_NUMBERS = words("one un una uno")
MONTH_WORDS = frozenset(MONTHS["en"]) | frozenset(MONTHS["es"])
NUMERIC_TOKEN = re.compile(
    r"[~≈<>+±]?(?:US\$|[$£€¥])?\d[\d.,:/]*(?:[–-]\d[\d.,]*)?[½¼¾]?"
    r"(?:%|st|nd|rd|th|s|'s|’s|m|bn|km2?|°[A-Z]?|\.?[ºª])?"
)
YEAR_TOKEN = re.compile(r"(?:1\d{3}|20\d{2})(?:s|'s|’s)?")
ROMAN = re.compile(r"[IVXLCDM]{2,}")
PUNCTUATION = ".,;:!?\"'“”«»‘’―—()[]"


def _fold(word: str) -> str:
    return strip_accents(word).casefold()


def _is_number_word(token: str, alone: bool = False) -> bool:
    parts = re.split(r"[-‐]", _fold(token))
    if parts[0] in ARTICLE_NUMBERS:
        return alone  # "one", "una": a number only as the whole answer, else an article
    return parts[0] in NUMBER_WORDS_ALL


def _is_numeric(token: str, alone: bool = False) -> bool:
    return NUMERIC_TOKEN.fullmatch(token) is not None or _is_number_word(token, alone)


def _is_unit(token: str) -> bool:
    return token.startswith("°") or token == "%" or _fold(token) in UNIT_WORDS


def _sentence_initial(context: str, start: int) -> bool:
    before = context[:start].rstrip(" \"'“«(\ufeff")
    return not before or before[-1] in ".!?\n"


def gold_kind(answer: str, context: str, start: int) -> str | None:
    """The kind of a gold answer (date, year, number, name), or None when not of our kinds."""
    text = answer.strip().strip(PUNCTUATION + " ")
    tokens = [t.strip(PUNCTUATION) for t in text.split()]
    tokens = [t for t in tokens if t]
    if not tokens:
        return None
    folded = [_fold(t) for t in tokens]

    # Dates: a date mention (or a month name) and nothing else but qualifiers.
    if len(tokens) == 1 and folded[0] in MONTH_WORDS:
        return "date"
    mentions = find_dates(text)
    if mentions:
        rest = text[: mentions[0].start] + " " + text[mentions[0].end :]
        if all(_fold(w.strip(PUNCTUATION)) in QUALIFIERS for w in rest.split()):
            return "date"

    numeric = [_is_numeric(t, alone=len(tokens) == 1) for t in tokens]
    if len(tokens) == 1 and ROMAN.fullmatch(tokens[0]):
        return "number"  # "XIX" (siglo XIX)
    if any(numeric):
        kind = _number_kind(tokens, folded, numeric)
        if kind:
            return kind
    if _is_name(tokens, folded, context, start):
        return "name"
    return None


def _number_kind(tokens: list[str], folded: list[str], numeric: list[bool]) -> str | None:
    first = numeric.index(True)
    last = len(numeric) - 1 - numeric[::-1].index(True)
    if not all(f in QUALIFIERS for f in folded[:first]):
        return None
    middle = range(first + 1, last)
    if not all(numeric[i] or folded[i] in JOINERS or _is_unit(tokens[i]) for i in middle):
        return None
    after = [t for t in tokens[last + 1 :] if not _is_unit(t)]
    if len(after) > 3 or any(t[:1].isupper() for t in after):
        return None
    core = [tokens[i] for i in range(first, last + 1) if numeric[i]]
    core = [t for t in core if _fold(t) not in {"million", "millones", "mil", "thousand"}]
    if core and all(YEAR_TOKEN.fullmatch(t) for t in core) and not after:
        return "year"
    return "number"


def _is_name(tokens: list[str], folded: list[str], context: str, start: int) -> bool:
    def capitalised(token: str) -> bool:
        letters = re.sub(r"^(?:al|el|ibn|bin|d|o)[-'’]", "", token)
        return letters[:1].isupper()

    if not any(capitalised(t) for t in tokens):
        return False
    if not (capitalised(tokens[0]) or folded[0] in ARTICLES):
        return False
    for i, (token, fold) in enumerate(zip(tokens, folded, strict=True)):
        if capitalised(token) or fold in NAME_CONNECTORS or token in "&–-":
            continue
        if i > 0 and re.fullmatch(r"\d[\w.]*", token):  # "Eurobird 1", "Act 2003"
            continue
        return False
    if len(tokens) == 1 and not tokens[0].isupper() and _sentence_initial(context, start):
        # Only a name if the paragraph also capitalises it where no sentence starts.
        word = re.escape(tokens[0])
        for match in re.finditer(rf"(?<!\w){word}(?!\w)", context):
            if not _sentence_initial(context, match.start()):
                return True
        return False
    return True


@dataclass
class Result:
    """Figures for one language."""

    paragraphs: int = 0
    gold: int = 0
    of_kinds: Counter[str] = field(default_factory=Counter)
    strict: Counter[str] = field(default_factory=Counter)
    overlap: Counter[str] = field(default_factory=Counter)
    counts: list[int] = field(default_factory=list)
    exact: int = 0
    total: int = 0
    seconds: float = 0.0
    suggested_kinds: Counter[str] = field(default_factory=Counter)
    names: int = 0  # suggestions of a name kind
    categorised: int = 0  # of those, with a category
    generic_places: int = 0  # country suggestions whose stem still says "which place"
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)


def run(path: Path, language: str, limit: int) -> Result:
    """Suggest for every paragraph of one XQuAD file and score against its gold answers."""
    data = json.loads(path.read_text(encoding="utf-8"))
    result = Result()
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            began = time.perf_counter()
            suggestions = suggest(context, language, limit=limit)
            result.seconds += time.perf_counter() - began
            result.paragraphs += 1
            result.counts.append(len(suggestions))
            result.total += len(suggestions)
            result.exact += sum(context[s.start : s.end] == s.answer for s in suggestions)
            result.suggested_kinds.update(s.kind for s in suggestions)
            named = [
                s for s in suggestions if s.kind in ("person", "place", "organisation", "event")
            ]
            result.names += len(named)
            result.categorised += sum(s.category is not None for s in named)
            result.generic_places += sum(
                s.category == "country" and ("which place" in s.stem or "qué lugar" in s.stem)
                for s in named
            )
            keys = {normalise(s.answer) for s in suggestions}
            for qa in paragraph["qas"]:
                for gold in qa["answers"]:
                    result.gold += 1
                    kind = gold_kind(gold["text"], context, gold["answer_start"])
                    if kind is None:
                        continue
                    result.of_kinds[kind] += 1
                    if normalise(gold["text"]) in keys:
                        result.strict[kind] += 1
                        result.overlap[kind] += 1
                        continue
                    if any(
                        contains_phrase(s.answer, gold["text"])
                        or contains_phrase(gold["text"], s.answer)
                        for s in suggestions
                    ):
                        result.overlap[kind] += 1
                    result.misses.append((kind, gold["text"], [s.answer for s in suggestions]))
    return result


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def table(results: dict[str, Result], limit: int) -> list[str]:
    """The figures, one row per measure, one column per language."""
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, value: Callable[[Result], str]) -> None:
        rows.append((label, [value(results[lang]) for lang in results]))

    row("paragraphs", lambda r: str(r.paragraphs))
    row("gold answers (all)", lambda r: str(r.gold))
    row("gold answers of our kinds", lambda r: str(sum(r.of_kinds.values())))
    for kind in KINDS:
        row(f"  {kind}", lambda r, k=kind: str(r.of_kinds[k]))
    row("covered, strict", lambda r: str(sum(r.strict.values())))
    row("covered, overlap", lambda r: str(sum(r.overlap.values())))
    row("coverage, strict", lambda r: _percent(sum(r.strict.values()), sum(r.of_kinds.values())))
    for kind in KINDS:
        row(f"  {kind}", lambda r, k=kind: _percent(r.strict[k], r.of_kinds[k]))
    row("coverage, overlap", lambda r: _percent(sum(r.overlap.values()), sum(r.of_kinds.values())))
    row("suggestions per paragraph, mean", lambda r: f"{statistics.mean(r.counts):.2f}")
    row("suggestions per paragraph, max", lambda r: str(max(r.counts)))
    row("exact spans", lambda r: _percent(r.exact, r.total))
    row("names with a category", lambda r: _percent(r.categorised, r.names))
    row("countries asked as 'which place'", lambda r: str(r.generic_places))
    row("time per paragraph", lambda r: f"{1000 * r.seconds / r.paragraphs:.2f} ms")

    width = max(len(label) for label, _ in rows)
    columns = [max(len(lang), *(len(v[i]) for _, v in rows)) for i, lang in enumerate(results)]
    lines = [
        "  ".join([" " * width, *(lang.rjust(c) for lang, c in zip(results, columns, strict=True))])
    ]
    for label, values in rows:
        cells = [v.rjust(c) for v, c in zip(values, columns, strict=True)]
        lines.append("  ".join([label.ljust(width), *cells]))
    met = all(
        sum(r.strict.values()) * 100 >= GOAL_COVERAGE * sum(r.of_kinds.values())
        and max(r.counts) <= GOAL_LIMIT
        for r in results.values()
    )
    lines.append("")
    for lang, r in results.items():
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(r.suggested_kinds.items()))
        lines.append(f"suggestions by kind ({lang}): {kinds}")
    lines.append(
        f"goal (strict coverage >= {GOAL_COVERAGE:.0f}% in every language, at most {GOAL_LIMIT} "
        f"suggestions per paragraph; limit used: {limit}): {'met' if met else 'NOT met'}"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; exit 1 if a suggestion is not an exact span."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/benchmarks/xquad")
    parser.add_argument("--limit", type=int, default=GOAL_LIMIT)
    parser.add_argument("--language", choices=LANGUAGES, action="append")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses per kind")
    args = parser.parse_args(argv)

    results: dict[str, Result] = {}
    for language in args.language or LANGUAGES:
        path = args.data / f"xquad-dev.{language}.json"
        if not path.exists():
            parser.error(f"{path} not found (give the folder with --data)")
        results[language] = run(path, language, args.limit)

    print("\n".join(table(results, args.limit)))
    for language, result in results.items():
        if not args.misses:
            break
        print(f"\nmisses ({language}):")
        shown: Counter[str] = Counter()
        for kind, gold, suggested in result.misses:
            if shown[kind] < args.misses:
                shown[kind] += 1
                print(f"  {kind:7} {gold!r:45} <- {suggested}")
    return 0 if all(r.exact == r.total for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
