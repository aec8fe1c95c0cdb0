"""A bank indexed for drawing question sets: seeded, so the same seed always gives the same set.

`QuestionPool` indexes a bank once (facts per language and per question type); drawing a set
then costs about the same whatever the bank's size, because facts are drawn by random index
rather than by scanning the bank.

A set holds only the requested types, split evenly, and exactly the requested number of
questions; when the bank cannot give that, `generate` raises `SetShortfall` with the set it can
give (see `quizapp.core.set_plan`), and gives that set only once the caller accepts it. No
question's stem or options give another's answer away (see `quizapp.core.leaks`); a set may hold
several facts of one passage, whose answers are masked in the passage shown after each question
until they are answered (see `quizapp.core.masking`). A set never repeats a topic.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import islice

from quizapp.core.answer_forms import AnswerFormIndex
from quizapp.core.authored import as_question
from quizapp.core.bank import Bank, BankQuestion, Fact
from quizapp.core.distractors import DistractorIndex
from quizapp.core.leaks import Exposure, SetGuard, exposure
from quizapp.core.question_types import (
    GROUP_SELECTORS,
    MAX_GROUP,
    MIN_GROUP,
    TYPES,
    GenerationContext,
    Question,
    QuestionType,
)
from quizapp.core.set_plan import GenerationError, SetPlan, SetShortfall, requested_split

# The types a fact can make (several-answer questions are only ever written by hand).
DEFAULT_TYPES = tuple(name for name, t in TYPES.items() if t.from_facts)
# How many random draws to try for a fact or partner before giving up on a type.
DRAWS = 40
# A generator may fail at random for a fact that can make its type (a false statement needs a
# substitute): try the same facts this many times before drawing others.
BUILD_TRIES = 3
# Capacity is counted up to this many questions per type; a larger count is reported as this
# number, meaning "at least" (a set never asks for nearly so many).
CAPACITY_CAP = 200
# At most this many trial builds per type and language when counting capacity.
TRIAL_LIMIT = 4 * CAPACITY_CAP
# When counting groups, partners are looked for among this many following facts.
GROUP_WINDOW = 24
# How many candidate groups a draw tries (in random order) before giving up on a type.
GROUP_CHOICES = 8
# Counting groups stops after this many selections in a row that made no group.
GROUP_MISSES = 40
# Different draws (all fixed by the seed) tried before a set is announced as short.
PLAN_ATTEMPTS = 6


class _FixedSize(random.Random):
    """A random source whose `randint` always gives the low end: groups of the minimum size."""

    def randint(self, a: int, b: int) -> int:
        """Always `a`."""
        return a


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
        self._capacity: dict[str, dict[str, int]] = {}
        default_language = bank.languages[0] if bank.languages else "en"
        for item in bank.questions:
            if item.question.gradable:
                language = item.question.language or default_language
                self.authored[(language, item.question.type)].append(item)
        for fact in bank.facts:
            self.facts[fact.language].append(fact)
            for name, question_type in TYPES.items():
                if name in fact.skip_types:
                    continue
                if question_type.eligible(fact, judge):
                    self.eligible[(fact.language, name)].append(fact)

    # -----------------------------------------------------------------------------------------
    # Capacity

    def capacity(self, language: str) -> dict[str, int]:
        """How many questions of each registered type the bank can make in the language.

        Each type is counted alone: hand-written questions of the type, plus, from facts, the
        facts the type's `eligible` accepts and its `build` really makes, taken greedily so that
        no topic repeats and no stem or option states another's answer (as in a set, see
        _DrawState and SetGuard); group types (ordering,
        matching) count disjoint groups of the minimum size, formed greedily with the type's
        group selector. A greedy count is a lower bound; `plan` raises it to what a drawn set
        really held when that is more. Counts stop
        at CAPACITY_CAP (which then means "at least"), and at most TRIAL_LIMIT trial builds are
        made per type (group types: also stop after GROUP_MISSES selections in a row that
        made no group), so a bank of 100,000 facts costs a few hundred builds, not 100,000. The
        result is computed once per pool and language (the pool is rebuilt when the bank
        changes) and returned as a fresh dict, in registry order.
        """
        cached = self._capacity.get(language)
        if cached is None:
            cached = {name: self._count(name, language) for name in TYPES}
            self._capacity[language] = cached
        return dict(cached)

    def producible(self, language: str) -> list[str]:
        """The types of which the bank can make at least one question in the language."""
        return [name for name, made in self.capacity(language).items() if made > 0]

    def _count(self, type_name: str, language: str) -> int:
        question_type = TYPES[type_name]
        written = len(self.authored.get((language, type_name), []))
        if not question_type.from_facts or written >= CAPACITY_CAP:
            return min(written, CAPACITY_CAP)
        context = GenerationContext(
            self.bank,
            self.distractors,
            random.Random(f"capacity:{language}:{type_name}"),
            forms=self.answer_forms,
        )
        candidates = self.eligible.get((language, type_name), [])
        limit = CAPACITY_CAP - written
        if question_type.group:
            made = self._count_groups(question_type, candidates, context, limit)
        else:
            made = self._count_singles(question_type, candidates, context, limit)
        return written + made

    @staticmethod
    def _count_singles(
        question_type: QuestionType,
        candidates: list[Fact],
        context: GenerationContext,
        limit: int,
    ) -> int:
        topics: set[str] = set()
        guard = SetGuard()
        trials = 0
        for fact in candidates:
            if len(topics) >= limit or trials >= TRIAL_LIMIT:
                break
            if fact.topic in topics:
                continue
            trials += 1
            question = _build(question_type, [fact], context)
            if question is not None and guard.admit(exposure(question, [fact])):
                topics.add(fact.topic)
        return len(topics)

    @staticmethod
    def _count_groups(
        question_type: QuestionType,
        candidates: list[Fact],
        context: GenerationContext,
        limit: int,
    ) -> int:
        select = GROUP_SELECTORS[question_type.name]
        minimum = _FixedSize()
        used: set[str] = set()
        guard = SetGuard()
        groups = trials = misses = 0
        for index, first in enumerate(candidates):
            if groups >= limit or trials >= TRIAL_LIMIT or misses >= GROUP_MISSES:
                break
            if first.topic in used:
                continue
            trials += 1  # a failed selection counts too: the work stays bounded
            following = (candidates[k] for k in range(index + 1, len(candidates)))
            partners = list(
                islice(
                    (f for f in following if f.topic not in used and f.topic != first.topic),
                    GROUP_WINDOW,
                )
            )
            group = select(first, _same_passage_first(first, partners), minimum)
            if group is None:
                misses += 1
                continue
            group = group[:MIN_GROUP]
            misses = 0
            question = _build(question_type, group, context)
            if question is not None and guard.admit(exposure(question, group)):
                used.update(f.topic for f in group)
                groups += 1
        return groups

    # -----------------------------------------------------------------------------------------
    # Drawing a set

    def generate(
        self,
        count: int,
        language: str,
        seed: int | str,
        types: Iterable[str] = DEFAULT_TYPES,
        *,
        accept_shortfall: bool = False,
    ) -> list[Question]:
        """A set of `count` questions in the language, mixing the types, fixed by the seed.

        The set holds only the requested types, split evenly. When the bank cannot give that,
        SetShortfall is raised with the set it can give (its `plan`), unless `accept_shortfall`
        is true: then that set is returned. GenerationError for a request that is not valid or
        for which the bank can make no question at all.
        """
        plan = self.plan(count, language, seed, types)
        if not plan.exact and not accept_shortfall:
            raise SetShortfall(plan)
        return plan.questions

    def plan(
        self,
        count: int,
        language: str,
        seed: int | str,
        types: Iterable[str] = DEFAULT_TYPES,
    ) -> SetPlan:
        """Draw the set for a request and say how it compares with it (see SetPlan).

        Up to PLAN_ATTEMPTS draws (each fixed by the seed) are tried; the first exact one is
        kept, else the largest (closest to the requested split on a tie). GenerationError when
        the request is not valid or the bank can make none of the requested types.
        """
        wanted = list(dict.fromkeys(types))
        unknown = [t for t in wanted if t not in TYPES]
        if unknown:
            raise GenerationError(
                f"unknown question type(s): {', '.join(unknown)} (known: {', '.join(TYPES)})",
                code="unknown_type",
            )
        if not wanted:
            raise GenerationError("choose at least one question type", code="no_types")
        if count < 1:
            raise GenerationError("the number of questions must be at least 1", code="count")
        if not self.facts.get(language) and not any(lang == language for lang, _ in self.authored):
            raise GenerationError(f"the bank has no facts in {language!r}", code="no_language")
        capacity = self.capacity(language)
        requested = requested_split(count, wanted)
        best: SetPlan | None = None
        for attempt in range(PLAN_ATTEMPTS):
            salt = f":{attempt}" if attempt else ""
            rng = random.Random(f"{seed}:{language}:{count}:{','.join(wanted)}{salt}")
            questions = self._draw_set(requested, language, rng, capacity)
            planned = {t: sum(1 for q in questions if q.type == t) for t in wanted}
            plan = SetPlan(
                count=count,
                language=language,
                requested=requested,
                # A draw is a witness: a greedy count never says less than a set really held.
                capacity={t: max(capacity[t], planned[t]) for t in wanted},
                planned=planned,
                questions=questions,
            )
            if plan.exact:
                return plan
            if best is None or _closeness(plan) > _closeness(best):
                best = plan
        assert best is not None
        if not best.questions:
            raise GenerationError(
                f"the bank can make no {'/'.join(wanted)} question in {language!r}", code="empty"
            )
        return best

    def _draw_set(
        self,
        requested: dict[str, int],
        language: str,
        rng: random.Random,
        capacity: dict[str, int],
    ) -> list[Question]:
        """One draw: each type its share, then the short types' slots to the other types."""
        context = GenerationContext(self.bank, self.distractors, rng, forms=self.answer_forms)
        facts = self.facts.get(language, [])
        # Room: a set uses each topic once (see _DrawState).
        state = _DrawState(room=len({f.topic for f in facts}))
        made = dict.fromkeys(requested, 0)
        # Groups first (they need several compatible facts), then the scarcest types.
        order = sorted(requested, key=lambda t: (not TYPES[t].group, capacity[t]))
        # Round by round, one question of each type still below its share: when the bank runs
        # short, every type keeps some of its share rather than the first types taking all.
        active = [t for t in order if requested[t] > 0]
        while active:
            for type_name in list(active):
                drawn = self._draw(type_name, language, context, state, requested, made)
                if not drawn or made[type_name] >= requested[type_name]:
                    active.remove(type_name)
        missing = sum(requested.values()) - sum(made.values())
        open_types = [t for t in requested if capacity[t] > made[t]]
        while missing > 0 and open_types:
            # The type with the most room left takes the next slot.
            open_types.sort(key=lambda t: made[t] - capacity[t])
            type_name = open_types[0]
            if self._draw(type_name, language, context, state, requested, made):
                missing -= 1
            else:
                open_types.remove(type_name)
        return [state.questions[i] for i in state.guard.ordered(rng)]

    def _draw(
        self,
        type_name: str,
        language: str,
        context: GenerationContext,
        state: _DrawState,
        requested: dict[str, int],
        made: dict[str, int],
    ) -> bool:
        """Add one question of the type to the set; False when the type has nothing left."""
        question_type = TYPES[type_name]
        candidates = self.eligible.get((language, type_name), [])
        written = [
            q
            for q in self.authored.get((language, type_name), [])
            if f"q:{q.id}" not in state.used_facts
        ]
        rng = context.rng
        # Hand-written questions take their share of the draws, in proportion to their number.
        written_first = bool(written) and rng.random() < len(written) / (
            len(written) + len(candidates)
        )
        max_group = self._group_size(state, requested, made)
        draws = [self._from_facts, self._written]
        if written_first:
            draws.reverse()
        for draw in draws:
            found = draw(question_type, candidates, written, language, context, state, max_group)
            if found is not None:
                question, shown, facts = found
                state.add(question, shown, facts)
                made[type_name] += 1
                return True
        return False

    @staticmethod
    def _group_size(state: _DrawState, requested: dict[str, int], made: dict[str, int]) -> int:
        """The largest group this draw may use without taking topics the set still needs."""
        groups_left = sum(max(0, n - made[t]) for t, n in requested.items() if TYPES[t].group)
        singles_left = sum(max(0, n - made[t]) for t, n in requested.items() if not TYPES[t].group)
        spare = state.room - len(state.used_topics) - singles_left
        spare -= MIN_GROUP * max(groups_left, 1)
        share = spare // max(groups_left, 1)
        return MIN_GROUP + max(0, min(MAX_GROUP - MIN_GROUP, share))

    @staticmethod
    def _written(
        question_type: QuestionType,
        candidates: list[Fact],
        written: list[BankQuestion],
        language: str,
        context: GenerationContext,
        state: _DrawState,
        max_group: int,
    ) -> tuple[Question, Exposure, list[Fact]] | None:
        shuffled = list(written)
        context.rng.shuffle(shuffled)
        for item in shuffled:
            question = as_question(
                item.question,
                context.rng,
                question_id=f"q:{item.id}",
                language=language,
                source=context.passage_ref(item.passage_id) if item.passage_id else None,
            )
            shown = exposure(question)
            if state.guard.admit(shown):
                return question, shown, []
        return None

    @staticmethod
    def _from_facts(
        question_type: QuestionType,
        candidates: list[Fact],
        written: list[BankQuestion],
        language: str,
        context: GenerationContext,
        state: _DrawState,
        max_group: int,
    ) -> tuple[Question, Exposure, list[Fact]] | None:
        rng = context.rng

        def fresh(fact: Fact) -> bool:
            return fact.id not in state.used_facts and fact.topic not in state.used_topics

        if question_type.group:
            choices = _groups(question_type, candidates, rng, fresh, max_group)
        else:
            choices = [[first] for first in _draw_facts(candidates, rng, fresh)]
        for facts in choices:
            # A question that would give another's answer away is built again (another stem,
            # other options), then put back for another fact.
            for _ in range(BUILD_TRIES):
                question = _build(question_type, facts, context)
                if question is None:
                    break
                shown = exposure(question, facts)
                if state.guard.admit(shown):
                    return question, shown, facts
        return None


