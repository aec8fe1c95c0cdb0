"""Benchmark: the mechanical quality rules of generated question sets, per type and language.

Draws many seeded sets per language from a bank (the Romania bank by default), each with a
random count and a random mix of the types the bank can make, and checks every question with
rules recomputed here from the bank's data, independently of the generator's own code:

- options of the key's category (multiple choice): every wrong option is a value of the key's
  (language, kind, category) in the bank (a pool entry or another fact's answer), or for dates,
  years and numbers a value of the same precision written in the key's form; none is accepted;
- swap on a word-bounded span with agreement kept (true/false): a false statement is the fact's
  statement with exactly the answer's whole-word span replaced by a value of the same category,
  number (and, in Spanish, gender), the English "a"/"an" before it right for the new value, and
  the value not true of the same subject; or a curated false statement; a true one is the
  statement itself;
- blank on word boundaries (fill in the blank): the blank stands glued to no letter or digit,
  and putting the key back gives the passage's own sentence;
- events only (ordering): every item is a fact marked as an event; each item (ordering and
  matching) carries its own passage;
- no answer given away inside a set: no question's stem or options contain another question's
  answer, and no passage (nor statement or note) shown after a question, AS SHOWN (the answers
  of the questions still to come masked, see quizapp.core.masking), contains the answer of a
  later one;
- the requested mix delivered or announced: a set holds only requested types and exactly the
  requested count, unless the plan announced before the quiz what the bank can give and the
  set holds exactly that.

It prints, per type and language, the share of questions passing each rule (goal: 100% each).

    .venv/bin/python bench/quality.py [--bank questions/romania-ww2] [--sets 500] [--show 5]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import inflect

from quizapp.core.bank import load_bank
from quizapp.core.bank_model import NAME_KINDS, Bank, Fact
from quizapp.core.leaks import reveals
from quizapp.core.masking import hidden_spans, masked_reading, question_answers
from quizapp.core.question_model import BLANK, Question
from quizapp.core.question_pool import QuestionPool
from quizapp.core.values import (
    contains_phrase,
    format_date_like,
    format_like,
    normalise,
    parse_date,
    parse_quantity,
)

ROOT = Path(__file__).resolve().parent.parent
TYPES = ("mcq", "tf", "cloze", "short", "numeric", "order", "match")
_ENGLISH = inflect.engine()


class BankFacts:
    """What the rules need to know about the bank, looked up by normalised value."""

    def __init__(self, bank: Bank):
        self.bank = bank
        self.facts = {f.id: f for f in bank.facts}
        # (language, folded value) -> {(kind, category, gender, number)}
        self.values: dict[tuple[str, str], set[tuple[str, str | None, str | None, str]]] = (
            defaultdict(set)
        )
        for language, entries in bank.pools.items():
            for entry in entries:
                self.values[(language, normalise(entry.text))].add(
                    (entry.kind, entry.category, entry.gender, entry.number or "singular")
                )
        for fact in bank.facts:
            if fact.kind in NAME_KINDS:
                self.values[(fact.language, normalise(fact.answer))].add(
                    (fact.kind, fact.category, fact.gender, fact.number or "singular")
                )
        self.by_topic: dict[str, list[Fact]] = defaultdict(list)
        for fact in bank.facts:
            self.by_topic[fact.topic].append(fact)

    def grammar(self, fact: Fact, value: str) -> list[tuple[str | None, str]]:
        """The (gender, number) under which `value` is known in the fact's category."""
        return [
            (gender, number)
            for kind, category, gender, number in self.values.get(
                (fact.language, normalise(value)), ()
            )
            if kind == fact.kind and category == fact.category and category is not None
        ]

    def true_of_subject(self, fact: Fact) -> set[str]:
        """Accepted answers of every fact about the same subject (same topic)."""
        return {normalise(a) for f in self.by_topic[fact.topic] for a in f.accepted}


# ---------------------------------------------------------------------------------------------
# Rules on one question: each returns None when it passes, else a short reason.


