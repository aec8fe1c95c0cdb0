"""Building questions from facts: one builder and one eligibility test per type.

Eligibility is truthful: a fact found eligible (given the generation context) builds. Each
test takes the fact and, optionally, the `GenerationContext` of its bank; without a context it
judges by the fact alone, and a build may still come back empty.
"""

from __future__ import annotations

import random
from dataclasses import asdict
from typing import Any

from quizapp.core.agreement import answer_span, word_spans
from quizapp.core.bank_model import NAME_KINDS, NUMERIC_KINDS, TIME_KINDS, Fact
from quizapp.core.distractors import WRONG_OPTIONS
from quizapp.core.false_statements import can_be_false, false_statement
from quizapp.core.passages import sentence_span
from quizapp.core.question_fitness import bounded_figure, cloze_fair, typed_fair
from quizapp.core.question_model import (
    BLANK,
    MAX_GROUP,
    MIN_GROUP,
    PHRASES,
    GenerationContext,
    Question,
)
from quizapp.core.values import contains_phrase, normalise, parse_date, parse_number


def mcq_eligible(fact: Fact, ctx: GenerationContext | None = None) -> bool:
    """Multiple choice needs three acceptable wrong options of the key's category (a name
    fact without a category has none). Without a context: whether the fact could have them."""
    if fact.kind in NAME_KINDS and not fact.category:
        return False
    if bounded_figure(fact):
        return False  # under "at least 13,266" every lower option would be true as well
    return ctx is None or ctx.distractors.can_offer(fact, WRONG_OPTIONS)


