"""`cgapi demo`: find, poll and control an embedded fake fleet, showing each step."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio

from ..client import Miner
from ..discovery import discover
from ..fleet import Fleet
from ..testing import FakeFleet
from .output import console, rows_table

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..fleet import RigStatus

__all__ = ("run_demo",)

DEMO_MCAST_PORT = 14028
"""A multicast port of its own, so the demo never talks to real rigs on this host."""


def _active_pool(rig: RigStatus) -> str:
    pool = rig.active_pool
    return pool.url.split("://")[-1] if pool and pool.url else "-"


def _fan(rig: RigStatus) -> str:
    fans = [d.fan_percent for d in rig.devices if d.fan_percent is not None]
    return ", ".join(f"{f}%" for f in fans) if fans else "-"


def _gigahash(rig: RigStatus) -> str:
    hashrate = rig.summary.hashrate() if rig.summary else None
    return "-" if hashrate is None else f"{hashrate / 1e9:,.1f}"


def _table(title: str, statuses: list[RigStatus], software: Mapping[str, str]) -> None:
    rows = [
        (
            rig.address,
            software.get(rig.address, "?"),
            _gigahash(rig),
            rig.summary.accepted if rig.summary else "-",
            _fan(rig),
            _active_pool(rig),
        )
        for rig in statuses
    ]
    columns = ["rig", "software", "GH/s", "accepted", "fans", "active pool"]
    console.print(rows_table(title, columns, rows))


async def _start(rigs: int, base: str, port: int) -> FakeFleet:
    fleet = FakeFleet(
        rigs,
        "mixed",
        base=base,
        port=port,
        allow="W:127.0.0.0/8",
        mcast=True,
        mcast_port=DEMO_MCAST_PORT,
        configure=lambda i: {"description": f"demo-rig-{i}"},
    )
    await fleet.__aenter__()
    return fleet


async def run_demo(*, rigs: int = 4, base: str = "127.77.0.1") -> int:
    """Run the demo; return the exit status."""
    console.rule("[bold]cgapi demo")
    try:
        fleet = await _start(rigs, base, 4028)
    except OSError:  # port 4028 taken on this host (a real miner?): any free ports
        fleet = await _start(rigs, base, 0)
    try:
        console.print(
            f"Started {rigs} fake rigs (cgminer, sgminer, bfgminer, bmminer) on "
            f"{fleet.hosts[0]}..{fleet.hosts[-1]}, multicast discovery on UDP {DEMO_MCAST_PORT}."
        )
        await anyio.sleep(1.0)  # a miner's multicast listener sleeps 1 s before each read
        console.print("\n[bold]1. Discover[/] by multicast (224.0.0.75, pinned to loopback)")
        found = await discover(
            interface="127.0.0.1", port=DEMO_MCAST_PORT, reply_port=0, timeout=1.5, expect=rigs
        )
        if found:
            rows = [(r.address, r.description, r.code) for r in found]
            console.print(
                rows_table(f"{len(found)} rig(s) answered", ["rig", "description", "code"], rows)
            )
        addresses = [r.address for r in found]
        if len(found) < rigs:
            console.print(
                f"Multicast found {len(found)} of {rigs} (is multicast routed on lo?); "
                "using the fleet's addresses, as a scan would find them."
            )
            addresses = fleet.addresses
        software = {m.address: m.personality for m in fleet}

        async with Fleet(addresses, timeout=5) as rigs_fleet:
            console.print("\n[bold]2. Poll[/] summary+devs+pools from every rig at once")
            before = await rigs_fleet.poll_once()
            _table("before", before, software)

            console.print("\n[bold]3. Control[/]")
            first = fleet[0]
            async with Miner(first.host, first.port) as miner:
                status = await miner.switchpool(1)
            console.print(
                f"{first.address} switchpool 1 -> {status.severity}/{status.code} {status.msg}"
            )
            gpu_rig = next((m for m in fleet if m.personality == "sgminer"), None)
            if gpu_rig is not None:
                async with Miner(gpu_rig.host, gpu_rig.port) as miner:
                    status = await miner.gpufan(0, 85)
                console.print(
                    f"{gpu_rig.address} gpufan 0 85 -> {status.severity}/{status.code} {status.msg}"
                )

            console.print("\n[bold]4. Poll again[/] and compare")
            after = await rigs_fleet.poll_once()
            _table("after", after, software)
            changes = [
                (b.address, what, old, new)
                for b, a in zip(before, after, strict=True)
                for what, old, new in (
                    ("active pool", _active_pool(b), _active_pool(a)),
                    ("fans", _fan(b), _fan(a)),
                )
                if old != new
            ]
            console.print(rows_table("what changed", ["rig", "what", "before", "after"], changes))
        console.print("\nTry it on a real rig: [bold]cgapi 10.0.0.5 summary[/] (see README).")
        return 0 if len(changes) >= 1 else 1
    finally:
        await fleet.__aexit__(None, None, None)
