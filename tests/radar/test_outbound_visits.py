"""Signed outbound webhooks carry team and company visits, never private ones."""

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.models import OutboxMessage


def test_a_private_visit_is_never_queued_for_another_system(org, api_as, app, log_visit):
    response = api_as(org.admin).post(
        "/subscriptions", json={"url": "http://127.0.0.1:9/crm", "event_types": ["visit.logged"]}
    )
    assert response.status_code == 201, response.json
    team = log_visit(org.ana, org.acme, purpose="QBR")
    log_visit(org.ana, org.acme, purpose="Secret", visibility="private")
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage)).all()
        assert [row.event_type for row in rows] == ["visit.logged"]
        assert rows[0].payload["data"]["object"]["id"] == team["id"]
