"""Reading typed names fairly: titles, regnal numbers, prepositions, plurals and small typos.

These are the rules that need nothing but the answer and its accepted forms, so the checker can
apply them to any question, old or new. What needs the whole bank (is a surname unique? is a
misspelling closer to another name the bank knows?) is worked out by `answer_forms` when a
question is generated and frozen into it.

Each function works on words of a `normalise`d text (lower case, no accents, no articles).

* Titles and honorifics (`TITLES`: king, marshal, rey, mariscal, regele...) are dropped from a
  typed person's name; a key's form loses its title only when a full name is left
  ("Marshal Ion Antonescu" -> "ion antonescu", but "King Michael" does not become "michael":
  a given name alone is accepted only when `answer_forms` found it unique in the bank).
* A territorial designation ("of Romania", "de Rumania") is dropped from a typed name.
* A leading preposition ("in Moscow", "al sur de Ucrania") and a river or city class word
  ("río Bug del Sur", "the city of Iași") are dropped from names of places and things.
* Plurals read as singulars (`singular`: simplemma's lemma, kept only when it is the same word
  without a plural ending, so "bombings" -> "bombing" but "allied" stays "allied").
* `typo_distance` allows a bounded number of edits (OSA distance: a swap of two letters is one
  edit) in long words of long names, never in short words, numbers or regnal numerals.
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma
from rapidfuzz.distance import OSA

from quizapp.core.characters import strip_accents

LANGUAGES = ("en", "es")
NAME_KINDS = ("person", "place", "organisation", "event", "term")

# Titles and honorifics that may stand before a person's name, in English, Spanish and the
# Romanian forms learners meet in sources ("Regele Mihai", "Mareșalul Antonescu"). Words are
# written as `normalise` leaves them (lower case, no accents).
MONARCH_TITLES = frozenset(
    {"king", "queen", "emperor", "empress", "tsar", "czar", "kaiser", "prince", "princess"}
    | {"rey", "reina", "emperador", "emperatriz", "zar", "principe", "princesa"}
    | {"regele", "regina", "rege", "printul", "principele", "imparatul"}
)
TITLES = MONARCH_TITLES | frozenset(
    {"general", "marshal", "field", "admiral", "colonel", "major", "captain", "lieutenant"}
    | {"commander", "president", "premier", "prime", "minister", "chancellor", "dictator"}
    | {"leader", "comrade", "mr", "mrs", "ms", "miss", "sir", "lord", "lady", "dr", "doctor"}
    | {"professor", "prof", "saint", "st", "pope", "father", "count", "duke", "baron"}
    | {"mariscal", "almirante", "coronel", "comandante", "capitan", "teniente", "presidente"}
    | {"presidenta", "primer", "primera", "ministro", "ministra", "canciller", "dictador"}
    | {"lider", "camarada", "don", "dona", "senor", "senora", "sr", "sra", "doctora"}
    | {"profesor", "profesora", "san", "santo", "santa", "papa", "padre", "conde", "duque"}
    | {"maresal", "maresalul", "generalul", "conducator", "conducatorul", "domnul"}
)
# Words that join a monarch's name to the land: "Michael I of Romania", "Miguel I de Rumania".
TERRITORY_LINKS = frozenset({"of", "de", "del", "din"})
ROMAN_NUMERALS = frozenset(
    {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv"}
    | {"xv", "xvi", "xvii", "xviii", "xix", "xx"}
)
# Particles that belong to a surname: "von Ribbentrop", "de Gaulle".
SURNAME_PARTICLES = frozenset({"von", "van", "der", "de", "del", "da", "di", "du", "le", "la"})
PREPOSITIONS = frozenset(
    {"in", "on", "at", "of", "to", "from", "by", "into", "towards", "toward", "with", "for"}
    | {"en", "de", "del", "a", "al", "desde", "hacia", "hasta", "con", "por", "para", "sobre"}
)
# Class words a place's name may carry or not: "río Bug del Sur" = "Bug del Sur".
PLACE_CLASS_WORDS = (("river",), ("rio",), ("city", "of"), ("ciudad", "de"), ("town", "of"))
PLACE_CLASS_SUFFIXES = (("river",),)

# Edits allowed in a whole name by its length in letters, and in one word by its length.
TYPO_NAME_LENGTHS = ((12, 2), (6, 1))
TYPO_WORD_LENGTHS = ((8, 2), (4, 1))


def strip_titles(words: list[str]) -> list[str]:
    """Drop leading titles ("king", "field marshal", "el rey"): what is left is the name."""
    index = 0
    while index < len(words) - 1 and words[index] in TITLES:
        index += 1
    return words[index:]


def has_monarch_title(words: list[str]) -> bool:
    """Whether the name starts with a monarch's title (king, rey, regele...)."""
    return any(word in MONARCH_TITLES for word in words[:2])


