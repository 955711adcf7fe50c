"""flask integrations …: create integrations, rotate their secrets and tokens, switch them."""

import click
from flask import current_app
from flask.cli import AppGroup

from feedserver.extensions import db
from feedserver.integrations.secrets import rotate_secret
from feedserver.integrations.service import (
    VENDORS,
    IntegrationError,
    create_integration,
    find_integration,
    reissue_token,
    set_enabled,
)

integrations_cli = AppGroup("integrations", help="Other systems that push changes in.")


def _find(ref: str):
    integration = find_integration(ref)
    if integration is None:
        raise click.ClickException(f"no integration {ref!r}")
    return integration


@integrations_cli.command("create")
@click.argument("name")
@click.option("--vendor", type=click.Choice(VENDORS), help="A vendor's own format.")
@click.option("--source", help="Record source of its records (default: vendor or feedserver).")
def create_command(name, vendor, source) -> None:
    """Create an integration; prints its API token and signing secret (shown only once)."""
    try:
        created = create_integration(name, vendor=vendor, source=source)
    except IntegrationError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Created integration {created.integration.id} {name!r}")
    click.echo(f"token: {created.token}")
    click.echo(f"signing secret: {created.signing_secret}")


@integrations_cli.command("rotate-secret")
@click.argument("integration")
@click.option("--grace-seconds", type=click.IntRange(min=0), help="How long old secrets verify.")
def rotate_secret_command(integration, grace_seconds) -> None:
    """Issue a new signing secret; the old ones verify until the grace period ends."""
    found = _find(integration)
    if grace_seconds is None:
        grace_seconds = current_app.config["INTEGRATION_SECRET_GRACE_SECONDS"]
    secret = rotate_secret(found, grace_seconds)
    db.session.commit()
    click.echo(f"signing secret: {secret}")
    click.echo(f"previous secrets verify for {grace_seconds} more seconds")


@integrations_cli.command("rotate-token")
@click.argument("integration")
def rotate_token_command(integration) -> None:
    """Revoke the API token now and print a new one."""
    token = reissue_token(_find(integration))
    db.session.commit()
    click.echo(f"token: {token}")


@integrations_cli.command("disable")
@click.argument("integration")
def disable_command(integration) -> None:
    """Refuse every request of the integration from now on."""
    set_enabled(_find(integration), False)
    db.session.commit()
    click.echo("disabled")


@integrations_cli.command("enable")
@click.argument("integration")
def enable_command(integration) -> None:
    """Accept the integration's requests again."""
    set_enabled(_find(integration), True)
    db.session.commit()
    click.echo("enabled")