def same_form(fact: Fact, option: str) -> str | None:
    """A date, year or number option: same precision and written in the key's form."""
    if fact.kind == "date":
        key, value = parse_date(fact.answer), parse_date(option)
        if key is None or value is None:
            return f"not a date: {option!r}"
        if [p is None for p in (key.year, key.month, key.day)] != [
            p is None for p in (value.year, value.month, value.day)
        ]:
            return f"another precision: {option!r}"
        if format_date_like(fact.answer, value) != option:
            return f"not in the key's form: {option!r}"
        return None
    quantity = parse_quantity(option)
    if quantity is None:
        return f"not a number: {option!r}"
    if (
        format_like(fact.answer, quantity.figure) != option
        and format_like(fact.answer, quantity.value) != option
    ):
        return f"not in the key's form: {option!r}"
    return None


def rule_options(q: Question, fact: Fact, known: BankFacts) -> str | None:
    wrong = [o for o in q.options or [] if o != q.key]
    if len(wrong) != 3:
        return f"{len(wrong)} wrong options"
    accepted = {normalise(a) for a in fact.accepted}
    for option in wrong:
        if normalise(option) in accepted:
            return f"a wrong option is accepted: {option!r}"
        if fact.kind in NAME_KINDS:
            if not known.grammar(fact, option):
                return f"{option!r} is not a {fact.kind}/{fact.category}"
        else:
            problem = same_form(fact, option)
            if problem:
                return problem
    return None


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def answer_span(statement: str, answer: str) -> tuple[int, int] | None:
    """The first occurrence of the answer in the statement standing as whole words."""
    at = statement.find(answer)
    while at != -1:
        end = at + len(answer)
        if (at == 0 or not _word(statement[at - 1])) and (
            end == len(statement) or not _word(statement[end])
        ):
            return at, end
        at = statement.find(answer, at + 1)
    return None


_ARTICLE_BEFORE = re.compile(r"(?:^|(?<=\s))(a|an|A|An) $")


def rule_swap(q: Question, fact: Fact, known: BankFacts) -> str | None:
    statement, stem = fact.statement, q.stem
    if q.accepted and q.accepted[-1] == "true":
        return None if stem == statement else "a 'true' statement that is not the fact's"
    if stem in fact.false_statements:
        return None  # curated by the bank's authors
    if stem == statement:
        return "a 'false' statement equal to the true one"
    span = answer_span(statement, fact.answer)
    if span is None:
        return "the statement holds no whole-word answer"
    prefix, suffix = statement[: span[0]], statement[span[1] :]
    if not stem.endswith(suffix):
        return "the words after the answer changed"
    body = stem[: len(stem) - len(suffix)]
    article = None
    found = _ARTICLE_BEFORE.search(prefix) if fact.language == "en" else None
    if found:
        head = prefix[: found.start()]
        if not body.startswith(head):
            return "the words before the answer changed"
        article, _, value = body[len(head) :].partition(" ")
    elif body.startswith(prefix) or (not prefix and body):
        value = body[len(prefix) :]
    else:
        return "the words before the answer changed"
    if not value:
        return "nothing put in the answer's place"
    if (prefix and _word(prefix[-1]) and _word(value[0])) or (
        suffix and _word(suffix[0]) and _word(value[-1])
    ):
        return "the swap is glued to a word"
    if normalise(value) in known.true_of_subject(fact):
        return f"the swapped value {value!r} is true of the subject"
    if fact.kind in NAME_KINDS:
        grammar = known.grammar(fact, value)
        if not grammar:
            return f"{value!r} is not a {fact.kind}/{fact.category}"
        number = fact.number or "singular"
        if fact.language == "es":
            if not any(g == fact.gender and n == number for g, n in grammar):
                return f"{value!r} does not agree in gender and number"
        elif not any(n == number for _, n in grammar):
            return f"{value!r} does not agree in number"
    else:
        problem = same_form(fact, value)
        if problem:
            return problem
    if article is not None:
        right = _ENGLISH.a(value).split(" ", 1)[0]
        if article.casefold() != right:
            return f"'{article} {value}' (should be '{right}')"
    return None


