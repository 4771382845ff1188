"""MockTransport: answer requests with a plain function, no sockets."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from ..protocol.request import Request, decode_request

__all__ = ("Handler", "MockTransport")

Handler = Callable[[Request], "bytes | Awaitable[bytes]"]


class MockTransport:
    """A transport whose replies come from `handler(request) -> bytes`.

    The request is decoded with the same code a miner-side reader uses, so every mocked
    test also exercises the encoder. Every request's bytes are kept in `sent`.
    A handler may raise a cgapi `TransportError` to simulate a network failure.
    """

    def __init__(self, handler: Handler, *, address: str = "mock:4028") -> None:
        self._handler = handler
        self._address = address
        self.sent: list[bytes] = []

    @property
    def address(self) -> str:
        """The label used in error messages."""
        return self._address

    async def roundtrip(self, request: bytes) -> bytes:
        """Record the request and return the handler's reply (up to its NUL)."""
        self.sent.append(request)
        result = self._handler(decode_request(request))
        reply = await result if inspect.isawaitable(result) else result
        assert isinstance(reply, bytes), "a MockTransport handler must return bytes"
        end = reply.find(b"\x00")
        return reply if end == -1 else reply[:end]

    async def aclose(self) -> None:
        """Nothing to release."""
