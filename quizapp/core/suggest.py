"""Candidate facts proposed from a pasted source text, by rules (English and Spanish).

A teacher pastes a text; `suggest` proposes spans worth asking about (dates, years, numbers and
quantities, names of people, places, organisations and events), each with the sentence that
holds it and a draft question. Everything here is regular expressions, capitalisation and cue
words: no model, nothing downloaded, cheap enough to run on every keystroke of an editor.

Every suggestion is an exact span of the text it was given (``text[start:end] == answer``), so an
accepted one becomes a fact whose evidence offsets are already right.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from quizapp.core.values import MONTHS, contains_phrase, find_dates, normalise, strip_accents

KINDS = ("date", "year", "number", "person", "place", "organisation", "event")
LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class Suggestion:
    """A proposed fact: an exact span of the text, its kind, its sentence and a draft stem."""

    answer: str  # exactly text[start:end]
    kind: str  # one of KINDS
    start: int
    end: int
    evidence_start: int  # the sentence holding the answer, as offsets in the text
    evidence_end: int
    stem: str  # a draft question in the text's language; never contains the answer
    statement: str  # the evidence sentence: a statement containing the answer


@dataclass
class _Candidate:
    start: int  # offsets in the paragraph
    end: int
    kind: str
    score: float
    unit: str = ""  # for numbers: the unit or scale words inside the answer ("seconds")


# ---------------------------------------------------------------------------------------------
# Word lists. Small and explicit on purpose: each entry is a rule a reader can check.


def _words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(text.split())


_MONTH_WORDS = frozenset(MONTHS["en"]) | frozenset(MONTHS["es"])
_WEEKDAYS = _words(
    "monday tuesday wednesday thursday friday saturday sunday "
    "lunes martes miercoles jueves viernes sabado domingo"
)

# Number words worth asking about. "one"/"uno"/"una" are left out: in running text they are
# mostly pronouns and articles ("one of the", "una ciudad"), not quantities.
_NUMBER_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
        "eighty ninety hundred hundreds thousands dozen dozens"
    ),
    "es": _words(
        "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
        "dieciséis dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintidós "
        "veintitrés veinticuatro veinticinco veintiséis veintisiete veintiocho veintinueve "
        "treinta cuarenta cincuenta sesenta setenta ochenta noventa cien cientos "
        "centenares miles docena docenas decenas"
    ),
}
_SCALE = r"(?:million|billion|trillion|thousand|millones|millón|millon|mil\s+millones|billones|mil)"
# Units that belong to the answer: "17 seconds" is asked as "how many seconds", so the unit
# is part of what the learner gives back. Counted nouns ("308 points") are not units.
_UNITS = (
    r"square\s+kilometres|square\s+kilometers|square\s+miles|sq\s+mi|km2|km²|km/h|km|"
    r"kilómetros\s+cuadrados|kilómetros|kilometres|kilometers|millas\s+cuadradas|millas|miles|"
    r"mph|mi|nm|metres|meters|metros|feet|ft|pies|kg|kilograms|kilogramos|tons|tonnes|toneladas|"
    r"gigatons|gigatoneladas|seconds|segundos|minutes|minutos|hours|horas|acres|hectares|"
    r"hectáreas|percent|per\s+cent|por\s+ciento|dollars|dólares|pounds|libras|euros"
)
_CURRENCY = r"(?:US\$|\$|£|€|¥)"
_FIGURE = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,345,596 / 1,345.5
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 13.266 / 1.345,5
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?"  # 500 000 (Spanish style)
    r"|\d+(?:[.,]\d+)?"
)
# After a figure: "m"/"bn", a scale word, then a unit ("£30m", "37 millones", "12 %", "28.5°E").
_TAIL = (
    r"(?:\s?(?:m|bn)\b)?"
    rf"(?:\s+{_SCALE}\b)?"
    rf"(?:\s?%|\s?°\s?[CFNSEW]?\b|\s?°|\s+(?:de\s+)?(?:{_UNITS})\b)?"
)
_NUMBER = re.compile(
    rf"(?<![\w.,\-/:])(?P<cur>{_CURRENCY})?(?P<fig>{_FIGURE})(?P<frac>[½¼¾])?"
    rf"(?P<tail>{_TAIL})(?![\w]|[.,]\d|-[^\W\d])",
    re.IGNORECASE,
)
# Two figures that make one answer: "1321 to 1323", "30 to 50 thousand", "20–18", "20 a 18".
# "and"/"y" only count after "between"/"entre", and "al" after "del" (checked in code).
_RANGE = re.compile(
    rf"(?<![\w.,\-/:])(?P<cur>{_CURRENCY})?(?P<a>{_FIGURE})"
    r"(?P<join>\s?[–-]\s?|\s+(?:to|and|a|al|y|hasta)\s+)"
    rf"(?:{_CURRENCY})?(?P<b>{_FIGURE})(?P<tail>{_TAIL})(?![\w]|[.,]\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\w.,\-/:$£€])(?:1\d{3}|20\d{2})(?:s|'s|’s)?(?![\w]|[.,]\d)")
_YEAR_FIGURE = re.compile(r"1\d{3}|20\d{2}")
# A clock time or a duration: "3:08", "3 min 8 s".
_TIME = re.compile(r"(?<![\w.,:])(?:\d{1,2}:\d{2}(?![\w:]|[.,]\d)|\d{1,3}\s?min\s\d{1,2}\s?s\b)")

# Words that start sentences but never names (compared case-folded).
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "a an the this that these those there here it its he she they we you i his her their our "
        "in on at by for from with without within into onto of to as after before during since "
        "until while when where which who whom whose what why how if although though because "
        "but and or nor so yet also however moreover furthermore meanwhile then thus therefore "
        "later earlier today yesterday once each every some many most more several few both all "
        "other another such only even still despite among between behind beyond under over "
        "above below around about against along across through throughout upon following "
        "according unlike like instead besides whether no not yes following"
    ),
    "es": _words(
        "el la los las lo un una unos unas este esta estos estas ese esa esos esas aquel aquella "
        "ello él ella ellos ellas su sus nuestro nuestra en de del al a con sin por para desde "
        "hasta hacia tras durante ante bajo sobre entre según como cuando donde mientras "
        "aunque porque pero sino y e o u ni también además sin embargo entonces luego así "
        "después antes hoy ayer cada todo toda todos todas otro otra otros otras algunos "
        "algunas muchos muchas varios varias ambos tal solo sólo incluso aún ya no sí que qué "
        "quien quién cual cuál se le les"
    ),
}
# Lower-case words that may stand inside a name between capitalised words.
_CONNECTORS: dict[str, frozenset[str]] = {
    "en": _words("of the de du da di del della van von der den ter le la for upon ibn bin al &"),
    "es": _words("de del la las los el von van der du da di ibn bin al &"),
}
# Titles mark a person, and are dropped from the front of a full name ("Marshal Ion Antonescu"
# -> "Ion Antonescu"; "King Michael" stays whole).
_TITLES = _words(
    "king queen prince princess emperor empress tsar czar sultan pope general marshal head "
    "admiral colonel major captain lieutenant sergeant commander president vice prime minister "
    "chancellor premier sir lord mr mrs ms dr professor prof mayor governor senator "
    "bishop archbishop cardinal duke duchess count countess baron "
    "rey reina príncipe princesa emperador emperatriz zar papa mariscal almirante coronel "
    "mayor capitán teniente sargento comandante presidente primer ministro canciller "
    "don doña señor señora sr sra dra alcalde gobernador senador obispo arzobispo duque "
    "duquesa conde condesa barón"
)
_ORG_CUES = _words(
    "party commission committee council government parliament university college school "
    "company corporation corp inc ltd group network association society institute agency "
    "bank army navy guard church league federation club foundation ministry department office "
    "court assembly congress senate board organisation organization service services media "
    "television broadcasting records union securitate nkvd gestapo powers command "
    "partido comisión comité consejo gobierno parlamento universidad colegio escuela compañía "
    "empresa corporación grupo red asociación sociedad instituto agencia banco ejército armada "
    "guardia iglesia liga federación fundación ministerio departamento oficina tribunal "
    "asamblea congreso senado junta organización servicio división potencias mando"
)
_PLACE_CUES = _words(
    "river mountains mount mountain lake sea ocean island islands county city street avenue "
    "ave road route bridge valley bay gulf desert forest park square province region fort port "
    "cape strait canal peninsula town kingdom republic empire state states coast front beach "
    "río rio monte montes montaña lago mar océano isla islas condado ciudad calle avenida "
    "carretera puente valle bahía golfo desierto bosque parque plaza provincia región fuerte "
    "puerto cabo estrecho península reino república imperio estado estados costa frente playa"
)
_EVENT_CUES = _words(
    "battle war wars revolution treaty olympics cup bowl championship crisis massacre pogrom "
    "coup conference summit festival uprising rebellion siege offensive operation campaign "
    "edict act award awards prize pact wwi wwii ww2 hurricane storm typhoon earthquake "
    "batalla guerra revolución tratado copa campeonato crisis masacre pogromo golpe "
    "conferencia cumbre festival levantamiento rebelión sitio ofensiva operación campaña "
    "edicto ley premio pacto huracán tormenta tifón terremoto"
)
# Places a text names often enough that a cue word is not always there (per language, since
# "Roma" is Rome in Spanish but a people in English).
_PLACES: dict[str, frozenset[str]] = {
    "en": _words(
        "europe africa asia america americas oceania antarctica australia england britain "
        "great britain scotland wales ireland france germany italy spain portugal russia ukraine "
        "poland romania hungary bulgaria austria greece turkey egypt china japan korea india "
        "brazil mexico canada israel iran iraq moldova bessarabia transylvania moscow london "
        "paris berlin rome vienna bucharest budapest munich ussr"
    )
    | frozenset({"soviet union", "united states", "united kingdom", "great britain"}),
    "es": _words(
        "europa áfrica asia américa oceanía antártida australia inglaterra escocia irlanda "
        "francia alemania italia españa portugal rusia ucrania polonia rumania rumanía hungría "
        "bulgaria austria grecia turquía egipto china japón corea india brasil méxico canadá "
        "israel irán irak moldavia besarabia transilvania moscú londres parís berlín roma "
        "viena bucarest budapest múnich"
    )
    | frozenset({"unión soviética", "estados unidos", "reino unido", "gran bretaña"}),
}
# Lower-case nouns that announce a place name: "the city of Iași", "el río Bug Meridional".
_PLACE_NOUNS = _words(
    "city town village region province county state island river port colony country capital "
    "ciudad pueblo villa región provincia condado estado isla río puerto colonia país capital "
    "localidad"
)
_PLACE_PREPOSITIONS: dict[str, frozenset[str]] = {
    "en": _words("in at near throughout across"),
    "es": _words("en cerca hacia desde"),
}
_ABBREVIATIONS = _words(
    "st mr mrs ms dr jr sr sra mt ft ave inc ltd gen col lt capt gov sen rep prof v vs "
    "etc al approx fig núm pág dept"
)
_ROMAN = re.compile(r"[IVXLCDM]+")
# A word: letters and digits (with combining marks, as in decomposed "Trần"), inner
# apostrophes, hyphens and dots ("O'Brien", "Saffir-Simpson", "E.I."); or "&".
_WORD = re.compile(r"[^\W_][\w\u0300-\u036f'’\-.]*[\w\u0300-\u036f]\.?|[^\W_]\.?|&")
_PARTICLE_NAME = re.compile(r"(?:al|el|ad|ibn|bin|d|de|du|da|di|van|von|le|la|o|mc)[-'’]\w", re.I)

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# A sentence ends after . ! ? (and any closing quotes or brackets, which stay in the sentence).
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”»)\]]*(\s+)|(\n+)")


# ---------------------------------------------------------------------------------------------
# Public API


def suggest(text: str, language: str, limit: int = 12) -> list[Suggestion]:
    """Propose up to `limit` facts per paragraph of `text` (paragraphs split at blank lines)."""
    language = language if language in LANGUAGES else "en"
    suggestions: list[Suggestion] = []
    for start, end in paragraph_spans(text):
        suggestions.extend(_suggest_paragraph(text, start, end, language, limit))
    return suggestions


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every non-blank paragraph of the text, split at blank lines."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        if chunk.strip():
            left = position + len(chunk) - len(chunk.lstrip())
            spans.append((left, left + len(chunk.strip())))
        if match:
            position = match.end()
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a paragraph as (start, end) spans.

    Unlike passages.sentence_span, an initial ("Nicholas E. Golovin") or an abbreviation
    ("St. Johns River") does not end a sentence here, so a name is never cut in two.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        stop = match.start(1) if match.group(1) is not None else match.start(2)
        if "\n" not in match.group() and not _ends_sentence(text, match.start(), match.end()):
            continue
        if text[start:stop].strip():
            spans.append((start, stop))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _ends_sentence(text: str, stop: int, following: int) -> bool:
    """Whether the punctuation just before `stop` really ends a sentence."""
    if following < len(text) and text[following].islower():
        return False
    before = text[max(0, stop - 40) : stop].rstrip("\"'”»)]")
    word = re.search(r"(\w+)\.$", before)
    if word:
        token = word.group(1)
        if len(token) == 1 and token.isupper():  # an initial
            return False
        if token.casefold() in _ABBREVIATIONS:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# One paragraph


def _suggest_paragraph(
    text: str, start: int, end: int, language: str, limit: int
) -> list[Suggestion]:
    """Candidates of one paragraph, ranked, deduplicated and cut to `limit`, with their stems."""
    if limit <= 0:
        return []
    para = text[start:end]
    sentences = sentence_spans(para) or [(0, len(para))]
    candidates = _date_number_candidates(para, language)
    # A name may end in a figure ("State Route 99", "Astra 2A"), never in a date or a year.
    taken = _Mask(len(para))
    for candidate in candidates:
        if candidate.kind != "number":
            taken.add(candidate.start, candidate.end)
    names = _name_candidates(para, sentences, language, taken)
    in_names = _Mask(len(para))
    for name in names:
        in_names.add(name.start, name.end)
    candidates = [c for c in candidates if not in_names.holds(c.start, c.end)] + names

    # One candidate per normalised answer: the first occurrence, scored by its best form and
    # by how often the paragraph mentions it (a repeated name is usually what it is about).
    groups: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        answer = para[candidate.start : candidate.end]
        key = normalise(answer)
        if key and "\n" not in answer:
            groups.setdefault(key, []).append(candidate)
    ranked: list[_Candidate] = []
    for group in groups.values():
        first = min(group, key=lambda c: c.start)
        first.score = max(c.score for c in group) + min(3 * (len(group) - 1), 9)
        ranked.append(first)
    # A first name or surname alone next to the full name is the same person mentioned again.
    name_parts: set[str] = set()
    for candidate in ranked:
        words = normalise(para[candidate.start : candidate.end]).split()
        if candidate.kind == "person" and len(words) > 1:
            name_parts.update((words[0], words[-1]))
    for candidate in ranked:
        if (
            candidate.kind in _NAMES
            and normalise(para[candidate.start : candidate.end]) in name_parts
        ):
            candidate.score -= 20
    suggestions: list[Suggestion] = []
    for candidate in _select(ranked, limit):
        answer = para[candidate.start : candidate.end]
        sentence = _sentence_of(sentences, candidate.start, candidate.end)
        stem = _stem(para, sentence, candidate, language)
        suggestions.append(
            Suggestion(
                answer=answer,
                kind=candidate.kind,
                start=start + candidate.start,
                end=start + candidate.end,
                evidence_start=start + sentence[0],
                evidence_end=start + sentence[1],
                stem=stem,
                statement=para[sentence[0] : sentence[1]],
            )
        )
    return suggestions


_NAMES = frozenset({"person", "place", "organisation", "event"})
# Each pick lowers the worth of further picks of the same sort (names, numbers, dates and
# years), so a paragraph full of years still gets its names suggested, and the reverse.
_SPREAD = 5.0


def _bucket(candidate: _Candidate) -> str:
    if candidate.kind in _NAMES:
        return "name"
    return "number" if candidate.kind == "number" else "time"


def _select(candidates: list[_Candidate], limit: int) -> list[_Candidate]:
    """The best `limit` candidates, best first, spread over names, numbers and dates."""
    pool = sorted(candidates, key=lambda c: c.start)
    picked: list[_Candidate] = []
    per_bucket: Counter[str] = Counter()
    while pool and len(picked) < limit:
        best = max(pool, key=lambda c: c.score - _SPREAD * per_bucket[_bucket(c)])
        pool.remove(best)
        picked.append(best)
        per_bucket[_bucket(best)] += 1
    return picked


def _sentence_of(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentence (or run of sentences) that holds the span start..end."""
    first = next((s for s in sentences if s[0] <= start < s[1]), None)
    last = next((s for s in sentences if s[0] < end <= s[1]), None)
    return (first[0] if first else start, max(last[1] if last else end, end))


