"""flask webhooks …: replay a failed inbound event, apply queued ones; run the outbound worker."""

import time

import click
from flask import current_app
from flask.cli import AppGroup

from feedserver.extensions import db
from feedserver.models import InboundEvent

webhooks_cli = AppGroup("webhooks", help="Inbound events and outbound deliveries.")


@webhooks_cli.command("replay")
@click.argument("event_id", type=int)
def replay_command(event_id) -> None:
    """Apply a failed inbound event again, with the integration's current mapping."""
    from feedserver.webhooks.pipeline import ReplayError, replay
    from feedserver.webhooks.translators import translator

    event = db.session.get(InboundEvent, event_id)
    if event is None:
        raise click.ClickException(f"no inbound event {event_id}")
    try:
        event = replay(event, translator(event.message.endpoint))
    except ReplayError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"event {event.id}: {event.status}" + (f" ({event.error})" if event.error else ""))
    if event.status == "failed":
        raise SystemExit(1)


@webhooks_cli.command("apply-queued")
def apply_queued_command() -> None:
    """Apply the events senders asked to be applied after the answer (respond-async)."""
    from feedserver.webhooks.queued import apply_queued

    click.echo(f"{apply_queued()} queued events applied")


@webhooks_cli.command("deliver")
@click.option("--once", is_flag=True, help="One pass over what is due, then exit.")
def deliver_command(once) -> None:
    """Send due outbound webhooks; loops until interrupted unless --once."""
    from feedserver.outbound.worker import deliver_due

    while True:
        tried = deliver_due()
        if once:
            click.echo(f"{tried} deliveries attempted")
            return
        if not tried:
            time.sleep(current_app.config["OUTBOUND_POLL_SECONDS"])
