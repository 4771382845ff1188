"""Find rigs where multicast does not reach: ask every address of a range for `version`.

```python
from contextlib import aclosing

from cgapi.scan import scan

async with aclosing(scan("10.0.0.0/24, 10.0.1.1-50")) as hits:
    async for hit in hits:
        print(hit.host, hit.software, hit.version, hit.model)
```

* Each address gets one TCP connection carrying one valid API request,
  `{"command":"version"}`, and nothing else: some sgminer builds freeze when sent HTTP or
  junk. A closed port answers at once, a silent address costs `timeout`.
* Connections run concurrently, bounded by the open-file limit: the soft `RLIMIT_NOFILE` is
  raised toward the hard limit when more is needed, and some descriptors are left free.
* Rigs are yielded as they answer, not in address order. The software is named from the
  version reply (`identify()`): cgminer, sgminer, bfgminer, bmminer, BOSminer, LuxOS,
  TeamRedMiner, btminer, ccminer, cpuminer, vnish, avalon.
* Targets (`parse_targets()`): CIDR networks (`10.0.0.0/24`, network and broadcast
  addresses skipped), address ranges (`10.0.0.1-10.0.0.50`), octet ranges
  (`10.1-2.1.1-50`, `10.0.0.*`), single IPv4/IPv6 addresses and host names, separated by
  commas or spaces, or given as an iterable of such strings. A malformed piece raises
  `TargetError` naming it, before anything is sent.
"""

from __future__ import annotations

import contextlib
import ipaddress
import itertools
import logging
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from .client import Miner
from .errors import CgapiError, LocalProtocolError, NoReply, RemoteProtocolError, TransportError
from .models import Version
from .protocol import Reply, decode_reply, encode_request
from .transport import TcpTransport, Timeouts

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

    from anyio.streams.memory import MemoryObjectSendStream

    from .protocol import Record, Status

__all__ = (
    "DEFAULT_CONCURRENCY",
    "DEFAULT_TIMEOUT",
    "Identity",
    "ScanHit",
    "TargetError",
    "Targets",
    "fd_budget",
    "identify",
    "parse_targets",
    "scan",
)

logger = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 1024
"""Connections in flight when `concurrency` is not given (less if the fd limit is lower)."""
DEFAULT_TIMEOUT = 3.0
"""Seconds for each address: connect, send `version`, read the reply."""
DEFAULT_LIMIT = 1 << 24
"""Most addresses `parse_targets()` accepts (a /8)."""
VERSION_REQUEST = encode_request("version", (), "json")
"""The only bytes a scan sends: `{"command":"version"}`."""

_FD_HEADROOM = 64
_MAX_REPLY = 256 * 1024


class TargetError(LocalProtocolError):
    """A scan target that is not an address, range, network or host name.

    Attributes:
        target: the offending piece of the target list.
    """

    def __init__(self, message: str, *, target: str) -> None:
        super().__init__(message)
        self.target = target


# --- targets ----------------------------------------------------------------------------------

_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")
_IPV4_CHARS = re.compile(r"[0-9.*-]+")
_OCTET = re.compile(r"0|[1-9][0-9]{0,2}")


@dataclass(frozen=True, slots=True)
class _Run:
    """Consecutive addresses `first..last` (ints) of one IP version."""

    version: int
    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def __iter__(self) -> Iterator[str]:
        make = ipaddress.IPv4Address if self.version == 4 else ipaddress.IPv6Address
        for value in range(self.first, self.last + 1):
            yield str(make(value))


@dataclass(frozen=True, slots=True)
class _Octets:
    """An octet-range pattern such as `10.1-2.1.1-50`: the product of four ranges."""

    ranges: tuple[range, range, range, range]

    @property
    def size(self) -> int:
        return math.prod(len(r) for r in self.ranges)

    def __iter__(self) -> Iterator[str]:
        for octets in itertools.product(*self.ranges):
            yield "{}.{}.{}.{}".format(*octets)


@dataclass(frozen=True, slots=True)
class _Name:
    """One host name or address, kept as written."""

    host: str

    @property
    def size(self) -> int:
        return 1

    def __iter__(self) -> Iterator[str]:
        yield self.host


