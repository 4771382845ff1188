"""Pool failover: watch the active pool of one or more rigs and move them off a dead pool.

A miner with the Failover strategy leaves a dead pool by itself, but keeps it at the top
of its priority list: when the pool flaps back the rig returns to it, and a rig stuck on
a dead pool (or one whose first pool is down at start) waits for the miner's own retry.
This script polls `pools` on every rig, and when the active pool or the rig's
first-priority pool is not Alive it puts the best alive pool first:

* `--action switch` (default): `switchpool N`, which mines on pool N now and moves it to
  priority 0;
* `--action priority`: `poolpriority`, alive pools first (in their current order), dead
  and disabled ones last.

The loop runs `--rounds` times, `--interval` seconds apart, then stops.

Run it (the rigs need write access for this host: `--api-allow W:<your address>`):

    python examples/pool_failover.py 10.0.0.5 10.0.0.6:4029 --rounds 60 --interval 10
    python examples/pool_failover.py 127.0.0.1:4028 --action priority --json --dry-run

Output is one line per change (`--json`: one JSON object per line). The exit status is 0
when every rig was healthy (or fixed) in the last round, 1 when a rig could not be read
or controlled or had no alive pool, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import anyio

from cgapi import CgapiError, Miner

if TYPE_CHECKING:
    from cgapi.models import Pool


@dataclass
class Event:
    """What one round found on one rig."""

    rig: str
    event: str  # "ok", "switched", "reprioritised", "no-alive-pool", "error"
    pool: int | None = None
    url: str | None = None
    status: str | None = None
    to_pool: int | None = None
    to_url: str | None = None
    order: list[int] | None = None
    dry_run: bool = False
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.event in ("error", "no-alive-pool")

    def text(self) -> str:
        would = "would " if self.dry_run else ""
        if self.event == "ok":
            return f"{self.rig}: ok on pool {self.pool} {self.url}"
        if self.event == "error":
            message = str(self.error)
            return f"error: {message if message.startswith(self.rig) else f'{self.rig}: {message}'}"
        if self.event == "no-alive-pool":
            return f"{self.rig}: pool {self.pool} {self.url} is {self.status}, no alive pool"
        action = "switch to" if self.event == "switched" else "put first"
        if self.event == "switched" and not self.dry_run:
            action = "switched to"
        elif self.event == "reprioritised" and not self.dry_run:
            action = f"reprioritised {self.order}, first"
        return (
            f"{self.rig}: pool {self.pool} {self.url} is {self.status}: "
            f"{would}{action} pool {self.to_pool} {self.to_url}"
        )


def _rank(pool: Pool) -> float:
    return pool.priority if pool.priority is not None else math.inf


def active_pool(pools: list[Pool]) -> Pool | None:
    """The pool the rig mines on: the stratum-active one, else the first alive by priority."""
    for pool in pools:
        if pool.stratum_active:
            return pool
    alive = [p for p in pools if p.status == "Alive"]
    return min(alive, key=_rank) if alive else None


def first_pool(pools: list[Pool]) -> Pool | None:
    """The enabled pool the miner prefers: the lowest priority number not Disabled."""
    enabled = [p for p in pools if p.status != "Disabled"]
    return min(enabled, key=_rank) if enabled else None


async def check_rig(miner: Miner, action: str, dry_run: bool) -> Event:
    """Read the rig's pools, and put the best alive pool first if the active or top one died."""
    pools = await miner.pools()
    active, first = active_pool(pools), first_pool(pools)
    for pool in (active, first):
        if pool is not None and pool.status != "Alive":
            bad = pool
            break
    else:
        if active is None:  # no pools, or all disabled: nothing to fail over to
            return Event(miner.address, "no-alive-pool", status="none usable")
        return Event(miner.address, "ok", active.index, active.url, active.status)
    alive = sorted((p for p in pools if p.status == "Alive"), key=_rank)
    event = Event(miner.address, "no-alive-pool", bad.index, bad.url, bad.status, dry_run=dry_run)
    if not alive or alive[0].index is None:
        return event
    best = alive[0]
    event.to_pool, event.to_url = best.index, best.url
    if action == "switch":
        event.event = "switched"
        if not dry_run:
            await miner.switchpool(best.index)
    else:
        rest = sorted((p for p in pools if p.status != "Alive"), key=_rank)
        event.order = [p.index for p in [*alive, *rest] if p.index is not None]
        event.event = "reprioritised"
        if not dry_run:
            await miner.poolpriority(*event.order)
    return event


def report(event: Event, as_json: bool) -> None:
    if as_json:
        fields = {k: v for k, v in asdict(event).items() if v is not None}
        print(json.dumps(fields), flush=True)
    else:
        print(event.text(), file=sys.stderr if event.failed else sys.stdout, flush=True)


async def main(args: argparse.Namespace) -> int:
    last: dict[str, Event] = {}
    async with AsyncExitStack() as stack:
        miners = [
            await stack.enter_async_context(Miner(t, timeout=args.timeout)) for t in args.targets
        ]
        for round_number in range(args.rounds):
            if round_number:
                await anyio.sleep(args.interval)
            results: dict[str, Event] = {}

            async def watch(miner: Miner, results: dict[str, Event] = results) -> None:
                try:
                    results[miner.address] = await check_rig(miner, args.action, args.dry_run)
                except CgapiError as error:
                    results[miner.address] = Event(miner.address, "error", error=str(error))

            async with anyio.create_task_group() as tg:
                for miner in miners:
                    tg.start_soon(watch, miner)
            for miner in miners:
                event = results[miner.address]
                previous = last.get(miner.address)
                # A healthy rig is reported once, then again only when its pool changes.
                quiet = event.event == "ok" and previous is not None and previous == event
                if not quiet:
                    report(event, args.json)
                last[miner.address] = event
    return 1 if any(e.failed for e in last.values()) else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="+", metavar="HOST[:PORT]", help="rigs to watch")
    parser.add_argument("--action", choices=("switch", "priority"), default="switch")
    parser.add_argument("--rounds", type=int, default=1, help="checks to run (default 1)")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between checks")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per request")
    parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.interval < 0 or args.timeout <= 0:
        parser.error("--rounds must be at least 1, --interval >= 0 and --timeout > 0")
    for target in args.targets:
        try:
            Miner(target)
        except ValueError as error:
            parser.error(str(error))
    return args


if __name__ == "__main__":
    arguments = parse_args()
    try:
        sys.exit(anyio.run(main, arguments))
    except CgapiError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
