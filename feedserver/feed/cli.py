"""`flask feed …`: operator commands for the feed (finishing background fan-outs)."""

import click
from flask.cli import AppGroup

from feedserver.feed.fanout_jobs import run_pending_jobs

feed_cli = AppGroup("feed", help="Feed maintenance.")


@feed_cli.command("fan-out")
def fan_out_command() -> None:
    """Finish every pending large fan-out (what a crashed or busy server left undone)."""
    written = run_pending_jobs()
    click.echo(f"Fan-out finished: {written} inbox rows written.")
