"""Word lists and patterns of fact suggestion: small and explicit on purpose, each entry a rule
a reader can check."""

from __future__ import annotations

import re

from quizapp.core.values import MONTHS


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(text.split())


MONTH_WORDS = frozenset(MONTHS["en"]) | frozenset(MONTHS["es"])
WEEKDAYS = word_set(
    "monday tuesday wednesday thursday friday saturday sunday "
    "lunes martes miercoles jueves viernes sabado domingo"
)

# Number words worth asking about. "one"/"uno"/"una" are left out: in running text they are
# mostly pronouns and articles ("one of the", "una ciudad"), not quantities.
NUMBER_WORDS: dict[str, frozenset[str]] = {
    "en": word_set(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
        "eighty ninety hundred hundreds thousands dozen dozens"
    ),
    "es": word_set(
        "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
        "dieciséis dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintidós "
        "veintitrés veinticuatro veinticinco veintiséis veintisiete veintiocho veintinueve "
        "treinta cuarenta cincuenta sesenta setenta ochenta noventa cien cientos "
        "centenares miles docena docenas decenas"
    ),
}
SCALE = r"(?:million|billion|trillion|thousand|millones|millón|millon|mil\s+millones|billones|mil)"
# Units that belong to the answer: "17 seconds" is asked as "how many seconds", so the unit
# is part of what the learner gives back. Counted nouns ("308 points") are not units.
UNITS = (
    r"square\s+kilometres|square\s+kilometers|square\s+miles|sq\s+mi|km2|km²|km/h|km|"
    r"kilómetros\s+cuadrados|kilómetros|kilometres|kilometers|millas\s+cuadradas|millas|miles|"
    r"mph|mi|nm|metres|meters|metros|feet|ft|pies|kg|kilograms|kilogramos|tons|tonnes|toneladas|"
    r"gigatons|gigatoneladas|seconds|segundos|minutes|minutos|hours|horas|acres|hectares|"
    r"hectáreas|percent|per\s+cent|por\s+ciento|dollars|dólares|pounds|libras|euros"
)
CURRENCY = r"(?:US\$|\$|£|€|¥)"
FIGURE = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,345,596 / 1,345.5
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 13.266 / 1.345,5
    # 500 000 (Spanish style). It may only start where a run of groups starts: starting again
    # after every space would read a long run of groups once per group (quadratic).
    r"|(?<!\d[ \u00a0\u202f])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?"
    r"|\d+(?:[.,]\d+)?"
)
# After a figure: "m"/"bn", a scale word, then a unit ("£30m", "37 millones", "12 %", "28.5°E").
TAIL = (
    r"(?:\s?(?:m|bn)\b)?"
    rf"(?:\s+{SCALE}\b)?"
    rf"(?:\s?%|\s?°\s?[CFNSEW]?\b|\s?°|\s+(?:de\s+)?(?:{UNITS})\b)?"
)
NUMBER = re.compile(
    rf"(?<![\w.,\-/:])(?P<cur>{CURRENCY})?(?P<fig>{FIGURE})(?P<frac>[½¼¾])?"
    rf"(?P<tail>{TAIL})(?![\w]|[.,]\d|-[^\W\d])",
    re.IGNORECASE,
)
# Two figures that make one answer: "1321 to 1323", "30 to 50 thousand", "20–18", "20 a 18".
# "and"/"y" only count after "between"/"entre", and "al" after "del" (checked in code).
RANGE = re.compile(
    rf"(?<![\w.,\-/:])(?P<cur>{CURRENCY})?(?P<a>{FIGURE})"
    r"(?P<join>\s?[–-]\s?|\s+(?:to|and|a|al|y|hasta)\s+)"
    rf"(?:{CURRENCY})?(?P<b>{FIGURE})(?P<tail>{TAIL})(?![\w]|[.,]\d)",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?<![\w.,\-/:$£€])(?:1\d{3}|20\d{2})(?:s|'s|’s)?(?![\w]|[.,]\d)")
YEAR_FIGURE = re.compile(r"1\d{3}|20\d{2}")
# A clock time or a duration: "3:08", "3 min 8 s".
TIME = re.compile(r"(?<![\w.,:])(?:\d{1,2}:\d{2}(?![\w:]|[.,]\d)|\d{1,3}\s?min\s\d{1,2}\s?s\b)")

# Words that start sentences but never names (compared case-folded).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": word_set(
        "a an the this that these those there here it its he she they we you i his her their our "
        "in on at by for from with without within into onto of to as after before during since "
        "until while when where which who whom whose what why how if although though because "
        "but and or nor so yet also however moreover furthermore meanwhile then thus therefore "
        "later earlier today yesterday once each every some many most more several few both all "
        "other another such only even still despite among between behind beyond under over "
        "above below around about against along across through throughout upon following "
        "according unlike like instead besides whether no not yes following"
    ),
    "es": word_set(
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
CONNECTORS: dict[str, frozenset[str]] = {
    "en": word_set("of the de du da di del della van von der den ter le la for upon ibn bin al &"),
    "es": word_set("de del la las los el von van der du da di ibn bin al &"),
}
# Titles mark a person, and are dropped from the front of a full name ("Marshal Ion Antonescu"
# -> "Ion Antonescu"; "King Michael" stays whole).
TITLES = word_set(
    "king queen prince princess emperor empress tsar czar sultan pope general marshal head "
    "admiral colonel major captain lieutenant sergeant commander president vice prime minister "
    "chancellor premier sir lord mr mrs ms dr professor prof mayor governor senator "
    "bishop archbishop cardinal duke duchess count countess baron "
    "rey reina príncipe princesa emperador emperatriz zar papa mariscal almirante coronel "
    "mayor capitán teniente sargento comandante presidente primer ministro canciller "
    "don doña señor señora sr sra dra alcalde gobernador senador obispo arzobispo duque "
    "duquesa conde condesa barón"
)
ORG_CUES = word_set(
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
PLACE_CUES = word_set(
    "river mountains mount mountain lake sea ocean island islands county city street avenue "
    "ave road route bridge valley bay gulf desert forest park square province region fort port "
    "cape strait canal peninsula town kingdom republic empire state states coast front beach "
    "río rio monte montes montaña lago mar océano isla islas condado ciudad calle avenida "
    "carretera puente valle bahía golfo desierto bosque parque plaza provincia región fuerte "
    "puerto cabo estrecho península reino república imperio estado estados costa frente playa"
)
EVENT_CUES = word_set(
    "battle war wars revolution treaty olympics cup bowl championship crisis massacre pogrom "
    "coup conference summit festival uprising rebellion siege offensive operation campaign "
    "edict act award awards prize pact wwi wwii ww2 hurricane storm typhoon earthquake "
    "batalla guerra revolución tratado copa campeonato crisis masacre pogromo golpe "
    "conferencia cumbre festival levantamiento rebelión sitio ofensiva operación campaña "
    "edicto ley premio pacto huracán tormenta tifón terremoto"
)
# Places a text names often enough that a cue word is not always there (per language, since
# "Roma" is Rome in Spanish but a people in English).
PLACES: dict[str, frozenset[str]] = {
    "en": word_set(
        "europe africa asia america americas oceania antarctica australia england britain "
        "great britain scotland wales ireland france germany italy spain portugal russia ukraine "
        "poland romania hungary bulgaria austria greece turkey egypt china japan korea india "
        "brazil mexico canada israel iran iraq moldova bessarabia transylvania moscow london "
        "paris berlin rome vienna bucharest budapest munich ussr"
    )
    | frozenset({"soviet union", "united states", "united kingdom", "great britain"}),
    "es": word_set(
        "europa áfrica asia américa oceanía antártida australia inglaterra escocia irlanda "
        "francia alemania italia españa portugal rusia ucrania polonia rumania rumanía hungría "
        "bulgaria austria grecia turquía egipto china japón corea india brasil méxico canadá "
        "israel irán irak moldavia besarabia transilvania moscú londres parís berlín roma "
        "viena bucarest budapest múnich"
    )
    | frozenset({"unión soviética", "estados unidos", "reino unido", "gran bretaña"}),
}
# Lower-case nouns that announce a place name: "the city of Iași", "el río Bug Meridional".
PLACE_NOUNS = word_set(
    "city town village region province county state island river port colony country capital "
    "ciudad pueblo villa región provincia condado estado isla río puerto colonia país capital "
    "localidad"
)
PLACE_PREPOSITIONS: dict[str, frozenset[str]] = {
    "en": word_set("in at near throughout across"),
    "es": word_set("en cerca hacia desde"),
}
ABBREVIATIONS = word_set(
    "st mr mrs ms dr jr sr sra mt ft ave inc ltd gen col lt capt gov sen rep prof v vs "
    "etc al approx fig núm pág dept"
)
ROMAN = re.compile(r"[IVXLCDM]+")
# A word: letters and digits (with combining marks, as in decomposed "Trần"), inner
# apostrophes, hyphens and dots ("O'Brien", "Saffir-Simpson", "E.I."); or "&".
WORD = re.compile(r"[^\W_][\w\u0300-\u036f'’\-.]*[\w\u0300-\u036f]\.?|[^\W_]\.?|&")
PARTICLE_NAME = re.compile(r"(?:al|el|ad|ibn|bin|d|de|du|da|di|van|von|le|la|o|mc)[-'’]\w", re.I)

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# A sentence ends after . ! ? (and any closing quotes or brackets, which stay in the sentence).
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”»)\]]*(\s+)|(\n+)")
