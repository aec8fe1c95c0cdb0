"""Fine-grained categories of suggested names, and the words a draft question uses for them.

A suggestion's category follows the bank taxonomy (docs/bank-format.md: place → country, city,
region, river, ...; person → monarch, general, politician, ...; organisation → party, army-unit,
...; event → battle, coup, treaty, ...), so an accepted suggestion becomes a fact whose category
is already filled in, and its draft question asks for the right thing: "which country", not
"which place"; "which president", never "President who".

Every rule here is a word list a reader can check; a name no rule recognises gets no category
(the teacher picks one) and its question stays generic ("who", "which place").
"""

from __future__ import annotations

from quizapp.core.suggest.lexicon import word_set
from quizapp.core.values import strip_accents


def _plain(text: str) -> frozenset[str]:
    """A word set folded as names are compared: lower case, no accents."""
    return frozenset(strip_accents(w).casefold() for w in word_set(text))


def _plain_names(*names: str) -> frozenset[str]:
    return frozenset(strip_accents(n).casefold() for n in names)


# Countries (and states of the period), in English and Spanish, folded; multi-word names whole.
COUNTRIES = _plain(
    "afghanistan albania algeria argentina australia austria belgium bolivia brazil britain "
    "bulgaria canada chile china colombia croatia cuba czechoslovakia denmark egypt england "
    "estonia finland france germany greece hungary india iran iraq ireland israel italy japan "
    "korea latvia lithuania luxembourg mexico moldova mongolia netherlands norway peru poland "
    "portugal romania rumania russia scotland serbia slovakia slovenia spain sweden switzerland "
    "syria turkey ukraine ussr uruguay venezuela wales yugoslavia "
    "alemania argelia austria bélgica brasil canadá checoslovaquia dinamarca egipto escocia "
    "españa eslovaquia finlandia francia gales grecia holanda hungría inglaterra irlanda italia "
    "japón letonia lituania méxico noruega países polonia rumanía rusia serbia suecia suiza "
    "siria turquía ucrania urss yugoslavia croacia"
) | _plain_names(
    "soviet union",
    "united states",
    "united kingdom",
    "great britain",
    "nazi germany",
    "kingdom of romania",
    "people's republic of romania",
    "unión soviética",
    "estados unidos",
    "reino unido",
    "gran bretaña",
    "alemania nazi",
    "reino de rumania",
    "república popular de rumania",
    "países bajos",
)
CITIES = _plain(
    "athens belgrade berlin bratislava bucharest budapest chisinau kishinev cluj constanta "
    "craiova iasi jassy kiev kyiv london moscow munich odessa oradea paris ploiesti prague "
    "rome sevastopol sibiu sofia stalingrad timisoara vienna warsaw brasov galati slatina "
    "atenas belgrado berlín bucarest chisináu londres moscú múnich odesa parís praga roma "
    "sebastopol sofía varsovia viena kiev"
)
REGIONS = _plain(
    "bessarabia bukovina dobruja dobrudja moldavia transylvania wallachia banat crimea "
    "transnistria galicia ukraine-west besarabia bucovina dobrogea moldavia transilvania "
    "valaquia crimea transnistria"
) | _plain_names(
    "northern transylvania",
    "southern dobruja",
    "northern bukovina",
    "transilvania del norte",
    "dobruja del sur",
    "bucovina del norte",
)
CONTINENTS = _plain(
    "europe africa asia america americas oceania antarctica "
    "europa áfrica asia américa oceanía antártida"
)

# Words inside a place's name, or the noun just before it ("the river Prut", "el río Bug").
PLACE_WORDS: dict[str, str] = {
    **dict.fromkeys(_plain("river río rio"), "river"),
    **dict.fromkeys(_plain("sea ocean mar océano"), "sea"),
    **dict.fromkeys(_plain("lake lago"), "lake"),
    **dict.fromkeys(_plain("mountain mountains mount monte montes montaña montañas"), "mountain"),
    **dict.fromkeys(_plain("island islands isla islas"), "island"),
    **dict.fromkeys(_plain("front frente"), "front"),
    **dict.fromkeys(_plain("city town village capital ciudad pueblo villa localidad"), "city"),
    **dict.fromkeys(
        _plain("region province county colony región provincia condado colonia"), "region"
    ),
    **dict.fromkeys(
        _plain("kingdom republic empire country state reino república imperio país estado"),
        "country",
    ),
    **dict.fromkeys(
        _plain(
            "palace castle chancellery building cathedral church prison camp "
            "palacio castillo cancillería edificio catedral iglesia prisión campo"
        ),
        "building",
    ),
    **dict.fromkeys(_plain("port harbour harbor puerto"), "city"),
}

# A title before a person's name says what they were.
PERSON_TITLES: dict[str, str] = {
    **dict.fromkeys(
        _plain(
            "king queen prince princess emperor empress tsar czar sultan "
            "rey reina príncipe princesa emperador emperatriz zar"
        ),
        "monarch",
    ),
    **dict.fromkeys(
        _plain(
            "general marshal admiral colonel major captain lieutenant commander "
            "mariscal almirante coronel capitán teniente comandante"
        ),
        "general",
    ),
    **dict.fromkeys(
        _plain(
            "president premier chancellor minister senator governor mayor conducator "
            "presidente canciller ministro senador gobernador alcalde conducător"
        ),
        "politician",
    ),
    **dict.fromkeys(_plain("historian historiador historiadora"), "historian"),
    **dict.fromkeys(_plain("ambassador envoy embajador enviado"), "diplomat"),
}

