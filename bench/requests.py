"""Per-request cost: sequential typed `await m.summary()` against a raw-socket floor.

One fake cgminer runs in its own process (`cgapi fake-miner`), so `time.process_time()`
here counts only the client: cgapi's `Miner.summary()` (connect, send, read to NUL/EOF,
decode, validate into `Summary`) versus the floor (anyio connect, send
`{"command":"summary"}`, read to EOF, strip NUL, json.loads) on the same rig, in the
same run. Prints CPU and wall time per request and `ratio per_request_cpu_vs_floor X`.
"""

from __future__ import annotations

import json
import time

import anyio

from bench import _server
from cgapi import Miner

REQUEST = b'{"command":"summary"}'


async def _floor_once(port: int) -> object:
    stream = await anyio.connect_tcp("127.0.0.1", port)
    async with stream:
        await stream.send(REQUEST)
        chunks: list[bytes] = []
        try:
            while True:
                chunks.append(await stream.receive(65536))
        except anyio.EndOfStream:
            pass
    return json.loads(b"".join(chunks).rstrip(b"\0"))


async def _floor(port: int, n: int) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        reply = await _floor_once(port)
        assert isinstance(reply, dict) and "SUMMARY" in reply
    return time.process_time() - cpu, time.perf_counter() - wall


async def _cgapi(port: int, n: int) -> tuple[float, float]:
    async with Miner("127.0.0.1", port) as m:
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            summary = await m.summary()
            assert summary.elapsed is not None
        return time.process_time() - cpu, time.perf_counter() - wall


async def _measure(port: int, n: int, rounds: int) -> dict[str, tuple[float, float]]:
    await _floor(port, min(n, 200))  # warm up both paths (imports, caches)
    await _cgapi(port, min(n, 200))
    best: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):  # interleaved, best CPU of each
        for name, run in (("floor", _floor), ("cgapi", _cgapi)):
            figures = await run(port, n)
            if name not in best or figures[0] < best[name][0]:
                best[name] = figures
    return best


def run(quick: bool = False) -> dict[str, float]:
    """Measure and print; return the ratios."""
    n = 500 if quick else 5000
    rounds = 3
    port = _server.free_port()
    process = _server.spawn_miner(port)
    try:
        best = anyio.run(_measure, port, n, rounds)
    finally:
        _server.stop(process)
    floor_cpu = best["floor"][0] / n
    print(f"per-request: {n} sequential summary requests, one fake cgminer (separate process)")
    print(f"{'':24} {'CPU us/req':>10} {'wall us/req':>11}")
    for name, label in (("floor", "raw floor (anyio+json)"), ("cgapi", "cgapi Miner.summary()")):
        cpu, wall = best[name]
        print(f"{label:24} {cpu / n * 1e6:10.1f} {wall / n * 1e6:11.1f}")
    ratio = best["cgapi"][0] / n / floor_cpu
    ratios = {"per_request_cpu_vs_floor": ratio}
    for name, (cpu, wall) in best.items():
        print(f"figure per_request_cpu_{name} {cpu / n * 1e6:.1f} us")
        print(f"figure per_request_wall_{name} {wall / n * 1e6:.1f} us")
    for name, value in ratios.items():
        print(f"ratio {name} {value:.2f}")
    return ratios


if __name__ == "__main__":
    import sys

    run(quick="--quick" in sys.argv[1:])
