"""Signing secrets and vendor credentials are unreadable in the database, usable by the app."""

import sqlalchemy as sa

from feedserver.extensions import db


def test_integration_secret_and_credentials_are_encrypted_at_rest(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["integrations", "create", "Acme CRM"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from feedserver.models import Integration, IntegrationSecret

        integration = db.session.scalar(sa.select(Integration))
        integration.credentials = {"client_secrets": ["hubspot-client-secret"]}
        db.session.commit()
        plaintext = db.session.scalar(sa.select(IntegrationSecret.secret))
        raw_secret, raw_credentials = db.session.execute(
            sa.text(
                "SELECT s.secret, i.credentials FROM integration_secrets s "
                "JOIN integrations i ON i.id = s.integration_id"
            )
        ).one()

    assert plaintext in result.output  # the CLI showed the usable secret once
    assert raw_secret.startswith("fernet:") and plaintext not in raw_secret
    assert "hubspot-client-secret" not in raw_credentials
    with app.app_context():
        integration = db.session.scalar(sa.select(Integration))
        assert integration.credentials == {"client_secrets": ["hubspot-client-secret"]}
