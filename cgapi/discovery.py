"""Find rigs on the LAN with the miners' multicast probe (`--api-mcast`).

```python
from cgapi.discovery import discover

for rig in await discover(interface="192.168.1.10"):
    async with rig.miner() as m:
        print(rig.host, rig.description, (await m.summary()).hashrate_av)
```

The exchange (SPEC §8, NOTES 36-39), as miner.php's `mcastrigs()` does it:

* We bind a UDP reply socket (port 4027 by default; `reply_port=0` picks a free one) and
  send `cgminer-<code>-<replyport>` and `sgminer-<code>-<replyport>` to the group
  224.0.0.75, port 4028. cgminer, bmminer and bfgminer answer the `cgminer-` probe,
  sgminer only its own `sgminer-` one.
* Each listening miner answers with one unicast datagram to (our address, replyport):
  `cgm-<code>-<apiport>-<description>` and a NUL. cgminer and sgminer always put `FTW` in
  the answer, even when `--api-mcast-code` changed the code they expect; bfgminer puts its
  configured code. Both are accepted. The description may be empty or contain `-`.
* A miner reads one datagram per second (it sleeps 1 s before every `recvfrom`), so the
  answer to a probe can come up to about a second late; miner.php waits 1.5 s per round.
* After each round (`timeout` seconds) we stop when `expect` rigs have answered, else send
  the probes again, `retries` times at most. Answers are deduplicated by (address, API
  port); malformed datagrams are ignored.

Differences from miner.php: `retries` counts the rounds *after* the first (miner.php's
`$mcastretries` counts all of them), the whole answer is read (miner.php reads 32 bytes,
cutting long descriptions), and the `sgminer-` probe is sent too (miner.php sends only
`cgminer-`). IPv4 groups only.

Where multicast does not reach (routed networks, Wi-Fi isolation, blocked IGMP), use
`cgapi.scan.scan()` instead.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import math
import socket
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
import anyio.abc

from .client import Miner
from .errors import LocalProtocolError, TransportError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Sequence

__all__ = (
    "DEFAULT_CODE",
    "DEFAULT_GROUP",
    "DEFAULT_PORT",
    "DEFAULT_REPLY_PORT",
    "DEFAULT_TIMEOUT",
    "DiscoveredMiner",
    "DiscoveryError",
    "discover",
    "discover_iter",
    "parse_answer",
    "probe",
)

logger = logging.getLogger(__name__)

DEFAULT_GROUP = "224.0.0.75"
"""The miners' multicast group (`--api-mcast-addr`)."""
DEFAULT_PORT = 4028
"""UDP port the miners listen on for probes (`--api-mcast-port`)."""
DEFAULT_CODE = "FTW"
"""The probe code (`--api-mcast-code`); cgminer and sgminer always answer with it."""
DEFAULT_REPLY_PORT = 4027
"""UDP port miner.php waits on for answers."""
DEFAULT_TIMEOUT = 1.5
"""Seconds per round, as miner.php's `$mcasttimeout`."""
PROBE_PREFIXES = ("cgminer", "sgminer")
"""Prefixes sent in each round: cgminer, bmminer and bfgminer expect `cgminer-`, sgminer
`sgminer-`."""

_RECEIVE_BUFFER = 1 << 20
_MAX_SOCKET_ERRORS = 16


class DiscoveryError(TransportError):
    """The probe could not be sent or the reply port could not be opened."""


@dataclass(frozen=True, slots=True)
class DiscoveredMiner:
    """A rig that answered the multicast probe.

    Attributes:
        host: the address the answer came from.
        port: the TCP API port the rig announced (`--api-port`).
        description: its `--api-mcast-des` (often empty).
        code: the code in the answer (`FTW` for cgminer and sgminer).
    """

    host: str
    port: int
    description: str
    code: str

    def miner(self, **kwargs: Any) -> Miner:
        """A `Miner` for this rig's API; keyword arguments go to `Miner`."""
        return Miner(self.host, self.port, **kwargs)

    @property
    def address(self) -> str:
        """`host:port` of the API."""
        return f"{self.host}:{self.port}"


def probe(code: str, reply_port: int, prefix: str = "cgminer") -> bytes:
    """The probe datagram: `cgminer-<code>-<replyport>` (no NUL, no newline)."""
    return f"{prefix}-{code}-{reply_port}".encode("ascii")


