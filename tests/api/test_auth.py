"""Signing in: tokens for programs, sessions for browsers, and clear refusals."""


def test_password_gets_a_token_that_authenticates_me(make, client, api_as):
    make.user("ana@example.com", "Ana Silva", password="pw-ana", token=False)

    response = client.post(
        "/api/v1/auth/token", json={"email": "ANA@example.com", "password": "pw-ana"}
    )

    assert response.status_code == 201
    token = response.json["token"]
    assert token.startswith("fs_") and response.json["prefix"] == token[:10]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["email"] == "ana@example.com"


def test_wrong_password_is_401_in_the_error_shape(make, client):
    make.user("ana@example.com", password="right")

    response = client.post("/api/v1/auth/token", json={"email": "ana@example.com", "password": "x"})

    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert "password" in response.json["error"]["message"]


def test_missing_fields_are_named(client):
    response = client.post("/api/v1/auth/token", json={"email": "ana@example.com"})

    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"password"}


def test_no_credentials_or_bad_token_is_401(client):
    assert client.get("/api/v1/me").status_code == 401
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer fs_nope"})
    assert bad.status_code == 401
    assert bad.json["error"]["status"] == 401


def test_session_login_reaches_the_api_and_needs_a_header_to_change_things(make, client):
    make.user("ana@example.com", "Ana Silva", password="pw")
    fan = make.user("fan@example.com")

    login = client.post("/login", data={"email": "ana@example.com", "password": "pw"})
    assert login.status_code == 302
    assert client.get("/api/v1/me").json["name"] == "Ana Silva"

    forged = client.post("/api/v1/follows", json={"kind": "user", "id": fan.id})
    assert forged.status_code == 403
    assert "X-Requested-With" in forged.json["error"]["message"]
    ok = client.post(
        "/api/v1/follows",
        json={"kind": "user", "id": fan.id},
        headers={"X-Requested-With": "fetch"},
    )
    assert ok.status_code == 200


def test_logout_ends_the_session(make, client):
    make.user("ana@example.com", password="pw")
    client.post("/login", data={"email": "ana@example.com", "password": "pw"})

    client.post("/logout")

    assert client.get("/api/v1/me").status_code == 401


def test_inactive_user_cannot_sign_in_or_use_tokens(make, client, app):
    from feedserver.extensions import db
    from feedserver.models import User

    ana = make.user("ana@example.com", password="pw")
    with app.app_context():
        db.session.get(User, ana.id).active = False
        db.session.commit()

    assert (
        client.post(
            "/api/v1/auth/token", json={"email": "ana@example.com", "password": "pw"}
        ).status_code
        == 401
    )
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {ana.token}"}).status_code
        == 401
    )
