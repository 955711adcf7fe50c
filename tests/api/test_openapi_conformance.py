"""schemathesis drives every documented operation in-process: no 5xx, nothing off the document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def caller(make):
    """An admin in a small world of records, so generated ids sometimes hit real rows."""
    admin = make.user("admin@example.com", "Alex Admin", admin=True)
    rep = make.user("rep@example.com", "Raj Patel", manager=admin)
    acme = make.record("account", "Acme", owner=rep)
    make.record("opportunity", "Acme deal", owner=rep, account=acme, stage="Prospecting")
    make.follow(admin, rep)
    return admin


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
# Every documented operation is one test with many generated requests: more than the default.
@pytest.mark.timeout(900)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, caller):
    case.call_and_validate(headers={"Authorization": f"Bearer {caller.token}"}, checks=CHECKS)
