"""quizapp as an LTI 1.3 Advantage tool: platforms, keys, launches, deep linking, grades back
to the LMS and rosters from it (see docs/lti.md and docs/architecture.md)."""