# Cue words inside an organisation's or an event's name.
ORGANISATION_WORDS: dict[str, str] = {
    **dict.fromkeys(_plain("party partido"), "party"),
    **dict.fromkeys(
        _plain("division regiment brigade corps battalion división regimiento brigada cuerpo"),
        "army-unit",
    ),
    **dict.fromkeys(_plain("army navy wehrmacht ejército armada"), "army"),
    **dict.fromkeys(
        _plain("government cabinet ministry gobierno gabinete ministerio"), "government"
    ),
    **dict.fromkeys(
        _plain("company corporation corp inc ltd compañía empresa corporación sovrom sovroms"),
        "company",
    ),
    **dict.fromkeys(_plain("police securitate nkvd gestapo siguranța policía"), "police"),
    **dict.fromkeys(_plain("league alliance pact bloc axis liga alianza bloque eje"), "alliance"),
}
EVENT_WORDS: dict[str, str] = {
    **dict.fromkeys(_plain("battle siege batalla sitio"), "battle"),
    **dict.fromkeys(_plain("war wars guerra"), "war"),
    **dict.fromkeys(_plain("coup putsch golpe"), "coup"),
    **dict.fromkeys(
        _plain("treaty pact agreement armistice tratado pacto acuerdo armisticio"), "treaty"
    ),
    **dict.fromkeys(_plain("pogrom massacre pogromo masacre"), "pogrom"),
    **dict.fromkeys(_plain("operation offensive campaign operación ofensiva campaña"), "operation"),
    **dict.fromkeys(
        _plain("uprising rebellion revolution revolt levantamiento rebelión revolución revuelta"),
        "uprising",
    ),
    **dict.fromkeys(_plain("conference summit conferencia cumbre"), "conference"),
    **dict.fromkeys(_plain("election elections elección elecciones"), "election"),
}

# What a question calls each category: "which country" / "qué país".
CATEGORY_NOUNS: dict[str, dict[str, str]] = {
    "en": {
        "country": "country",
        "city": "city",
        "region": "region",
        "river": "river",
        "sea": "sea",
        "lake": "lake",
        "mountain": "mountain range",
        "island": "island",
        "front": "front",
        "building": "building",
        "continent": "continent",
        "party": "party",
        "army-unit": "unit",
        "army": "army",
        "government": "government",
        "company": "company",
        "police": "police force",
        "alliance": "alliance",
        "battle": "battle",
        "war": "war",
        "coup": "coup",
        "treaty": "treaty",
        "pogrom": "pogrom",
        "operation": "operation",
        "uprising": "uprising",
        "conference": "conference",
        "election": "election",
    },
    "es": {
        "country": "país",
        "city": "ciudad",
        "region": "región",
        "river": "río",
        "sea": "mar",
        "lake": "lago",
        "mountain": "cordillera",
        "island": "isla",
        "front": "frente",
        "building": "edificio",
        "continent": "continente",
        "party": "partido",
        "army-unit": "unidad",
        "army": "ejército",
        "government": "gobierno",
        "company": "empresa",
        "police": "cuerpo policial",
        "alliance": "alianza",
        "battle": "batalla",
        "war": "guerra",
        "coup": "golpe",
        "treaty": "tratado",
        "pogrom": "pogromo",
        "operation": "operación",
        "uprising": "levantamiento",
        "conference": "conferencia",
        "election": "elección",
    },
}


def guess_category(
    kind: str, words: list[str], titles: list[str], noun_before: str | None
) -> str | None:
    """The category of a name of this kind, or None when no rule recognises it.

    `words` are the name's words, `titles` the title words written before or inside a person's
    name, and `noun_before` a place noun just before the name ("city" in "the city of Iași");
    all as written (they are folded here). The name as a whole is looked up first (countries,
    cities, regions), then its cue words, last word first ("Bug River" is a river, "Republic
    of Moldova" a country).
    """
    folded = [strip_accents(w).casefold().rstrip(".") for w in words]
    whole = " ".join(folded)
    if kind == "person":
        for title in reversed(titles):
            category = PERSON_TITLES.get(strip_accents(title).casefold().rstrip("."))
            if category:
                return category
        return None
    if kind == "place":
        for names, category in (
            (COUNTRIES, "country"),
            (CITIES, "city"),
            (REGIONS, "region"),
            (CONTINENTS, "continent"),
        ):
            if whole in names:
                return category
        if noun_before:
            category = PLACE_WORDS.get(strip_accents(noun_before).casefold())
            if category:
                return category
        return _by_cue(folded, PLACE_WORDS)
    if kind == "organisation":
        return _by_cue(folded, ORGANISATION_WORDS)
    if kind == "event":
        return _by_cue(folded, EVENT_WORDS)
    return None


def known_place(name: str) -> bool:
    """Whether the lexicon knows this name as a country, city, region or continent."""
    folded = strip_accents(name).casefold()
    return any(folded in names for names in (COUNTRIES, CITIES, REGIONS, CONTINENTS))


def _by_cue(folded: list[str], cues: dict[str, str]) -> str | None:
    # The head noun of an English name is usually last ("Bug River"), of a Spanish one first
    # ("Partido Comunista"): the first cue word found from either end wins, the first word first.
    for word in (folded[0], *reversed(folded)) if folded else ():
        if word in cues:
            return cues[word]
    return None


def category_noun(category: str | None, language: str) -> str | None:
    """How a question names the category ("country", "país"), or None for no category."""
    if category is None:
        return None
    return CATEGORY_NOUNS.get(language, {}).get(category)
