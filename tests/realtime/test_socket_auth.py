"""Who may open a socket: a signed-in browser or a token holder, from an allowed origin only."""

import re

import pytest
import requests
import socketio
import websocket


def test_anonymous_socket_is_refused(socket_as):
    anonymous = socket_as()
    assert not anonymous.is_connected()


def test_unknown_token_is_refused(socket_as, make):
    make.user("dana@example.com")
    stranger = socket_as(token="fs_no")
    assert not stranger.is_connected()


def test_malformed_last_seq_is_refused(socket_as, make):
    dana = make.user("dana@example.com")
    bad = socket_as(dana, last_seq="yesterday")
    assert not bad.is_connected()


def test_signed_in_browser_connects_with_its_session_cookie(socket_as, client, make):
    make.user("dana@example.com", password="s3cret-pass")
    response = client.post("/login", data={"email": "dana@example.com", "password": "s3cret-pass"})
    assert response.status_code == 302
    browser = socket_as(flask_client=client)
    assert browser.is_connected()
    assert browser.emit("ping", callback=True) == {"pong": True}


def test_token_holder_connects(socket_as, make):
    dana = make.user("dana@example.com")
    assert socket_as(dana).is_connected()


def test_a_revoked_token_opens_no_more_sockets(socket_as, app, make):
    make.user("dana@example.com", password="s3cret-pass", token=False)
    browser = app.test_client()
    browser.post("/login", data={"email": "dana@example.com", "password": "s3cret-pass"})
    html = browser.post("/settings/tokens", data={"name": "desk app"}).get_data(as_text=True)
    token = re.search(r'value="(fs_[^"]+)"', html).group(1)
    assert socket_as(token=token).is_connected()
    revoke_url = re.search(r'action="(/settings/tokens/\d+/revoke)"', html).group(1)
    assert browser.post(revoke_url).status_code == 302
    assert not socket_as(token=token).is_connected()


@pytest.mark.slow
@pytest.mark.sqlite_pass
def test_foreign_origin_is_refused_but_same_origin_is_not(served_db, start_server):
    """Cross-site WebSocket hijacking: a page elsewhere cannot ride the user's cookie."""
    served_db.make.user("dana@example.com")
    server = start_server(served_db.url)
    handshake = f"{server.url}/socket.io/?EIO=4&transport=polling"
    websocket_url = f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket"

    foreign = requests.get(handshake, headers={"Origin": "https://evil.example"}, timeout=10)
    same = requests.get(handshake, headers={"Origin": server.url}, timeout=10)
    assert foreign.status_code == 400
    assert same.status_code == 200

    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(websocket_url, origin="https://evil.example", timeout=10)
    assert refused.value.status_code == 400
    own_page = websocket.create_connection(websocket_url, origin=server.url, timeout=10)
    assert own_page.recv().startswith("0{")  # the Engine.IO open packet
    own_page.close()


@pytest.mark.slow
@pytest.mark.sqlite_pass
def test_anonymous_and_bad_token_are_refused_by_a_real_server(served_db, start_server):
    server = start_server(served_db.url)
    for auth in ({}, {"token": "fs_not-a-token"}):
        refused = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            refused.connect(server.url, auth=auth, wait_timeout=10)


@pytest.mark.slow
@pytest.mark.sqlite_pass
def test_configured_origin_may_connect(served_db, start_server):
    dana = served_db.make.user("dana@example.com")
    server = start_server(served_db.url, SOCKETIO_CORS_ORIGINS="https://crm.example")
    page = socketio.Client(reconnection=False)
    # Polling sends exactly these headers (websocket-client would add its own Origin).
    page.connect(
        server.url,
        auth={"token": dana.token},
        headers={"Origin": "https://crm.example"},
        transports=["polling"],
        wait_timeout=10,
    )
    assert page.call("ping", timeout=10) == {"pong": True}
    page.disconnect()
