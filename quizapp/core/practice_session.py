"""A session of spaced practice: which facts it asks, in what order, each in which form.

Facts that are due come first, the least likely to be recalled first (lowest FSRS
retrievability); then facts never answered, in the bank's order, as many as the learner's
daily allowance of new facts leaves; at most SESSION_SIZE in all. Each fact is asked in the
form `core.memory.next_form` chooses among the single-fact forms it can be asked as (a fresh
form: not the one last seen), falling back to its other forms when that one does not build or
would give another question's answer away. Pure logic on an indexed bank (no Flask).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from quizapp.core.bank import Fact
from quizapp.core.leaks import SetGuard, exposure
from quizapp.core.question_pool import BUILD_TRIES, QuestionPool
from quizapp.core.question_types import TYPES, GenerationContext, Question

# The most facts one session asks: a sitting of a few minutes (Anki's default of 20 new cards
# a day is of the same order), and a page that says what it will ask.
SESSION_SIZE = 20
# The forms a single fact can be asked in by itself (ordering and matching need several facts,
# multiple answers only hand-written questions).
SINGLE_FORMS = tuple(name for name, kind in TYPES.items() if kind.from_facts and not kind.group)

# next_form(available, last_type, last_correct, recall_failures, rng) -> a form of `available`
FormChooser = Callable[[Sequence[str], "str | None", "bool | None", int, random.Random], str]


@dataclass(frozen=True)
class LastSeen:
    """How the learner last met a fact (its memory card): the form, whether the answer was
    right, and the wrong answers in a row in a recall form. All None/0 for a new fact."""

    last_type: str | None = None
    last_correct: bool | None = None
    recall_failures: int = 0


@dataclass(frozen=True)
class SessionPlan:
    """The facts (bank keys) a session asks: the due ones first, then the new ones."""

    due: tuple[str, ...]
    new: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """Every fact of the session, in the order asked."""
        return self.due + self.new

    def __len__(self) -> int:
        return len(self.due) + len(self.new)


def new_allowance(daily_limit: int, introduced_today: int) -> int:
    """New facts still allowed today: the learner's daily limit less the facts they met for
    the first time today (never below 0)."""
    return max(0, daily_limit - max(0, introduced_today))


def plan_session(
    due: Sequence[tuple[str, float]],
    new: Sequence[str],
    new_allowed: int,
    size: int = SESSION_SIZE,
) -> SessionPlan:
    """The session's facts: the due facts, given as (key, retrievability now), lowest
    retrievability first (ties keep the order given), up to `size`; then `new` facts in the
    order given, up to `new_allowed` and the room left. A key listed as both due and new is
    asked once, as due. Raises ValueError for a negative size."""
    if size < 0:
        raise ValueError("a session size cannot be negative")
    ordered = sorted(enumerate(due), key=lambda pair: (pair[1][1], pair[0]))
    chosen_due = tuple(dict.fromkeys(key for _index, (key, _r) in ordered))[:size]
    room = min(max(new_allowed, 0), size - len(chosen_due))
    taken = set(chosen_due)
    chosen_new = tuple(key for key in dict.fromkeys(new) if key not in taken)[:room]
    return SessionPlan(chosen_due, chosen_new)


def askable_forms(pool: QuestionPool, language: str) -> dict[str, list[str]]:
    """Per fact key of the language, the single-fact forms it can be asked as (the pool's
    eligibility, which already leaves out a curator's `skip_types`), in registry order. A fact
    that no single form can ask is left out: practice cannot ask it."""
    forms: dict[str, list[str]] = {}
    for name in SINGLE_FORMS:
        for fact in pool.eligible.get((language, name), []):
            forms.setdefault(fact.id, []).append(name)
    return {key: [n for n in SINGLE_FORMS if n in names] for key, names in forms.items()}


def practice_questions(
    pool: QuestionPool,
    plan: SessionPlan,
    language: str,
    seen: Mapping[str, LastSeen],
    rng: random.Random,
    choose_form: FormChooser,
    spare_new: Sequence[str] = (),
) -> list[Question]:
    """One question per fact of the plan, in its order, each in the form `choose_form` picks
    from the fact's askable forms and how it was last seen (`seen`; a key missing there is a
    new fact). A form that does not build, or whose stem or options would state another
    question's answer (as in any set, `core.leaks.SetGuard`), is passed over and the choice is
    made again among the forms left. A due fact no form can ask is left out; a new one is
    replaced by the next of `spare_new` (new facts after the plan's, in order) that can be
    asked, so the session still brings as many new facts as planned when the bank has them."""
    context = GenerationContext(pool.bank, pool.distractors, rng, forms=pool.answer_forms)
    facts = {fact.id: fact for fact in pool.facts.get(language, [])}
    available = askable_forms(pool, language)
    guard = SetGuard()

    def ask(key: str) -> Question | None:
        fact = facts.get(key)
        if fact is None:
            return None
        last = seen.get(key, LastSeen())
        return _fresh_question(fact, available.get(key, []), last, context, guard, choose_form)

    questions = [q for q in map(ask, plan.due) if q is not None]
    wanted = len(plan.new)
    planned = set(plan.keys)
    candidates = list(plan.new) + [k for k in dict.fromkeys(spare_new) if k not in planned]
    made = 0
    for key in candidates:
        if made >= wanted:
            break
        question = ask(key)
        if question is not None:
            questions.append(question)
            made += 1
    return questions


def _fresh_question(
    fact: Fact,
    forms: Sequence[str],
    last: LastSeen,
    context: GenerationContext,
    guard: SetGuard,
    choose_form: FormChooser,
) -> Question | None:
    left = list(forms)
    while left:
        name = choose_form(
            left, last.last_type, last.last_correct, last.recall_failures, context.rng
        )
        if name not in left:  # a chooser must pick among the forms offered
            raise ValueError(f"form {name!r} is not one of {left}")
        for _try in range(BUILD_TRIES):
            question = TYPES[name].build([fact], context)
            if question is None:
                break
            if guard.admit(exposure(question, [fact])):
                return question
        left.remove(name)
    return None
