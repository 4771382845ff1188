"""Finding rigs: a /16 TCP scan with 1,000 live rigs, and multicast discovery of 200 rigs.

The rigs run in a child process (`python -m bench.discovery serve-tcp|serve-mcast ...`), so
this process measures only the client:

* scan: 127.2.0.0-127.2.255.255 (65,536 addresses) with 1,000 rigs on random addresses
  inside it, each answering `version` with one of the real captures; prints the seconds,
  the rigs missed and misnamed (target: under 30 s, none missed), under asyncio and trio.
* multicast: 200 `MulticastResponder`s (cgminer, sgminer, bfgminer, bmminer; real 1 s
  read interval) on 127.3.x.y, one `discover()` round of 1.5 s pinned to 127.0.0.1 with
  TTL 0; prints found and missed (target: all 200 in one window).

`--quick` scans a /20 with 100 rigs and discovers 50.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import anyio.abc

from cgapi.discovery import discover
from cgapi.scan import scan

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SCAN_FIRST = "127.2.0.0"
MCAST_BASE = "127.3.0.0"
SEED = 4028

# A real `version` reply per software; rig i answers with VERSIONS[i % len(VERSIONS)].
VERSIONS = (
    ("bmminer/antminer-s9-version.json", "bmminer"),
    ("avalon/avalon1566-fw24102401-version.json", "avalon"),
    ("sgminer/sgminer-4.1.0-version.txt", "sgminer"),
    ("luxminer/luxos-version.json", "LuxOS"),
    ("teamredminer/trm-0.10.7-version.txt", "TeamRedMiner"),
    ("ccminer-hammer/hammer-d10-fw2023-05-28-version.json", "ccminer"),
    ("bmminer/mskminer-s19-nopic-2.6.0.39-version.json", "bmminer"),
    ("avalon/avalon10xx-version-doc.txt", "avalon"),
)
PERSONALITIES = ("cgminer", "bmminer", "bfgminer", "sgminer")


def _sizes(quick: bool) -> tuple[int, int, int]:
    """(addresses scanned, live rigs, multicast rigs)."""
    return (4096, 100, 50) if quick else (65536, 1000, 200)


def _live_addresses(addresses: int, live: int) -> list[str]:
    """`live` random addresses among the first `addresses` from SCAN_FIRST (none .0/.255)."""
    first = int(ipaddress.IPv4Address(SCAN_FIRST))
    pool = [first + i for i in range(addresses) if (first + i) & 0xFF not in (0, 255)]
    return [str(ipaddress.IPv4Address(a)) for a in random.Random(SEED).sample(pool, live)]


def _reply(index: int) -> bytes:
    data = (FIXTURES / VERSIONS[index % len(VERSIONS)][0]).read_bytes()
    return data if data.endswith(b"\0") else data + b"\0"


def _free_port(host: str, kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


# --- the child process ------------------------------------------------------------------------


async def _wait_for_stdin_close() -> None:
    with anyio.move_on_after(600):
        await anyio.to_thread.run_sync(sys.stdin.read, abandon_on_cancel=True)


async def _serve_tcp(addresses: int, live: int, port: int) -> None:
    def handler(reply: bytes) -> Callable[[anyio.abc.SocketStream], Awaitable[None]]:
        async def handle(client: anyio.abc.SocketStream) -> None:
            async with client:
                with anyio.move_on_after(5):
                    await client.receive()
                    await client.send(reply)

        return handle

    async with contextlib.AsyncExitStack() as stack:
        listeners = [
            await stack.enter_async_context(
                await anyio.create_tcp_listener(local_host=host, local_port=port)
            )
            for host in _live_addresses(addresses, live)
        ]
        async with anyio.create_task_group() as task_group:
            for index, listener in enumerate(listeners):
                task_group.start_soon(listener.serve, handler(_reply(index)))
            sys.stdout.write("ready\n")
            sys.stdout.flush()
            await _wait_for_stdin_close()
            task_group.cancel_scope.cancel()


async def _serve_mcast(count: int, port: int) -> None:
    from cgapi.testing.multicast import MulticastResponder

    base = int(ipaddress.IPv4Address(MCAST_BASE))
    async with contextlib.AsyncExitStack() as stack:
        for i in range(count):
            host = str(ipaddress.IPv4Address(base + 256 * (i // 250) + i % 250 + 1))
            responder = MulticastResponder(
                api_port=4028,
                bind_host=host,
                description=f"rig-{i}",
                personality=PERSONALITIES[i % len(PERSONALITIES)],
                port=port,
                interface="127.0.0.1",
            )
            await stack.enter_async_context(responder)
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        await _wait_for_stdin_close()


def _spawn(*args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.discovery", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        _stop(process)
        raise RuntimeError(f"bench server {args[0]} did not start")
    return process


def _stop(process: subprocess.Popen[str]) -> None:
    """End a child we started: close its stdin, then terminate and kill it by PID."""
    if process.stdin is not None:
        process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    if process.stdout is not None:
        process.stdout.close()


# --- the measurements -------------------------------------------------------------------------


async def _scan_once(addresses: int, port: int) -> tuple[float, dict[str, str]]:
    first = ipaddress.IPv4Address(SCAN_FIRST)
    targets = f"{first}-{first + addresses - 1}"
    found: dict[str, str] = {}
    started = time.perf_counter()
    async with contextlib.aclosing(scan(targets, port, timeout=2.0)) as hits:
        async for hit in hits:
            found[hit.host] = hit.software
    return time.perf_counter() - started, found


def _measure_scan(quick: bool) -> dict[str, float]:
    addresses, live, _ = _sizes(quick)
    port = _free_port(SCAN_FIRST, socket.SOCK_STREAM)
    rigs = _live_addresses(addresses, live)
    expected = {host: VERSIONS[i % len(VERSIONS)][1] for i, host in enumerate(rigs)}
    server = _spawn(
        "serve-tcp", "--addresses", str(addresses), "--live", str(live), "--port", str(port)
    )
    figures: dict[str, float] = {}
    try:
        for backend in ("asyncio",) if quick else ("asyncio", "trio"):
            seconds, found = anyio.run(_scan_once, addresses, port, backend=backend)
            missed = len(set(expected) - set(found))
            extra = len(set(found) - set(expected))
            misnamed = sum(1 for h, name in found.items() if expected.get(h, name) != name)
            print(
                f"scan {addresses:,} addresses, {live:,} live ({backend}): {seconds:6.2f} s, "
                f"{addresses / seconds:,.0f} addresses/s, missed {missed}, extra {extra}, "
                f"misnamed {misnamed}"
            )
            suffix = "" if backend == "asyncio" else f"_{backend}"
            figures[f"scan{suffix}_seconds"] = seconds
            figures[f"scan{suffix}_missed"] = missed
            figures[f"scan{suffix}_misnamed"] = misnamed
    finally:
        _stop(server)
    return figures


async def _discover_once(port: int) -> tuple[float, int]:
    await anyio.sleep(1.1)  # long-running miners wait in recvfrom; just started, they sleep 1 s
    started = time.perf_counter()
    found = await discover(interface="127.0.0.1", port=port, reply_port=0, timeout=1.5, ttl=0)
    return time.perf_counter() - started, len(found)


def _measure_multicast(quick: bool) -> dict[str, float]:
    _, _, count = _sizes(quick)
    port = _free_port("127.0.0.1", socket.SOCK_DGRAM)
    server = _spawn("serve-mcast", "--count", str(count), "--port", str(port))
    try:
        seconds, found = anyio.run(_discover_once, port)
    finally:
        _stop(server)
    print(
        f"multicast discovery of {count} rigs, one 1.5 s window: found {found}, "
        f"missed {count - found} ({seconds:.2f} s)"
    )
    return {"mcast_found": found, "mcast_missed": count - found, "mcast_seconds": seconds}


def run(quick: bool = False) -> dict[str, float]:
    """Measure and print; return the figures."""
    figures = {**_measure_scan(quick), **_measure_multicast(quick)}
    addresses, _, count = _sizes(quick)
    units = {"seconds": "s", "missed": "rigs", "misnamed": "rigs", "found": "rigs"}
    for name, value in figures.items():
        unit = units[name.rsplit("_", 1)[1]]
        label = name.replace("scan", f"scan_{addresses}").replace("mcast", f"mcast_{count}")
        print(
            f"figure {label} {value:.2f} {unit}"
            if unit == "s"
            else f"figure {label} {value:.0f} {unit}"
        )
    return figures


def _child() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.discovery")
    commands = parser.add_subparsers(dest="command", required=True)
    tcp = commands.add_parser("serve-tcp")
    tcp.add_argument("--addresses", type=int, required=True)
    tcp.add_argument("--live", type=int, required=True)
    tcp.add_argument("--port", type=int, required=True)
    mcast = commands.add_parser("serve-mcast")
    mcast.add_argument("--count", type=int, required=True)
    mcast.add_argument("--port", type=int, required=True)
    options = parser.parse_args()
    if options.command == "serve-tcp":
        anyio.run(_serve_tcp, options.addresses, options.live, options.port)
    else:
        anyio.run(_serve_mcast, options.count, options.port)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("serve-"):
        _child()
    else:
        run(quick="--quick" in sys.argv[1:])
