"""Admins create integrations (API and CLI), rotate secrets with a grace period, disable them."""

import re

from tests.integrations.support import (
    create_integration,
    record_event,
    send_signed,
    send_with_token,
)


def _event(n=1):
    return record_event("record.created", "account", f"A-{n}", name=f"Acme {n}")


def test_admin_creates_integration_and_secrets_are_shown_only_once(make, api_as):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com")
    assert api_as(rep).post("/integrations", json={"name": "ERP"}).status_code == 403

    created = api_as(admin).post(
        "/integrations",
        json={
            "name": "HubSpot",
            "vendor": "hubspot",
            "credentials": {"client_secrets": ["abc"]},
            "user_map": {"101": "Rep@Example.com"},
        },
    )
    assert created.status_code == 201, created.json
    assert created.json["token"].startswith("fs_")
    assert created.json["signing_secret"].startswith("whsec_")
    assert created.json["bot"]["name"] == "HubSpot (integration)"

    shown = api_as(admin).get(f"/integrations/{created.json['id']}").json
    assert "token" not in shown and "signing_secret" not in shown
    assert shown["credential_keys"] == ["client_secrets"]
    assert "abc" not in str(shown)
    assert shown["user_map"] == {"101": "rep@example.com"}
    assert shown["source"] == "hubspot"

    dupe = api_as(admin).post("/integrations", json={"name": "HubSpot"})
    assert dupe.status_code == 409
    bad = api_as(admin).post(
        "/integrations", json={"name": "X", "vendor": "pipedrive", "credentials": {"oops": 1}}
    )
    assert bad.status_code == 422
    assert "oops" in bad.json["error"]["message"]


def test_cli_creates_an_integration_whose_token_and_secret_work(app, make, client):
    result = app.test_cli_runner().invoke(args=["integrations", "create", "Warehouse"])
    assert result.exit_code == 0, result.output
    token = re.search(r"token: (\S+)", result.output).group(1)
    secret = re.search(r"signing secret: (\S+)", result.output).group(1)
    integration = type("I", (), {"token": token, "secret": secret})
    assert send_with_token(client, integration, _event(1)).status_code == 202
    assert send_signed(client, integration, _event(2)).status_code == 202


def test_rotated_secret_keeps_old_one_valid_only_for_the_grace_period(make, api_as, client, app):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    old = type("I", (), {"secret": erp.secret})

    rotated = api_as(admin).post(f"/integrations/{erp.id}/rotate-secret", json={})
    assert rotated.status_code == 201
    new = type("I", (), {"secret": rotated.json["signing_secret"]})
    assert new.secret != old.secret
    assert send_signed(client, old, _event(1)).status_code == 202
    assert send_signed(client, new, _event(2)).status_code == 202

    result = app.test_cli_runner().invoke(
        args=["integrations", "rotate-secret", str(erp.id), "--grace-seconds", "0"]
    )
    assert result.exit_code == 0, result.output
    newest = type("I", (), {"secret": result.output.split("signing secret: ")[1].split()[0]})
    assert send_signed(client, old, _event(3)).status_code == 401
    assert send_signed(client, new, _event(4)).status_code == 401
    assert send_signed(client, newest, _event(5)).status_code == 202


def test_disabled_integration_is_refused_on_every_path(make, api_as, client, app):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    hub = create_integration(
        api_as, admin, name="Hub", vendor="hubspot", credentials={"client_secrets": ["s"]}
    )
    sf = create_integration(api_as, admin, name="SF", vendor="salesforce")
    for integration in (erp, hub, sf):
        response = api_as(admin).patch(f"/integrations/{integration.id}", json={"enabled": False})
        assert response.status_code == 200
        assert response.json["enabled"] is False

    assert send_with_token(client, erp, _event()).status_code == 401
    assert send_signed(client, erp, _event()).status_code == 401
    bot_api = client.get("/api/v1/records", headers={"Authorization": f"Bearer {erp.token}"})
    assert bot_api.status_code == 401
    assert client.post(f"/api/v1/webhooks/hubspot/{hub.id}", json=[]).status_code == 401
    cdc = client.post(
        "/api/v1/webhooks/salesforce/cdc", json={}, headers={"Authorization": f"Bearer {sf.token}"}
    )
    assert cdc.status_code == 401

    app.test_cli_runner().invoke(args=["integrations", "enable", str(erp.id)])
    assert send_with_token(client, erp, _event()).status_code == 202


def test_rotated_token_replaces_the_old_one_at_once(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    fresh = api_as(admin).post(f"/integrations/{erp.id}/rotate-token").json["token"]
    assert send_with_token(client, erp, _event(1)).status_code == 401
    assert send_with_token(client, type("I", (), {"token": fresh}), _event(2)).status_code == 202
