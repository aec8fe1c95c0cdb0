"""Question sets from facts: seeded, so the same seed always gives the same set.

`QuestionPool` indexes a bank once (facts per language and per question type); drawing a set
then costs about the same whatever the bank's size, because facts are drawn by random index
rather than by scanning the bank.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence

from quizapp.core.answer_forms import AnswerFormIndex
from quizapp.core.authored import as_question
from quizapp.core.bank import Bank, BankQuestion, Fact
from quizapp.core.distractors import DistractorIndex
from quizapp.core.question_types import (
    GROUP_SELECTORS,
    TYPES,
    GenerationContext,
    Question,
    QuestionType,
)

# The types a fact can make (several-answer questions are only ever written by hand).
DEFAULT_TYPES = tuple(name for name, t in TYPES.items() if t.from_facts)
# Types that any fact can make, used when a requested type has run out of facts.
FALLBACK_TYPES = ("mcq", "short", "tf")
# How many random draws to try for a fact or partner before giving up on a type.
DRAWS = 40


class GenerationError(ValueError):
    """A question set that cannot be made as asked (unknown type, no facts in that language)."""


class QuestionPool:
    """A bank indexed for drawing question sets: facts per language and per eligible type."""

    def __init__(self, bank: Bank):
        self.bank = bank
        self.distractors = DistractorIndex(bank.facts, bank.pools)
        self.answer_forms = AnswerFormIndex(bank)
        self.facts: dict[str, list[Fact]] = defaultdict(list)
        self.eligible: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        self.authored: dict[tuple[str, str], list[BankQuestion]] = defaultdict(list)
        # Eligibility consults the bank (enough wrong options, a false form, the sentence).
        judge = GenerationContext(bank, self.distractors, random.Random(0), forms=self.answer_forms)
        default_language = bank.languages[0] if bank.languages else "en"
        for item in bank.questions:
            if item.question.gradable:
                language = item.question.language or default_language
                self.authored[(language, item.question.type)].append(item)
        for fact in bank.facts:
            self.facts[fact.language].append(fact)
            for name, question_type in TYPES.items():
                if question_type.eligible(fact, judge):
                    self.eligible[(fact.language, name)].append(fact)

    def generate(
        self,
        count: int,
        language: str,
        seed: int | str,
        types: Iterable[str] = DEFAULT_TYPES,
    ) -> list[Question]:
        """A set of `count` questions in the language, mixing the types, fixed by the seed."""
        wanted = list(dict.fromkeys(types))
        unknown = [t for t in wanted if t not in TYPES]
        if unknown:
            raise GenerationError(
                f"unknown question type(s): {', '.join(unknown)} (known: {', '.join(TYPES)})"
            )
        if not wanted:
            raise GenerationError("choose at least one question type")
        if count < 1:
            raise GenerationError("the number of questions must be at least 1")
        if not self.facts.get(language) and not any(lang == language for lang, _ in self.authored):
            raise GenerationError(f"the bank has no facts in {language!r}")
        rng = random.Random(f"{seed}:{language}:{count}:{','.join(wanted)}")
        context = GenerationContext(self.bank, self.distractors, rng, forms=self.answer_forms)
        plan = [wanted[i % len(wanted)] for i in range(count)]
        rng.shuffle(plan)
        used_facts: set[str] = set()
        used_topics: set[str] = set()
        questions: list[Question] = []
        for type_name in plan:
            question = None
            for attempt_type in dict.fromkeys((type_name, *FALLBACK_TYPES, *wanted)):
                question = self._draw(attempt_type, language, context, used_facts, used_topics)
                if question is not None:
                    break
            if question is None:
                break  # the bank has run out of facts this set may still use
            questions.append(question)
        return questions

    def _draw(
        self,
        type_name: str,
        language: str,
        context: GenerationContext,
        used_facts: set[str],
        used_topics: set[str],
    ) -> Question | None:
        question_type = TYPES[type_name]
        candidates = self.eligible.get((language, type_name), [])
        written = [
            q for q in self.authored.get((language, type_name), []) if f"q:{q.id}" not in used_facts
        ]
        rng = context.rng
        # Hand-written questions take their share of the draws, in proportion to their number.
        if written and rng.random() < len(written) / (len(written) + len(candidates)):
            return self._written(written, language, context, used_facts)
        question = self._from_facts(question_type, candidates, context, used_facts, used_topics)
        if question is None and written:
            # The facts of this type are used up: a hand-written question still fits.
            return self._written(written, language, context, used_facts)
        return question

    @staticmethod
    def _written(
        written: list[BankQuestion],
        language: str,
        context: GenerationContext,
        used_facts: set[str],
    ) -> Question:
        item = context.rng.choice(written)
        used_facts.add(f"q:{item.id}")
        return as_question(
            item.question,
            context.rng,
            question_id=f"q:{item.id}",
            language=language,
            source=context.passage_ref(item.passage_id) if item.passage_id else None,
        )

    @staticmethod
    def _from_facts(
        question_type: QuestionType,
        candidates: list[Fact],
        context: GenerationContext,
        used_facts: set[str],
        used_topics: set[str],
    ) -> Question | None:
        rng = context.rng

        def fresh(fact: Fact) -> bool:
            return fact.id not in used_facts and fact.topic not in used_topics

        for first in _draw_facts(candidates, rng, fresh):
            facts = [first]
            if question_type.group:
                partners = [
                    f
                    for f in _draw_facts(candidates, rng, fresh)
                    if f.id != first.id and f.topic != first.topic
                ]
                group = GROUP_SELECTORS[question_type.name](first, partners, rng)
                if group is None:
                    continue
                facts = group
            question = question_type.build(facts, context)
            if question is None:
                continue
            used_facts.update(f.id for f in facts)
            used_topics.update(f.topic for f in facts)
            return question
        return None


def _draw_facts(candidates: Sequence[Fact], rng: random.Random, keep) -> list[Fact]:
    """Up to DRAWS distinct random facts that pass `keep`, without scanning the whole list."""
    if len(candidates) <= DRAWS * 2:
        shuffled = list(candidates)
        rng.shuffle(shuffled)
        return [f for f in shuffled if keep(f)][:DRAWS]
    drawn: dict[int, Fact] = {}
    for _ in range(DRAWS * 3):
        index = rng.randrange(len(candidates))
        if index not in drawn and keep(candidates[index]):
            drawn[index] = candidates[index]
            if len(drawn) == DRAWS:
                break
    return list(drawn.values())


def generate_quiz(
    bank: Bank,
    count: int,
    language: str,
    seed: int | str,
    types: Iterable[str] = DEFAULT_TYPES,
) -> list[Question]:
    """Index the bank and draw one question set (see QuestionPool.generate)."""
    return QuestionPool(bank).generate(count, language, seed, types)
