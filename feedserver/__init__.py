"""Feedserver: an activity-feed collaboration server for CRM teams."""

from flask import Flask


def create_app(config_object="config.Config", with_migrations: bool = True) -> Flask:
    """Build the app: bind extensions, then register each part of the flow.

    `with_migrations=False` leaves out `flask db` (a serving process never migrates; Alembic's
    import alone keeps ~10 MB resident in every server process).
    """
    app = Flask(
        __name__, template_folder="../frontend/templates", static_folder="../frontend/static"
    )
    app.config.from_object(config_object)
    register_extensions(app)
    if with_migrations:
        register_migrations(app)
    register_feed(app)
    register_api(app)
    register_web(app)
    register_realtime(app)
    register_cli(app)
    register_integrations(app)
    return app


def register_extensions(app: Flask) -> None:
    from feedserver import models  # noqa: F401  (every table on the metadata)
    from feedserver.auth import loaders  # noqa: F401  (Flask-Login user loaders)
    from feedserver.extensions import db, login_manager

    db.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"


def register_migrations(app: Flask) -> None:
    from flask_migrate import Migrate

    from feedserver.extensions import db
    from feedserver.models.search import include_in_autogenerate

    Migrate(
        app,
        db,
        directory=str(app.root_path + "/../migrations"),
        include_object=include_in_autogenerate,
    )


def register_feed(app: Flask) -> None:
    from feedserver.feed.cli import feed_cli
    from feedserver.feed.fanout_jobs import install_job_listener
    from feedserver.feed.publish import install_fan_out_listeners

    install_fan_out_listeners()
    install_job_listener()
    app.cli.add_command(feed_cli)


def register_api(app: Flask) -> None:
    from feedserver.api import register_api as register

    register(app)


def register_web(app: Flask) -> None:
    from feedserver.web import register_web as register

    register(app)


def register_realtime(app: Flask) -> None:
    from feedserver.realtime import register_realtime as register

    register(app)


def register_cli(app: Flask) -> None:
    from feedserver.cli import register_cli as register

    register(app)


def register_integrations(app: Flask) -> None:
    from feedserver.integrations.setup import register_integrations as register

    register(app)
