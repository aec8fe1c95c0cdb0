"""A small categorised bank built in code, in English and Spanish, for generation tests.

Every fact's passage is its own sentence, which is also its statement and its evidence, so a
test can write a fact in one line. The bank has categories, genders, plural answers, events,
curated false statements and the traps of issue 8 ("Roma" beside "Romanians", "an armistice",
"dos" inside "entrenados").
"""

from __future__ import annotations

from typing import Any

from quizapp.core.bank import Bank, Evidence, Fact, PoolEntry
from quizapp.core.passages import Passage, Source

# (id, kind, category, answer, sentence, extra fields)
# fmt: off
EN_FACTS: list[tuple[str, str, str | None, str, str, dict[str, Any]]] = [
    ("liberate-czechoslovakia", "place", "country", "Czechoslovakia",
     "Romanian troops helped the Red Army liberate Czechoslovakia in 1945.", {}),
    ("ally-germany", "place", "country", "Germany",
     "Romania fought beside Germany until August 1944.", {}),
    ("ceded-bessarabia-to", "place", "country", "Soviet Union",
     "In 1940 Romania ceded Bessarabia to the Soviet Union.", {}),
    ("capital", "place", "city", "Bucharest",
     "The coup against Antonescu took place in Bucharest.", {}),
    ("pogrom-city", "place", "city", "Iași",
     "The pogrom of June 1941 took place in Iași.", {}),
    ("coup-king", "person", "monarch", "Michael I",
     "Michael I led the coup of August 1944.", {}),
    ("conducator", "person", "general", "Ion Antonescu",
     "The regime of Ion Antonescu allied Romania with Germany.",
     {"label": "Conducător of Romania"}),
    ("historian", "person", "historian", "Radu Ioanid",
     "Radu Ioanid wrote a history of the Holocaust in Romania.", {}),
    ("armistice", "term", "document", "armistice",
     "Romania signed an armistice with the Allies in Moscow.", {}),
    ("deported", "term", "people", "Roma",
     "Romanians under Antonescu deported the Roma to Transnistria.", {}),
    ("bombings", "event", "raid", "Allied bombings",
     "Allied bombings damaged the refineries of Ploiești.", {"number": "plural"}),
    ("occupier", "organisation", "army", "Red Army",
     "After the coup the Red Army occupied Romania.", {"label": "Army that occupied Romania"}),
    ("iron-guard", "organisation", "party", "Iron Guard",
     "The Iron Guard shared power with Antonescu until January 1941.",
     {"false_statements": ["The Arrow Cross shared power with Antonescu until January 1941."]}),
    ("curated-only", "term", None, "National Legionary State",
     "Romania was declared a National Legionary State in September 1940.",
     {"false_statements": ["Romania was declared a people's republic in September 1940."]}),
    ("join-axis", "date", None, "23 November 1940",
     "Romania joined the Axis on 23 November 1940.",
     {"event": True, "label": "Romania joins the Axis"}),
    ("coup-date", "date", None, "23 August 1944",
     "King Michael's coup took place on 23 August 1944.",
     {"event": True, "label": "King Michael's coup"}),
    ("barbarossa", "year", None, "1941",
     "Romania entered the war against the Soviet Union in 1941.",
     {"event": True, "label": "Romania enters the war in the east"}),
    ("republic", "year", None, "1947",
     "Romania was proclaimed a people's republic in 1947.",
     {"event": True, "label": "The people's republic is proclaimed"}),
    ("great-union", "year", None, "1918",
     "Transylvania united with Romania in 1918.",
     {"event": True, "label": "Transylvania unites with Romania"}),
    ("vienna-award", "date", None, "30 August 1940",
     "The Second Vienna Award was signed on 30 August 1940.",
     {"event": True, "label": "The Second Vienna Award"}),
    ("abdication", "date", None, "30 December 1947",
     "King Michael was forced to abdicate on 30 December 1947.",
     {"event": True, "label": "King Michael abdicates"}),
    ("prices-year", "year", None, "1938",
     "The losses are given in lei at the prices of 1938.",
     {"label": "Reference year of the prices"}),
    ("constitution", "year", None, "1923",
     "The constitution of 1923 was restored after the coup.",
     {"label": "Year of the constitution restored after the coup"}),
    ("divisions", "number", "count", "15",
     "Romania sent 15 divisions to the siege of Odessa.", {"label": "Divisions at Odessa"}),
    ("deaths", "number", "casualties", "13,266",
     "The Iași pogrom killed 13,266 Jews.", {"label": "Victims of the Iași pogrom"}),
]

