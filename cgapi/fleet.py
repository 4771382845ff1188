"""`Fleet`: poll and control many miners at once, each rig accounted for exactly once."""

from __future__ import annotations

import errno
import ipaddress
import math
import socket
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, TypeVar, cast

import anyio

from .client import DEFAULT_PORT, Miner, split_host_port
from .commands import COMMANDS, JOINABLE
from .commands.results import validate
from .errors import (
    CgapiError,
    LocalProtocolError,
    MinerError,
    NoDevices,
    NoPools,
    PrivilegedCommandBlocked,
    RemoteProtocolError,
    Timeout,
)
from .models import Device, Pool, Summary
from .protocol import MultiReply, ReplyBuffer, decode_reply, encode_multi, encode_request
from .transport import TcpTransport, Timeouts
from .transport._errors import map_transport_error, no_reply
from .transport.tcp import _lock_for

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping, Sequence
    from types import TracebackType

    from anyio.streams.memory import MemoryObjectSendStream
    from typing_extensions import Self

    from .protocol import Form, Param, Record, Reply, Status
    from .transport._errors import Stage

__all__ = (
    "DEFAULT_CONCURRENCY",
    "DEFAULT_TIMEOUT",
    "POLL_COMMANDS",
    "Fleet",
    "RigStatus",
    "RunOutcome",
    "UnexpectedError",
)

DEFAULT_CONCURRENCY = 256
"""Rigs polled at once by default: enough to keep loopback and LAN round trips overlapped."""

DEFAULT_TIMEOUT = 5.0
"""Seconds one rig may take for a whole poll (or one control command) by default."""

POLL_COMMANDS = ("summary", "devs", "pools")
"""The multi-command a poll sends to every rig."""

# Member errors that describe an empty list, not a failure: cgminer answers `devs` on a rig
# without devices with E "No ASCs/PGAs", and `pools` without pools with E "No pools".
_EMPTY_ERRORS = {"devs": NoDevices, "pools": NoPools}

# The poll request in each form, and each member alone for miners that refuse joins.
_POLL_REQUESTS: Final = {
    form: encode_multi(POLL_COMMANDS, form, joinable=JOINABLE) for form in ("json", "text")
}
_SINGLE_REQUESTS: Final = {
    form: {name: encode_request(name, (), form) for name in POLL_COMMANDS}
    for form in ("json", "text")
}
_RECEIVE_SIZE = 65536


class _Unset:
    """Marks a model not validated yet."""


_UNSET: Final = _Unset()

_T = TypeVar("_T")
_R = TypeVar("_R")


class UnexpectedError(CgapiError):
    """A non-cgapi exception raised while talking to one rig (a bug); see `__cause__`."""

    def __init__(self, message: str, *, address: str | None = None) -> None:
        super().__init__(message)
        self.address = address


