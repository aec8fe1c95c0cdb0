"""Template filters for the teachers' pages: kinds of answer and accepted numbers in words."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _

from quizapp.core.authored import NumericAnswer
from quizapp.web.teach.access import bp
from quizapp.web.teach.forms import (
    KIND_NAMES,
)


@bp.app_template_filter("kind_name")
def kind_name(kind: str) -> str:
    """A fact's kind of answer in words in the interface language ("number" → "number or ...")."""
    return str(KIND_NAMES.get(kind, kind))


@bp.app_template_filter("numeric_answer")
def numeric_answer(answer: NumericAnswer) -> str:
    """An accepted number as a teacher reads it, in the interface language ("3,5 ± 0,1").

    Without thousands separators: the numbers asked are often years, and "1.944" is no year.
    """

    def number(value: float | None) -> str:
        return format_decimal(value or 0, format="#0.##########")

    if answer.low is not None and answer.high is not None:
        low, high = sorted((answer.low, answer.high))
        return _("%(low)s to %(high)s", low=number(low), high=number(high))
    if answer.tolerance:
        return f"{number(answer.value)} ± {number(answer.tolerance)}"
    return number(answer.value)
