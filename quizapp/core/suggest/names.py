"""Names of people, places, organisations and events in a paragraph, with their kind."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from quizapp.core.suggest.candidates import Candidate, Mask
from quizapp.core.suggest.categories import guess_category, known_place
from quizapp.core.suggest.lexicon import (
    ABBREVIATIONS,
    CONNECTORS,
    EVENT_CUES,
    MONTH_WORDS,
    ORG_CUES,
    PARTICLE_NAME,
    PLACE_CUES,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    PLACES,
    ROMAN,
    STOPWORDS,
    TITLES,
    WEEKDAYS,
    WORD,
    word_set,
)
from quizapp.core.values import strip_accents


@dataclass
class _Token:
    start: int
    end: int
    text: str
    initial: bool  # at the start of a sentence (or of a quotation), where every word is capitalised


def _tokens(para: str, sentences: list[tuple[int, int]]) -> list[_Token]:
    """The words of a paragraph; a trailing period is kept only on initials and abbreviations."""
    starts = sorted(s for s, _ in sentences)
    tokens: list[_Token] = []
    sentence = -1
    for match in WORD.finditer(para):
        start, end = match.span()
        word = match.group()
        if word.endswith(".") and len(word) > 1:
            bare = word[:-1]
            if not (
                (len(bare) == 1 and bare.isupper())
                or "." in bare
                or bare.casefold() in ABBREVIATIONS
            ):
                end -= 1
                word = bare
        # The first word of a sentence, or of a quotation, is capitalised whatever it is.
        first_in_sentence = bisect_right(starts, start) - 1 != sentence
        sentence = bisect_right(starts, start) - 1
        before = para[max(0, start - 3) : start].rstrip()
        initial = first_in_sentence or before.endswith((":", "“", '"', "«", "‘", "¿", "¡"))
        tokens.append(_Token(start, end, word, initial))
    return tokens


def _is_capitalised(word: str) -> bool:
    """A word that can stand in a name: "Iași", "al-Zahrawi", "DVB-S2"; not "Antonescu-led"."""
    if not (word[:1].isupper() or PARTICLE_NAME.match(word)):
        return False
    last = re.split(r"[-‐]", word)[-1]
    return not last[:1].islower()


def name_candidates(
    para: str, sentences: list[tuple[int, int]], language: str, taken: Mask
) -> list[Candidate]:
    """Runs of capitalised words (with "of", "de la"... inside) that read as names."""
    tokens = _tokens(para, sentences)
    connectors = CONNECTORS[language]
    runs: list[list[_Token]] = []
    run: list[_Token] = []
    pending: list[_Token] = []
    previous: _Token | None = None

    def flush() -> None:
        nonlocal run, pending
        if 0 < len(run) <= _MAX_NAME_WORDS:  # a longer run is a heading in title case
            runs.append(run)
        run, pending = [], []

    for token in tokens:
        gap = para[previous.end : token.start] if previous else ""
        previous = token
        if run and (gap.strip() or "\n" in gap):
            flush()
        word = token.text
        if taken.overlaps(token.start, token.end):
            flush()
        elif _is_capitalised(word) and not (run and token.initial):
            run += [*pending, token]
            pending = []
            if re.search(r"['’]s$", word):  # a possessive ends the name: "Eutelsat's Eurobird"
                run[-1] = _Token(token.start, token.end - 2, word[:-2], token.initial)
                flush()
        elif run and word.casefold() in connectors and len(pending) < 2:
            pending.append(token)
        elif run and not pending and _is_code(para, run[0], run[-1], token):
            run.append(token)  # "Astra 2A", "Eurobird 1", "Super Bowl 50"
            flush()
        else:
            flush()
    flush()

    words_seen = Counter(t.text for t in tokens if not t.initial and _is_capitalised(t.text))
    known = {para[r[0].start : r[-1].end] for r in runs}
    found: list[Candidate] = []
    parts = (p for r in runs for part in _split_known(para, r, known) for p in _split_of(part))
    for run in parts:
        candidate = _name_from_run(para, run, language, words_seen)
        if candidate:
            found.append(candidate)
    return found


_MAX_NAME_WORDS = 10


def _is_code(para: str, first: _Token, last: _Token, token: _Token) -> bool:
    """Whether a short figure after a name belongs to it ("Super Bowl 50"), not to a count or
    a score after a team ("the Broncos 24–10")."""
    if not re.fullmatch(r"\d{1,3}[A-Z]?|[A-Z]{1,2}\d{1,3}", token.text):
        return False
    if re.match(r"[–\-:/%°.,]\d|[–\-:/%°]|\s*(?:%|°)", para[token.end : token.end + 2]):
        return False
    if last.text.endswith("s"):
        return False
    # After a one-word name, only a code with a letter or closing the phrase: "Venice 22 times"
    # is a count, "Eurobird 1 (now Eutelsat 33C)" a name.
    return (
        last.start != first.start
        or not token.text.isdigit()
        or not re.match(r"\s+\w", para[token.end :])
    )


def _split_known(para: str, run: list[_Token], known: set[str]) -> list[list[_Token]]:
    """Split a run that starts with a name the paragraph also writes alone and goes on with
    another full name: "jugador de la Pro Bowl Kurt Coleman" -> "Pro Bowl", "Kurt Coleman"."""
    for i in range(2, len(run) - 1):
        head, rest = run[:i], run[i:]
        if (
            para[head[0].start : head[-1].end] in known
            and _is_capitalised(rest[0].text)
            and (len(rest) >= 2 or para[rest[0].start : rest[-1].end] in known)
        ):
            return [head, *_split_known(para, rest, known)]
    return [run]


def _split_of(run: list[_Token]) -> list[list[_Token]]:
    """Split "<full name> of <country>" in two: "Friedrich Ratzel of Germany", "Halford
    Mackinder de Gran Bretaña"; but not "Sergius IV of Naples" or "University of Paris"."""
    words = [strip_accents(t.text).casefold() for t in run]
    for i, word in enumerate(words):
        if word not in ("of", "de") or i < 2:
            continue
        head, place = words[:i], " ".join(words[i + 1 :])
        if place not in _PLACES_PLAIN["en"] and place not in _PLACES_PLAIN["es"]:
            continue
        if any(
            w in _ALL_CUES or w in TITLES or ROMAN.fullmatch(t.text)
            for w, t in zip(head, run, strict=False)
        ):
            continue
        return [run[:i], run[i + 1 :]]
    return [run]


