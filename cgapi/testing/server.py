"""`FakeMiner`: a cgminer-family RPC server on loopback, for tests, demos and benchmarks."""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.abc

from ..client import Miner
from ..commands import COMMANDS
from ..transport import Timeouts
from .access import AccessControl
from .api import Handled, MinerApi, commands_of
from .faults import Faults
from .state import DeviceKind, DeviceSpec, MinerState, PoolSpec, default_reachable

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import TracebackType

    from typing_extensions import Self

    from ._render.types import Personality
    from .multicast import MulticastResponder

__all__ = ("DEFAULT_FEATURES", "FakeMiner", "ReceivedRequest")

logger = logging.getLogger(__name__)

DEFAULT_FEATURES: dict[Personality, frozenset[str]] = {
    # A cgminer 4.11.1 built with ASIC and FPGA drivers and USB: `devs` on a rig without
    # devices answers E/10 "No ASCs/PGAs".
    "cgminer": frozenset({"asic", "fpga", "usb"}),
    "bmminer": frozenset({"asic"}),
    "sgminer": frozenset(),
    "bfgminer": frozenset(),
}

_READ_TIMEOUT = 10.0
"""How long a fake waits for a connected client's request before closing."""


@dataclass(frozen=True)
class ReceivedRequest:
    """One request the fake received (for assertions in tests)."""

    client: str
    data: bytes


