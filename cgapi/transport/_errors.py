"""The one place where foreign exceptions become cgapi transport errors."""

from __future__ import annotations

import socket
from typing import Literal

import anyio

from ..errors import (
    ConnectError,
    ConnectionClosed,
    ConnectTimeout,
    NoReply,
    ReadTimeout,
    TransportError,
)

__all__ = ("Stage", "map_transport_error", "no_reply")

Stage = Literal["connect", "send", "receive"]


def no_reply(address: str) -> NoReply:
    """The miner closed without a byte: what cgminer does to an address outside --api-allow."""
    return NoReply(
        f"{address}: connection closed without a reply "
        "(is this client allowed by the miner's --api-allow?)",
        address=address,
    )


def map_transport_error(
    exc: BaseException, *, stage: Stage, address: str, received: int
) -> TransportError:
    """Translate an exception raised while talking to a miner.

    Order matters: TimeoutError and ConnectionRefusedError are both OSErrors, so timeouts
    are resolved first.
    """
    if isinstance(exc, TimeoutError):
        if stage == "connect":
            return ConnectTimeout(f"{address}: connection timed out", address=address)
        return ReadTimeout(
            f"{address}: no complete reply in time ({received} bytes received)",
            address=address,
        )
    if stage == "connect":
        if isinstance(exc, socket.gaierror):
            return ConnectError(f"{address}: cannot resolve host ({exc})", address=address)
        if isinstance(exc, ConnectionRefusedError):
            return ConnectError(f"{address}: connection refused", address=address)
        return ConnectError(f"{address}: cannot connect ({exc})", address=address)
    if isinstance(exc, (anyio.EndOfStream, anyio.BrokenResourceError, OSError)):
        if received == 0:
            return no_reply(address)
        return ConnectionClosed(
            f"{address}: connection broke after {received} bytes", address=address
        )
    return TransportError(f"{address}: {type(exc).__name__}: {exc}", address=address)
