"""TcpTransport against tiny loopback servers that misbehave the way miners do."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio
import anyio.abc
import pytest

from cgapi import Miner
from cgapi.errors import (
    ConnectError,
    ConnectionClosed,
    NoReply,
    ReadTimeout,
    ReplyTooLarge,
    Timeout,
)
from cgapi.transport import TcpTransport, Timeouts

pytestmark = pytest.mark.anyio

SUMMARY = (
    b'{"STATUS":[{"STATUS":"S","When":1,"Code":11,"Msg":"Summary","Description":"cgminer 4.11.1"}'
    b'],"SUMMARY":[{"Elapsed":42,"MHS av":1.5}],"id":1}'
)
Behaviour = Callable[[anyio.abc.SocketStream], Awaitable[None]]


@asynccontextmanager
async def server(behaviour: Behaviour) -> AsyncIterator[int]:
    """Serve `behaviour` on 127.0.0.1 and yield the port."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)

    async def handle(client: anyio.abc.SocketStream) -> None:
        async with client:
            await behaviour(client)

    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, handle)
        try:
            yield port
        finally:
            tg.cancel_scope.cancel()


async def answer(client: anyio.abc.SocketStream) -> None:
    await client.receive()
    await client.send(SUMMARY + b"\x00")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_reads_reply_to_nul() -> None:
    async with server(answer) as port:
        data = await TcpTransport("127.0.0.1", port).roundtrip(b"summary")
    assert data == SUMMARY


async def test_request_arrives_in_one_piece() -> None:
    received: list[bytes] = []

    async def record(client: anyio.abc.SocketStream) -> None:
        received.append(await client.receive())
        await client.send(SUMMARY + b"\x00")

    async with server(record) as port:
        await TcpTransport("127.0.0.1", port).roundtrip(b'{"command":"summary"}')
    assert received == [b'{"command":"summary"}']


async def test_refused_port_is_connect_error() -> None:
    with pytest.raises(ConnectError):
        await TcpTransport("127.0.0.1", free_port()).roundtrip(b"summary")


async def test_unknown_host_is_connect_error() -> None:
    with pytest.raises(ConnectError):
        await TcpTransport("no-such-host.invalid", 4028).roundtrip(b"summary")


async def test_accept_then_close_is_no_reply() -> None:
    async def close(client: anyio.abc.SocketStream) -> None:
        return None

    async with server(close) as port:
        with pytest.raises(NoReply) as caught:
            await TcpTransport("127.0.0.1", port).roundtrip(b"summary")
    assert "api-allow" in str(caught.value)


async def test_never_answering_times_out_within_deadline() -> None:
    async def hang(client: anyio.abc.SocketStream) -> None:
        await client.receive()
        await anyio.sleep(30)

    async with server(hang) as port:
        started = time.monotonic()
        with pytest.raises(ReadTimeout):
            await TcpTransport(
                "127.0.0.1", port, timeouts=Timeouts(connect=1, read=0.3, total=1)
            ).roundtrip(b"summary")
        assert time.monotonic() - started < 1.5


async def test_timeout_is_a_builtin_timeout_error() -> None:
    assert issubclass(Timeout, TimeoutError)


async def test_nul_then_socket_held_open() -> None:
    async def hold(client: anyio.abc.SocketStream) -> None:
        await client.receive()
        await client.send(SUMMARY + b"\x00")
        await anyio.sleep(30)

    async with server(hold) as port:
        with anyio.fail_after(2):
            data = await TcpTransport(
                "127.0.0.1", port, timeouts=Timeouts(read=10, total=10)
            ).roundtrip(b"summary")
    assert data == SUMMARY


async def test_eof_without_nul_ends_the_reply() -> None:
    async def no_nul(client: anyio.abc.SocketStream) -> None:
        await client.receive()
        await client.send(SUMMARY)

    async with server(no_nul) as port:
        assert await TcpTransport("127.0.0.1", port).roundtrip(b"summary") == SUMMARY


async def test_reply_over_the_cap() -> None:
    async def flood(client: anyio.abc.SocketStream) -> None:
        await client.receive()
        try:
            for _ in range(64):
                await client.send(b"x" * 4096)
        except (anyio.BrokenResourceError, OSError):
            pass

    async with server(flood) as port:
        with pytest.raises(ReplyTooLarge):
            await TcpTransport("127.0.0.1", port, max_reply_size=10_000).roundtrip(b"summary")


async def test_reply_dripped_one_byte_at_a_time() -> None:
    async def drip(client: anyio.abc.SocketStream) -> None:
        await client.receive()
        for byte in SUMMARY + b"\x00":
            await client.send(bytes([byte]))
            await anyio.sleep(0.001)

    async with server(drip) as port:
        data = await TcpTransport("127.0.0.1", port, timeouts=Timeouts(read=1, total=10)).roundtrip(
            b"summary"
        )
    assert data == SUMMARY


async def test_slow_drip_hits_the_total_deadline() -> None:
    async def drip(client: anyio.abc.SocketStream) -> None:
        await client.receive()
        for byte in SUMMARY:
            await client.send(bytes([byte]))
            await anyio.sleep(0.05)

    async with server(drip) as port:
        with pytest.raises(ReadTimeout):
            await TcpTransport("127.0.0.1", port, timeouts=Timeouts(read=1, total=0.5)).roundtrip(
                b"summary"
            )


async def test_broken_after_partial_reply() -> None:
    async def reset(client: anyio.abc.SocketStream) -> None:
        await client.receive()
        await client.send(SUMMARY[:20])
        raw = client.extra(anyio.abc.SocketAttribute.raw_socket)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    async with server(reset) as port:
        try:
            data = await TcpTransport("127.0.0.1", port).roundtrip(b"summary")
        except ConnectionClosed:
            return
    # The kernel may deliver the partial bytes before the reset: then EOF ended the reply.
    assert data == SUMMARY[:20]


async def test_one_connection_at_a_time_per_miner() -> None:
    active = 0
    peak = 0

    async def slow(client: anyio.abc.SocketStream) -> None:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await client.receive()
        await anyio.sleep(0.05)
        await client.send(SUMMARY + b"\x00")
        active -= 1

    async with server(slow) as port, anyio.create_task_group() as tg:
        for _ in range(4):
            tg.start_soon(TcpTransport("127.0.0.1", port).roundtrip, b"summary")
    assert peak == 1


async def test_miner_end_to_end_over_tcp() -> None:
    async with server(answer) as port, Miner(f"127.0.0.1:{port}", timeout=2) as miner:
        summary = await miner.summary()
    assert summary.elapsed == 42
    assert summary.hashrate_av == 1.5e6