def strip_territory(words: list[str]) -> list[str]:
    """Drop a trailing "of Romania" / "de Rumania" after at least one word of name."""
    for index in range(1, len(words) - 1):
        if words[index] in TERRITORY_LINKS and index >= len(words) - 3:
            return words[:index]
    return words


def strip_regnal(words: list[str]) -> list[str]:
    """Drop a trailing regnal numeral: "michael i" -> "michael" (kept when nothing else is left)."""
    if len(words) > 1 and words[-1] in ROMAN_NUMERALS:
        return words[:-1]
    return words


def is_regnal(words: list[str]) -> bool:
    """Whether the name ends with a regnal numeral (possibly before "of Romania")."""
    core = strip_territory(words)
    return len(core) > 1 and core[-1] in ROMAN_NUMERALS


def person_readings(words: list[str]) -> set[tuple[str, ...]]:
    """The ways a typed person's name may be read: as typed, without titles, without the land."""
    untitled = strip_titles(words)
    # Without the land the name only matches a short form the bank found unique, so dropping
    # it from any typed name is safe.
    readings = {tuple(words), tuple(untitled), tuple(strip_territory(untitled))}
    return {r for r in readings if r}


def person_key_readings(words: list[str]) -> set[tuple[str, ...]]:
    """A key's readings that need no bank: without titles only when a full name is left."""
    readings = {tuple(words)}
    untitled = strip_titles(words)
    if len(untitled) >= 2:
        readings.add(tuple(untitled))
        core = strip_territory(untitled)
        if len(core) >= 2:
            readings.add(tuple(core))
    return readings


@lru_cache(maxsize=4096)
def singular(word: str, language: str | None = None) -> str:
    """The singular of a plural noun, or the word itself ("bombings" -> "bombing").

    simplemma gives the lemma; it is kept only when the word is that lemma with a plural
    ending (-s, -es, -ies/-y, Spanish -ces/-z), so verbs and adjectives keep their form.
    """
    if len(word) < 4 or not word.isalpha():
        return word
    for lang in (language,) if language in LANGUAGES else LANGUAGES:
        lemma = strip_accents(simplemma.lemmatize(word, lang=lang)).casefold()
        if len(lemma) < 3 or lemma == word:
            continue
        if (
            word in (lemma + "s", lemma + "es")
            or (word.endswith("ies") and lemma == word[:-3] + "y")
            or (word.endswith("ces") and lemma == word[:-3] + "z")
        ):
            return lemma
    return word


