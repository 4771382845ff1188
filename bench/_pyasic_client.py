"""Poll a fake fleet with pyasic's RPC client; run by bench/fleet.py in the bench venv.

`.bench-venv/bin/python bench/_pyasic_client.py N BASE PORT CONCURRENCY TIMEOUT` prints one
JSON line: wall and CPU seconds, peak RSS, and the count of rigs answered and of errors.
Each rig gets `CGMinerRPCAPI.multicommand("summary", "devs", "pools")` (pyasic retries
the three alone when the joined reply holds an error), at most CONCURRENCY rigs at once,
each bounded by TIMEOUT with `asyncio.wait_for` (pyasic has no connect timeout of its own).
Standalone on purpose: the bench venv has pyasic, not cgapi.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import resource
import sys
import time
import warnings
from collections import Counter


def addresses(n: int, base: str) -> list[str]:
    """The same addresses as `cgapi.testing.fleet_addresses` (skip .0 and .255)."""
    found: list[str] = []
    candidate = ipaddress.IPv4Address(base)
    while len(found) < n:
        if int(candidate) & 0xFF not in (0, 255):
            found.append(str(candidate))
        candidate += 1
    return found


async def poll(n: int, base: str, port: int, concurrency: int, timeout: float) -> dict:
    from pyasic.rpc.cgminer import CGMinerRPCAPI

    gate = asyncio.Semaphore(concurrency)
    outcomes: Counter[str] = Counter()

    async def one(ip: str) -> None:
        async with gate:
            api = CGMinerRPCAPI(ip, port)
            try:
                data = await asyncio.wait_for(
                    api.multicommand("summary", "devs", "pools", allow_warning=False), timeout
                )
            except asyncio.TimeoutError:
                outcomes["error:timeout"] += 1
                return
            except Exception as exc:  # noqa: BLE001 - count every kind of failure
                outcomes[f"error:{type(exc).__name__}"] += 1
                return
            outcomes["ok" if data.get("summary") else "error:empty"] += 1

    started = time.perf_counter()
    cpu = time.process_time()
    await asyncio.gather(*(one(ip) for ip in addresses(n, base)))
    return {
        "wall": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "outcomes": dict(outcomes),
    }


def main() -> None:
    n, base, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    concurrency, timeout = int(sys.argv[4]), float(sys.argv[5])
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    result = asyncio.run(poll(n, base, port, concurrency, timeout))
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
