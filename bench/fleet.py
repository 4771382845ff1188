"""Fleet polling: cgapi `Fleet` against a raw floor and pyasic, on 1,000 (and 5,000) rigs.

The rigs are a `FakeFleet` on loopback addresses from 127.20.0.1, port 4028, served from a
separate process (`bench._server`). Each client runs in a fresh process of its own, so its
wall time, CPU time and peak RSS (`ru_maxrss`) are its own:

* cgapi: `Fleet(addresses, concurrency=C, timeout=T).poll_once()` (models validated lazily,
  so only decoded here);
* floor: anyio, C workers, one `{"command":"summary+devs+pools"}` per rig (connect, send,
  read to EOF, strip NUL, json.loads), each rig bounded by T;
* pyasic (if `.bench-venv` has it): `CGMinerRPCAPI.multicommand`, C at once, T each.

Shapes: *healthy* (cgminer, every rig answers) and *realistic* (mixed personalities, 10%
of rigs without devices, 10% faulty: a third hanging, a third closing without a reply, a
third refusing). Every rig must be accounted for (results + typed errors == n).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import anyio

from bench import _server

ROOT = Path(__file__).resolve().parent.parent
PYASIC_PYTHON = ROOT / ".bench-venv" / "bin" / "python"
CONCURRENCY = 256
TIMEOUTS = {"healthy": 10.0, "realistic": 2.0}
REQUEST = b'{"command":"summary+devs+pools"}'


# --- clients (each run in a child process) ---------------------------------------------------


async def _cgapi_client(hosts: list[str], concurrency: int, rig_timeout: float) -> Counter[str]:
    from cgapi.errors import CgapiError
    from cgapi.fleet import Fleet

    outcomes: Counter[str] = Counter()
    async with Fleet(hosts, concurrency=concurrency, timeout=rig_timeout) as fleet:
        for status in await fleet.poll_once():
            if status.error is None:
                outcomes["ok"] += 1
            elif isinstance(status.error, CgapiError):
                outcomes[f"error:{type(status.error).__name__}"] += 1
            else:  # pragma: no cover - would be a bug
                outcomes["untyped"] += 1
    return outcomes


async def _floor_rig(host: str, port: int) -> object:
    stream = await anyio.connect_tcp(host, port)
    async with stream:
        await stream.send(REQUEST)
        chunks: list[bytes] = []
        try:
            while True:
                chunks.append(await stream.receive(65536))
        except anyio.EndOfStream:
            pass
    data = b"".join(chunks).rstrip(b"\0")
    if not data:
        raise ConnectionResetError("closed without a reply")
    return json.loads(data)


async def _floor_client(hosts: list[str], concurrency: int, rig_timeout: float) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    pending = iter(hosts)

    async def worker() -> None:
        for address in pending:
            host, port = address.rsplit(":", 1)
            try:
                with anyio.fail_after(rig_timeout):
                    await _floor_rig(host, int(port))
            except Exception as exc:  # noqa: BLE001 - count every kind of failure
                outcomes[f"error:{type(exc).__name__}"] += 1
            else:
                outcomes["ok"] += 1

    async with anyio.create_task_group() as tg:
        for _ in range(min(concurrency, len(hosts))):
            tg.start_soon(worker)
    return outcomes


def _child(client: str, n: int, concurrency: int, timeout: float) -> None:
    from cgapi.testing.fleet import fleet_addresses

    hosts = [f"{h}:{_server.PORT}" for h in fleet_addresses(n, _server.BASE)]
    poll = _cgapi_client if client == "cgapi" else _floor_client
    started, cpu = time.perf_counter(), time.process_time()
    outcomes = anyio.run(poll, hosts, concurrency, timeout)
    result = {
        "wall": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "outcomes": dict(outcomes),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(result))


# --- driver ----------------------------------------------------------------------------------


def _run_client(client: str, n: int, timeout: float) -> dict | None:
    if client == "pyasic":
        if not PYASIC_PYTHON.exists():
            return None
        command = [str(PYASIC_PYTHON), str(Path(__file__).with_name("_pyasic_client.py"))]
        command += [str(n), _server.BASE, str(_server.PORT), str(CONCURRENCY), str(timeout)]
    else:
        command = [sys.executable, "-m", "bench.fleet", "--client", client, "--n", str(n)]
        command += ["--concurrency", str(CONCURRENCY), "--timeout", str(timeout)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        out, _ = process.communicate(timeout=timeout * 10 + 120)
    finally:
        _server.stop(process)
    if process.returncode != 0:
        if client == "pyasic":
            return None
        raise RuntimeError(f"{client} client exited with {process.returncode}")
    return json.loads(out.strip().splitlines()[-1])


def _measure(n: int, shape: str, rounds: int) -> dict[str, dict]:
    timeout = TIMEOUTS[shape]
    server = _server.spawn_fleet(n, shape)
    best: dict[str, dict] = {}
    try:
        for _ in range(rounds):
            for client in ("floor", "cgapi", "pyasic"):
                result = _run_client(client, n, timeout)
                if result is None:
                    continue
                if client not in best or result["wall"] < best[client]["wall"]:
                    best[client] = result
    finally:
        _server.stop(server)
    return best


def _describe(outcomes: dict[str, int]) -> str:
    errors = {k.removeprefix("error:"): v for k, v in outcomes.items() if k != "ok"}
    text = f"ok={outcomes.get('ok', 0)}"
    if errors:
        text += " " + " ".join(f"{k}={v}" for k, v in sorted(errors.items()))
    return text


def run(quick: bool = False) -> dict[str, float]:
    """Measure and print; return the ratios."""
    sizes = (1000,) if quick else (1000, 5000)
    rounds = 1 if quick else 2
    have_pyasic = PYASIC_PYTHON.exists()
    ratios: dict[str, float] = {}
    figures: list[tuple[str, float, str]] = []
    print(
        f"fleet polling: summary+devs+pools per rig, concurrency {CONCURRENCY}, "
        f"fake rigs in a separate process, {os.cpu_count()} cores"
    )
    if not have_pyasic:
        print("pyasic: not installed in .bench-venv (pip install pyasic there); column skipped")
    print(
        f"{'shape':10} {'rigs':>5} {'client':7} {'wall s':>7} {'rigs/s':>7} {'CPU s':>6} "
        f"{'RSS MB':>7}  outcomes"
    )
    for n in sizes:
        for shape in ("healthy", "realistic"):
            best = _measure(n, shape, rounds)
            for client, result in best.items():
                wall = result["wall"]
                accounted = sum(result["outcomes"].values())
                print(
                    f"{shape:10} {n:5} {client:7} {wall:7.2f} {n / wall:7.0f} "
                    f"{result['cpu']:6.2f} {result['rss_mb']:7.1f}  "
                    f"{_describe(result['outcomes'])}"
                    + ("" if accounted == n else f"  MISSING {n - accounted}")
                )
                tag = f"fleet_{shape}_{n}_{client}"
                figures += [
                    (f"{tag}_wall", wall, "s"),
                    (f"{tag}_throughput", n / wall, "rigs/s"),
                    (f"{tag}_cpu", result["cpu"], "s"),
                    (f"{tag}_peak_rss", result["rss_mb"], "MB"),
                    (f"{tag}_missed", n - accounted, "rigs"),
                ]
            suffix = "" if n == 1000 else f"_{n}"
            cgapi, floor = best["cgapi"], best["floor"]
            if shape == "healthy":
                ratios[f"fleet_healthy_wall_vs_floor{suffix}"] = cgapi["wall"] / floor["wall"]
                ratios[f"fleet_healthy_cpu_vs_floor{suffix}"] = cgapi["cpu"] / floor["cpu"]
            else:
                figures.append(
                    (f"fleet_realistic_{n}_timeout", TIMEOUTS["realistic"], "s"),
                )
            if "pyasic" in best:
                ratios[f"fleet_{shape}_throughput_vs_pyasic{suffix}"] = (
                    best["pyasic"]["wall"] / cgapi["wall"]
                )
    for name, value, unit in figures:
        print(f"figure {name} {value:.3g} {unit}")
    for name, value in ratios.items():
        print(f"ratio {name} {value:.2f}")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fleet")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--client", choices=("cgapi", "floor"))
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--timeout", type=float, default=TIMEOUTS["healthy"])
    args = parser.parse_args()
    if args.client:
        _child(args.client, args.n, args.concurrency, args.timeout)
    else:
        run(quick=args.quick)


if __name__ == "__main__":
    main()