# ---------------------------------------------------------------------------------------------
# Dates, years and numbers


class _Mask:
    """The characters of a paragraph already held by a candidate (linear, unlike pairwise
    overlap tests, so a long pasted text stays fast)."""

    def __init__(self, size: int) -> None:
        self._held = bytearray(size)

    def add(self, start: int, end: int) -> None:
        self._held[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self._held[start:end])

    def holds(self, start: int, end: int) -> bool:
        return end > start and all(self._held[start:end])


def _date_number_candidates(para: str, language: str) -> list[_Candidate]:
    """Dates, then years, then numbers; each a span no earlier one already holds."""
    found: list[_Candidate] = []
    taken = _Mask(len(para))
    with_unit: set[int] = set()  # where a quantity with a unit ends

    def add(start: int, end: int, kind: str, score: float, unit: str = "") -> None:
        found.append(_Candidate(start, end, kind, score, unit))
        taken.add(start, end)
        if kind == "number" and unit:
            with_unit.add(end)

    for mention in find_dates(para):
        month = mention.parts.get("month")
        if month:
            word = para[month[0] : month[1]]
            if word.isalpha():
                folded = strip_accents(word).casefold()
                # "may" and "march" are verbs in English, "mar" is the sea in Spanish: only a
                # full month name (capitalised in English) or a dotted abbreviation is a month.
                if folded not in _MONTH_WORDS and para[month[1] : month[1] + 1] != ".":
                    continue
                if language == "en" and not word[0].isupper():
                    continue
        has_day, has_year = "day" in mention.parts, "year" in mention.parts
        detail = "day" if has_day else "month" if has_year else ""
        add(mention.start, mention.end, "date", 100 if has_day and has_year else 96, detail)

    for match in _RANGE.finditer(para):
        if taken.overlaps(*match.span()) or not _is_range(para, match):
            continue
        years = all(_YEAR_FIGURE.fullmatch(match.group(g)) for g in ("a", "b"))
        tail = match.group("tail").strip()
        unit = ("currency " if match.group("cur") else "") + tail
        if years and not unit:
            add(match.start(), match.end(), "year", 90, "range")
        else:
            add(match.start(), match.end(), "number", 84 if unit else 78, unit or "range")

    for match in _YEAR.finditer(para):
        if taken.overlaps(*match.span()) or _counts_things(para, match.end()):
            continue
        figure = match.group()[:4]
        decade = len(match.group()) > 4 and figure.endswith("0")
        end = match.end() if decade else match.start() + 4  # "2008's storm": the year only
        add(match.start(), end, "year", 90, "decade" if decade else "")

    for match in _TIME.finditer(para):
        if not taken.overlaps(*match.span()):
            add(match.start(), match.end(), "number", 70, "time")

    for match in _NUMBER.finditer(para):
        if taken.overlaps(*match.span()) or _restated(para, match.start(), with_unit):
            continue
        tail = match.group("tail").strip()
        currency = match.group("cur") or ""
        figure = match.group("fig")
        unit = ("currency " if currency else "") + tail
        small = len(re.sub(r"\D", "", figure)) == 1 and not unit
        decimal = re.fullmatch(r"\d+[.,]\d{1,2}", figure) is not None
        score = 60 if small else 84 if unit else 80
        add(match.start(), match.end(), "number", score, unit or ("decimal" if decimal else ""))

    for match in _number_words(language).finditer(para):
        if taken.overlaps(*match.span()):
            continue
        vague = match.group(1).casefold() in _VAGUE_NUMBERS
        unit = match.group(2).strip() if match.group(2) else ""
        add(match.start(), match.end(), "number", 50 if vague else 66, unit)
    return found


