"""The Python signer in docs/webhooks.md, run as written, gets an event into a follower's feed."""

import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.integrations.support import create_integration, record_event, record_ref

DOC = Path(__file__).parents[2] / "docs" / "webhooks.md"


def _doc_signer() -> dict:
    code = re.search(r"```python signer\n(.*?)```", DOC.read_text(), re.S).group(1)
    namespace = {"__name__": "docs_signer"}
    exec(compile(code, str(DOC), "exec"), namespace)  # the doc's own code, not a copy
    return namespace


@pytest.fixture
def live_server(app):
    """The app served on a free 127.0.0.1 port in a thread, for real HTTP clients."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_doc_signer_sends_an_event_a_follower_then_sees(make, api_as, client, live_server):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("raj@example.com", "Raj Patel")
    fan = make.user("fan@example.com")
    erp = create_integration(api_as, admin)
    signer = _doc_signer()

    created = signer["send"](
        live_server,
        erp.id,
        erp.secret,
        record_event(
            "record.created", "opportunity", "OPP-1", name="Acme renewal", owner=rep.email
        ),
    )
    assert created["events"][0]["status"] == "processed", created
    make.follow(fan, record_ref(created["events"][0]["result"]["record_id"]))

    updated = signer["send"](
        live_server,
        erp.id,
        erp.secret,
        {
            "type": "record.updated",
            "actor": "raj@example.com",
            "record": {
                "type": "opportunity",
                "external_id": "OPP-1",
                "fields": {"stage": "Closed Won"},
            },
        },
    )
    assert updated["events"][0]["status"] == "processed", updated
    item = api_as(fan).get("/feed/home").json["items"][0]
    assert item["actor"]["name"] == "Raj Patel"
    assert item["changes"] == [{"field": "stage", "old": None, "new": "Closed Won"}]