_Piece = _Run | _Octets | _Name


class Targets(Iterable[str]):
    """The hosts of a parsed target list: iterable (again and again) and sized.

    Hosts come in the order written; overlapping pieces are not merged.
    """

    def __init__(self, pieces: Iterable[_Piece]) -> None:
        self._pieces = tuple(pieces)
        self.size = sum(piece.size for piece in self._pieces)
        """How many hosts (also `len()`, for sizes that fit)."""

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._pieces)

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"<Targets: {self.size} hosts>"


def _parse_octet_range(part: str, piece: str) -> range:
    if part == "*":
        return range(256)
    low_text, dash, high_text = part.partition("-")
    bounds = [low_text, high_text] if dash else [low_text]
    for text in bounds:
        if not _OCTET.fullmatch(text) or int(text) > 255:
            raise TargetError(
                f"bad octet {part!r} in {piece!r}: expected 0-255, N-M or *", target=piece
            )
    low, high = int(bounds[0]), int(bounds[-1])
    if low > high:
        raise TargetError(f"octet range {part!r} in {piece!r} goes backwards", target=piece)
    return range(low, high + 1)


def _parse_ipv4_pattern(piece: str) -> _Piece:
    start, dash, end = piece.partition("-")
    if dash and "-" not in end and start.count(".") == 3 and end.count(".") == 3:
        try:
            first, last = ipaddress.IPv4Address(start), ipaddress.IPv4Address(end)
        except ValueError as exc:
            raise TargetError(f"bad address range {piece!r}: {exc}", target=piece) from None
        if first > last:
            raise TargetError(f"address range {piece!r} goes backwards", target=piece)
        return _Run(4, int(first), int(last))
    parts = piece.split(".")
    if len(parts) != 4:
        raise TargetError(
            f"bad target {piece!r}: an IPv4 address or range has 4 octets", target=piece
        )
    r0, r1, r2, r3 = (_parse_octet_range(part, piece) for part in parts)
    return _Octets((r0, r1, r2, r3))


def _parse_network(piece: str) -> _Piece:
    try:
        network = ipaddress.ip_network(piece, strict=False)
    except ValueError as exc:
        raise TargetError(f"bad network {piece!r}: {exc}", target=piece) from None
    first, last = int(network.network_address), int(network.broadcast_address)
    if network.version == 4 and network.prefixlen <= 30:
        return _Run(4, first + 1, last - 1)  # no network or broadcast address
    if network.version == 6 and network.prefixlen <= 126:
        return _Run(6, first + 1, last)  # no subnet-router anycast address
    return _Run(network.version, first, last)


def _parse_piece(piece: str) -> _Piece:
    if piece.startswith("[") and piece.endswith("]"):
        piece = piece[1:-1]
        if ":" not in piece:
            raise TargetError(f"bad target [{piece}]: brackets are for IPv6", target=piece)
    if "/" in piece:
        return _parse_network(piece)
    if ":" in piece:
        try:
            return _Name(str(ipaddress.IPv6Address(piece)))
        except ValueError as exc:
            raise TargetError(f"bad IPv6 address {piece!r}: {exc}", target=piece) from None
    if _IPV4_CHARS.fullmatch(piece):
        return _parse_ipv4_pattern(piece)
    name = piece.removesuffix(".")
    if len(name) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in name.split(".")):
        raise TargetError(
            f"bad target {piece!r}: not an address, range, network or host name", target=piece
        )
    return _Name(piece)


