"""Which facts make a fair question of a given form, beyond having the parts it needs.

Rules found by teachers reviewing generated sets (issue 8's review), each a reason a form of
question would be unfair even though it can be built:

- A figure stated as a bound ("at least 13,266", "más de 260.000") makes no multiple choice and
  no swapped false statement: a lower figure under "at least" is also true, so neither the
  wrong options nor the "false" statement would be false. It is still asked by typing.
- A long phrase (a `term` of more than TYPED_TERM_WORDS words, "diplomatic and bureaucratic
  means") is not asked by typing, as a short answer or a blank: a learner cannot be expected to
  type the bank's exact phrase, and shorter true answers exist. It can still be chosen.
- A blank needs a sentence that stands on its own: not a fact whose source is garbled (the
  sentence shown would teach the garbled text), not a date without a year ("Para el _____"
  admits any later date), and not a sentence that opens by pointing back at text the learner
  does not see ("En esa fecha", "Thus", "Here"), nor a photo caption ("pictured here",
  "(far right)", "en la foto"): it speaks of a picture the learner does not see.
- A curator may rule out any form for one fact (`skip_types`), for example a blank whose
  sentence fits several answers ("executed for _____"); generation honours it.
"""

from __future__ import annotations

import re

from quizapp.core.agreement import word_spans
from quizapp.core.bank_model import NUMERIC_KINDS, Fact
from quizapp.core.values import normalise, parse_date, strip_accents

TYPED_TERM_WORDS = 3
# How far before the answer a bound word may stand ("more than about 260,000").
_BOUND_WINDOW = 24
_BOUNDS = (
    "at least",
    "more than",
    "over",
    "almost",
    "nearly",
    "about",
    "around",
    "some",
    "up to",
    "fewer than",
    "less than",
    "under",
    "approximately",
    "roughly",
    "an estimated",
    "al menos",
    "por lo menos",
    "mas de",
    "menos de",
    "casi",
    "unos",
    "unas",
    "alrededor de",
    "cerca de",
    "aproximadamente",
    "hasta",
    "en torno a",
)
# A year after "until"/"hasta" is a date, not a bound; only approximations bound a year.
_YEAR_BOUNDS = (
    "about",
    "around",
    "circa",
    "roughly",
    "approximately",
    "alrededor de",
    "cerca de",
    "hacia",
    "aproximadamente",
    "en torno a",
)
_BOUND_BEFORE = {
    kind: re.compile(r"\b(?:" + "|".join(re.escape(b) for b in bounds) + r")\W*$")
    for kind, bounds in (("number", _BOUNDS), ("year", _YEAR_BOUNDS))
}
# Openers of a sentence that lean on what came before it (compared folded, as whole words).
_POINTING_OPENERS = (
    "this",
    "these",
    "that",
    "those",
    "thus",
    "here",
    "there",
    "it",
    "they",
    "he",
    "she",
    "such",
    "then",
    "esto",
    "este",
    "esta",
    "estos",
    "estas",
    "ese",
    "esa",
    "esos",
    "esas",
    "dicho",
    "dicha",
    "asi",
    "ello",
    "en esa fecha",
    "en ese momento",
    "en esa",
    "en ese",
    "para entonces",
    "sin embargo",
    "en consecuencia",
    "por consiguiente",
    "por ello",
    "por eso",
    "a pesar de esta",
    "a pesar de este",
    "a pesar de ello",
    "however",
    "therefore",
    "consequently",
    "despite this",
)


# A caption describes a photograph; folded (lowercase, no accents) before matching. Only fixed
# words joined by single alternations: linear on any input.
_CAPTION = re.compile(
    r"\b(?:pictured|photographed|shown here|seen here|in the photo(?:graph)?|"
    r"fotografiad[oa]s?|en (?:la|esta) (?:foto|imagen|fotografia)|aparecen? aqui)\b"
    r"|\((?:far |a la )?(?:left|right|centre|center|izquierda|derecha|centro)\)"
)


def is_caption(sentence: str) -> bool:
    """Whether a sentence reads as a photo caption ("Hitler and Antonescu are pictured here",
    "(far right)", "en la foto"): a blank in it would ask about a picture not shown."""
    return bool(_CAPTION.search(strip_accents(sentence).casefold()))


def bounded_figure(fact: Fact) -> bool:
    """Whether a number or year fact states its answer as a bound ("at least 13,266").

    Looks at the words just before the answer in the statement and in the evidence (folded:
    case and accents do not matter), so "al menos 13.266" and "más de 260.000" count.
    """
    if fact.kind not in NUMERIC_KINDS:
        return False
    for text in (fact.statement, fact.evidence.text):
        for form in fact.accepted:
            for start, _end in word_spans(text, form, ignore_case=True):
                # Folded without `normalise`, which drops "unos"/"some" as articles.
                before = strip_accents(text[max(0, start - _BOUND_WINDOW) : start]).casefold()
                if _BOUND_BEFORE[fact.kind].search(before):
                    return True
    return False


def typed_fair(fact: Fact) -> bool:
    """Whether the answer can fairly be asked by typing: not a long phrase of a term."""
    return not (fact.kind == "term" and len(normalise(fact.answer).split()) > TYPED_TERM_WORDS)


def cloze_fair(fact: Fact, sentence: str) -> bool:
    """Whether the evidence sentence can carry a blank for this fact (see the module)."""
    if fact.source_garbled or not typed_fair(fact):
        return False
    if fact.kind == "date":
        date = parse_date(fact.answer)
        if date is not None and date.year is None:
            return False
    if is_caption(sentence):
        return False
    opening = normalise(sentence)
    return not any(
        opening == opener or opening.startswith(opener + " ") for opener in _POINTING_OPENERS
    )
