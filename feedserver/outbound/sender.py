"""Send one signed POST to a checked address (the resolved IP is pinned: no DNS rebinding)."""

import http.client
import socket
import ssl
from dataclasses import dataclass

from feedserver.outbound.ssrf import Target


@dataclass
class Answer:
    status_code: int | None
    error: str | None = None


def _pinned(connection_class, target: Target, timeout: float):
    connection = connection_class(target.host, target.port, timeout=timeout)

    def connect_to_checked_address(address, timeout=None, source_address=None):
        return socket.create_connection((target.address, target.port), timeout, source_address)

    # http.client connects through this hook; TLS still verifies the certificate for `host`.
    connection._create_connection = connect_to_checked_address
    return connection


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST `body`; the answer's status code, or the network error that prevented one."""
    if target.scheme == "https":
        context = ssl.create_default_context()

        def https(host, port, timeout):
            return http.client.HTTPSConnection(host, port, timeout=timeout, context=context)

        connection = _pinned(https, target, timeout)
    else:
        connection = _pinned(http.client.HTTPConnection, target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # drain a little; the body is not used
        return Answer(response.status)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()
