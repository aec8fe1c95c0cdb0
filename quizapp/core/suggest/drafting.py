"""Draft stems: the evidence sentence with the answer replaced by a question phrase."""

from __future__ import annotations

import re

from quizapp.core.suggest.candidates import Candidate
from quizapp.core.suggest.categories import category_noun
from quizapp.core.suggest.lexicon import STOPWORDS, TITLES, word_set
from quizapp.core.suggest.names import TITLE_PARTS, place_noun_before
from quizapp.core.values import contains_phrase

_WH: dict[str, dict[str, str]] = {
    "en": {
        "date": "what date",
        "month": "what month and year",
        "year": "what year",
        "decade": "what decade",
        "number": "how many",
        "decimal": "what figure",
        "percent": "what percentage",
        "money": "how much",
        "range": "what figures",
        "time": "what time",
        "person": "who",
        "place": "which place",
        "where": "where",
        "organisation": "which organisation",
        "event": "which event",
    },
    "es": {
        "date": "qué fecha",
        "month": "qué mes y año",
        "year": "qué año",
        "decade": "qué década",
        "number": "cuántos",
        "decimal": "qué cifra",
        "percent": "qué porcentaje",
        "money": "cuánto dinero",
        "range": "qué cifras",
        "time": "qué hora",
        "person": "quién",
        "place": "qué lugar",
        "where": "dónde",
        "organisation": "qué organización",
        "event": "qué acontecimiento",
    },
}
_GENERIC: dict[str, str] = {
    "en": "Which {kind} does the passage mention here?",
    "es": "¿Qué {kind} menciona el pasaje aquí?",
}
_KIND_NOUNS: dict[str, dict[str, str]] = {
    "en": {
        "date": "date",
        "year": "year",
        "number": "figure",
        "person": "person",
        "place": "place",
        "organisation": "organisation",
        "event": "event",
    },
    "es": {
        "date": "fecha",
        "year": "año",
        "number": "cifra",
        "person": "persona",
        "place": "lugar",
        "organisation": "organización",
        "event": "acontecimiento",
    },
}
_EN_OBJECT_PREPOSITIONS = word_set(
    "by to with for from of about against under between among toward towards like"
)
_ES_FEMININE = re.compile(r"(?:a|as|ción|ciones|sión|siones|dad|dades|tud|tudes)$")
_ES_CONTRACTIONS = {"del": "de", "al": "a"}
_ES_DATE_PREPOSITIONS = word_set(
    "para desde hasta de antes después partir entre hacia a durante tras"
)
_MAX_STEM = 250


def draft_stem(para: str, sentence: tuple[int, int], candidate: Candidate, language: str) -> str:
    """A draft question: the sentence with the answer turned into a question phrase."""
    answer = para[candidate.start : candidate.end]
    # A long sentence is cut to the clauses around the answer; if the answer is said twice in
    # the sentence, the clause alone may still make a question that does not give it away.
    for shortest in (False, True):
        start, end = _clause(para, sentence, candidate, 0 if shortest else _MIN_CLAUSE)
        question = _question(
            para[start:end], candidate.start - start, candidate.end - start, candidate, language
        )
        if question and not contains_phrase(question, answer):
            return question
    kind = _KIND_NOUNS[language].get(candidate.kind, candidate.kind)
    return _GENERIC[language].format(kind=kind)


_MIN_CLAUSE = 80
# Clause breaks: ; : dashes, and commas (not those between digits: "13,266").
# A break starts where a run of spaces starts (or at the mark itself): starting again inside a
# long run of spaces would scan the rest of the run from every one of them (quadratic).
_CLAUSE_BREAK = re.compile(r"(?<!\s)\s*(?:[;:―—]|\s–\s|(?<!\d),|,(?!\d))\s*")


def _clause(
    para: str, sentence: tuple[int, int], candidate: Candidate, least: int
) -> tuple[int, int]:
    """The sentence, or when it is long (or `least` is 0) the clauses around the answer: the
    one holding it, grown by its neighbours (earlier ones first) to at least `least` chars."""
    base, stop = sentence
    if least and stop - base <= _MAX_STEM:
        return sentence
    pieces: list[tuple[int, int]] = []
    start = base
    for match in _CLAUSE_BREAK.finditer(para[base:stop]):
        pieces.append((start, base + match.start()))
        start = base + match.end()
    pieces.append((start, stop))
    i = j = next(
        (k for k, (s, e) in enumerate(pieces) if s <= candidate.start < e), len(pieces) - 1
    )
    while pieces[j][1] < candidate.end and j + 1 < len(pieces):
        j += 1  # the answer runs over a break
    while pieces[j][1] - pieces[i][0] < least:
        if i > 0 and pieces[j][1] - pieces[i - 1][0] <= _MAX_STEM:
            i -= 1
        elif j + 1 < len(pieces) and pieces[j + 1][1] - pieces[i][0] <= _MAX_STEM:
            j += 1
        else:
            break
    return pieces[i][0], pieces[j][1]


