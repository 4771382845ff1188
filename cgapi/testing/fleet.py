"""`FakeFleet`: many fake miners on distinct loopback addresses in one process."""

from __future__ import annotations

import contextlib
import ipaddress
from typing import TYPE_CHECKING, Any

from .server import FakeMiner

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from types import TracebackType

    from typing_extensions import Self

    from ._render.types import Personality

__all__ = ("MIXED", "FakeFleet", "fleet_addresses")

MIXED: tuple[Personality, ...] = ("cgminer", "sgminer", "bfgminer", "bmminer")
"""The personalities `personality="mixed"` cycles through."""


def fleet_addresses(n: int, base: str = "127.1.0.1") -> list[str]:
    """`n` IPv4 addresses from `base` up, skipping those ending in .0 and .255."""
    if n < 0:
        raise ValueError("a fleet cannot have a negative size")
    start = ipaddress.IPv4Address(base)
    addresses: list[str] = []
    candidate = start
    while len(addresses) < n:
        last = int(candidate) & 0xFF
        if last not in (0, 255):
            addresses.append(str(candidate))
        candidate += 1
        if not candidate.is_loopback:
            raise ValueError(f"{n} addresses from {base} leave 127.0.0.0/8")
    return addresses


class FakeFleet:
    """`n` fake miners, each on its own loopback address and the same port.

    ```python
    async with FakeFleet(100, personality="mixed", allow="W:127.0.0.0/8") as fleet:
        targets = fleet.addresses  # ["127.1.0.1:4028", ...]
        fleet[3].faults.never_reply = True
    ```

    `personality` is one name, a sequence cycled through, or `"mixed"`.
    `configure(i)` returns per-rig keyword overrides (devices, pools, faults...);
    every other keyword goes to each `FakeMiner`.  Each rig gets `seed + i`.
    """

    def __init__(
        self,
        n: int,
        personality: Personality | Sequence[Personality] | str = "cgminer",
        *,
        base: str = "127.1.0.1",
        port: int = 4028,
        seed: int = 0,
        configure: Callable[[int], Mapping[str, Any]] | None = None,
        **options: Any,
    ) -> None:
        if personality == "mixed":
            cycle: Sequence[str] = MIXED
        elif isinstance(personality, str):
            cycle = (personality,)
        else:
            cycle = tuple(personality)
        if not cycle:
            raise ValueError("no personality given")
        self.hosts = fleet_addresses(n, base)
        self.miners: list[FakeMiner] = []
        for i, host in enumerate(self.hosts):
            kwargs: dict[str, Any] = {"host": host, "port": port, "seed": seed + i, **options}
            if configure is not None:
                kwargs.update(configure(i))
            self.miners.append(FakeMiner(cycle[i % len(cycle)], **kwargs))  # type: ignore[arg-type]
        self._stack: contextlib.AsyncExitStack | None = None

    @property
    def addresses(self) -> list[str]:
        """`host:port` of every rig, in order."""
        return [m.address for m in self.miners]

    def __len__(self) -> int:
        return len(self.miners)

    def __iter__(self) -> Iterator[FakeMiner]:
        return iter(self.miners)

    def __getitem__(self, index: int) -> FakeMiner:
        return self.miners[index]

    async def __aenter__(self) -> Self:
        stack = contextlib.AsyncExitStack()
        await stack.__aenter__()
        try:
            for miner in self.miners:
                await stack.enter_async_context(miner)
        except BaseException as error:
            await stack.__aexit__(type(error), error, error.__traceback__)
            raise
        self._stack = stack
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        stack, self._stack = self._stack, None
        if stack is None:
            return None
        return await stack.__aexit__(exc_type, exc, tb)

    def __repr__(self) -> str:
        return f"FakeFleet({len(self.miners)} rigs from {self.hosts[0] if self.hosts else '-'})"