EN_POOL: list[PoolEntry] = [
    *(PoolEntry("place", t, "country") for t in ("Hungary", "Bulgaria", "Poland", "Greece")),
    PoolEntry("place", "United States", "country", number="plural"),
    *(PoolEntry("place", t, "city") for t in ("Cluj", "Timișoara", "Brașov", "Constanța")),
    *(PoolEntry("place", t, "front") for t in ("Eastern Front", "Western Front")),
    *(PoolEntry("person", t, "monarch") for t in ("Carol II", "Ferdinand I", "Carol I")),
    *(PoolEntry("person", t, "general") for t in ("Petre Dumitrescu", "Constantin Sănătescu")),
    PoolEntry("person", "Nicolae Rădescu", "general"),
    *(PoolEntry("person", t, "historian") for t in ("Dennis Deletant", "Keith Hitchins")),
    PoolEntry("person", "Lucian Boia", "historian"),
    *(PoolEntry("term", t, "document") for t in ("ultimatum", "treaty", "memorandum")),
    PoolEntry("term", "uranium", "element"),
    *(PoolEntry("term", t, "people") for t in ("Jews", "Germans", "Hungarians")),
    *(PoolEntry("event", t, "raid", number="plural") for t in ("Soviet air raids",)),
    PoolEntry("event", "German air raids", "raid", number="plural"),
    PoolEntry("event", "Operation Tidal Wave", "raid"),
    PoolEntry("event", "naval shellings", "raid", number="plural"),
    *(PoolEntry("organisation", t, "army") for t in ("Wehrmacht", "Royal Army", "US Army")),
    *(PoolEntry("organisation", t, "party") for t in ("National Peasants' Party", "Arrow Cross")),
    PoolEntry("organisation", "Communist Party", "party"),
    PoolEntry("person", "Old Flat Entry"),  # old form: never offered to a categorised fact
]

ES_FACTS: list[tuple[str, str, str | None, str, str, dict[str, Any]]] = [
    ("liberate-czechoslovakia", "place", "country", "Checoslovaquia",
     "Las tropas rumanas ayudaron al Ejército Rojo a liberar Checoslovaquia.", {"gender": "f"}),
    ("iron-guard", "organisation", "party", "Guardia de Hierro",
     "La Guardia de Hierro fue disuelta por Antonescu en 1941.", {"gender": "f"}),
    ("sovroms", "organisation", "company", "empresas conjuntas",
     "Los SovRoms eran empresas conjuntas establecidas en 1945.",
     {"gender": "f", "number": "plural"}),
    ("regime", "term", "regime", "dictadura",
     "Antonescu instauró una dictadura militar en 1940.", {"gender": "f"}),
    ("coup-king", "person", "monarch", "Miguel I",
     "Miguel I encabezó el golpe de agosto de 1944.", {"gender": "m"}),
    ("trained", "number", "count", "dos",
     "Los soldados entrenados y adoctrinados formaban dos divisiones.", {}),
    ("no-gender", "place", "city", "Iași",
     "El pogromo de junio de 1941 ocurrió en Iași.", {}),
    ("join-axis", "date", None, "23 de noviembre de 1940",
     "Rumania se unió al Eje el 23 de noviembre de 1940.",
     {"event": True, "label": "Rumania se une al Eje"}),
    ("coup-date", "date", None, "23 de agosto de 1944",
     "El golpe del rey Miguel tuvo lugar el 23 de agosto de 1944.",
     {"event": True, "label": "Golpe del rey Miguel"}),
    ("barbarossa", "year", None, "1941",
     "Rumania entró en la guerra contra la Unión Soviética en 1941.",
     {"event": True, "label": "Rumania entra en la guerra en el este"}),
    ("republic", "year", None, "1947",
     "Rumania fue proclamada república popular en 1947.",
     {"event": True, "label": "Se proclama la república popular"}),
    ("great-union", "year", None, "1918",
     "Transilvania se unió a Rumania en 1918.",
     {"event": True, "label": "Transilvania se une a Rumania"}),
    ("vienna-award", "date", None, "30 de agosto de 1940",
     "El Segundo Arbitraje de Viena se firmó el 30 de agosto de 1940.",
     {"event": True, "label": "El Segundo Arbitraje de Viena"}),
    ("abdication", "date", None, "30 de diciembre de 1947",
     "El rey Miguel fue obligado a abdicar el 30 de diciembre de 1947.",
     {"event": True, "label": "Abdica el rey Miguel"}),
    ("prices-year", "year", None, "1938",
     "Las pérdidas se dan en lei a precios de 1938.",
     {"label": "Año de referencia de los precios"}),
    ("ally-germany", "place", "country", "Alemania",
     "Rumania combatió junto a Alemania hasta agosto de 1944.", {"gender": "f"}),
    ("capital", "place", "city", "Bucarest",
     "El golpe contra Antonescu tuvo lugar en Bucarest.", {"gender": "m"}),
    ("armistice", "term", "document", "armisticio",
     "Rumania firmó un armisticio con los Aliados en Moscú.", {"gender": "m"}),
    ("deaths", "number", "casualties", "13.266",
     "El pogromo de Iași mató a 13.266 judíos.", {"label": "Víctimas del pogromo de Iași"}),
    ("divisions", "number", "count", "15",
     "Rumania envió 15 divisiones al asedio de Odesa.", {"label": "Divisiones en Odesa"}),
    ("occupier", "organisation", "army", "Ejército Rojo",
     "Tras el golpe el Ejército Rojo ocupó Rumania.",
     {"gender": "m", "label": "Ejército que ocupó Rumania"}),
    ("conducator", "person", "general", "Ion Antonescu",
     "El régimen de Ion Antonescu alió a Rumania con Alemania.",
     {"gender": "m", "label": "Conducător de Rumania"}),
    ("constitution", "year", None, "1923",
     "La constitución de 1923 fue restablecida tras el golpe.",
     {"label": "Año de la constitución restablecida"}),
]