def _question(sentence: str, a: int, b: int, candidate: Candidate, language: str) -> str:
    """Replace sentence[a:b] with a question phrase and punctuate as a question."""
    phrase, a, b = _phrase(sentence, a, b, candidate, language)
    before, after = sentence[:a], sentence[b:]
    if not re.search(r"\w", before):
        before = ""
        phrase = phrase[:1].upper() + phrase[1:]
    question = before + phrase + after
    question = re.sub(r"\s+", " ", question).strip()
    # str methods, not a "[...]+$" search, which would rescan a long run from each of its
    # characters (quadratic on a paste of many dots or question marks).
    question = question.rstrip(_END_PUNCTUATION).lstrip("¿¡ ")
    if not question:
        return ""
    question = question[:1].upper() + question[1:]
    return f"¿{question}?" if language == "es" else f"{question}?"


_END_PUNCTUATION = " \t\n\r\f\v\u00a0.,;:!?¿¡…"
_PREVIOUS_WORD = re.compile(r"(\w+)\s+$")
# How far back the word before an answer is looked for: a bounded window keeps the search
# linear in the sentence's length whatever the text (a 100 KB word or run of spaces).
_LOOK_BACK = 80


def _previous_word(sentence: str, a: int) -> re.Match[str] | None:
    """The word just before sentence[a] (group 1), with the spaces after it, if any."""
    return _PREVIOUS_WORD.search(sentence, max(0, a - _LOOK_BACK), a)


def _phrase(
    sentence: str, a: int, b: int, candidate: Candidate, language: str
) -> tuple[str, int, int]:
    """The question phrase for the answer at sentence[a:b], and the span it replaces."""
    wh = _WH[language]
    kind, unit = candidate.kind, candidate.unit
    prev = _previous_word(sentence, a)
    prev_word = prev.group(1).casefold() if prev else ""

    if kind == "date":
        phrase = wh["month"] if unit == "month" else wh["date"]
        if language == "es" and prev:
            a, phrase = _spanish_article(sentence, prev, a, phrase, dated=True)
        elif prev_word == "the":
            a = prev.start()
        return phrase, a, b

    if kind == "year":
        if unit == "range":  # "from 1321 to 1323" -> "in what years"
            phrase = "what years" if language == "en" else "qué años"
            if prev_word in ("from", "de", "desde", "del"):
                return ("in " if language == "en" else "en ") + phrase, prev.start(), b
            return phrase, a, b
        if unit == "decade":
            if prev_word == "the":
                a = prev.start()
            return wh["decade"], a, b
        if language == "es":
            decade = re.search(r"(?:las\s+|la\s+)?décadas?\s+de\s+$", sentence[:a], re.I)
            if decade:
                return wh["decade"], decade.start(), b
            if prev:
                a, phrase = _spanish_article(sentence, prev, a, wh["year"], dated=True)
                return phrase, a, b
            return wh["year"], a, b
        noun = re.match(r"\s+([a-z]+)\b", sentence[b:])
        if prev_word in ("a", "an", "the") and noun and noun.group(1) not in STOPWORDS["en"]:
            # "a 1940 coup" -> "a coup in what year"
            return f"{prev_word} {noun.group(1)} in what year", prev.start(), b + noun.end()
        return wh["year"], a, b

    if kind == "number":
        return _number_phrase(sentence, a, b, unit, language), a, b

    # Names: drop an article before the name, and say "where" for "in <place>".
    which = "which" if language == "en" else "qué"
    noun = place_noun_before(sentence, a) if kind == "place" else None
    if noun:  # "the city of Iași" -> "which city", "el río Bug" -> "qué río"
        return f"{which} {noun.group('noun')}", a - len(noun.group()), b
    if kind == "person":
        title = _title_before(sentence, a, language)
        if title:  # "Marshal Ion Antonescu" -> "which marshal", never "Marshal who"
            start, words = title
            phrase = f"{which} {words}"
            if language == "es":
                before = _previous_word(sentence, start)
                if before:
                    start, phrase = _spanish_article(sentence, before, start, phrase, dated=False)
            return phrase, start, b
    category = category_noun(candidate.category, language)
    if kind == "place" and prev:
        where = re.search(
            r"\b(in|at|en)\s+(?:(?:the|el|la|los|las)\s+)?$", sentence[:a], re.IGNORECASE
        )
        if where and where.group(1).casefold() in ("in", "at", "en"):
            # "in Romania" -> "in which country"; a place of no known category -> "where".
            phrase = f"{where.group(1)} {which} {category}" if category else wh["where"]
            if language == "es" and sentence[where.start() : where.start() + 1].isupper():
                phrase = phrase.capitalize()
            return phrase, where.start(), b
    phrase = f"{which} {category}" if category else wh[kind]
    if language == "en":
        if kind == "person" and prev_word in _EN_OBJECT_PREPOSITIONS:
            phrase = "whom"
        if prev_word == "the":
            a = prev.start()
        possessive = re.match(r"['’]s?\b", sentence[b:])
        if possessive:
            phrase = "whose" if kind == "person" else phrase + "'s"
            b += possessive.end()
        return phrase, a, b
    if prev:
        a, phrase = _spanish_article(sentence, prev, a, phrase, dated=False)
    return phrase, a, b