def _is_range(para: str, match: re.Match[str]) -> bool:
    """Whether two figures joined by a word make one answer ("between 1500 and 1850")."""
    years = [_YEAR_FIGURE.fullmatch(match.group(g)) is not None for g in ("a", "b")]
    if years[0] != years[1]:
        return False  # "from 75.8% in 1970 to 55.1%": a year and a figure are two answers
    join = match.group("join").strip().casefold()
    before = para[max(0, match.start() - 30) : match.start()].split()[-1:]
    previous = before[0].casefold() if before else ""
    if join in ("and", "y"):
        # "between 687 and 760 nm", "687 and 760 nm" (one unit for both)
        return previous in ("between", "entre") or bool(match.group("tail").strip())
    if join == "al":
        return previous == "del"
    # "rose from 415,000 to 587,000": two values, each worth asking.
    return years[0] or previous not in ("from", "de", "desde")


def _restated(para: str, start: int, with_unit: set[int]) -> bool:
    """Whether a figure in brackets restates the quantity before it: "110 mph (180 km/h)"."""
    if not para[:start].endswith("("):
        return False
    opening = len(para[: start - 1].rstrip())
    return opening in with_unit


_VAGUE_NUMBERS = _words(
    "hundreds thousands dozens dozen cientos centenares miles docenas docena decenas"
)
_COUNTED_AFTER_YEAR = _words(
    "people men women children soldiers troops jews persons "
    "personas hombres mujeres niños soldados tropas judíos"
)


