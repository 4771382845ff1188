"""TCP transport: one connection per request, as the miners serve it."""

from __future__ import annotations

import weakref

import anyio
import anyio.abc

from ..protocol.framing import DEFAULT_MAX_REPLY_SIZE, ReplyBuffer
from ._errors import Stage, map_transport_error, no_reply
from .base import Timeouts

__all__ = ("TcpTransport",)

_RECEIVE_SIZE = 65536

# cgminer serves one client at a time from a single thread (SPEC 1): never open two
# connections to the same miner at once from this process. Entries vanish when unused.
_miner_locks: weakref.WeakValueDictionary[tuple[str, int], anyio.Lock] = (
    weakref.WeakValueDictionary()
)


def _lock_for(host: str, port: int) -> anyio.Lock:
    key = (host, port)
    lock = _miner_locks.get(key)
    if lock is None:
        lock = anyio.Lock()
        _miner_locks[key] = lock
    return lock


class TcpTransport:
    """Send each request on its own TCP connection and read the reply to NUL or EOF.

    The whole request goes out in one `send()` (the miner does one `recv()`); reading stops
    at the NUL without waiting for EOF (some firmware keeps the socket open).
    """

    def __init__(
        self,
        host: str,
        port: int = 4028,
        *,
        timeouts: Timeouts | None = None,
        max_reply_size: int = DEFAULT_MAX_REPLY_SIZE,
    ) -> None:
        self.host = host
        self.port = port
        self.timeouts = timeouts or Timeouts()
        self.max_reply_size = max_reply_size

    @property
    def address(self) -> str:
        """`host:port` of the miner."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    async def roundtrip(self, request: bytes) -> bytes:
        """Send one request and return the reply bytes, NUL stripped."""
        async with _lock_for(self.host, self.port):
            return await self._exchange(request)

    async def _exchange(self, request: bytes) -> bytes:
        buffer = ReplyBuffer(self.max_reply_size)
        stage: Stage = "connect"
        timeouts = self.timeouts
        try:
            with anyio.fail_after(timeouts.total):
                with anyio.fail_after(timeouts.connect):
                    stream = await anyio.connect_tcp(self.host, self.port)
                async with stream:
                    stage = "send"
                    await stream.send(request)
                    stage = "receive"
                    await self._receive(stream, buffer, timeouts.read)
        except (OSError, anyio.BrokenResourceError, anyio.EndOfStream) as exc:
            raise map_transport_error(
                exc, stage=stage, address=self.address, received=buffer.size
            ) from exc
        if buffer.size == 0:
            raise no_reply(self.address)
        return buffer.data

    @staticmethod
    async def _receive(
        stream: anyio.abc.ByteReceiveStream, buffer: ReplyBuffer, read_timeout: float
    ) -> None:
        while True:
            try:
                with anyio.fail_after(read_timeout):
                    chunk = await stream.receive(_RECEIVE_SIZE)
            except anyio.EndOfStream:
                buffer.feed_eof()
                return
            if buffer.feed(chunk):
                return

    async def aclose(self) -> None:
        """Nothing to release: connections live only for one request."""
