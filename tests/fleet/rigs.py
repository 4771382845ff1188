"""Canned cgminer 4.11 replies and loopback rigs that answer or misbehave, for fleet tests."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.abc

DESCRIPTION = "cgminer 4.11.1"


def status(code: int, msg: str, severity: str = "S") -> dict[str, Any]:
    """A STATUS object as cgminer 4.11.1 sends it."""
    return {
        "STATUS": severity,
        "When": 1700000000,
        "Code": code,
        "Msg": msg,
        "Description": DESCRIPTION,
    }


def summary_record(mhs: float = 13_500_000.0, accepted: int = 1200) -> dict[str, Any]:
    """A cgminer 4.11 SUMMARY record (an ASIC rig around 13.5 TH/s by default)."""
    return {
        "Elapsed": 86400,
        "MHS av": mhs,
        "MHS 5s": mhs * 1.01,
        "MHS 1m": mhs,
        "MHS 5m": mhs,
        "MHS 15m": mhs,
        "Found Blocks": 0,
        "Getworks": 4100,
        "Accepted": accepted,
        "Rejected": 12,
        "Hardware Errors": 7,
        "Utility": 0.83,
        "Discarded": 9000,
        "Stale": 3,
        "Get Failures": 0,
        "Local Work": 500000,
        "Remote Failures": 0,
        "Network Blocks": 144,
        "Total MH": mhs * 86400,
        "Work Utility": 190000.5,
        "Difficulty Accepted": 2.5e9,
        "Difficulty Rejected": 1.2e7,
        "Difficulty Stale": 3.0e6,
        "Best Share": 4.1e9,
        "Device Hardware%": 0.0001,
        "Device Rejected%": 0.47,
        "Pool Rejected%": 0.47,
        "Pool Stale%": 0.12,
        "Last getwork": 1700000000,
    }


def device_record(
    index: int, mhs: float = 4_500_000.0, temperature: float = 65.0
) -> dict[str, Any]:
    """A cgminer 4.11 ASC record of `devs`."""
    return {
        "ASC": index,
        "Name": "BM1387",
        "ID": index,
        "Enabled": "Y",
        "Status": "Alive",
        "Temperature": temperature,
        "MHS av": mhs,
        "MHS 5s": mhs,
        "MHS 1m": mhs,
        "MHS 5m": mhs,
        "MHS 15m": mhs,
        "Accepted": 400,
        "Rejected": 4,
        "Hardware Errors": 2,
        "Utility": 0.27,
        "Last Share Pool": 0,
        "Last Share Time": 1699999990,
        "Total MH": mhs * 86400,
        "Diff1 Work": 1.0e9,
        "Difficulty Accepted": 8.3e8,
        "Difficulty Rejected": 4.0e6,
        "Last Share Difficulty": 65536.0,
        "No Device": False,
        "Last Valid Work": 1699999999,
        "Device Hardware%": 0.0001,
        "Device Rejected%": 0.47,
        "Device Elapsed": 86400,
    }


def gpu_record(index: int, temperature: float = 70.5, fan: int = 55) -> dict[str, Any]:
    """An sgminer-style GPU record of `devs`, with fan speed and percent."""
    return {
        "GPU": index,
        "Enabled": "Y",
        "Status": "Alive",
        "Temperature": temperature,
        "Fan Speed": 2300,
        "Fan Percent": fan,
        "GPU Clock": 1050,
        "Memory Clock": 1500,
        "GPU Voltage": 1.2,
        "GPU Activity": 99,
        "Powertune": 0,
        "MHS av": 0.9,
        "MHS 5s": 0.91,
        "Accepted": 10,
        "Rejected": 1,
        "Hardware Errors": 0,
    }


def pool_record(
    index: int,
    url: str = "stratum+tcp://pool.example.com:3333",
    user: str = "wallet.rig",
    pool_status: str = "Alive",
    *,
    active: bool = False,
) -> dict[str, Any]:
    """A cgminer 4.11 POOL record (cgminer never sends the password)."""
    return {
        "POOL": index,
        "URL": url,
        "Status": pool_status,
        "Priority": index,
        "Quota": 1,
        "Long Poll": "N",
        "Getworks": 1000,
        "Accepted": 500,
        "Rejected": 5,
        "Works": 90000,
        "Discarded": 300,
        "Stale": 1,
        "Get Failures": 0,
        "Remote Failures": 0,
        "User": user,
        "Last Share Time": 1699999990,
        "Diff1 Shares": 1.0e9,
        "Proxy Type": "",
        "Proxy": "",
        "Difficulty Accepted": 8.0e8,
        "Difficulty Rejected": 4.0e6,
        "Difficulty Stale": 1.0e6,
        "Last Share Difficulty": 65536.0,
        "Work Difficulty": 65536.0,
        "Has Stratum": True,
        "Stratum Active": active,
        "Stratum URL": url.split("://")[-1] if active else "",
        "Stratum Difficulty": 65536.0,
        "Has Vmask": True,
        "Has GBT": False,
        "Best Share": 1.0e8,
        "Pool Rejected%": 0.5,
        "Pool Stale%": 0.1,
        "Bad Work": 0,
        "Current Block Height": 800000,
        "Current Block Version": 536870912,
    }


def reply_object(
    section: str | None, records: Sequence[dict[str, Any]], st: dict[str, Any]
) -> dict[str, Any]:
    """One reply as a JSON object (a bare STATUS when `section` is None)."""
    body: dict[str, Any] = {"STATUS": [st]}
    if section is not None:
        body[section] = list(records)
    body["id"] = 1
    return body


def encode(body: dict[str, Any]) -> bytes:
    """A JSON reply as cgminer sends it: compact, NUL-terminated."""
    return json.dumps(body, separators=(",", ":")).encode() + b"\x00"


@dataclass
class RigSpec:
    """What a canned rig answers: the member replies of `summary+devs+pools`."""

    summary: dict[str, Any] = field(default_factory=summary_record)
    devices: list[dict[str, Any]] | None = field(
        default_factory=lambda: [device_record(i) for i in range(3)]
    )
    pools: list[dict[str, Any]] = field(
        default_factory=lambda: [pool_record(0, active=True), pool_record(1)]
    )

    def members(self) -> dict[str, dict[str, Any]]:
        if self.devices is None:
            devs = reply_object(None, [], status(10, "No ASCs/PGAs", "E"))
        else:
            devs = reply_object("DEVS", self.devices, status(9, f"{len(self.devices)} ASC(s)"))
        return {
            "summary": reply_object("SUMMARY", [self.summary], status(11, "Summary")),
            "devs": devs,
            "pools": reply_object("POOLS", self.pools, status(7, f"{len(self.pools)} Pool(s)")),
        }

    def multi(self) -> bytes:
        """The joined reply to `summary+devs+pools`."""
        return encode({name: [body] for name, body in self.members().items()})

    def single(self, command: str) -> bytes:
        """The reply to one command."""
        members = self.members()
        if command in members:
            return encode(members[command])
        return encode(reply_object(None, [], status(14, "Invalid command", "E")))


def command_of(request: bytes) -> tuple[str, str | None]:
    """The command and parameter of a request, JSON or text."""
    text = request.decode()
    if text.startswith("{"):
        body = json.loads(text)
        return str(body["command"]), body.get("parameter")
    command, _, parameter = text.partition("|")
    return command, parameter or None


Behaviour = Callable[[anyio.abc.SocketStream, "Rig"], Awaitable[None]]


@dataclass
class Rig:
    """One loopback rig: what it answers, what it received, how busy it got."""

    spec: RigSpec = field(default_factory=RigSpec)
    join: bool = True
    delay: float = 0.0
    port: int = 0
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0
    max_connections: int = 0
    control_reply: bytes | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def answer(self, request: bytes) -> bytes:
        command, _ = command_of(request)
        if "+" in command:
            if not self.join:
                return encode(reply_object(None, [], status(14, "Invalid command", "E")))
            return self.spec.multi()
        if command in ("summary", "devs", "pools"):
            return self.spec.single(command)
        if self.control_reply is not None:
            return self.control_reply
        return encode(reply_object(None, [], status(27, f"Switching to pool {command}")))


async def answer(stream: anyio.abc.SocketStream, rig: Rig) -> None:
    """Behave like cgminer: read one request, answer, close."""
    request = await stream.receive()
    rig.requests.append(request)
    if rig.delay:
        await anyio.sleep(rig.delay)
    await stream.send(rig.answer(request))


async def hang(stream: anyio.abc.SocketStream, rig: Rig) -> None:
    """Accept, read, never answer."""
    rig.requests.append(await stream.receive())
    await anyio.sleep(3600)


async def close_silently(stream: anyio.abc.SocketStream, rig: Rig) -> None:
    """Accept and close without a byte (an address outside --api-allow)."""


async def garbage(stream: anyio.abc.SocketStream, rig: Rig) -> None:
    """Answer bytes that are no reply at all."""
    rig.requests.append(await stream.receive())
    await stream.send(b"\xff\xfeHTTP/1.1 400 Bad Request\r\n\r\n{{{\x00")


@asynccontextmanager
async def serve(rig: Rig, behaviour: Behaviour = answer) -> AsyncIterator[Rig]:
    """Serve one rig on 127.0.0.1 (port chosen by the OS); counts concurrent connections."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    rig.port = listener.extra(anyio.abc.SocketAttribute.local_port)

    async def handle(client: anyio.abc.SocketStream) -> None:
        rig.connections += 1
        rig.max_connections = max(rig.max_connections, rig.connections)
        try:
            async with client:
                await behaviour(client, rig)
        except (anyio.BrokenResourceError, anyio.EndOfStream, OSError):
            pass
        finally:
            rig.connections -= 1

    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, handle)
        try:
            yield rig
        finally:
            tg.cancel_scope.cancel()


@asynccontextmanager
async def serve_many(
    rigs: Sequence[tuple[Rig, Behaviour]],
) -> AsyncIterator[list[Rig]]:
    """Serve several rigs at once."""
    async with AsyncExitStack() as stack:
        for rig, behaviour in rigs:
            await stack.enter_async_context(serve(rig, behaviour))
        yield [rig for rig, _ in rigs]


def refused_address() -> str:
    """A loopback address where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"