def _counts_things(para: str, end: int) -> bool:
    """Whether a year-like figure is really a count: "2000 people", "1500 soldados"."""
    following = re.match(r"\s+(\w+)", para[end:])
    if not following:
        return False
    word = following.group(1)
    return word.casefold() in _COUNTED_AFTER_YEAR or re.fullmatch(_UNITS, word, re.I) is not None


_NUMBER_WORD_PATTERNS: dict[str, re.Pattern[str]] = {}


def _number_words(language: str) -> re.Pattern[str]:
    """A pattern for a number in words, with a scale word and a unit if any."""
    if language not in _NUMBER_WORD_PATTERNS:
        words = "|".join(sorted(_NUMBER_WORDS[language], key=len, reverse=True))
        _NUMBER_WORD_PATTERNS[language] = re.compile(
            rf"(?<![\w\-])((?:{words})(?:[-\s](?:{words}))?(?:\s+{_SCALE})?)"
            rf"(\s+(?:de\s+)?(?:{_UNITS}))?(?![\w\-])",
            re.IGNORECASE,
        )
    return _NUMBER_WORD_PATTERNS[language]


# ---------------------------------------------------------------------------------------------
# Names


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
    for match in _WORD.finditer(para):
        start, end = match.span()
        word = match.group()
        if word.endswith(".") and len(word) > 1:
            bare = word[:-1]
            if not (
                (len(bare) == 1 and bare.isupper())
                or "." in bare
                or bare.casefold() in _ABBREVIATIONS
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
    if not (word[:1].isupper() or _PARTICLE_NAME.match(word)):
        return False
    last = re.split(r"[-‐]", word)[-1]
    return not last[:1].islower()


def _name_candidates(
    para: str, sentences: list[tuple[int, int]], language: str, taken: _Mask
) -> list[_Candidate]:
    """Runs of capitalised words (with "of", "de la"... inside) that read as names."""
    tokens = _tokens(para, sentences)
    connectors = _CONNECTORS[language]
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
    found: list[_Candidate] = []
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
            w in _ALL_CUES or w in _TITLES or _ROMAN.fullmatch(t.text)
            for w, t in zip(head, run, strict=False)
        ):
            continue
        return [run[:i], run[i + 1 :]]
    return [run]


