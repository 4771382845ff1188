"""Tiny loopback API servers that answer every connection with canned bytes (real captures)."""

from __future__ import annotations

import socket
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import anyio.abc

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def capture(name: str) -> bytes:
    """A real reply from tests/fixtures, with a NUL at the end as the miners send it."""
    data = (FIXTURES / name).read_bytes()
    return data if data.endswith(b"\0") else data + b"\0"


def free_port(host: str = "127.0.0.1", kind: int = socket.SOCK_STREAM) -> int:
    """A port free on `host` right now (TCP by default)."""
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class Canned:
    """What the servers received: (server host, client host, request bytes) per connection."""

    requests: list[tuple[str, str, bytes]] = field(default_factory=list)

    def hosts(self) -> set[str]:
        return {server for server, _, _ in self.requests}


@asynccontextmanager
async def canned_servers(replies: Mapping[str, bytes], port: int) -> AsyncIterator[Canned]:
    """Serve `replies[host]` on every `host:port`: read one chunk, answer, close.

    An empty reply closes the connection without a byte (a miner refusing the client).
    """
    record = Canned()

    def handler(host: str, reply: bytes) -> Callable[[anyio.abc.SocketStream], Awaitable[None]]:
        async def handle(client: anyio.abc.SocketStream) -> None:
            async with client:
                peer = client.extra(anyio.abc.SocketAttribute.remote_address)
                try:
                    with anyio.fail_after(5):
                        data = await client.receive()
                except (anyio.EndOfStream, TimeoutError):
                    data = b""
                record.requests.append((host, str(peer[0]), data))
                if reply:
                    await client.send(reply)

        return handle

    async with AsyncExitStack() as stack:
        listeners = {
            host: await stack.enter_async_context(
                await anyio.create_tcp_listener(local_host=host, local_port=port)
            )
            for host in replies
        }
        async with anyio.create_task_group() as task_group:
            for host, listener in listeners.items():
                task_group.start_soon(listener.serve, handler(host, replies[host]))
            try:
                yield record
            finally:
                task_group.cancel_scope.cancel()
