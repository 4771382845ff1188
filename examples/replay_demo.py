"""Demo: query a loopback server that replays replies recorded from real miners.

The replies are real captures from tests/fixtures (an Antminer S9, a TeamRedMiner rig...):
each connection gets the recorded reply for the command it asks, in the form it asks, as a
miner sends it (reply, NUL, close). Then cgapi reads them as it would read the real rig.
"""

from __future__ import annotations

import functools
from pathlib import Path

import anyio
import anyio.abc

from cgapi import CgapiError, Miner
from cgapi.protocol import decode_request

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"

RECORDED = {
    ("summary", "json"): "bmminer/antminer-s9-summary.json",
    ("version", "json"): "bmminer/antminer-s9-version.json",
    ("stats", "json"): "bmminer/antminer-s9-stats-missing-comma.json",
    ("summary", "text"): "teamredminer/trm-0.10.7-summary.txt",
    ("devs", "text"): "teamredminer/trm-0.10.7-devs.txt",
    ("pools", "text"): "teamredminer/trm-0.10.7-pools.txt",
    (
        "switchpool",
        "json",
    ): "cgminer/cgminer-4.9.0-antminer-l3plus-error-access-denied-switchpool.json",
}
INVALID = b'{"STATUS":[{"STATUS":"E","When":1,"Code":14,"Msg":"Invalid command"}],"id":1}'


async def serve_one(client: anyio.abc.SocketStream) -> None:
    async with client:
        request = decode_request(await client.receive(4095))
        name = RECORDED.get((request.command, request.form))
        reply = (FIXTURES / name).read_bytes().rstrip(b"\x00") if name else INVALID
        await client.send(reply + b"\x00")


async def main() -> None:
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(functools.partial(listener.serve, serve_one))
        async with Miner("127.0.0.1", port, timeout=5) as s9:
            version, summary = await s9.version(), await s9.summary()
            print(f"{version.software_version} on 127.0.0.1:{port} (JSON form)")
            print(f"  up {summary.elapsed} s, {summary.hashrate_av / 1e12:.2f} TH/s average")
            stats = await s9.stats()
            print(f"  stats: {len(stats)} records (Bitmain's missing comma repaired)")
            try:
                await s9.switchpool(1)
            except CgapiError as error:
                print(f"  switchpool refused as expected: {type(error).__name__}: {error}")
        async with Miner("127.0.0.1", port, form="text", timeout=5) as trm:
            summary = await trm.summary()
            devices = await trm.devs()
            pools = await trm.pools()
            print(f"TeamRedMiner (text form): {summary.hashrate_av / 1e6:.2f} MH/s average")
            for device in devices:
                print(f"  GPU{device.index}: {device.temperature} C, fan {device.fan_percent} %")
            for pool in pools:
                print(f"  pool {pool.index}: {pool.url} {pool.status}")
        tg.cancel_scope.cancel()


if __name__ == "__main__":
    anyio.run(main)
