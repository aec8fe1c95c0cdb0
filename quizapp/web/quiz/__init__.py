"""Taking a quiz: the blueprint `quiz` and the modules that add its routes.

One module per step: `starting` (the home page with a start form per bank, starting a quiz,
the confirmation of a smaller set), `taking` (one question per page with its feedback, flags,
finishing), `results` (an attempt's results and review, practising what was missed,
discarding an open attempt); `limits` holds the rate limits every start and answer share
with the JSON API. Endpoint names are the blueprint's: `quiz.home`, `quiz.question`...
"""

from flask import Blueprint

bp = Blueprint("quiz", __name__)

# Imported for their routes on `bp`, after it exists (each module imports it from here).
from quizapp.web.quiz import results, starting, taking  # noqa: E402

__all__ = ["bp", "results", "starting", "taking"]