class FakeMiner:
    """A fake cgminer, sgminer, bfgminer or bmminer serving the RPC API on TCP.

    ```python
    async with FakeMiner("cgminer", allow="W:127.0.0.1") as fm:
        async with fm.miner() as m:
            await m.switchpool(1)
        assert fm.state.current_index == 1
    ```

    One request per connection, the reply ends with a NUL and the socket closes;
    the form follows the request's first byte; access follows `allow`/`groups`
    exactly as `--api-allow`/`--api-groups`.  `state` holds the pools, devices and
    counters (which advance with the clock), `faults` makes it misbehave, and
    `mcast=True` answers discovery probes.
    """

    def __init__(
        self,
        personality: Personality = "cgminer",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        description: str = "",
        api_description: str | None = None,
        allow: str | None = None,
        groups: str | None = None,
        network: bool = False,
        pools: Sequence[PoolSpec | tuple[str, str, str] | str] | None = None,
        devices: Sequence[DeviceSpec | DeviceKind] | None = None,
        features: frozenset[str] | None = None,
        log_interval: int = 5,
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        reachable: Callable[[str], bool] = default_reachable,
        save_dir: str | Path | None = None,
        mcast: bool = False,
        mcast_port: int = 4028,
        mcast_code: str = "FTW",
        mcast_group: str = "224.0.0.75",
        mcast_interface: str = "127.0.0.1",
        mcast_interval: float = 1.0,
        restart_delay: float = 0.5,
        faults: Faults | None = None,
        reuse_port: bool = False,
    ) -> None:
        if personality not in DEFAULT_FEATURES:
            raise ValueError(f"unknown personality {personality!r}")
        self.personality: Personality = personality
        self.host = host
        self.description = description
        self.features = DEFAULT_FEATURES[personality] if features is None else features
        if personality == "bfgminer" and devices is not None:
            kinds = {d.kind if isinstance(d, DeviceSpec) else d for d in devices}
            self.features = self.features | {
                feature
                for kind, feature in (("GPU", "opencl"), ("CPU", "cpumining"))
                if kind in kinds
            }
        commands = commands_of(personality, self.features)
        self.access = AccessControl(
            commands,
            frozenset(n for n in commands if COMMANDS[n].privileged),
            allow=allow,
            groups=groups,
            network=network,
            ipv6=personality == "cgminer",
        )
        self._state_args: dict[str, Any] = {
            "pools": pools,
            "devices": devices,
            "seed": seed,
            "clock": clock,
            "log_interval": log_interval,
            "reachable": reachable,
        }
        self._api_description = api_description
        self._save_dir = Path(save_dir) if save_dir is not None else None
        self.api = self._new_api()
        self.faults = faults or Faults()
        self.requests: deque[ReceivedRequest] = deque(maxlen=1000)
        """Every request received, in order (bounded: the last 1,000)."""
        self.connections = 0
        """Connections accepted so far."""
        self.restarts = 0
        self.mcast = mcast
        self.mcast_port = mcast_port
        self.mcast_code = mcast_code
        self.mcast_group = mcast_group
        self.mcast_interface = mcast_interface
        self.mcast_interval = mcast_interval
        self.responder: MulticastResponder | None = None
        self._requested_port = port
        self.port = port
        self._restart_delay = restart_delay
        self._reuse_port = reuse_port
        self._listener: anyio.abc.Listener[anyio.abc.SocketStream] | None = None
        self._serving: anyio.CancelScope | None = None
        self._served: anyio.Event | None = None
        self._task_group: anyio.abc.TaskGroup | None = None
        self._stopped = anyio.Event()
        self._up = anyio.Event()
        self._mcast_scope: anyio.CancelScope | None = None

    def _new_api(self) -> MinerApi:
        state = MinerState.create(self.personality, **self._state_args)
        return MinerApi(
            state,
            access=self.access,
            features=self.features,
            api_description=self._api_description,
            save_dir=self._save_dir,
        )

    # ------------------------------------------------------------------ properties

    @property
    def state(self) -> MinerState:
        """Pools, devices, counters and settings (a fresh one after `restart`)."""
        return self.api.state

    @property
    def address(self) -> str:
        """`host:port` as `Miner()` takes it."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def listening(self) -> bool:
        """Whether the TCP port accepts connections now."""
        return self._listener is not None

    def miner(self, **options: Any) -> Miner:
        """A `Miner` client for this fake (short timeouts unless given)."""
        options.setdefault("timeout", Timeouts(connect=2.0, read=5.0, total=10.0))
        return Miner(self.host, self.port, **options)

    # ------------------------------------------------------------------ life cycle

    async def __aenter__(self) -> Self:
        self._task_group = anyio.create_task_group()
        await self._task_group.__aenter__()
        try:
            await self.start_listening()
            if self.mcast:
                await self._start_multicast()
        except BaseException:
            await self._task_group.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        assert self._task_group is not None
        await self._stop_listener()
        self._stopped.set()
        self._task_group.cancel_scope.cancel()
        # The body's own exception propagates as is, not wrapped in an ExceptionGroup.
        await self._task_group.__aexit__(None, None, None)
        return None

    async def serve_forever(self) -> None:
        """Run until `quit` (or cancellation): for the `cgapi fake-miner` command."""
        await self._stopped.wait()

    async def _start_multicast(self) -> None:
        from .multicast import MulticastResponder

        assert self._task_group is not None
        self.responder = MulticastResponder(
            api_port=self.port,
            description=self.description,
            personality=self.personality,
            code=self.mcast_code,
            group=self.mcast_group,
            port=self.mcast_port,
            bind_host=self.host,
            interface=self.mcast_interface,
            allow=lambda address: self.access.group_of(address) is not None,
            min_interval=self.mcast_interval,
        )
        scope = anyio.CancelScope()
        self._mcast_scope = scope
        responder = self.responder

        async def serve(*, task_status: anyio.abc.TaskStatus[None]) -> None:
            with scope:
                await responder.serve(task_status=task_status)

        await self._task_group.start(serve)

    async def start_listening(self) -> None:
        """Accept connections again (on the same port after the first start)."""
        if self._listener is not None:
            return
        assert self._task_group is not None, "use `async with FakeMiner(...)`"
        listener = await anyio.create_tcp_listener(
            local_host=self.host, local_port=self.port, reuse_port=self._reuse_port
        )
        self._listener = listener
        self.port = int(listener.extra(anyio.abc.SocketAttribute.local_port))
        scope = anyio.CancelScope()
        done = anyio.Event()
        self._serving = scope
        self._served = done

        async def serve() -> None:
            try:
                with scope:
                    await listener.serve(self._handle_connection)
            finally:
                with anyio.CancelScope(shield=True):
                    await listener.aclose()
                done.set()

        self._task_group.start_soon(serve)
        self._up.set()

    async def wait_listening(self) -> None:
        """Wait until the TCP port accepts connections (after a `restart`)."""
        await self._up.wait()

    async def stop_listening(self) -> None:
        """Close the TCP port: new connections are refused until `start_listening()`."""
        await self._stop_listener()

    async def _stop_listener(self) -> None:
        if self._listener is None:
            return
        self._listener = None
        self._up = anyio.Event()
        assert self._serving is not None and self._served is not None
        self._serving.cancel()
        with anyio.CancelScope(shield=True):
            await self._served.wait()

    # ------------------------------------------------------------------ one connection

    async def _handle_connection(self, stream: anyio.abc.SocketStream) -> None:
        self.connections += 1
        async with stream:
            remote = stream.extra(anyio.abc.SocketAttribute.remote_address)
            client = str(remote[0]) if isinstance(remote, tuple) else str(remote)
            if self.access.group_of(client) is None:
                return  # accepted, then closed with zero bytes
            data = b""
            with anyio.move_on_after(_READ_TIMEOUT):
                try:
                    data = await stream.receive(self.api.info.max_request)
                except (anyio.EndOfStream, anyio.BrokenResourceError):
                    data = b""
            self.requests.append(ReceivedRequest(client, data))
            handled = self.api.handle(data, client)
            await self._send(stream, handled)
        if handled.action is not None:
            # Outside this connection's task: stopping the listener cancels it.
            assert self._task_group is not None
            self._task_group.start_soon(self._after, handled)

    async def _send(self, stream: anyio.abc.SocketStream, handled: Handled) -> None:
        faults = self.faults
        use_faults = faults.active and faults.applies_to(handled.command)
        reply = handled.reply
        try:
            if use_faults:
                if faults.delay:
                    await anyio.sleep(faults.delay)
                if faults.close_without_reply:
                    return
                if faults.never_reply:
                    await _wait_for_close(stream)
                    return
                reply = faults.apply(reply)
                if faults.drip is not None:
                    for n in range(len(reply)):
                        await stream.send(reply[n : n + 1])
                        await anyio.sleep(faults.drip)
                elif reply:
                    await stream.send(reply)
                if faults.hold_open:
                    await _wait_for_close(stream)
                return
            if reply:
                await stream.send(reply)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
            return  # the client went away; a miner does not care

    async def _after(self, handled: Handled) -> None:
        if handled.action in ("quit", "crash"):
            await self._stop_listener()
            if self._mcast_scope is not None:
                self._mcast_scope.cancel()
            self._stopped.set()
            return
        # restart: the process exits and starts again with the same options.
        await self._stop_listener()
        self.restarts += 1
        await anyio.sleep(self._restart_delay)
        self.api = self._new_api()
        await self.start_listening()

    def __repr__(self) -> str:
        return f"FakeMiner({self.personality!r}, {self.address!r})"


async def _wait_for_close(stream: anyio.abc.SocketStream) -> None:
    """Hold the connection until the client closes it (bounded by the read timeout)."""
    with anyio.move_on_after(_READ_TIMEOUT * 6):
        try:
            while await stream.receive():
                pass
        except (anyio.EndOfStream, anyio.BrokenResourceError, OSError):
            return
