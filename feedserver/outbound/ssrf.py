"""Refuse outbound requests to loopback, private and link-local addresses unless allowed."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


class UnsafeUrl(ValueError):
    """A URL we will not call, with the reason."""


@dataclass(frozen=True)
class Target:
    """A checked destination: connect to `address`, but speak to `host` (Host header, TLS)."""

    scheme: str
    host: str
    port: int
    address: str
    path: str


def parse_url(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("the URL must start with http:// or https://")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("credentials in the URL are not allowed")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeUrl("the URL's port is not a number") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, allow_hosts: list[str], allow_private: bool) -> Target:
    """Resolve the URL's host and choose an address we may call, or raise UnsafeUrl."""
    scheme, host, port, path = parse_url(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeUrl(f"cannot resolve {host}: {exc}") from None
    addresses = [info[4][0] for info in infos]
    allowed = allow_private or host in allow_hosts
    for address in addresses:
        if not (allowed or address in allow_hosts or is_public(address)):
            # One private answer refuses the host: DNS could hand out either.
            raise UnsafeUrl(f"{host} resolves to {address}, a private or loopback address")
    return Target(scheme, host, port, addresses[0], path)
