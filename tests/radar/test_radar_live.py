"""Open radars hear about a visit once it commits: the rep's chain does, other teams do not."""

import time

from feedserver.extensions import socketio as server_socketio


def _socket(app, user):
    client = server_socketio.test_client(app, auth={"token": user.token})
    assert client.is_connected()
    return client


def _visit_events(client, want=1, timeout=5.0):
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        seen += [e["args"][0] for e in client.get_received() if e["name"] == "visit_changed"]
        if len(seen) >= want or time.monotonic() > deadline:
            return seen
        time.sleep(0.01)


def test_a_logged_visit_rings_the_reps_whole_chain_and_not_another_team(
    app, org, log_visit, api_as
):
    vp, maria, tom = (_socket(app, person) for person in (org.vp, org.maria, org.tom))
    visit = log_visit(org.ana, org.acme, purpose="QBR")
    for client in (vp, maria):
        [event] = _visit_events(client)
        assert event["visit_id"] == visit["id"]
        assert event["rep_id"] == org.ana.id
        assert event["status"] == "completed"
    assert _visit_events(tom, timeout=0.5) == []
    for client in (vp, maria, tom):
        client.disconnect()


def test_a_private_visit_rings_only_its_rep(app, org, log_visit):
    ana, vp = _socket(app, org.ana), _socket(app, org.vp)
    visit = log_visit(org.ana, org.acme, visibility="private")
    assert [e["visit_id"] for e in _visit_events(ana)] == [visit["id"]]
    assert _visit_events(vp, timeout=0.5) == []
    ana.disconnect()
    vp.disconnect()
