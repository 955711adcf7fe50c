"""Server-rendered pages."""

from flask import Flask


def register_web(app: Flask) -> None:
    from feedserver.web import auth_pages, pages

    app.register_blueprint(auth_pages.bp)
    app.register_blueprint(pages.bp)