def _name_from_run(
    para: str, run: list[_Token], language: str, words_seen: Counter[str]
) -> _Candidate | None:
    """Trim a run of capitalised words to a name, and guess its kind and worth."""
    stopwords = _STOPWORDS[language]
    connectors = _CONNECTORS[language]
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
        if first not in _ALL_CUES and first not in _TITLES and not words_seen[run[0].text]:
            run = run[1:]
            while run and run[0].text.casefold() in connectors:
                run = run[1:]
            initial = False
    run, titled = _drop_titles(run, language)
    if not run or run[-1].text.casefold().rstrip(".") in _TITLES:
        return None  # a title without a name: "Prime Minister", "Luftwaffe General"
    start, end = run[0].start, run[-1].end
    answer = para[start:end]
    folded = strip_accents(answer).casefold()
    single = len(run) == 1
    if single:
        if folded in _MONTH_WORDS or folded in _WEEKDAYS or folded in stopwords:
            return None
        if _ROMAN.fullmatch(answer) or len(answer.rstrip(".")) < 2:
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
    if previous and previous[0].casefold() in _TITLES:  # "el mariscal Ion Antonescu"
        titled = True
    kind = _name_kind(para, run, language, titled, acronym)
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
    return _Candidate(start, end, kind, score)


# Words that continue a title: "Field Marshal", "Head of State", "General de División".
_TITLE_PARTS = _words(
    "field head of state foreign interior defence defense secretary chief supreme grand deputy "
    "general major marshal minister de división estado"
)