ES_POOL: list[PoolEntry] = [
    *(PoolEntry("place", t, "country", "f") for t in ("Hungría", "Polonia", "Bulgaria")),
    PoolEntry("place", "Estados Unidos", "country", "m", "plural"),
    PoolEntry("place", "Egipto", "country", "m"),
    *(PoolEntry("organisation", t, "party", "f") for t in ("Unión Patriótica", "Falange")),
    PoolEntry("organisation", "Cruz Flechada", "party", "f"),
    PoolEntry("organisation", "Partido Comunista", "party", "m"),
    PoolEntry("organisation", "Frente Nacional Democrático", "party", "m"),
    *(PoolEntry("organisation", t, "company", "f", "plural") for t in ("cooperativas",)),
    PoolEntry("organisation", "fábricas estatales", "company", "f", "plural"),
    PoolEntry("organisation", "sociedades anónimas", "company", "f", "plural"),
    PoolEntry("organisation", "bancos privados", "company", "m", "plural"),
    PoolEntry("organisation", "una empresa", "company", "f"),
    *(PoolEntry("term", t, "regime", "f") for t in ("monarquía", "república", "regencia")),
    PoolEntry("term", "régimen", "regime", "m"),
    PoolEntry("term", "armisticio", "document", "m"),
    PoolEntry("term", "uranio", "element", "m"),
    *(PoolEntry("person", t, "monarch", "m") for t in ("Carol II", "Fernando I", "Carol I")),
    PoolEntry("person", "María de Rumania", "monarch", "f"),
    *(PoolEntry("place", t, "city") for t in ("Cluj", "Brașov", "Constanza")),
    *(PoolEntry("place", t, "city", "m") for t in ("Timișoara", "Sibiu")),
    *(PoolEntry("term", t, "document", "m") for t in ("tratado", "ultimátum", "memorando")),
    *(PoolEntry("organisation", t, "army", "m") for t in ("Ejército Real", "Wehrmacht")),
    PoolEntry("organisation", "Armada Soviética", "army", "f"),
    PoolEntry("organisation", "Ejército de Tierra", "army", "m"),
    *(PoolEntry("person", t, "general", "m") for t in ("Petre Dumitrescu", "Nicolae Rădescu")),
    PoolEntry("person", "Constantin Sănătescu", "general", "m"),
]

# fmt: on

# More dated events, so that a set of every type still finds three for an ordering question.
for _number, _year in enumerate((1877, 1881, 1913, 1916, 1930), start=1):
    EN_FACTS.append(
        (f"event-{_number}", "year", None, str(_year), f"Event number {_number} came in {_year}.",
         {"event": True, "label": f"Event number {_number}"})
    )  # fmt: skip
    ES_FACTS.append(
        (f"event-{_number}", "year", None, str(_year), f"El suceso {_number} ocurrió en {_year}.",
         {"event": True, "label": f"El suceso número {_number}"})
    )  # fmt: skip


def _facts(language: str, rows, source: Source) -> list[Fact]:
    facts = []
    for position, (key, kind, category, answer, sentence, extra) in enumerate(rows, start=1):
        passage = Passage(f"{source.id}#p{position}", source.id, f"p{position}", sentence, position)
        source.passages.append(passage)
        fields = dict(extra)
        facts.append(
            Fact(
                id=f"{key}-{language}",
                language=language,
                topic=key,
                passage_id=passage.id,
                evidence=Evidence(sentence, 0, len(sentence)),
                statement=sentence,
                answer=answer,
                kind=kind,
                stems=(f"Question {position} of the {language} set?",),
                category=category,
                **fields,
            )
        )
    return facts


def categorised_bank() -> Bank:
    """The synthetic bank: about twenty facts in English, a dozen in Spanish, with pools."""
    bank = Bank("synthetic", {"en": "Synthetic", "es": "Sintético"}, {}, "history", "-", [])
    bank.languages = ["en", "es"]
    for language, rows, pool in (("en", EN_FACTS, EN_POOL), ("es", ES_FACTS, ES_POOL)):
        source = Source(f"doc-{language}", f"Document {language}", language, "test", "-", "-")
        bank.sources[source.id] = source
        bank.facts += _facts(language, rows, source)
        bank.pools[language] = list(pool)
    return bank
