"""Blocking facade for scripts: `cgapi.sync.Miner` and `cgapi.sync.Fleet`.

```python
import cgapi.sync

with cgapi.sync.Miner("10.0.0.5") as m:
    print(m.summary().hashrate_av, "H/s")
    m.switchpool(1)
```

Every call runs the async client on one shared event loop in a background thread (an
anyio blocking portal, started on first use and stopped at exit), so sync objects may be
used from any thread except that loop's own. The typed methods are generated from the
command table (`_sync_generated.py`), as the async ones are.
"""

from __future__ import annotations

import atexit
import threading
from typing import TYPE_CHECKING, Any

from anyio.from_thread import start_blocking_portal

from . import client, fleet
from ._sync_generated import SyncCommandMethods
from .protocol import DEFAULT_MAX_REPLY_SIZE
from .transport import Timeouts

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable
    from contextlib import AbstractContextManager
    from types import TracebackType

    from anyio.from_thread import BlockingPortal
    from typing_extensions import Self

    from .commands import MultiResult
    from .fleet import RigStatus, RunOutcome
    from .protocol import Form, Param, Reply
    from .transport import Transport

__all__ = ("Fleet", "Miner")

_DEFAULT_TIMEOUTS = Timeouts()

_portal_lock = threading.Lock()
_portal: BlockingPortal | None = None
_portal_cm: AbstractContextManager[BlockingPortal] | None = None


def _run(function: Callable[..., Awaitable[Any]], *args: object) -> Any:
    """Run `await function(*args)` on the shared event loop and return its result."""
    global _portal, _portal_cm
    portal = _portal
    if portal is None:
        with _portal_lock:
            if _portal is None:
                _portal_cm = start_blocking_portal("asyncio", name="cgapi-sync")
                _portal = _portal_cm.__enter__()
            portal = _portal
    return portal.call(function, *args)


@atexit.register
def _stop_portal() -> None:
    """Stop the shared event loop (at exit; a later call starts a new one)."""
    global _portal, _portal_cm
    with _portal_lock:
        cm, _portal, _portal_cm = _portal_cm, None, None
    if cm is not None:
        cm.__exit__(None, None, None)


class Miner(SyncCommandMethods):
    """The blocking twin of `cgapi.Miner`: the same arguments, methods and errors.

    ```python
    with cgapi.sync.Miner("10.0.0.5", read_only=True) as m:
        for pool in m.pools():
            print(pool.url, pool.status)
    ```

    `aclose()` is `close()` here. The async client is kept as `.aio`.
    """

    def __init__(
        self,
        host: str,
        port: int | None = None,
        *,
        form: Form = "json",
        timeout: float | Timeouts = _DEFAULT_TIMEOUTS,
        read_only: bool = False,
        transport: Transport | None = None,
        max_reply_size: int = DEFAULT_MAX_REPLY_SIZE,
    ) -> None:
        self.aio = client.Miner(
            host,
            port,
            form=form,
            timeout=timeout,
            read_only=read_only,
            transport=transport,
            max_reply_size=max_reply_size,
        )
        """The async `cgapi.Miner` doing the work."""

    @classmethod
    def wrap(cls, miner: client.Miner) -> Miner:
        """A blocking view of an existing async Miner."""
        self = cls.__new__(cls)
        self.aio = miner
        return self

    def __repr__(self) -> str:
        return f"sync.{self.aio!r}"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def host(self) -> str:
        """Address or name of the miner."""
        return self.aio.host

    @property
    def port(self) -> int:
        """The API port."""
        return self.aio.port

    @property
    def address(self) -> str:
        """`host:port` of the miner."""
        return self.aio.address

    @property
    def form(self) -> Form:
        """`"json"` or `"text"`."""
        return self.aio.form

    @property
    def read_only(self) -> bool:
        """Whether privileged commands are refused locally."""
        return self.aio.read_only

    @property
    def join_supported(self) -> bool | None:
        """Whether the miner accepts `a+b` multi-commands; None until first tried."""
        return self.aio.join_supported

    @property
    def is_closed(self) -> bool:
        """True after `close()`."""
        return self.aio.is_closed

    def close(self) -> None:
        """Close the client; later calls raise `RuntimeError`."""
        if not self.aio.is_closed:
            _run(self.aio.aclose)

    def command(self, name: str, *params: Param) -> Reply:
        """Send any command and return the decoded reply (see `cgapi.Miner.command`)."""
        reply: Reply = _run(self.aio.command, name, *params)
        return reply

    def multi(self, *names: str) -> MultiResult:
        """Run several report commands in one request (see `cgapi.Miner.multi`)."""
        result: MultiResult = _run(self.aio.multi, *names)
        return result

    def is_privileged(self) -> bool:
        """Whether this client may use privileged commands (the `privileged` command)."""
        return bool(_run(self.aio.is_privileged))

    def can(self, command: str) -> bool:
        """Whether the miner has `command` and this client may use it (the `check` command)."""
        return bool(_run(self.aio.can, command))

    def _call(self, command: str, args: tuple[object, ...]) -> object:
        return _run(self.aio._call, command, args)


class Fleet:
    """The blocking twin of `cgapi.fleet.Fleet`: `poll()` returns the whole list.

    ```python
    with cgapi.sync.Fleet(["10.0.0.5", "10.0.0.6"], timeout=3) as fleet:
        for rig in fleet.poll():
            print(rig.address, rig.hashrate if rig.ok else rig.error)
        fleet.run("switchpool", 1)
    ```

    Targets may be addresses, `cgapi.Miner` or `cgapi.sync.Miner` objects; the other
    arguments are those of `cgapi.fleet.Fleet`. The async fleet is kept as `.aio`.
    """

    def __init__(
        self,
        targets: Iterable[str | client.Miner | Miner],
        *,
        concurrency: int = fleet.DEFAULT_CONCURRENCY,
        timeout: float = fleet.DEFAULT_TIMEOUT,
        port: int = client.DEFAULT_PORT,
        form: Form = "json",
        read_only: bool = False,
    ) -> None:
        self.aio = fleet.Fleet(
            (target.aio if isinstance(target, Miner) else target for target in targets),
            concurrency=concurrency,
            timeout=timeout,
            port=port,
            form=form,
            read_only=read_only,
        )
        """The async `cgapi.fleet.Fleet` doing the work."""

    def __repr__(self) -> str:
        return f"sync.{self.aio!r}"

    def __len__(self) -> int:
        return len(self.aio)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def addresses(self) -> list[str]:
        """`host:port` of every rig, in order."""
        return self.aio.addresses

    def close(self) -> None:
        """Close the Miners the Fleet built."""
        _run(self.aio.aclose)

    def poll(self) -> list[RigStatus]:
        """Poll every rig; one `RigStatus` per rig, in order (see `Fleet.poll_once`)."""
        statuses: list[RigStatus] = _run(self.aio.poll_once)
        return statuses

    def run(
        self,
        command: str,
        *params: Param,
        dry_run: bool = False,
        allow_unknown: bool = False,
    ) -> list[RunOutcome]:
        """Send one command to every rig; one `RunOutcome` per rig (see `Fleet.run`)."""

        async def call() -> list[RunOutcome]:
            return await self.aio.run(
                command, *params, dry_run=dry_run, allow_unknown=allow_unknown
            )

        outcomes: list[RunOutcome] = _run(call)
        return outcomes
