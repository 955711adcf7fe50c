"""MAX_CONNECTIONS reaches eventlet's WSGI server (whose own default would be 1,024)."""

import pytest
import requests
import websocket

pytestmark = pytest.mark.slow


def _open_socket(server):
    url = f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket"
    sock = websocket.create_connection(url, timeout=10)
    assert sock.recv().startswith("0{")  # Engine.IO open: this connection holds a slot
    return sock


@pytest.mark.sqlite_pass
def test_eventlet_serves_at_most_max_connections_at_once(served_db, start_server):
    server = start_server(served_db.url, mode="eventlet", MAX_CONNECTIONS="3")
    sockets = [_open_socket(server) for _ in range(3)]
    handshake = f"{server.url}/socket.io/?EIO=4&transport=polling"
    try:
        # A fourth connection waits for a free slot instead of being served.
        with pytest.raises(requests.exceptions.ReadTimeout):
            requests.get(handshake, headers={"Connection": "close"}, timeout=2)
        sockets.pop().close()
        assert requests.get(handshake, timeout=10).status_code == 200
    finally:
        for sock in sockets:
            sock.close()
