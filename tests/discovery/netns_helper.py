"""Run inside a network namespace (`ip netns exec NS python netns_helper.py ...`) by test_netns.

respond --port P --rig PERSONALITY@ADDRESS@DESCRIPTION [--rig ...] [--allow LIST]
    FakeMiners with --api-mcast on ADDRESS (TCP 4028 and the group joined on ADDRESS);
    prints "ready" once listening, exits after --lifetime seconds or when stdin closes.
discover --port P [--interface ADDRESS] [--timeout S] [--retries N] [--expect N]
    prints a JSON list of the rigs found, each with the API version read over TCP.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import AsyncExitStack
from typing import Any

import anyio

from cgapi.discovery import discover
from cgapi.testing import FakeMiner


async def respond(options: argparse.Namespace) -> None:
    async with AsyncExitStack() as stack:
        for spec in options.rig:
            personality, address, description = spec.split("@", 2)
            fake = FakeMiner(
                personality,
                host=address,
                port=4028,
                description=description,
                allow=options.allow,
                mcast=True,
                mcast_port=options.port,
                mcast_interface=address,
            )
            await stack.enter_async_context(fake)
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        with anyio.move_on_after(options.lifetime):
            await anyio.to_thread.run_sync(sys.stdin.read, abandon_on_cancel=True)


async def find(options: argparse.Namespace) -> None:
    rigs = await discover(
        interface=options.interface,
        port=options.port,
        reply_port=0,
        timeout=options.timeout,
        retries=options.retries,
        expect=options.expect,
    )
    found: list[dict[str, Any]] = []
    for rig in rigs:
        async with rig.miner(timeout=5.0) as miner:
            version = await miner.version()
        found.append(
            {
                "host": rig.host,
                "port": rig.port,
                "description": rig.description,
                "code": rig.code,
                "api": version.api,
            }
        )
    sys.stdout.write(json.dumps(found) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    responder = commands.add_parser("respond")
    responder.add_argument("--port", type=int, required=True)
    responder.add_argument("--rig", action="append", required=True)
    responder.add_argument("--allow", default=None)
    responder.add_argument("--lifetime", type=float, default=60.0)
    finder = commands.add_parser("discover")
    finder.add_argument("--port", type=int, required=True)
    finder.add_argument("--interface", default=None)
    finder.add_argument("--timeout", type=float, default=1.5)
    finder.add_argument("--retries", type=int, default=0)
    finder.add_argument("--expect", type=int, default=0)
    options = parser.parse_args()
    anyio.run(respond if options.command == "respond" else find, options)


if __name__ == "__main__":
    main()