class RigStatus:
    """What one poll learnt about one rig.

    `error` is None when the rig answered everything. A rig without devices (cgminer
    answers `devs` with `NoDevices`) or without pools is healthy, with empty `devices` or
    `pools`. When the miner answered some commands and refused others, the answered parts
    are kept and `error` holds the first refusal.

    `summary`, `devices` and `pools` are validated into their models when first read, so a
    poll whose results are only counted costs no validation. A record that does not fit its
    model raises `RemoteProtocolError` there (the models are lax: this is rare).

    Attributes:
        address: `host:port` of the rig.
        error: why the poll failed, None when it succeeded.
        latency: seconds the poll of this rig took.
        polled_at: unix time the poll of this rig ended.
        joined: whether the rig took `summary+devs+pools` in one request; None if unknown.
        replies: the decoded replies by command (empty when the rig could not be read).
    """

    __slots__ = (
        "_devices",
        "_pools",
        "_summary",
        "address",
        "error",
        "joined",
        "latency",
        "polled_at",
        "replies",
    )

    def __init__(
        self,
        address: str,
        summary: Summary | None = None,
        devices: Iterable[Device] = (),
        pools: Iterable[Pool] = (),
        *,
        error: CgapiError | None = None,
        latency: float = 0.0,
        polled_at: float = 0.0,
        joined: bool | None = None,
        replies: Mapping[str, Reply] | None = None,
    ) -> None:
        self.address = address
        self.error = error
        self.latency = latency
        self.polled_at = polled_at
        self.joined = joined
        self.replies: Mapping[str, Reply] = replies or {}
        self._summary: Summary | None | _Unset = summary
        self._devices: tuple[Device, ...] | _Unset = tuple(devices)
        self._pools: tuple[Pool, ...] | _Unset = tuple(pools)

    @classmethod
    def from_replies(
        cls,
        address: str,
        replies: Mapping[str, Reply],
        *,
        latency: float = 0.0,
        polled_at: float = 0.0,
        joined: bool | None = None,
    ) -> RigStatus:
        """A status from the decoded `summary`, `devs` and `pools` replies (validated lazily)."""
        error: CgapiError | None = None
        for name in POLL_COMMANDS:
            reply = replies.get(name)
            if reply is None:
                error = RemoteProtocolError(f"{address}: the miner left '{name}' out of its reply")
                break
            failure = _failure(reply, name, address)
            if failure is not None:
                empty = _EMPTY_ERRORS.get(name)
                if empty is None or not isinstance(failure, empty):
                    error = failure
                    break
            elif name == "summary" and not reply.records:
                error = RemoteProtocolError(f"{address}: summary reply has no SUMMARY section")
                break
        status = cls(
            address,
            error=error,
            latency=latency,
            polled_at=polled_at,
            joined=joined,
            replies=replies,
        )
        status._summary = status._devices = status._pools = _UNSET
        return status

    def __repr__(self) -> str:
        state = "ok" if self.error is None else f"error={self.error!r}"
        return f"RigStatus({self.address!r}, {state}, latency={self.latency:.3f})"

    @property
    def ok(self) -> bool:
        """True when the rig answered the whole poll."""
        return self.error is None

    @property
    def summary(self) -> Summary | None:
        """The `summary` reply, None when it failed."""
        if isinstance(self._summary, _Unset):
            records = self._records("summary")
            self._summary = (
                validate(Summary, records[0], self.replies["summary"], "summary")
                if records
                else None
            )
        return self._summary

    @property
    def devices(self) -> tuple[Device, ...]:
        """The `devs` records (empty on a rig without devices)."""
        if isinstance(self._devices, _Unset):
            reply = self.replies.get("devs")
            self._devices = (
                tuple(validate(Device, r, reply, "devs") for r in self._records("devs"))
                if reply
                else ()
            )
        return self._devices

    @property
    def pools(self) -> tuple[Pool, ...]:
        """The `pools` records."""
        if isinstance(self._pools, _Unset):
            reply = self.replies.get("pools")
            self._pools = (
                tuple(validate(Pool, r, reply, "pools") for r in self._records("pools"))
                if reply
                else ()
            )
        return self._pools

    @property
    def description(self) -> str | None:
        """The miner's STATUS Description (`cgminer 4.11.1`), when it sent one."""
        for reply in self.replies.values():
            if reply.status.description:
                return reply.status.description
        return None

    @property
    def hashrate(self) -> float | None:
        """The rig's current hash rate in H/s (shortest window, else the average)."""
        summary = self.summary
        if summary is None:
            return None
        current = summary.hashrate_current
        return current if current is not None else summary.hashrate_av

    @property
    def active_pool(self) -> Pool | None:
        """The pool the rig mines on: the stratum-active one, else the best alive one."""
        for pool in self.pools:
            if pool.stratum_active:
                return pool
        alive = [p for p in self.pools if p.status == "Alive"]
        if not alive:
            return None
        return min(alive, key=lambda p: p.priority if p.priority is not None else math.inf)

    def _records(self, name: str) -> list[Record]:
        reply = self.replies.get(name)
        if reply is None or reply.status.is_error:
            return []
        return reply.records


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """What a control command did on one rig.

    Attributes:
        address: `host:port` of the rig.
        command: the wire command name.
        request: the exact request bytes sent (or that would be sent, in a dry run).
        dry_run: True when nothing was sent.
        status: the STATUS the miner answered; None in a dry run or on error.
        reply: the whole decoded reply; None in a dry run or on error.
        error: why the command failed; None on success and in a dry run.
        latency: seconds the exchange took.
    """

    address: str
    command: str
    request: bytes
    dry_run: bool = False
    status: Status | None = None
    reply: Reply | None = field(default=None, repr=False)
    error: CgapiError | None = None
    latency: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the command succeeded (or would be sent, in a dry run)."""
        return self.error is None


class Fleet:
    """Many miners polled and controlled together.

    ```python
    async with Fleet(["10.0.0.5", "10.0.0.6:4029"], timeout=3) as fleet:
        async for rig in fleet.poll():
            print(rig.address, rig.hashrate if rig.ok else rig.error)
        outcomes = await fleet.run("switchpool", 1, dry_run=True)
    ```

    Each rig is polled with one `summary+devs+pools` request; a miner that refuses joins
    (cgminer before 3.12.1) is asked the three commands one by one, and remembered. At most
    `concurrency` rigs are talked to at once, by that many worker tasks; never two
    connections to one rig (targets are deduplicated by address, and Miners share a lock
    per address). Each rig's poll is bounded by `timeout`, so a dead rig costs only its own
    timeout, and every rig gives exactly one result or typed error.

    Args:
        targets: `Miner` objects or addresses (`host`, `host:port`, `[v6]:port`).
        concurrency: rigs talked to at once.
        timeout: seconds for one rig's whole poll, or for one control command.
        port: the API port of targets given without one.
        form: wire form of the Miners built from addresses.
        read_only: build read-only Miners and refuse privileged commands in `run()`.

    Raises:
        ValueError: a malformed address, `concurrency < 1` or a non-positive timeout.
    """

    def __init__(
        self,
        targets: Iterable[str | Miner],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: float = DEFAULT_TIMEOUT,
        port: int = DEFAULT_PORT,
        form: Form = "json",
        read_only: bool = False,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {concurrency!r}")
        if not timeout > 0:
            raise ValueError(f"timeout must be positive, not {timeout!r}")
        if form not in ("json", "text"):
            raise ValueError(f"form must be 'json' or 'text', not {form!r}")
        self.concurrency = concurrency
        self.timeout = float(timeout)
        self.read_only = read_only
        self.form: Form = form
        # A hair under the rig's budget, so that a dead rig's error names its stage
        # (ConnectTimeout, ReadTimeout) rather than the poll's overall Timeout.
        timeouts = Timeouts.of(self.timeout * 0.99)
        miners: dict[str, Miner] = {}
        owned: list[Miner] = []
        for target in targets:
            if isinstance(target, Miner):
                miners.setdefault(target.address, target)
                continue
            host, target_port = split_host_port(target, port)
            transport = _FleetTransport(host, target_port, timeouts=timeouts)
            if transport.address not in miners:
                miner = Miner(
                    host,
                    target_port,
                    form=form,
                    timeout=timeouts,
                    read_only=read_only,
                    transport=transport,
                )
                miners[miner.address] = miner
                owned.append(miner)
        self.miners: tuple[Miner, ...] = tuple(miners.values())
        """One Miner per distinct address, in the order first given."""
        self._owned = owned

    def __repr__(self) -> str:
        return f"Fleet({len(self.miners)} rigs, concurrency={self.concurrency})"

    def __len__(self) -> int:
        return len(self.miners)

    @property
    def addresses(self) -> list[str]:
        """`host:port` of every rig, in order."""
        return [miner.address for miner in self.miners]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the Miners the Fleet built (Miners passed in stay open)."""
        for miner in self._owned:
            await miner.aclose()

    # --- polling -----------------------------------------------------------------------------

    async def poll(self) -> AsyncGenerator[RigStatus, None]:
        """Poll every rig; yield each `RigStatus` as soon as it is known.

        Stopping early (`break`) is safe inside `contextlib.aclosing(fleet.poll())`, which
        cancels the rigs still in flight.
        """
        send, receive = anyio.create_memory_object_stream[RigStatus](math.inf)
        async with anyio.create_task_group() as tg:
            tg.start_soon(self._poll_into, send)
            with receive:
                try:
                    async for status in receive:
                        yield status
                except GeneratorExit:  # closed early: stop the rigs still in flight
                    tg.cancel_scope.cancel()

    async def poll_once(self) -> list[RigStatus]:
        """Poll every rig and return their statuses, in the order of `miners`."""
        return await self._map(self.miners, self.poll_rig)

    async def _poll_into(self, send: MemoryObjectSendStream[RigStatus]) -> None:
        async def emit(miner: Miner) -> None:
            status = await self.poll_rig(miner)
            try:
                send.send_nowait(status)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                pass  # the consumer stopped early

        with send:
            await self._map(self.miners, emit)

    async def poll_rig(self, miner: Miner) -> RigStatus:
        """Poll one rig (any Miner) within the Fleet's timeout; never raises a CgapiError."""
        started = time.perf_counter()
        address = miner.address
        error: CgapiError
        try:
            with anyio.move_on_after(self.timeout):
                replies, joined = await _poll_exchange(miner)
                return RigStatus.from_replies(
                    address,
                    replies,
                    latency=time.perf_counter() - started,
                    polled_at=time.time(),
                    joined=joined,
                )
            error = Timeout(f"{address}: no complete poll in {self.timeout:g} s", address=address)
        except CgapiError as exc:
            error = exc
        except Exception as exc:  # noqa: BLE001 - a bug below must not lose the rig
            error = _unexpected(exc, address)
        latency = time.perf_counter() - started
        return RigStatus(address, error=error, latency=latency, polled_at=time.time())

    # --- control -----------------------------------------------------------------------------

    async def run(
        self,
        command: str,
        *params: Param,
        dry_run: bool = False,
        allow_unknown: bool = False,
    ) -> list[RunOutcome]:
        """Send one command to every rig and report each outcome, in the order of `miners`.

        The command and its parameters are checked once, before anything is sent. Table
        commands take the same arguments as their typed method (`run("gpufan", 0, 80)`);
        the Python spelling (`failover_only`) is accepted too.

        Args:
            command: the command name.
            params: its parameters.
            dry_run: send nothing; each outcome carries the exact request bytes.
            allow_unknown: allow a name outside the command table (vendor commands); its
                parameters are sent as given.

        Raises:
            LocalProtocolError: an unknown command or invalid parameters; nothing is sent.
            PrivilegedCommandBlocked: a privileged command and a read-only Fleet or Miner.
        """
        name, values = _check_command(command, params, allow_unknown=allow_unknown)
        spec = COMMANDS.get(name)
        read_only = self.read_only or any(miner.read_only for miner in self.miners)
        if spec is not None and spec.privileged and read_only:
            raise PrivilegedCommandBlocked(name)
        requests = {form: encode_request(name, values, form) for form in ("json", "text")}

        async def one(miner: Miner) -> RunOutcome:
            request = requests[miner.form]
            if dry_run:
                return RunOutcome(miner.address, name, request, dry_run=True)
            return await self._run_rig(miner, name, values, request)

        return await self._map(self.miners, one)

    async def _run_rig(
        self, miner: Miner, name: str, values: Sequence[Param], request: bytes
    ) -> RunOutcome:
        started = time.perf_counter()
        address = miner.address
        reply: Reply | None = None
        error: CgapiError | None = None
        try:
            with anyio.move_on_after(self.timeout) as scope:
                reply = await miner.command(name, *values)
            if scope.cancelled_caught:
                error = Timeout(
                    f"{address}: no reply to {name} in {self.timeout:g} s", address=address
                )
        except CgapiError as exc:
            error = exc
        except Exception as exc:  # noqa: BLE001 - a bug below must not lose the rig
            error = _unexpected(exc, address)
        latency = time.perf_counter() - started
        status = reply.status if reply is not None else None
        return RunOutcome(address, name, request, False, status, reply, error, latency)

    # --- worker pool -------------------------------------------------------------------------

    async def _map(self, items: Sequence[_T], work: Callable[[_T], Awaitable[_R]]) -> list[_R]:
        """`work(item)` for every item by at most `concurrency` worker tasks, results in order.

        A fixed set of workers pulling the next index avoids one pending task per rig.
        """
        results: list[_R | None] = [None] * len(items)
        indexes = iter(range(len(items)))

        async def worker() -> None:
            for index in indexes:
                results[index] = await work(items[index])

        async with anyio.create_task_group() as tg:
            for _ in range(min(self.concurrency, len(items))):
                tg.start_soon(worker)
        return cast("list[_R]", results)