def _drop_titles(run: list[_Token], language: str) -> tuple[list[_Token], bool]:
    """Drop the titles before a person's name, and say whether there was one.

    "Romanian Head of State Ion Antonescu" -> "Ion Antonescu"; "General de División James
    Abercrombie" -> "James Abercrombie"; "King of France" stays whole (a title, no name).
    """
    words = [t.text.casefold().rstrip(".") for t in run]
    connectors = _CONNECTORS[language]
    cut = -1
    i = 0
    while i < len(words) - 1:
        if words[i] in _TITLES:
            j = i
            while j + 2 < len(words) and (
                words[j + 1] in _TITLE_PARTS
                or words[j + 1] in _TITLES
                or words[j + 1] in connectors
            ):
                j += 1
            cut, i = j, j + 1
        else:
            i += 1
    if cut < 0 or any(w in _ORG_CUES or w in _EVENT_CUES for w in words[cut + 1 :]):
        return run, False  # "General Pharmaceutical Council", "Major League": not a title
    if words[cut] in connectors or words[cut + 1] in connectors:
        return run, True
    if len(run) - cut - 1 < 2:
        return run, True  # "King Michael": a lone first name keeps its title
    return run[cut + 1 :], True


_ADJECTIVES = _words("soviet nazi allied axis communist fascist protestant muslim")


