"""Loopback multicast for the discovery tests: nothing here may reach the real LAN.

Every probe is sent with IP_MULTICAST_IF pinned to 127.0.0.1 and every fake rig joins the
group on 127.0.0.1. When the route `224.0.0.0/4 dev lo` is missing and we are root, it is
added for the session (and removed afterwards); otherwise the tests skip, saying why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

GROUP = "224.0.0.75"
LOOPBACK = "127.0.0.1"
ROUTE = ["224.0.0.0/4", "dev", "lo"]


def _route_present() -> bool:
    result = subprocess.run(
        ["ip", "route", "show", "224.0.0.0/4"], capture_output=True, text=True, check=False
    )
    return result.returncode == 0 and "dev lo" in result.stdout


def _loopback_multicast_works() -> bool:
    """Send one datagram to the group on lo and see it arrive."""
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listener,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender,
    ):
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((GROUP, 0))
        port = listener.getsockname()[1]
        membership = socket.inet_aton(GROUP) + socket.inet_aton(LOOPBACK)
        listener.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
        listener.settimeout(1.0)
        sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(LOOPBACK))
        sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0)
        sender.sendto(b"cgapi-self-test", (GROUP, port))
        try:
            return listener.recv(64) == b"cgapi-self-test"
        except OSError:
            return False


@pytest.fixture(scope="session")
def loopback_multicast() -> Iterator[str]:
    """The interface address to pin (127.0.0.1), once loopback multicast is known to work."""
    if not sys.platform.startswith("linux"):
        pytest.skip("loopback multicast tests need Linux")
    if shutil.which("ip") is None:
        pytest.skip("the `ip` command (iproute2) is needed to check the multicast route on lo")
    added = False
    if not _route_present():
        if os.geteuid() != 0:
            pytest.skip(
                "no route 224.0.0.0/4 dev lo and not root: run `ip route add 224.0.0.0/4 dev lo`"
            )
        result = subprocess.run(["ip", "route", "add", *ROUTE], capture_output=True, check=False)
        if result.returncode != 0:
            pytest.skip(f"cannot add the route 224.0.0.0/4 dev lo: {result.stderr!r}")
        added = True
    try:
        if not _loopback_multicast_works():
            pytest.skip("multicast on loopback does not deliver here (container policy?)")
        yield LOOPBACK
    finally:
        if added:
            subprocess.run(["ip", "route", "del", *ROUTE], capture_output=True, check=False)


@pytest.fixture
def mcast_port() -> int:
    """A UDP port for the fake rigs' listener, so parallel runs do not hear each other."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])