# --- one rig ---------------------------------------------------------------------------------


async def _poll_exchange(miner: Miner) -> tuple[dict[str, Reply], bool]:
    """Send `summary+devs+pools` (or the three alone, to a miner refusing joins); decode.

    This is `Miner.multi` without converting the records to models: RigStatus validates
    them when read.
    """
    if miner.is_closed:
        raise RuntimeError(f"{miner!r} is closed")
    transport, form, max_size = miner.transport, miner.form, miner.max_reply_size
    if miner.join_supported is not False:
        raw = await transport.roundtrip(_POLL_REQUESTS[form])
        decoded = decode_reply(raw, commands=POLL_COMMANDS, max_size=max_size)
        if isinstance(decoded, MultiReply):
            miner.join_supported = True
            return decoded.replies, True
        if not decoded.status.is_error:
            raise RemoteProtocolError(
                "the miner answered a multi-command with a single reply", raw=raw
            )
        miner.join_supported = False  # cgminer < 3.12.1 answers E/14 to "a+b"
    replies: dict[str, Reply] = {}
    for name, request in _SINGLE_REQUESTS[form].items():
        raw = await transport.roundtrip(request)
        single = decode_reply(raw, max_size=max_size)
        if isinstance(single, MultiReply):
            raise RemoteProtocolError(
                f"{name}: the miner answered with a multi-command reply", raw=raw
            )
        replies[name] = single
    return replies, False