def rule_blank(q: Question, fact: Fact, known: BankFacts) -> str | None:
    stem = q.stem
    if BLANK not in stem:
        return "no blank"
    at = stem.find(BLANK)
    while at != -1:
        end = at + len(BLANK)
        if (at and _word(stem[at - 1])) or (end < len(stem) and _word(stem[end])):
            return "the blank cuts a word"
        at = stem.find(BLANK, end)
    passage = known.bank.passage(fact.passage_id)
    restored = stem.replace(BLANK, str(q.key))
    if passage is None or restored not in passage.text:
        return "the key put back does not give the passage's sentence"
    return None


def rule_items(q: Question, fact: Fact, known: BankFacts) -> str | None:
    for item in q.items:
        item_fact = known.facts.get(item["fact_id"])
        if item_fact is None:
            return f"unknown fact {item['fact_id']}"
        if q.type == "order" and not item_fact.event:
            return f"{item_fact.id} is not an event"
        source = item.get("source") or {}
        if source.get("passage_id") != item_fact.passage_id:
            return f"{item_fact.id} is shown without its own passage"
    return None


QUESTION_RULES: dict[str, dict[str, Callable[[Question, Fact, BankFacts], str | None]]] = {
    "mcq": {"options of the key's category": rule_options},
    "tf": {"swap on a word-bounded span, agreement kept": rule_swap},
    "cloze": {"blank on word boundaries": rule_blank},
    "order": {"events only, each item's passage": rule_items},
    "match": {"each item's passage": rule_items},
}


def answers_of(q: Question) -> list[str]:
    """What a question asks the learner to know: its accepted answers (or its items')."""
    if q.type in ("order", "match"):
        return [str(item["answer"]) for item in q.items]
    if q.type == "tf":
        return []  # "true"/"false" gives nothing away
    return [a for a in q.accepted if normalise(a)]


def shown_text(q: Question) -> str:
    """The stem and options a learner reads before answering."""
    options = q.options
    if isinstance(options, dict):
        parts = [*options.get("left", []), *options.get("right", [])]
    else:
        parts = list(options or [])
    if q.type in ("tf",):
        parts = []
    return " \n ".join([q.stem, *parts])


def passages_shown(q: Question) -> list[str]:
    """What the feedback shows of the sources: passages, the statements, the curator's note."""
    texts = [q.source.passage_text] if q.source else []
    texts += [item["source"]["passage_text"] for item in q.items if item.get("source")]
    texts += [q.statement, q.note or ""] + [item.get("statement") or "" for item in q.items]
    return [t for t in texts if t]


def leaks(questions: list[Question]) -> list[tuple[int, str]]:
    """(index of the question that gives an answer away, reason) for every leak in a set."""
    found: list[tuple[int, str]] = []
    for i, q in enumerate(questions):
        for j, other in enumerate(questions):
            if i == j:
                continue
            for answer in answers_of(other):
                if contains_phrase(shown_text(q), answer):
                    found.append((i, f"question {i + 1} shows {answer!r}, the answer of {j + 1}"))
                    break
        # The passages after question i as shown then: the answers of the later questions masked.
        later = [(j + 1, question_answers(other)) for j, other in enumerate(questions) if j > i]
        for text in passages_shown(q):
            seen = masked_reading(text, hidden_spans(text, later))
            for j, other in enumerate(questions[i + 1 :], start=i + 1):
                own = later[j - i - 1][1]
                answers = [*answers_of(other), *(f for a in own for f in a.forms)]
                told = next((a for a in answers if contains_phrase(seen, a)), None)
                if told is None and any(reveals(seen, a) for a in own):
                    told = "its date"
                if told is not None:
                    found.append(
                        (i, f"the passage after {i + 1} shows {told!r}, the answer of {j + 1}")
                    )
    return found


# ---------------------------------------------------------------------------------------------


