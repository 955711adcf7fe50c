"""CSRF on page forms, security headers on every response."""

import pytest


@pytest.fixture
def csrf_client(app, monkeypatch):
    # The suite turns CSRF off for convenience; these tests turn it back on, as in production.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app.test_client()


def test_every_page_carries_the_security_headers(client):
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_form_post_without_csrf_token_is_refused(csrf_client):
    response = csrf_client.post("/login", data={"email": "a@example.com", "password": "x"})
    assert response.status_code == 400


def test_login_form_carries_a_csrf_token(csrf_client):
    assert 'name="csrf_token"' in csrf_client.get("/login").get_data(as_text=True)


def test_json_api_is_exempt_from_form_csrf(csrf_client):
    # The API has its own defence (bearer token, or X-Requested-With for sessions).
    response = csrf_client.post("/api/v1/follows", json={"kind": "user", "id": 1})
    assert response.status_code == 401


def test_session_cookie_is_httponly_and_samesite(client, make):
    make.user("vera@example.com")
    response = client.post("/login", data={"email": "vera@example.com", "password": "secret"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