def _is_demonym(para: str, token: _Token) -> bool:
    """Whether a capitalised English word is an adjective before a noun: "Romanian troops",
    "Soviet occupation", "Western diplomats"."""
    if not re.match(r"\s+[a-z]", para[token.end :]):
        return False
    word = token.text.casefold()
    return word in _ADJECTIVES or re.search(r"(?:an|ian|ese|ish|ic|i|ern)$", word) is not None


def _place_noun_before(para: str, start: int) -> re.Match[str] | None:
    """The "the city of" / "el río" just before a name, if there is one."""
    match = _PLACE_NOUN_BEFORE.search(para[max(0, start - 40) : start])
    if match and match.group("noun").casefold() in _PLACE_NOUNS:
        return match
    return None


_PLACE_NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|el|la|los|las)\s+)?\b(?P<noun>[a-záéíóúñ]+)\s+(?:(?:of|de)\s+)?$"
)


def _name_kind(para: str, run: list[_Token], language: str, titled: bool, acronym: bool) -> str:
    """Person, place, organisation or event, from cue words, titles and prepositions."""
    words = [strip_accents(t.text).casefold().rstrip(".") for t in run]
    if titled or any(_ROMAN.fullmatch(t.text) for t in run[1:]):
        return "person"  # "Carol II", "Philip II of Spain"
    if any(w in _EVENT_CUES_PLAIN for w in words):
        return "event"
    places = _PLACES_PLAIN[language]
    if " ".join(words) in places or (len(words) > 1 and words[-1] in places):
        return "place"  # "Soviet Union", "Nazi Germany"
    if acronym or any(w in _ORG_CUES_PLAIN for w in words):
        return "organisation"
    before = [w.casefold() for w in para[max(0, run[0].start - 40) : run[0].start].split()[-2:]]
    if _place_noun_before(para, run[0].start):
        return "place"
    prepositions = _PLACE_PREPOSITIONS[language]
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


