"""Command line for LTI: `flask --app quizapp lti send-grades` (for a cron job)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

lti_cli = AppGroup("lti", help="LTI 1.3: grades waiting for the LMS.")


@lti_cli.command("send-grades")
@click.option("--limit", default=500, show_default=True, help="Grades to try at most.")
def send_grades_command(limit: int) -> None:
    """Send the grades due to LMSs (those whose earlier sending failed); prints the counts."""
    from quizapp.services.lti.grades import deliver_due

    outcome = deliver_due(limit=limit)
    click.echo(f"sent {outcome.sent}, failed {outcome.failed}, nothing to send {outcome.dropped}")