class _DrawState:
    """A set being drawn: its questions, the facts and topics they use, the leak guard.

    A set never repeats a topic (a topic is one fact in other words or languages). It may use
    several facts of one passage: the passage shown after one question states the others'
    answers, and those are masked until answered (see `quizapp.core.masking`). `room` is how
    many facts of distinct topics the language could give at most.
    """

    def __init__(self, room: int):
        self.room = room
        self.questions: list[Question] = []
        self.used_facts: set[str] = set()
        self.used_topics: set[str] = set()
        self.guard = SetGuard()

    def add(self, question: Question, shown: Exposure, facts: list[Fact]) -> None:
        """Record a question the guard has admitted."""
        self.questions.append(question)
        if facts:
            self.used_facts.update(f.id for f in facts)
            self.used_topics.update(f.topic for f in facts)
        else:
            self.used_facts.add(question.fact_id)


def _groups(
    question_type: QuestionType,
    candidates: list[Fact],
    rng: random.Random,
    fresh,
    max_group: int,
) -> list[list[Fact]]:
    """Up to GROUP_CHOICES candidate groups for a group type, those showing the fewest passages
    first (fewer passages to read in the feedback); ties keep their random order."""
    select = GROUP_SELECTORS[question_type.name]
    groups: list[list[Fact]] = []
    for first in _draw_facts(candidates, rng, fresh):
        partners = [
            f
            for f in _draw_facts(candidates, rng, fresh)
            if f.id != first.id and f.topic != first.topic
        ]
        group = select(first, _same_passage_first(first, partners), rng)
        if group is not None:
            groups.append(group[:max_group])
            if len(groups) == GROUP_CHOICES:
                break
    return sorted(groups, key=lambda g: len({f.passage_id for f in g}))


def _same_passage_first(first: Fact, partners: list[Fact]) -> list[Fact]:
    """Partners from the first fact's passage first: the group's feedback then shows fewer
    passages to read, and its labels and answers, drawn from one passage, clash less with the
    stems and options of the rest of the set."""
    return sorted(partners, key=lambda f: f.passage_id != first.passage_id)


def _closeness(plan: SetPlan) -> tuple[int, int]:
    """Order draws: more questions first, then fewer slots away from the requested split."""
    away = sum(abs(plan.planned[t] - n) for t, n in plan.requested.items())
    return (plan.total, -away)


def _build(
    question_type: QuestionType, facts: list[Fact], context: GenerationContext
) -> Question | None:
    """The type's question of these facts, trying BUILD_TRIES times (builders may draw)."""
    for _ in range(BUILD_TRIES):
        question = question_type.build(facts, context)
        if question is not None:
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