def _spanish_article(
    sentence: str, prev: re.Match[str], a: int, phrase: str, dated: bool
) -> tuple[int, str]:
    """Fold a Spanish article before the answer into the question phrase.

    "de la Guardia de Hierro" -> "de qué organización"; "del Partido" -> "de qué..."; "el 12 de
    septiembre" -> "en qué fecha" (or "para qué fecha" after a preposition).
    """
    word = prev.group(1)
    folded = word.casefold()
    if folded in _ES_CONTRACTIONS:
        return prev.start(), _ES_CONTRACTIONS[folded] + " " + phrase
    if folded in ("el", "la", "los", "las"):
        if dated and folded == "el":
            before = _previous_word(sentence, prev.start())
            if not before or before.group(1).casefold() not in _ES_DATE_PREPOSITIONS:
                preposition = "En" if word[0].isupper() else "en"
                return prev.start(), f"{preposition} {phrase}"
        return prev.start(), phrase
    return a, phrase


def _number_phrase(sentence: str, a: int, b: int, unit: str, language: str) -> str:
    """ "how many seconds", "what percentage", "cuántas capturas"... for a number."""
    wh = _WH[language]
    folded = unit.casefold()
    if unit in ("range", "time", "decimal"):
        return wh[unit]
    if "%" in unit or "cent" in folded or "ciento" in folded:
        return wh["percent"]
    if folded.startswith("currency") or re.search(r"dollar|dólar|pound|libra|euro", folded):
        return wh["money"]
    if "°" in unit:
        return "how many degrees" if language == "en" else "cuántos grados"
    words = re.sub(r"^(?:\s*(?:m|bn)\b)?\s*(?:de\s+)?", "", unit)
    if language == "en":
        return f"how many {words}" if words else wh["number"]
    noun = words.split()[-1] if words else ""
    if not noun:
        following = re.match(r"\s+(?:de\s+)?(\w+)", sentence[b:])
        noun = following.group(1) if following else ""
    feminine = bool(noun) and _ES_FEMININE.search(noun.casefold()) is not None
    base = "cuántas" if feminine and not re.match(r"mill|mil\b", noun) else "cuántos"
    return f"{base} {words}" if words else base


# Capitalised adjectives that stay with a title in the question: "which Romanian head of state".
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ian|ese|ish|ic|i)$|Soviet|Nazi|Allied|Axis")


def _title_before(sentence: str, a: int, language: str) -> tuple[int, str] | None:
    """The title written just before a person's name, as (where it starts, its words).

    "the Romanian Head of State Ion Antonescu" -> "Romanian head of state"; "el mariscal Ion
    Antonescu" -> "mariscal". Only words of titles count ("General Field Marshal", "Foreign
    Minister"), at least one of them a title proper; an article before the title is left for
    the caller. The sentence before `a` is read word by word from the end, without a regular
    expression over the whole prefix, so the work is bounded by the title's length.
    """
    words: list[tuple[int, str]] = []
    end = a
    while len(words) < 6:
        stop = end
        while stop > 0 and sentence[stop - 1] == " ":
            stop -= 1
        if stop == end and words:
            break  # two words must be separated by spaces
        if end - stop > 1 or stop == 0:
            break  # more than one space (or nothing) before: not part of the same phrase
        start = stop
        while start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in ".-"):
            start -= 1
        word = sentence[start:stop]
        folded = word.casefold().rstrip(".")
        if not word or (folded not in TITLES and folded not in TITLE_PARTS):
            break
        words.append((start, word))
        end = start
    connectors = ("of", "de", "del", "la")
    if words and words[0][1].casefold() in connectors:
        return None  # "ministro de Defensa": the name completes the title, it is not a person's
    while words and words[-1][1].casefold() in connectors:
        words.pop()  # "head of" is not a title on its own
    if not words or not any(w.casefold().rstrip(".") in TITLES for _, w in words):
        return None
    start = words[-1][0]
    phrase = " ".join(w.casefold() for _, w in reversed(words))
    if language == "en":
        before = re.search(r"(\S+) $", sentence[max(0, start - 20) : start])
        if before and _DEMONYM.fullmatch(before.group(1)):
            start -= len(before.group(0))
            phrase = f"{before.group(1)} {phrase}"
        if sentence[max(0, start - 4) : start].casefold() == "the ":
            start -= 4
    return start, phrase