def _split(spec: object) -> list[str]:
    if isinstance(spec, str):
        return [piece for piece in re.split(r"[\s,]+", spec) if piece]
    if isinstance(spec, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return [str(spec)]
    if isinstance(spec, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return [spec.with_prefixlen]
    if isinstance(spec, Iterable) and not isinstance(spec, (bytes, bytearray)):
        return [piece for item in spec for piece in _split(item)]
    raise TargetError(f"bad target {spec!r}: expected a str or an iterable", target=repr(spec))


def parse_targets(spec: str | Iterable[Any], *, limit: int | None = DEFAULT_LIMIT) -> Targets:
    """Parse a target list into the hosts to scan; every piece is checked before returning.

    Args:
        spec: `"10.0.0.0/24, 10.0.1.1-10.0.1.50 10.2-3.0.1-9 rig7.local ::1"`, or an iterable
            of such strings (or `ipaddress` addresses and networks).
        limit: refuse lists of more hosts than this (None: no limit).

    Raises:
        TargetError: a malformed piece (named in `.target`), an empty list, or too many
            hosts.
    """
    pieces = [_parse_piece(piece) for piece in _split(spec)]
    if not pieces:
        raise TargetError("no targets given", target="")
    targets = Targets(pieces)
    if limit is not None and targets.size > limit:
        raise TargetError(
            f"{targets.size} hosts to scan, more than the limit of {limit}", target=str(spec)
        )
    return targets


# --- naming the software ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    """What a reply tells about the rig's software.

    Attributes:
        software: `cgminer`, `sgminer`, `bfgminer`, `bmminer`, `BOSminer`, `LuxOS`,
            `TeamRedMiner`, `btminer`, `ccminer`, `cpuminer`, `vnish`, `avalon`, else the
            first word of the STATUS Description, else `unknown`.
        version: the software's version, when the reply tells it.
        api_version: the API version (`3.7`...).
        model: the hardware (`Antminer S9`, `AvalonMiner 15-194`...), when told.
        description: the STATUS Description (`cgminer 4.11.1`).
    """

    software: str
    version: str | None = None
    api_version: str | None = None
    model: str | None = None
    description: str | None = None


_HEADER_KEYS = frozenset({"CGMiner", "Cgminer", "BMMiner", "SGMiner", "LUXminer", "Miner", "Type"})


def _version_record(reply: Reply) -> Record | None:
    """The VERSION record, or the version header Bitmain puts first in `stats`."""
    records = reply.section("VERSION")
    if records:
        return records[0]
    stats = reply.section("STATS")
    if stats and "STATS" not in stats[0] and _HEADER_KEYS & stats[0].keys():
        return stats[0]
    return None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _after(text: str | None, word: str) -> str | None:
    """The rest of `text` after its first occurrence of `word` (`vnish 0.9.2` -> `0.9.2`)."""
    if not text:
        return None
    index = text.lower().find(word.lower())
    if index == -1:
        return None
    rest = text[index + len(word) :].strip(" )(")
    return rest.split()[0] if rest.split() else None


def _second_word(text: str | None) -> str | None:
    words = (text or "").split()
    return words[-1] if len(words) > 1 else None


def identify(reply: Reply, status: Status | None = None) -> Identity:
    """Name the software from a `version` reply (other replies work as far as they tell).

    The table, first match wins: LUXminer → LuxOS; BOSminer; TeamRedMiner; btminer or
    Whatsminer → btminer; vnish; BMMiner/bmminer → bmminer; an Avalon product → avalon;
    ccminer; cpuminer; SGMiner/sgminer → sgminer; BFGMiner/bfgminer → bfgminer;
    CGMiner/cgminer → cgminer.
    """
    status = status or reply.status
    record: Record | dict[str, Any] = _version_record(reply) or {}
    description = _text(status.description)
    desc = (description or "").lower()
    msg = (status.msg or "").lower()
    keys = {key.lower(): key for key in record}
    values = " ".join(v for v in (_text(x) for x in record.values()) if v).lower()
    everything = f"{desc} {msg} {values}"

    def field(name: str) -> str | None:
        key = keys.get(name.lower())
        return _text(record.get(key)) if key is not None else None

    api = field("API")
    model = field("Type") or field("PROD")

    def named(software: str, version: str | None) -> Identity:
        return Identity(software, version, api, model, description)

    if "luxminer" in keys or desc.startswith("luxminer"):
        return named("LuxOS", field("LUXminer") or _second_word(description))
    if "bosminer" in keys or "boser" in keys or desc.startswith(("bosminer", "boser")):
        return named("BOSminer", field("BOSminer") or field("BOSer") or _second_word(description))
    if "teamredminer" in everything:
        return named("TeamRedMiner", _after(field("Miner") or description, "TeamRedMiner"))
    if "btminer" in everything or "whatsminer" in everything:
        return named("btminer", field("btminer") or _second_word(description))
    if "vnish" in everything:
        return named("vnish", _after(values, "vnish") or field("CGMiner") or field("Cgminer"))
    if "bmminer" in keys or desc.startswith("bmminer") or msg.startswith("bmminer"):
        return named("bmminer", field("BMMiner") or _second_word(description))
    if (field("PROD") or "").lower().startswith("avalon"):
        return named("avalon", field("CGMiner") or _second_word(description))
    for name in ("ccminer", "cpuminer"):
        if desc.startswith(name):
            return named(name, _second_word(description))
    miner = (field("Miner") or "").lower()
    if "sgminer" in keys or desc.startswith("sgminer") or msg.startswith("sgminer"):
        return named("sgminer", field("SGMiner") or _after(field("Miner"), "sgminer"))
    if desc.startswith("bfgminer") or msg.startswith("bfgminer") or miner.startswith("bfgminer"):
        version = _after(field("Miner"), "bfgminer") or field("CGMiner")
        return named("bfgminer", version or _second_word(description))
    if "cgminer" in keys or desc.startswith("cgminer") or msg.startswith("cgminer"):
        return named("cgminer", field("CGMiner") or _second_word(description))
    if desc.split():
        return named(desc.split()[0], _second_word(description))
    return named(_identify_raw(reply.raw) or "unknown", None)


_RAW_NAMES = (
    (b"luxminer", "LuxOS"),
    (b"bosminer", "BOSminer"),
    (b"teamredminer", "TeamRedMiner"),
    (b"btminer", "btminer"),
    (b"whatsminer", "btminer"),
    (b"vnish", "vnish"),
    (b"bmminer", "bmminer"),
    (b"sgminer", "sgminer"),
    (b"bfgminer", "bfgminer"),
    (b"cgminer", "cgminer"),
)


def _identify_raw(raw: bytes) -> str | None:
    lowered = raw[:4096].lower()
    for needle, software in _RAW_NAMES:
        if needle in lowered:
            return software
    return None


# --- scanning ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScanHit:
    """A rig that answered `version` on its API port.

    Attributes:
        host: the address (or name) scanned.
        port: the API port.
        software: the software's name (see `Identity.software`), `unknown` if not told.
        version: the software's version.
        api_version: the API version (`3.7`...).
        model: the hardware, when the reply tells it (`Antminer S9`...).
        description: the STATUS Description (`cgminer 4.11.1`).
        reply: the decoded version reply; None for hosts reported by `include_silent`.
        info: the version record as a `Version` model; None when absent.
        error: why a host reported by `include_silent` gave no usable reply.
    """

    host: str
    port: int
    software: str
    version: str | None = None
    api_version: str | None = None
    model: str | None = None
    description: str | None = None
    reply: Reply | None = None
    info: Version | None = None
    error: str | None = None

    @property
    def address(self) -> str:
        """`host:port` of the API."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def miner(self, **kwargs: Any) -> Miner:
        """A `Miner` for this rig's API; keyword arguments go to `Miner`."""
        return Miner(self.host, self.port, **kwargs)


def _hit_from_reply(host: str, port: int, reply: Reply) -> ScanHit:
    identity = identify(reply)
    record = _version_record(reply)
    info = None
    if record is not None:
        with contextlib.suppress(ValueError):
            info = Version.model_validate(dict(record))
    return ScanHit(
        host,
        port,
        identity.software,
        identity.version,
        identity.api_version,
        identity.model,
        identity.description,
        reply,
        info,
    )


def fd_budget(wanted: int) -> int:
    """How many sockets may be open at once, raising the soft RLIMIT_NOFILE if needed.

    Leaves headroom for the descriptors already open and a margin; at least 1.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return max(1, min(wanted, 512))
    try:
        open_now = len(os.listdir("/proc/self/fd"))
    except OSError:
        open_now = 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = wanted + open_now + _FD_HEADROOM
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            logger.debug("could not raise RLIMIT_NOFILE from %d to %d", soft, target)
    if soft == resource.RLIM_INFINITY:
        return max(1, wanted)
    return max(1, min(wanted, soft - open_now - _FD_HEADROOM))


async def _probe(host: str, port: int, timeouts: Timeouts, include_silent: bool) -> ScanHit | None:
    transport = TcpTransport(host, port, timeouts=timeouts, max_reply_size=_MAX_REPLY)
    try:
        raw = await transport.roundtrip(VERSION_REQUEST)
    except NoReply:
        if include_silent:
            return ScanHit(host, port, "unknown", error="connection closed without a reply")
        return None
    except (TransportError, OSError):
        return None
    except CgapiError as exc:  # ReplyTooLarge
        if include_silent:
            return ScanHit(host, port, "unknown", error=str(exc))
        return None
    try:
        decoded = decode_reply(raw, max_size=_MAX_REPLY)
    except RemoteProtocolError:
        if not include_silent:
            return None
        return ScanHit(host, port, _identify_raw(raw) or "unknown", error="not an API reply")
    reply = decoded if isinstance(decoded, Reply) else next(iter(decoded.values()), None)
    if reply is None:
        return None
    return _hit_from_reply(host, port, reply)


async def scan(
    targets: str | Iterable[Any],
    port: int = 4028,
    *,
    concurrency: int | None = None,
    timeout: float | Timeouts = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - per address, not a deadline
    progress: Callable[[int, int], object] | None = None,
    include_silent: bool = False,
) -> AsyncIterator[ScanHit]:
    """Ask every target for `version` and yield each rig as it answers.

    Close the iterator when leaving early (`async with contextlib.aclosing(scan(...))`).

    Args:
        targets: a target list for `parse_targets()`, or its result.
        port: the API port (`--api-port`).
        concurrency: connections in flight at most (default 1024); lowered to what the
            open-file limit allows.
        timeout: seconds per address (connect, send, reply), or a `Timeouts`.
        progress: called as `progress(done, total)` after each address, from this iterator
            (between yields).
        include_silent: also yield hosts that accepted the connection but sent no API reply
            (`software="unknown"`, `reply=None`, `error` set): typically a miner whose
            `--api-allow` leaves this host out.

    Raises:
        TargetError: a malformed target; nothing was sent.
        LocalProtocolError: a bad port, concurrency or timeout.
    """
    hosts = targets if isinstance(targets, Targets) else parse_targets(targets)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise LocalProtocolError(f"port must be an int in 1-65535, not {port!r}")
    if concurrency is not None and (
        isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1
    ):
        raise LocalProtocolError(f"concurrency must be a positive int, not {concurrency!r}")
    try:
        timeouts = Timeouts.of(timeout)
    except (TypeError, ValueError) as exc:
        raise LocalProtocolError(f"bad timeout {timeout!r}: {exc}") from None
    total = hosts.size
    workers = min(total, fd_budget(concurrency or DEFAULT_CONCURRENCY))
    pending = iter(hosts)
    send, receive = anyio.create_memory_object_stream[ScanHit | Exception | None](workers)

    async def worker(events: MemoryObjectSendStream[ScanHit | Exception | None]) -> None:
        async with events:
            for host in pending:
                try:
                    hit = await _probe(host, port, timeouts, include_silent)
                except Exception as exc:  # noqa: BLE001 - a bug, raised after the task group
                    await events.send(exc)
                    return
                await events.send(hit)

    # The task group spans the yields, so nothing may be raised inside it: failures are
    # raised after it has ended, and closing the iterator (GeneratorExit) just stops it.
    done = 0
    failure: BaseException | None = None
    async with anyio.create_task_group() as task_group, receive:
        async with send:
            for _ in range(workers):
                task_group.start_soon(worker, send.clone())
        async for event in receive:
            if isinstance(event, Exception):
                failure = event
                break
            done += 1
            try:
                if progress is not None:
                    progress(done, total)
            except Exception as exc:  # noqa: BLE001 - the callback's, raised after the task group
                failure = exc
                break
            if event is None:
                continue
            try:
                yield event
            except GeneratorExit:
                break
        task_group.cancel_scope.cancel()
    if failure is not None:
        raise failure