def _name_from_run(
    para: str, run: list[_Token], language: str, words_seen: Counter[str]
) -> Candidate | None:
    """Trim a run of capitalised words to a name, and guess its kind and worth."""
    stopwords = STOPWORDS[language]
    connectors = CONNECTORS[language]
    initial = run[0].initial
    # A capitalised function word at a sentence start ("The", "In", "Tras") is not a name.
    while run and run[0].initial and run[0].text.casefold() in stopwords:
        run = run[1:]
        initial = False
    while run and run[0].text.casefold() in connectors:
        run = run[1:]
    # "Representatives of the Soviet Union" opening a sentence: the first word is capitalised
    # only because it opens the sentence, unless it is a cue ("University of Paris") or the
    # text capitalises it elsewhere.
    if len(run) > 2 and run[0].initial and run[1].text.casefold() in ("of", "for", "de", "del"):
        first = strip_accents(run[0].text).casefold()
        if first not in _ALL_CUES and first not in TITLES and not words_seen[run[0].text]:
            run = run[1:]
            while run and run[0].text.casefold() in connectors:
                run = run[1:]
            initial = False
    whole_run = run
    run, titled = _drop_titles(run, language)
    if not run or run[-1].text.casefold().rstrip(".") in TITLES:
        return None  # a title without a name: "Prime Minister", "Luftwaffe General"
    start, end = run[0].start, run[-1].end
    answer = para[start:end]
    folded = strip_accents(answer).casefold()
    single = len(run) == 1
    if single:
        if folded in MONTH_WORDS or folded in WEEKDAYS or folded in stopwords:
            return None
        if ROMAN.fullmatch(answer) or len(answer.rstrip(".")) < 2:
            return None  # a numeral or an initial alone ("XIX", "Y.")
        acronym = answer.isupper() and sum(c.isalpha() for c in answer) >= 2
        if acronym and re.search(r"[^\W\d]\s?\($", para[max(0, start - 3) : start]):
            return None  # "the American Medical Association (AMA)": the same name again
        if initial and not acronym and not words_seen[answer]:
            # A capitalised word opening a sentence is as likely a common word ("Students",
            # "Tropas") as a name: only a name if the text capitalises it elsewhere too.
            return None
    else:
        acronym = False

    if single and folded in _ALL_CUES:
        return None  # "el Estado", "the Army", "la Guerra": a common noun capitalised
    if single and language == "en" and _is_demonym(para, run[0]):
        return None  # "Romanian troops": an adjective, not the name of anyone or anywhere
    previous = para[max(0, start - 30) : start].split()[-1:]
    if previous and previous[0].casefold() in TITLES:  # "el mariscal Ion Antonescu"
        titled = True
    kind = _name_kind(para, run, language, titled, acronym)
    titles = [t.text for t in whole_run if t.text.casefold().rstrip(".") in TITLES] + previous
    noun = place_noun_before(para, start) if kind == "place" else None
    category = guess_category(
        kind, [t.text for t in run], titles, noun.group("noun") if noun else None
    )
    if not single:
        score = 72.0
    elif acronym:
        score = 52.0
    elif initial:
        score = 50.0
    else:
        score = 60.0
    if titled or kind != "person":
        score += 4  # a title or a cue word makes it surely a name
    return Candidate(start, end, kind, score, category=category)