def _failure(reply: Reply, command: str, address: str) -> MinerError | None:
    for status in reply.statuses or (reply.status,):
        if status.is_error:
            return MinerError.from_status(status, command=command, address=address)
    return None


def _unexpected(exc: Exception, address: str) -> UnexpectedError:
    error = UnexpectedError(f"{address}: unexpected {type(exc).__name__}: {exc}", address=address)
    error.__cause__ = exc
    return error


def _check_command(
    command: str, params: tuple[Param, ...], *, allow_unknown: bool
) -> tuple[str, list[Param]]:
    """The wire name and wire values of a command, checked as its typed method checks them."""
    name = command if command in COMMANDS else command.replace("_", "-")
    spec = COMMANDS.get(name)
    if spec is None:
        if not allow_unknown:
            raise LocalProtocolError(
                f"unknown command {command!r}; pass allow_unknown=True for vendor commands"
            )
        encode_request(command, params)  # checks the name and the parameters
        return command, list(params)
    values: list[Param] = list(spec.wire_values(tuple(params)))
    if spec.separator != "," and values:
        values = [spec.separator.join(str(value) for value in values)]
    encode_request(name, values)
    return name, values


# --- transport -------------------------------------------------------------------------------


class _FleetTransport(TcpTransport):
    """`TcpTransport` on a bare non-blocking socket: same behaviour and errors, less overhead.

    anyio's `connect_tcp` starts a task group for Happy Eyeballs and its streams add a layer
    per call; for thousands of rigs by IP address, waiting on the socket directly costs about
    half the CPU per request. Host names (which need a resolver) use `TcpTransport` as is.
    """

    def __init__(self, host: str, port: int = DEFAULT_PORT, *, timeouts: Timeouts) -> None:
        super().__init__(host, port, timeouts=timeouts)
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            self._family: int | None = None
        else:
            self._family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET

    async def roundtrip(self, request: bytes) -> bytes:
        """Send one request and return the reply bytes, NUL stripped."""
        if self._family is None:
            return await super().roundtrip(request)
        async with _lock_for(self.host, self.port):
            return await self._socket_exchange(self._family, request)

    async def _socket_exchange(self, family: int, request: bytes) -> bytes:
        buffer = ReplyBuffer(self.max_reply_size)
        timeouts = self.timeouts
        stage: Stage = "connect"
        now = anyio.current_time()
        end = now + timeouts.total
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setblocking(False)
            with anyio.CancelScope(deadline=min(end, now + timeouts.connect)) as scope:
                code = sock.connect_ex((self.host, self.port))
                if code == errno.EINPROGRESS:
                    await anyio.wait_writable(sock)
                    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if code:
                    raise OSError(code, f"connect: {errno.errorcode.get(code, code)}")
                stage = "send"
                sock.sendall(request)  # a few hundred bytes into an empty send buffer
                stage = "receive"
                while True:
                    scope.deadline = min(end, anyio.current_time() + timeouts.read)
                    await anyio.wait_readable(sock)
                    chunk = sock.recv(_RECEIVE_SIZE)
                    if not chunk:
                        buffer.feed_eof()
                        break
                    if buffer.feed(chunk):
                        break
            if scope.cancelled_caught:
                raise TimeoutError
        except OSError as exc:
            raise map_transport_error(
                exc, stage=stage, address=self.address, received=buffer.size
            ) from exc
        finally:
            sock.close()
        if buffer.size == 0:
            raise no_reply(self.address)
        return buffer.data