def _strip_prefix(words: tuple[str, ...], prefixes: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    for prefix in prefixes:
        if len(words) > len(prefix) and words[: len(prefix)] == prefix:
            return words[len(prefix) :]
    return words


def thing_readings(words: list[str], kind: str, language: str | None) -> set[tuple[str, ...]]:
    """Readings of a place, organisation, event or term: a leading preposition, a place's class
    word ("río", "city of") and plural endings make no difference."""
    readings = {tuple(words)}
    current = tuple(words)
    if len(current) > 1 and current[0] in PREPOSITIONS:
        current = current[1:]
        readings.add(current)
    if kind == "place":
        without_class = _strip_prefix(current, PLACE_CLASS_WORDS)
        for suffix in PLACE_CLASS_SUFFIXES:
            if len(without_class) > len(suffix) and without_class[-len(suffix) :] == suffix:
                without_class = without_class[: -len(suffix)]
        readings.add(without_class)
    readings |= {tuple(singular(w, language) for w in reading) for reading in readings}
    return readings


# Ordinals written in words or in figures read alike ("Primera Guerra Mundial", "1.ª Guerra
# Mundial", "First World War", "1st World War"); ordinal indicators are already dropped
# ("1ª" is "1", see characters.drop_ordinal_indicators).
ORDINAL_FIGURES = {
    word: str(value)
    for value, words in enumerate(
        (
            "first 1st primero primera primer",
            "second 2nd segundo segunda",
            "third 3rd tercero tercera tercer",
            "fourth 4th cuarto cuarta",
            "fifth 5th quinto quinta",
            "sixth 6th sexto sexta",
            "seventh 7th septimo septima",
            "eighth 8th octavo octava",
            "ninth 9th noveno novena",
            "tenth 10th decimo decima",
        ),
        start=1,
    )
    for word in words.split()
}


def readings(words: list[str], kind: str, language: str | None, *, key: bool) -> set[tuple]:
    """Every reading of a name by its kind; `key` for an accepted form (stricter for persons).

    A name with an ordinal is also read with the ordinal as a figure (ORDINAL_FIGURES)."""
    if not words:
        return set()
    figures = [ORDINAL_FIGURES.get(word, word) for word in words]
    if figures != words:
        return _readings(words, kind, language, key) | _readings(figures, kind, language, key)
    return _readings(words, kind, language, key)


def _readings(words: list[str], kind: str, language: str | None, key: bool) -> set[tuple]:
    if kind == "person":
        return person_key_readings(words) if key else person_readings(words)
    if kind in NAME_KINDS:
        return thing_readings(words, kind, language)
    return {tuple(words)}


def _allowed(length: int, table: tuple[tuple[int, int], ...]) -> int:
    for minimum, edits in table:
        if length >= minimum:
            return edits
    return 0


# Words that tell one place, rank or order from another and lie a typo apart from a word of
# the same set ("southern" is two letters from "northern", "oriental" from "occidental" is
# not, but "este" is one from "oeste"): a different one is another answer, never a typo.
_CONTRAST = """
    north south east west northern southern eastern western northeast northwest southeast
    southwest northeastern northwestern southeastern southwestern upper lower inner outer
    greater lesser higher first second third fourth fifth sixth seventh eighth ninth tenth
    norte sur este oeste septentrional meridional oriental occidental nororiental noroccidental
    suroriental suroccidental nordeste noreste noroeste sudeste sureste sudoeste suroeste
    superior inferior alto alta altos altas bajo baja bajos bajas mayor menor primero primera
    segundo segunda tercero tercera cuarto cuarta quinto quinta sexto sexta septimo septima
    octavo octava noveno novena decimo decima
    """
CONTRAST_WORDS = frozenset(_CONTRAST.split())


def _fixed(word: str) -> bool:
    """Words no typo may touch: numbers and regnal numerals."""
    return any(c.isdigit() for c in word) or word in ROMAN_NUMERALS


def typo_distance(given: tuple[str, ...], form: tuple[str, ...]) -> int | None:
    """Edits between a typed name and a form, when small enough to be a typo, else None.

    The names must have the same number of words; a word shorter than 4 letters, a number or a
    regnal numeral must be typed exactly, and a contrast word (CONTRAST_WORDS: "southern" for
    "northern") is never a typo of another; a word of 4-7 letters may carry one edit, a longer one
    two; the whole name at most one edit from 6 letters and two from 12 (`TYPO_*_LENGTHS`).
    """
    if len(given) != len(form) or given == form:
        return None
    letters = sum(len(w) for w in form)
    budget = _allowed(letters, TYPO_NAME_LENGTHS)
    if budget == 0 or abs(sum(len(w) for w in given) - letters) > budget:
        return None
    total = 0
    for typed, right in zip(given, form, strict=True):
        if typed == right:
            continue
        if _fixed(typed) or _fixed(right) or typed in CONTRAST_WORDS:
            # A contrast word typed in place of another is another answer ("southern").
            return None
        allowed = _allowed(min(len(typed), len(right)), TYPO_WORD_LENGTHS)
        edits = OSA.distance(typed, right, score_cutoff=allowed)
        if edits > allowed:
            return None
        total += edits
        if total > budget:
            return None
    return total


def typo_budget(text: str) -> int:
    """The most edits a typo may make in this normalised name (0 for short names)."""
    return _allowed(len(text.replace(" ", "")), TYPO_NAME_LENGTHS)


_SEGMENT = re.compile(r"[,;:()\[\]«»\"“”.!?]")


def segments(text: str) -> list[str]:
    """A passage's text cut at punctuation that ends a phrase (commas, brackets, stops)."""
    return [part for part in _SEGMENT.split(text) if part.strip()]