# Words that continue a title: "Field Marshal", "Head of State", "General de División".
TITLE_PARTS = word_set(
    "field head of state foreign interior defence defense secretary chief supreme grand deputy "
    "general major marshal minister de división estado"
)


def _drop_titles(run: list[_Token], language: str) -> tuple[list[_Token], bool]:
    """Drop the titles before a person's name, and say whether there was one.

    "Romanian Head of State Ion Antonescu" -> "Ion Antonescu"; "General de División James
    Abercrombie" -> "James Abercrombie"; "King of France" stays whole (a title, no name).
    """
    words = [t.text.casefold().rstrip(".") for t in run]
    connectors = CONNECTORS[language]
    cut = -1
    i = 0
    while i < len(words) - 1:
        if words[i] in TITLES:
            j = i
            while j + 2 < len(words) and (
                words[j + 1] in TITLE_PARTS or words[j + 1] in TITLES or words[j + 1] in connectors
            ):
                j += 1
            cut, i = j, j + 1
        else:
            i += 1
    if cut < 0 or any(w in ORG_CUES or w in EVENT_CUES for w in words[cut + 1 :]):
        return run, False  # "General Pharmaceutical Council", "Major League": not a title
    if words[cut] in connectors or words[cut + 1] in connectors:
        return run, True
    if len(run) - cut - 1 < 2:
        return run, True  # "King Michael": a lone first name keeps its title
    return run[cut + 1 :], True


_ADJECTIVES = word_set("soviet nazi allied axis communist fascist protestant muslim")


def _is_demonym(para: str, token: _Token) -> bool:
    """Whether a capitalised English word is an adjective before a noun: "Romanian troops",
    "Soviet occupation", "Western diplomats"."""
    if not re.match(r"\s+[a-z]", para[token.end :]):
        return False
    word = token.text.casefold()
    return word in _ADJECTIVES or re.search(r"(?:an|ian|ese|ish|ic|i|ern)$", word) is not None


def place_noun_before(para: str, start: int) -> re.Match[str] | None:
    """The "the city of" / "el río" just before a name, if there is one."""
    match = _PLACE_NOUN_BEFORE.search(para[max(0, start - 40) : start])
    if match and match.group("noun").casefold() in PLACE_NOUNS:
        return match
    return None


_PLACE_NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|el|la|los|las)\s+)?\b(?P<noun>[a-záéíóúñ]+)\s+(?:(?:of|de)\s+)?$"
)


def _name_kind(para: str, run: list[_Token], language: str, titled: bool, acronym: bool) -> str:
    """Person, place, organisation or event, from cue words, titles and prepositions."""
    words = [strip_accents(t.text).casefold().rstrip(".") for t in run]
    if titled or any(ROMAN.fullmatch(t.text) for t in run[1:]):
        return "person"  # "Carol II", "Philip II of Spain"
    if any(w in _EVENT_CUES_PLAIN for w in words):
        return "event"
    places = _PLACES_PLAIN[language]
    if " ".join(words) in places or (len(words) > 1 and words[-1] in places):
        return "place"  # "Soviet Union", "Nazi Germany"
    if known_place(" ".join(words)):
        return "place"  # "Sibiu", "Bessarabia": a country, city or region the lexicon knows
    if acronym or any(w in _ORG_CUES_PLAIN for w in words):
        return "organisation"
    before = [w.casefold() for w in para[max(0, run[0].start - 40) : run[0].start].split()[-2:]]
    if place_noun_before(para, run[0].start):
        return "place"
    prepositions = PLACE_PREPOSITIONS[language]
    after_preposition = bool(before) and (
        before[-1] in prepositions
        or (len(before) == 2 and before[0] in prepositions and before[1] in _ARTICLES)
    )
    if any(w in _PLACE_CUES_PLAIN for w in words) or after_preposition:
        return "place"
    # "the Panthers", "los Broncos": a plural name after an article is a team or a body.
    if before and before[-1] in _ARTICLES and words[-1].endswith("s") and len(words[-1]) > 3:
        return "organisation"
    return "person"


_ARTICLES = word_set("the el la los las")
# Cue words without accents, to compare with names folded the same way.
_EVENT_CUES_PLAIN = frozenset(strip_accents(w) for w in EVENT_CUES)
_ORG_CUES_PLAIN = frozenset(strip_accents(w) for w in ORG_CUES)
_PLACE_CUES_PLAIN = frozenset(strip_accents(w) for w in PLACE_CUES)
_PLACES_PLAIN = {k: frozenset(strip_accents(w) for w in v) for k, v in PLACES.items()}
_ALL_CUES = _EVENT_CUES_PLAIN | _ORG_CUES_PLAIN | _PLACE_CUES_PLAIN
