"""This computer's addresses on the local network, for the phones of a class when the teacher opened the app
on 127.0.0.1 or localhost (an address that, on a phone, means the phone itself).

Found with the standard library only: the addresses the computer's own name resolves to, and the address the
default route leaves from (a UDP socket's "connect" picks it without sending anything). Read again at most
every STALE_AFTER seconds, as the projector page is fetched at every change of a running session.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

STALE_AFTER = 30.0  # seconds: a laptop that moves to another Wi-Fi shows its new address within half a minute
_lock = threading.Lock()
_read_at = float("-inf")
_addresses: tuple[str, ...] = ()


def local_ipv4_addresses() -> tuple[str, ...]:
    """This computer's IPv4 addresses other than loopback (127.x), the default route's first; may be empty."""
    global _read_at, _addresses  # noqa: PLW0603 -- the one bounded cache of this module
    with _lock:
        if time.monotonic() - _read_at > STALE_AFTER:
            _addresses = _read()
            _read_at = time.monotonic()
        return _addresses


def _read() -> tuple[str, ...]:
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("8.8.8.8", 80))  # UDP: nothing is sent, the system only chooses the route
            found.append(probe.getsockname()[0])
    except OSError:
        pass  # no default route (offline): the host name's addresses may still do
    try:
        for *_, sockaddr in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(sockaddr[0]))
    except OSError:
        pass
    return tuple(dict.fromkeys(a for a in found if _reachable_by_others(a)))


def _reachable_by_others(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not (ip.is_loopback or ip.is_unspecified or ip.is_link_local)
