"""The miner side of `--api-mcast`: answer discovery probes as cgminer, sgminer, bfgminer do.

```python
async with MulticastResponder(api_port=4028, bind_host="127.1.0.7", description="rack-3") as r:
    rigs = await discover(interface="127.0.0.1", reply_port=0)
    assert r.answered == 1
```

What the miners do (SPEC §8, NOTES 36-39; cgminer `mcast()` in api.c):

* The listener joins the group (224.0.0.75, `--api-mcast-addr`) and reads UDP port 4028
  (`--api-mcast-port`, the same number as the TCP API port but UDP).
* A request is `<prefix>-<code>-<replyport>`: the prefix is `cgminer` for cgminer, bmminer
  and bfgminer, `sgminer` for sgminer; the code is `--api-mcast-code` (`FTW`). One trailing
  `\\n` is stripped, at most 1023 bytes are read, the datagram must be strictly longer than
  `<prefix>-<code>-` and start with it byte for byte. The reply port is read with C
  `atoi()` (leading blanks and a sign allowed, trailing junk ignored) and must be 1-65535.
* The sender must pass the same address check as a TCP client (`--api-allow`, or only
  127.0.0.1 without it): `allow`. A refused sender gets nothing.
* The answer is one datagram `cgm-<code>-<apiport>-<description>` plus a NUL, sent from a
  fresh socket to (sender address, reply port), never to the group or the sender's port.
  cgminer, bmminer and sgminer always put `FTW` there, even with another
  `--api-mcast-code`; bfgminer puts its configured code.
* The listener sleeps one second before *every* `recvfrom`, whatever the datagram turns out
  to be: at most one datagram (answered or not) per second, the first one after start-up
  at least a second late, and queued datagrams are not lost, only delayed (`min_interval`).

Many responders in one process (a fleet of fake rigs) all on the same port: each socket
sets SO_REUSEADDR and SO_REUSEPORT and binds the *group* address, not INADDR_ANY, so every
one gets its own copy of each multicast datagram (Linux delivers multicast to every
matching socket, whichever reuse option) and unicast datagrams to that port are not
received at all. Real miners bind INADDR_ANY with SO_REUSEADDR; binding the group
only narrows what is received. The group is joined on `interface` (127.0.0.1 by
default) so the probe and the answers never leave the host; the answer's source address is
`bind_host`, the rig's own address (127.x.y.z works on Linux loopback without set-up).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import socket
from typing import TYPE_CHECKING, Literal, get_args

import anyio
import anyio.abc

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from typing_extensions import Self

__all__ = ("MulticastResponder", "Personality", "answer_for")

logger = logging.getLogger(__name__)

Personality = Literal["cgminer", "sgminer", "bfgminer", "bmminer"]

_READ_SIZE = 1023  # cgminer: recvfrom(buf, sizeof(buf) - 1) with char buf[1024]
_REPLY_SIZE = 1023  # snprintf into char replybuf[1024]
_C_SPACE = b" \t\n\v\f\r"


def _c_atoi(data: bytes) -> int:
    """C `atoi()` as glibc does it: `(int) strtol(text, NULL, 10)`."""
    text = data.split(b"\0", 1)[0].lstrip(_C_SPACE)
    sign = 1
    if text[:1] in (b"+", b"-"):
        sign = -1 if text[:1] == b"-" else 1
        text = text[1:]
    digits = len(text) - len(text.lstrip(b"0123456789"))
    if digits == 0:
        return 0
    value = sign * int(text[:digits])
    value = max(-(1 << 63), min(value, (1 << 63) - 1))  # strtol clamps to long
    return ((value + (1 << 31)) % (1 << 32)) - (1 << 31)  # then the cast to int


def answer_for(
    request: bytes,
    *,
    personality: Personality,
    code: str,
    api_port: int,
    description: str,
) -> tuple[int, bytes] | None:
    """The (reply port, answer datagram) a miner sends for `request`, or None if it is silent."""
    data = request[:_READ_SIZE]
    if data.endswith(b"\n"):
        data = data[:-1]
    prefix = ("sgminer" if personality == "sgminer" else "cgminer").encode()
    expect = prefix + b"-" + code.encode() + b"-"
    if len(data) <= len(expect) or not data.startswith(expect):
        return None
    reply_port = _c_atoi(data[len(expect) :])
    if not 1 <= reply_port <= 65535:
        return None
    reply_code = code if personality == "bfgminer" else "FTW"
    body = f"cgm-{reply_code}-{api_port}-{description}".encode()[:_REPLY_SIZE]
    return reply_port, body + b"\0"


class MulticastResponder:
    """One rig's `--api-mcast` listener.

    Use it as `async with MulticastResponder(...) as r:`, or run `await tg.start(r.serve)` in
    your own task group. The socket is open (and probes are queued) once either returns.

    Args:
        api_port: the TCP API port announced in the answer (`--api-port`).
        bind_host: the rig's own IPv4 address; the source address of the answer.
        description: `--api-mcast-des` (empty by default, so answers end with `-`).
        personality: which miner's rules to follow (`cgminer`, `sgminer`, `bfgminer`,
            `bmminer`).
        code: `--api-mcast-code`; must not contain `-`.
        group: `--api-mcast-addr`, an IPv4 multicast group.
        port: `--api-mcast-port`, the UDP port to listen on.
        interface: the local IPv4 address whose interface joins the group.
        allow: the `--api-allow` check of the sender's address; None allows everyone.
        min_interval: seconds slept before reading each datagram (1.0 in real miners).

    Attributes:
        received: datagrams read.
        answered: answers sent.
        ignored: datagrams read and not answered (refused sender or bad request).
    """

    def __init__(
        self,
        *,
        api_port: int,
        bind_host: str,
        description: str = "",
        personality: Personality = "cgminer",
        code: str = "FTW",
        group: str = "224.0.0.75",
        port: int = 4028,
        interface: str = "127.0.0.1",
        allow: Callable[[str], bool] | None = None,
        min_interval: float = 1.0,
    ) -> None:
        if personality not in get_args(Personality):
            raise ValueError(f"unknown personality {personality!r}")
        for name, value in (("api_port", api_port), ("port", port)):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
                raise ValueError(f"{name} must be an int in 1-65535, not {value!r}")
        if not code or "-" in code or not code.isascii() or not code.isprintable():
            raise ValueError(f"code must be printable ASCII without '-', not {code!r}")
        if not ipaddress.ip_address(group).is_multicast or ":" in group:
            raise ValueError(f"group {group!r} is not an IPv4 multicast address")
        for name, address in (("bind_host", bind_host), ("interface", interface)):
            if ipaddress.ip_address(address).version != 4:
                raise ValueError(f"{name} must be an IPv4 address, not {address!r}")
        if not (math.isfinite(min_interval) and min_interval >= 0):
            raise ValueError(f"min_interval must be >= 0, not {min_interval!r}")
        self.api_port = api_port
        self.bind_host = bind_host
        self.description = description
        self.personality: Personality = personality
        self.code = code
        self.group = group
        self.port = port
        self.interface = interface
        self.allow = allow
        self.min_interval = min_interval
        self.received = 0
        self.answered = 0
        self.ignored = 0
        self._task_group: anyio.abc.TaskGroup | None = None

    def __repr__(self) -> str:
        return (
            f"MulticastResponder({self.personality}, {self.bind_host}:{self.api_port}, "
            f"group={self.group}:{self.port}, answered={self.answered})"
        )

    def _open_socket(self) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setblocking(False)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if hasattr(socket, "SO_REUSEPORT"):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((self.group, self.port))
            membership = socket.inet_aton(self.group) + socket.inet_aton(self.interface)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
        except BaseException:
            sock.close()
            raise
        return sock

    async def serve(
        self, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        """Listen and answer until cancelled; `task_status.started()` once the socket is open."""
        udp = await self._open()
        task_status.started()
        await self._listen(udp)

    async def _open(self) -> anyio.abc.UDPSocket:
        raw = self._open_socket()
        try:
            return await anyio.abc.UDPSocket.from_socket(raw)
        except BaseException:
            raw.close()
            raise

    async def _listen(self, udp: anyio.abc.UDPSocket) -> None:
        async with udp:
            while True:
                await anyio.sleep(self.min_interval)
                try:
                    data, (host, _) = await udp.receive()
                except (OSError, anyio.BrokenResourceError) as exc:
                    logger.debug("mcast listener error ignored: %r", exc.__cause__ or exc)
                    await anyio.sleep(0.1)
                    continue
                self.received += 1
                self.handle(data, host)

    def handle(self, data: bytes, host: str) -> bool:
        """Answer one datagram from `host` as the miner would; True if an answer was sent."""
        if self.allow is not None and not self.allow(host):
            self.ignored += 1
            return False
        answer = answer_for(
            data,
            personality=self.personality,
            code=self.code,
            api_port=self.api_port,
            description=self.description,
        )
        if answer is None:
            self.ignored += 1
            return False
        reply_port, datagram = answer
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as reply:
            reply.setblocking(False)
            try:
                reply.bind((self.bind_host, 0))
                reply.sendto(datagram, (host, reply_port))
            except OSError as exc:
                logger.debug("mcast answer to %s:%d failed: %s", host, reply_port, exc)
                self.ignored += 1
                return False
        self.answered += 1
        return True

    async def __aenter__(self) -> Self:
        if self._task_group is not None:
            raise RuntimeError("this MulticastResponder is already running")
        udp = await self._open()
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        task_group.start_soon(self._listen, udp)
        self._task_group = task_group
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        task_group, self._task_group = self._task_group, None
        if task_group is not None:
            task_group.cancel_scope.cancel()
            await task_group.__aexit__(exc_type, exc, tb)