def parse_answer(
    data: bytes, host: str, *, codes: Sequence[str] = (DEFAULT_CODE,)
) -> DiscoveredMiner | None:
    """Read one answer datagram; None when it is not a valid answer with one of `codes`.

    `cgm-<code>-<apiport>-<description>` followed by a NUL; the NUL and the description
    are optional (miner.php accepts `cgm-FTW-4028` too).
    """
    end = data.find(b"\0")
    if end != -1:
        data = data[:end]
    text = data.decode("utf-8", errors="replace")
    parts = text.split("-", 3)
    if len(parts) < 3 or parts[0] != "cgm" or parts[1] not in codes:
        return None
    port_text = parts[2]
    if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    description = parts[3] if len(parts) == 4 else ""
    return DiscoveredMiner(host, int(port_text), description, parts[1])


def _check_arguments(
    group: str,
    port: int,
    code: str,
    reply_port: int,
    timeout: float,
    retries: int,
    expect: int,
    ttl: int,
) -> None:
    try:
        address = ipaddress.ip_address(group)
    except ValueError:
        raise LocalProtocolError(f"group {group!r} is not an IP address") from None
    if address.version != 4 or not address.is_multicast:
        raise LocalProtocolError(f"group {group!r} is not an IPv4 multicast address")
    for name, value, low in (("port", port, 1), ("reply_port", reply_port, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 65535:
            raise LocalProtocolError(f"{name} must be an int in {low}-65535, not {value!r}")
    if not isinstance(code, str) or not code or not code.isascii() or not code.isprintable():
        raise LocalProtocolError(f"code must be printable ASCII, not {code!r}")
    if "-" in code or " " in code:
        raise LocalProtocolError(f"code {code!r} must not contain '-' or spaces")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise LocalProtocolError(f"timeout must be a number of seconds, not {timeout!r}")
    if not (math.isfinite(timeout) and timeout > 0):
        raise LocalProtocolError(f"timeout must be positive and finite, not {timeout!r}")
    for name, value, high in (("retries", retries, 1000), ("expect", expect, 1 << 30)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
            raise LocalProtocolError(f"{name} must be an int in 0-{high}, not {value!r}")
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 <= ttl <= 255:
        raise LocalProtocolError(f"ttl must be an int in 0-255, not {ttl!r}")


def _interface_option(interface: str | None) -> tuple[bytes | None, str]:
    """IP_MULTICAST_IF value and the local address to bind, for an address or a name."""
    if interface is None:
        return None, "0.0.0.0"
    if not isinstance(interface, str) or not interface:
        raise LocalProtocolError(f"interface must be an IPv4 address or a name, not {interface!r}")
    try:
        address = ipaddress.ip_address(interface)
    except ValueError:
        try:
            index = socket.if_nametoindex(interface)
        except OSError:
            raise LocalProtocolError(f"no network interface named {interface!r}") from None
        # struct ip_mreqn: group (unused here), local address (any), interface index.
        return struct.pack("=4s4si", bytes(4), bytes(4), index), "0.0.0.0"
    if address.version != 4:
        raise LocalProtocolError(f"interface {interface!r} is not an IPv4 address")
    return socket.inet_aton(interface), interface


def _open_socket(interface: str | None, reply_port: int, ttl: int) -> tuple[socket.socket, int]:
    """The reply socket, also used to send the probes; returns it and its bound port."""
    option, local = _interface_option(interface)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setblocking(False)
        if option is not None:
            try:
                sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, option)
            except OSError as exc:
                raise LocalProtocolError(
                    f"cannot send multicast from interface {interface!r}: "
                    f"{exc.strerror or exc} (not an address of this host?)"
                ) from None
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        with contextlib.suppress(OSError):  # room for a burst of answers (capped by the OS)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RECEIVE_BUFFER)
        try:
            sock.bind((local, reply_port))
        except OSError as exc:
            hint = " (pass reply_port=0 for a free port)" if reply_port else ""
            raise DiscoveryError(
                f"cannot open the reply port {local}:{reply_port}: {exc.strerror or exc}{hint}"
            ) from exc
        bound_port: int = sock.getsockname()[1]
    except BaseException:
        sock.close()
        raise
    return sock, bound_port


async def discover_iter(
    *,
    interface: str | None = None,
    group: str = DEFAULT_GROUP,
    port: int = DEFAULT_PORT,
    code: str = DEFAULT_CODE,
    reply_port: int = DEFAULT_REPLY_PORT,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - per round, not a deadline
    retries: int = 0,
    expect: int = 0,
    ttl: int = 1,
) -> AsyncIterator[DiscoveredMiner]:
    """Yield each rig the first time it answers the multicast probe.

    Close the iterator when leaving early (`async with contextlib.aclosing(...)`), so the
    reply socket is released at once.

    Args:
        interface: the local IPv4 address (or interface name) to send the probe from;
            None lets the routing table choose. Use `"127.0.0.1"` for rigs on this host.
        group: the multicast group (`--api-mcast-addr`).
        port: the miners' UDP probe port (`--api-mcast-port`).
        code: the probe code (`--api-mcast-code`, no `-`).
        reply_port: UDP port for the answers; 0 picks a free one.
        timeout: seconds to wait for answers after each probe.
        retries: extra rounds after the first one.
        expect: stop after a round once at least this many rigs answered (0: never early).
        ttl: multicast TTL; 1 keeps the probe on the local network.

    Raises:
        LocalProtocolError: an invalid argument; nothing was sent.
        DiscoveryError: the reply port could not be opened or the probe not sent.
    """
    _check_arguments(group, port, code, reply_port, timeout, retries, expect, ttl)
    codes = (DEFAULT_CODE,) if code == DEFAULT_CODE else (DEFAULT_CODE, code)
    raw, bound_port = _open_socket(interface, reply_port, ttl)
    try:
        udp = await anyio.abc.UDPSocket.from_socket(raw)
    except BaseException:
        raw.close()
        raise
    seen: set[tuple[str, int]] = set()
    async with udp:
        for round_number in range(retries + 1):
            _send_probes(raw, code, bound_port, group, port)
            deadline = anyio.current_time() + timeout
            while True:
                remaining = deadline - anyio.current_time()
                if remaining <= 0:
                    break
                packet: tuple[bytes, tuple[str, int]] | None = None
                with anyio.move_on_after(remaining):
                    packet = await _receive(udp)
                if packet is None:
                    break
                data, (host, _) = packet
                rig = parse_answer(data, host, codes=codes)
                if rig is None:
                    logger.debug("ignored datagram from %s: %r", host, data[:64])
                    continue
                if (rig.host, rig.port) in seen:
                    continue
                seen.add((rig.host, rig.port))
                yield rig
            if expect and len(seen) >= expect:
                logger.debug("%d rigs after round %d: enough", len(seen), round_number + 1)
                break


def _send_probes(sock: socket.socket, code: str, reply_port: int, group: str, port: int) -> None:
    """Send both probes now, on the raw socket, so a failure raises on every backend."""
    for prefix in PROBE_PREFIXES:
        try:
            sock.sendto(probe(code, reply_port, prefix), (group, port))
        except OSError as exc:
            raise DiscoveryError(
                f"cannot send the probe to {group}:{port}: {exc.strerror or exc} "
                "(no multicast route? pass interface=<this host's address on the rig LAN>)",
                address=f"{group}:{port}",
            ) from exc


async def _receive(udp: anyio.abc.UDPSocket) -> tuple[bytes, tuple[str, int]]:
    """The next datagram; socket errors (ICMP from earlier sends) are skipped, a few times."""
    for _ in range(_MAX_SOCKET_ERRORS):
        try:
            return await udp.receive()
        except (OSError, anyio.BrokenResourceError) as exc:
            logger.debug("reply socket error ignored: %r", exc.__cause__ or exc)
    raise DiscoveryError("the reply socket keeps failing")


async def discover(
    *,
    interface: str | None = None,
    group: str = DEFAULT_GROUP,
    port: int = DEFAULT_PORT,
    code: str = DEFAULT_CODE,
    reply_port: int = DEFAULT_REPLY_PORT,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - per round, not a deadline
    retries: int = 0,
    expect: int = 0,
    ttl: int = 1,
) -> list[DiscoveredMiner]:
    """Probe the LAN and return every rig that answered, sorted by address and port.

    Takes `timeout` seconds per round, `retries + 1` rounds at most (fewer when `expect`
    rigs answered). Arguments as for `discover_iter()`.

    Raises:
        LocalProtocolError: an invalid argument; nothing was sent.
        DiscoveryError: the reply port could not be opened or the probe not sent.
    """
    found = [
        rig
        async for rig in discover_iter(
            interface=interface,
            group=group,
            port=port,
            code=code,
            reply_port=reply_port,
            timeout=timeout,
            retries=retries,
            expect=expect,
            ttl=ttl,
        )
    ]
    return sorted(found, key=_sort_key)


def _sort_key(rig: DiscoveredMiner) -> tuple[int, int, str, int]:
    try:
        address = ipaddress.ip_address(rig.host)
    except ValueError:
        return (9, 0, rig.host, rig.port)
    return (address.version, int(address), "", rig.port)
