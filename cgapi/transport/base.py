"""The transport seam: send one request's bytes, get one reply's bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ("Timeouts", "Transport")


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Deadlines of one request, in seconds.

    Attributes:
        connect: to establish the TCP connection.
        read: the longest silence while the reply arrives.
        total: the whole exchange, connect included; a reply dripping slowly ends here.
    """

    connect: float = 3.0
    read: float = 10.0
    total: float = 15.0

    @classmethod
    def of(cls, value: float | Timeouts) -> Timeouts:
        """Accept a single number (used for all three) or a `Timeouts`."""
        if isinstance(value, Timeouts):
            return value
        seconds = float(value)
        if not seconds > 0:
            raise ValueError(f"timeout must be positive, not {value!r}")
        return cls(connect=seconds, read=seconds, total=seconds)


@runtime_checkable
class Transport(Protocol):
    """Carries one request to a miner and brings back its reply bytes."""

    @property
    def address(self) -> str:
        """`host:port` (or another label) of the miner, for error messages."""
        ...

    async def roundtrip(self, request: bytes) -> bytes:
        """Send `request` and return the reply bytes (without the NUL terminator).

        Raises:
            TransportError: the exchange failed; never a bare OSError or anyio error.
            ReplyTooLarge: the reply passed the size cap.
        """
        ...

    async def aclose(self) -> None:
        """Release what the transport holds."""
        ...