def build_multiple_choice(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """The stem, the key and three wrong answers of its category, in random order."""
    fact = facts[0]
    if not mcq_eligible(fact, ctx):
        return None
    wrong = ctx.distractors.choose(fact, WRONG_OPTIONS, ctx.rng)
    if len(wrong) < WRONG_OPTIONS:
        return None
    options = [fact.answer, *wrong]
    ctx.rng.shuffle(options)
    return ctx.base("mcq", fact, options=options, accepted=[fact.answer])


def tf_eligible(fact: Fact, ctx: GenerationContext | None = None) -> bool:
    """True/false needs a false form (a curated false statement or a swap that keeps the
    sentence's agreement), so that "true" is never the predictable key. Without a context:
    whether the fact could have one (a curated one, or its answer as whole words in the
    statement and, for a name, a category)."""
    if fact.false_statements:
        return True
    if answer_span(fact.statement, fact.answer) is None:
        return False
    if ctx is None:
        return fact.kind not in NAME_KINDS or bool(fact.category)
    return can_be_false(fact, ctx.distractors)


def build_true_false(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """The statement as written (true) or a false form of it (false), each half the time."""
    fact = facts[0]
    phrases = PHRASES[fact.language]
    truth = ctx.rng.random() < 0.5
    statement = fact.statement
    if not truth:
        false = false_statement(fact, ctx.distractors, ctx.rng)
        if false is None:
            return None
        statement = false
    elif not tf_eligible(fact, ctx):
        return None
    key = phrases["true"] if truth else phrases["false"]
    return ctx.base(
        "tf",
        fact,
        stem=statement,
        options=[phrases["true"], phrases["false"]],
        key=key,
        accepted=[key, "true" if truth else "false"],
    )


def cloze_blanks(fact: Fact, sentence: str) -> tuple[str, str] | None:
    """The sentence with the answer blanked, and the blanked words: (stem, key).

    The form blanked is the longest accepted form standing as whole words in the evidence;
    every whole-word occurrence of it in the sentence is blanked, and never a piece of another
    word ("dos" stays in "entrenados"). None when no form stands in the evidence, or another
    accepted form would be left standing beside the blank.
    """
    for form in sorted(fact.accepted, key=len, reverse=True):
        if not word_spans(fact.evidence.text, form, ignore_case=True):
            continue
        spans = word_spans(sentence, form, ignore_case=True)
        if not spans:
            continue
        stem = sentence
        for start, end in reversed(spans):
            stem = stem[:start] + BLANK + stem[end:]
        # Another accepted form left standing in the sentence would give the answer away.
        rest = stem.replace(BLANK, " ")
        if any(contains_phrase(rest, alt) for alt in fact.accepted):
            return None
        key = sentence[spans[0][0] : spans[0][1]]
        if fact.kind == "date":
            blanked = parse_date(key)
            if blanked is not None and blanked.year is None:
                continue  # "signed on _____" for "September 12": any year would do
        return stem, key
    return None


def _evidence_sentence(fact: Fact, ctx: GenerationContext) -> str | None:
    passage = ctx.bank.passage(fact.passage_id)
    if passage is None:
        return None
    start, end = sentence_span(passage.text, fact.evidence.start, fact.evidence.end)
    return passage.text[start:end].strip()


def cloze_eligible(fact: Fact, ctx: GenerationContext | None = None) -> bool:
    """A blank needs the answer written in the evidence as whole words (and, with a context,
    a sentence in which blanking it leaves no other accepted form standing)."""
    if ctx is None:
        return typed_fair(fact) and any(
            word_spans(fact.evidence.text, f, ignore_case=True) for f in fact.accepted
        )
    sentence = _evidence_sentence(fact, ctx)
    return (
        sentence is not None
        and cloze_fair(fact, sentence)
        and cloze_blanks(fact, sentence) is not None
    )


def build_cloze(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """The evidence's sentence with the answer blanked out."""
    fact = facts[0]
    sentence = _evidence_sentence(fact, ctx)
    blanked = cloze_blanks(fact, sentence) if sentence is not None else None
    if blanked is None:
        return None
    stem, key = blanked
    return ctx.base("cloze", fact, stem=stem, key=key)


def short_eligible(fact: Fact, ctx: GenerationContext | None = None) -> bool:
    """Any fact can be asked for its answer, but a long phrase is not asked by typing."""
    return typed_fair(fact)


def numeric_eligible(fact: Fact, ctx: GenerationContext | None = None) -> bool:
    """A numeric question needs a number or a year."""
    return fact.kind in NUMERIC_KINDS


def build_short_answer(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """The stem, answered by typing; every accepted form counts."""
    return ctx.base("short", facts[0])


def build_numeric(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """A question answered with a number, right within the fact's tolerance."""
    return ctx.base("numeric", facts[0])


def _when(fact: Fact) -> Any:
    if fact.kind == "year":
        value = parse_number(fact.answer)
        return None if value is None else (int(value), None, None)
    date = parse_date(fact.answer)
    if date is None or date.year is None:
        return None
    return (date.year, date.month, date.day)


def order_eligible(fact: Fact, ctx: GenerationContext | None = None) -> bool:
    """Ordering needs an event (`event: true`) dated by a date or year, with a label to show
    in place of its date: a reference year of prices or a constitution's date is no event."""
    return fact.kind in TIME_KINDS and fact.event and bool(fact.label) and _when(fact) is not None


def _distinguishable(a: Any, b: Any) -> bool:
    """Whether two partial dates are certainly in a known order."""
    if a is None or b is None:
        return False
    for part_a, part_b in zip(a, b, strict=True):
        if part_a is None or part_b is None:
            return False
        if part_a != part_b:
            return True
    return False


def build_order(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """Three to five labelled events, shuffled; the key is their chronological order."""
    ordered = sorted(facts, key=lambda f: tuple(p or 0 for p in _when(f)))
    labels = [f.label or "" for f in ordered]
    shown = labels[:]
    for _ in range(10):
        ctx.rng.shuffle(shown)
        if shown != labels:
            break
    first = ordered[0]
    return ctx.base(
        "order",
        first,
        stem=PHRASES[first.language]["order"],
        options=shown,
        key=labels,
        accepted=[],
        kind="order",
        items=[_item(f, ctx) for f in ordered],
    )


def match_eligible(fact: Fact, ctx: GenerationContext | None = None) -> bool:
    """Matching pairs a fact's label with its answer."""
    return bool(fact.label)


def _match_family(fact: Fact) -> str:
    """The family a matching set keeps to: persons, dated events, other dated facts (a year of
    prices, a constitution's date) or anything else. Events and "year of ..." descriptions
    side by side read as two puzzles in one, and the odd ones pair themselves off."""
    if fact.kind == "person":
        return "person"
    if fact.kind in ("date", "year"):
        return "event" if fact.event else "dated"
    return "other"


def _match_wording(facts: list[Fact]) -> str:
    """Which instruction fits: "each event to its date" only when every item is an event."""
    family = _match_family(facts[0])
    if family == "event" and all(f.event for f in facts):
        return "time"
    return "person" if family == "person" else "other"


def _precision(fact: Fact) -> tuple[bool, ...]:
    """Which parts of its date a dated fact gives (year, month, day)."""
    when = _when(fact)
    return (False, False, False) if when is None else tuple(p is not None for p in when)


def build_match(facts: list[Fact], ctx: GenerationContext) -> Question | None:
    """Labels on the left, answers on the right, shuffled; the key pairs them."""
    first = facts[0]
    left = [f.label or "" for f in facts]
    ctx.rng.shuffle(left)
    answers = {f.label or "": f.answer for f in facts}
    aligned = [answers[label] for label in left]
    right = aligned[:]
    # Answers listed in the same order as their items would give the pairs away.
    for _ in range(10):
        ctx.rng.shuffle(right)
        if right != aligned:
            break
    return ctx.base(
        "match",
        first,
        stem=PHRASES[first.language][f"match_{_match_wording(facts)}"],
        options={"left": left, "right": right},
        key={f.label or "": f.answer for f in facts},
        accepted=[],
        kind="match",
        items=[_item(f, ctx) for f in facts],
    )


def _item(fact: Fact, ctx: GenerationContext) -> dict[str, Any]:
    return {
        "fact_id": fact.id,
        "label": fact.label,
        "answer": fact.answer,
        # Every accepted form: what a passage shown before this question must hide.
        "accepted": list(fact.accepted),
        "statement": fact.statement,
        "source": asdict(ctx.source_ref(fact)),
    }


def select_order(first: Fact, candidates: list[Fact], rng: random.Random) -> list[Fact] | None:
    """Events whose dates are pairwise in a certain order and whose labels differ."""
    wanted = rng.randint(MIN_GROUP, MAX_GROUP)
    group = [first]
    for fact in candidates:
        if len(group) == wanted:
            break
        if any(
            not _distinguishable(_when(fact), _when(other))
            or normalise(fact.label or "") == normalise(other.label or "")
            or fact.topic == other.topic
            for other in group
        ):
            continue
        group.append(fact)
    return group if len(group) >= MIN_GROUP else None


def select_match(first: Fact, candidates: list[Fact], rng: random.Random) -> list[Fact] | None:
    """Facts of one family whose labels and answers are all different."""
    wanted = rng.randint(MIN_GROUP, MAX_GROUP)
    family = _match_family(first)
    group = [first]
    for fact in candidates:
        if len(group) == wanted:
            break
        if _match_family(fact) != family or any(
            normalise(fact.label or "") == normalise(other.label or "")
            or normalise(fact.answer) == normalise(other.answer)
            or fact.topic == other.topic
            # "1939" and "1 September 1939" could both fit one event: dates must differ clearly;
            # and one full date among years would give its own pair away.
            or (
                family in ("event", "dated")
                and (
                    not _distinguishable(_when(fact), _when(other))
                    or _precision(fact) != _precision(other)
                )
            )
            for other in group
        ):
            continue
        group.append(fact)
    return group if len(group) >= MIN_GROUP else None


GROUP_SELECTORS = {"order": select_order, "match": select_match}
