"""flask commands: seed demo data, create users and tokens."""

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from feedserver.extensions import db
from feedserver.models import User


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user_command)
    app.cli.add_command(create_token_command)
    from feedserver.integrations.cli import integrations_cli
    from feedserver.webhooks.cli import webhooks_cli

    app.cli.add_command(integrations_cli)
    app.cli.add_command(webhooks_cli)
    from feedserver.search.cli import search_cli

    app.cli.add_command(search_cli)


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo sales organisation (admin, VP, managers, reps, accounts, deals, history)."""
    from feedserver.demo.seed import seed

    if db.session.scalar(sa.select(sa.func.count(User.id))):
        if if_empty:
            click.echo("Database already has data; demo seed skipped.")
            return
        raise click.ClickException("database is not empty; seed-demo only fills a new database")
    summary = seed()
    db.session.commit()
    click.echo(summary)


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--title")
@click.option("--department")
@click.option("--manager", "manager_email", help="Email of the person they report to.")
@click.option("--admin", is_flag=True)
def create_user_command(email, name, password, title, department, manager_email, admin) -> None:
    """Create a person who can sign in."""
    from feedserver.auth.users import UserError, create_user, find_user_by_email

    manager = None
    if manager_email:
        manager = find_user_by_email(manager_email)
        if manager is None:
            raise click.BadParameter(f"no user {manager_email}", param_hint="--manager")
    try:
        user = create_user(
            email,
            name,
            password,
            title=title,
            department=department,
            manager=manager,
            is_admin=admin,
        )
    except UserError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Created user {user.id} <{user.email}>")


@click.command("create-token")
@with_appcontext
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="A label for the token.")
def create_token_command(email, name) -> None:
    """Create a personal API token and print it (it is shown only this once)."""
    from feedserver.auth.tokens import issue_token
    from feedserver.auth.users import find_user_by_email

    user = find_user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active user {email}")
    _, plaintext = issue_token(user, name)
    db.session.commit()
    click.echo(plaintext)
