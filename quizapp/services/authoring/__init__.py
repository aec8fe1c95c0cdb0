"""Teachers' authoring: banks, sources, facts and hand-written questions, edited in the browser.

One module per concept: `banks` (create, update, remove, restore; `slugify`, `touch`),
`sources` (passages with ids; facts re-anchored or flagged on an edit), `facts` (the editor's
fields checked by the core rules, previews, the facts a question may be linked to) and
`questions` (hand-written questions, the form's ticks and weights); `errors` holds
`AuthoringError`. This package is their public face: callers write `authoring.save_fact(...)`.

Every change bumps the bank's version, so the question pools of all workers rebuild. Facts are
validated by the same core rules as bank folders; a source edit keeps the facts whose evidence
still stands in the text (moving their offsets if needed) and flags the others for review.
Every change takes the acting user first and checks `services.permissions` before anything else
(NotFound or Forbidden), so no caller can skip the rules.
"""

from __future__ import annotations

from quizapp.services.authoring.banks import (
    create_bank,
    remove_bank,
    restore_bank,
    slugify,
    touch,
    update_bank,
)
from quizapp.services.authoring.errors import AuthoringError
from quizapp.services.authoring.facts import (
    FACT_FIELDS,
    categories_by_kind,
    fact_choices,
    fact_from_input,
    preview_fact,
    retire_fact,
    save_fact,
)
from quizapp.services.authoring.questions import (
    retire_question,
    save_question,
    ticks_from_weights,
    weights_from_ticks,
)
from quizapp.services.authoring.sources import (
    SourceEditReport,
    add_source,
    anchored_text,
    split_with_anchors,
    update_source,
)

__all__ = [
    "FACT_FIELDS",
    "AuthoringError",
    "SourceEditReport",
    "add_source",
    "anchored_text",
    "categories_by_kind",
    "create_bank",
    "fact_choices",
    "fact_from_input",
    "preview_fact",
    "remove_bank",
    "restore_bank",
    "retire_fact",
    "retire_question",
    "save_fact",
    "save_question",
    "slugify",
    "split_with_anchors",
    "ticks_from_weights",
    "touch",
    "update_bank",
    "update_source",
    "weights_from_ticks",
]
