"""Server-rendered pages."""

from flask import Flask


def register_web(app: Flask) -> None:
    from feedserver.web import (
        admin,
        auth_pages,
        conversation_pages,
        follows,
        pages,
        people,
        records,
        settings,
    )
    from feedserver.web.security import init_security
    from feedserver.web.template_helpers import init_template_helpers

    init_security(app)
    init_template_helpers(app)
    for module in (
        auth_pages,
        pages,
        records,
        people,
        follows,
        settings,
        admin,
        conversation_pages,
    ):
        app.register_blueprint(module.bp)
    from feedserver.web import radar

    app.register_blueprint(radar.bp)