def draw_requests(pool: QuestionPool, language: str, sets: int, seed: int):
    """Random set requests: a count and a non-empty mix of the types the bank offers."""
    rng = random.Random(f"{seed}:{language}")
    offered = [t for t in TYPES if pool.eligible.get((language, t))] or ["short"]
    for n in range(sets):
        k = rng.randint(1, len(offered))
        yield n, rng.randint(5, 20), rng.sample(offered, k)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bank", default=str(ROOT / "questions" / "romania-ww2"))
    parser.add_argument("--sets", type=int, default=500, help="sets per language")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=3, help="failures to show per rule")
    args = parser.parse_args(argv)

    bank = load_bank(args.bank)
    known = BankFacts(bank)
    pool = QuestionPool(bank)
    passed: dict[tuple[str, str, str], Counter[bool]] = defaultdict(Counter)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    per_type: Counter[tuple[str, str]] = Counter()
    exact_sets: dict[str, Counter[bool]] = defaultdict(Counter)
    for language in bank.languages:
        for n, count, types in draw_requests(pool, language, args.sets, args.seed):
            # The announcement the learner reads before the quiz, then the set they then get.
            plan = pool.plan(count, language, f"{args.seed}-{n}", types)
            questions = pool.generate(
                count, language, f"{args.seed}-{n}", types, accept_shortfall=True
            )
            rule = "requested mix delivered or announced"
            if plan.exact:
                mix_ok = len(questions) == count and sorted(q.type for q in questions) == sorted(
                    t for t, k in plan.requested.items() for _ in range(k)
                )
            else:  # announced: the set is exactly what the announcement said
                mix_ok = len(questions) == plan.total and all(
                    sum(q.type == t for q in questions) == k for t, k in plan.planned.items()
                )
            mix_ok = mix_ok and all(q.type in types for q in questions)
            passed[(language, "set", rule)][mix_ok] += 1
            exact_sets[language][plan.exact] += 1
            if not mix_ok and len(examples[("set", rule)]) < args.show:
                got = Counter(q.type for q in questions)
                examples[("set", rule)].append(
                    f"{language}: asked {count} of {types}, got {len(questions)} {dict(got)}"
                    f" (announced {plan.total}: {plan.planned})"
                )
            leaking = leaks(questions)
            bad = {i for i, _ in leaking}
            rule = "no answer given away inside the set"
            for i, q in enumerate(questions):
                per_type[(language, q.type)] += 1
                passed[(language, q.type, rule)][i not in bad] += 1
            for _, reason in leaking[: args.show]:
                if len(examples[("set", rule)]) < args.show:
                    examples[("set", rule)].append(f"{language}: {reason}")
            for q in questions:
                fact = known.facts.get(q.fact_id)
                if fact is None:  # a hand-written question: its author answers for it
                    continue
                for name, check in QUESTION_RULES.get(q.type, {}).items():
                    reason = check(q, fact, known)
                    passed[(language, q.type, name)][reason is None] += 1
                    if reason and len(examples[(q.type, name)]) < args.show:
                        examples[(q.type, name)].append(f"{language} {fact.id}: {reason}")

    print(f"bank {bank.id}: {args.sets} sets per language, seeds {args.seed}-0..{args.sets - 1}")
    print(f"{'language':8} {'type':8} {'rule':45} {'passed':>14} {'share':>8}")
    all_met = True
    for (language, type_name, rule), counts in sorted(passed.items()):
        total = counts[True] + counts[False]
        share = 100 * counts[True] / total if total else 100.0
        all_met &= counts[False] == 0
        print(f"{language:8} {type_name:8} {rule:45} {counts[True]:>6}/{total:<7} {share:7.1f}%")
    print()
    print(
        "questions drawn per type: "
        + ", ".join(f"{lang}/{t} {n}" for (lang, t), n in sorted(per_type.items()))
    )
    for language, counts in sorted(exact_sets.items()):
        print(
            f"sets exactly as asked ({language}): {counts[True]}/{counts[True] + counts[False]};"
            " the others were announced before the quiz"
        )
    for (type_name, rule), shown in sorted(examples.items()):
        print(f"\nfailures of '{rule}' ({type_name}):")
        for line in shown:
            print(f"  {line}")
    print(f"\ngoal (100% on every rule): {'met' if all_met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
