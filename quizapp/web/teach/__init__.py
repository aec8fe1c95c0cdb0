"""The teachers' area: banks, sources, facts, suggestions, questions, imports and exports.

One blueprint (`bp`, endpoints `teach.*`), its routes in one module per concept: `banks`,
`sources` (with suggested facts), `facts`, `questions` (hand-written), `exchange` (import and
export), `sharing` (co-editors, publishing). `access` holds the blueprint and the loaders that
check who may reach what; `display` the template filters; `forms` the Flask-WTF forms. Views
validate a form, call a service, commit and redirect.
"""

from quizapp.web.teach import banks, display, exchange, facts, questions, sharing, sources
from quizapp.web.teach.access import bp

__all__ = ["banks", "bp", "display", "exchange", "facts", "questions", "sharing", "sources"]