_ARTICLES = _words("the el la los las")
# Cue words without accents, to compare with names folded the same way.
_EVENT_CUES_PLAIN = frozenset(strip_accents(w) for w in _EVENT_CUES)
_ORG_CUES_PLAIN = frozenset(strip_accents(w) for w in _ORG_CUES)
_PLACE_CUES_PLAIN = frozenset(strip_accents(w) for w in _PLACE_CUES)
_PLACES_PLAIN = {k: frozenset(strip_accents(w) for w in v) for k, v in _PLACES.items()}
_ALL_CUES = _EVENT_CUES_PLAIN | _ORG_CUES_PLAIN | _PLACE_CUES_PLAIN


# ---------------------------------------------------------------------------------------------
# Draft stems: the evidence sentence with the answer replaced by a question phrase

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
_EN_OBJECT_PREPOSITIONS = _words(
    "by to with for from of about against under between among toward towards like"
)
_ES_FEMININE = re.compile(r"(?:a|as|ción|ciones|sión|siones|dad|dades|tud|tudes)$")
_ES_CONTRACTIONS = {"del": "de", "al": "a"}
_ES_DATE_PREPOSITIONS = _words(
    "para desde hasta de antes después partir entre hacia a durante tras"
)
_MAX_STEM = 250


def _stem(para: str, sentence: tuple[int, int], candidate: _Candidate, language: str) -> str:
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
_CLAUSE_BREAK = re.compile(r"\s*(?:[;:―—]|\s–\s|(?<!\d),|,(?!\d))\s*")


def _clause(
    para: str, sentence: tuple[int, int], candidate: _Candidate, least: int
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


def _question(sentence: str, a: int, b: int, candidate: _Candidate, language: str) -> str:
    """Replace sentence[a:b] with a question phrase and punctuate as a question."""
    phrase, a, b = _phrase(sentence, a, b, candidate, language)
    before, after = sentence[:a], sentence[b:]
    if not re.search(r"\w", before):
        before = ""
        phrase = phrase[:1].upper() + phrase[1:]
    question = before + phrase + after
    question = re.sub(r"\s+", " ", question).strip()
    question = re.sub(r"[\s.,;:!?¿¡…]+$", "", question).lstrip("¿¡ ")
    if not question:
        return ""
    question = question[:1].upper() + question[1:]
    return f"¿{question}?" if language == "es" else f"{question}?"


def _previous_word(sentence: str, a: int) -> re.Match[str] | None:
    return re.search(r"(\w+)\s+$", sentence[:a])


def _phrase(
    sentence: str, a: int, b: int, candidate: _Candidate, language: str
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
        if prev_word in ("a", "an", "the") and noun and noun.group(1) not in _STOPWORDS["en"]:
            # "a 1940 coup" -> "a coup in what year"
            return f"{prev_word} {noun.group(1)} in what year", prev.start(), b + noun.end()
        return wh["year"], a, b

    if kind == "number":
        return _number_phrase(sentence, a, b, unit, language), a, b

    # Names: drop an article before the name, and say "where" for "in <place>".
    noun = _place_noun_before(sentence, a) if kind == "place" else None
    if noun:  # "the city of Iași" -> "which city", "el río Bug" -> "qué río"
        which = "which" if language == "en" else "qué"
        return f"{which} {noun.group('noun')}", a - len(noun.group()), b
    if kind == "place" and prev:
        where = re.search(
            r"\b(in|at|en)\s+(?:(?:the|el|la|los|las)\s+)?$", sentence[:a], re.IGNORECASE
        )
        if where and where.group(1).casefold() in ("in", "at", "en"):
            phrase = wh["where"]
            if language == "es" and sentence[where.start() : where.start() + 1].isupper():
                phrase = phrase.capitalize()
            return phrase, where.start(), b
    phrase = wh[kind]
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
