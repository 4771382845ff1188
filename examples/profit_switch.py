"""Profit switching skeleton: move every rig of a fleet to its most profitable alive pool.

The script polls the fleet once (`summary+devs+pools` per rig with `cgapi.fleet.Fleet`),
scores a table of pools with a profitability function, and on each rig picks the
best-scoring pool of the table that the rig has configured and reports Alive. Rigs
already mining there are left alone; the others get `switchpool N` through `Fleet.run`
(grouped by N, since the same URL may sit at a different index on each rig).

The table is a JSON file (`--table`): a list of objects with at least a `url`, e.g.
`[{"url": "stratum+tcp://ltc.example.com:3333", "coin": "LTC", "revenue": 1.2, "fee": 1}]`.
Without one, the table is every pool URL the rigs have. The profitability function takes
one table entry and returns a number, higher is better; the default,
`fake_profitability`, uses `revenue` less `fee` percent, and invents a stable number from
the URL when there is no `revenue` (a stand-in: plug in your own price feed with
`--profit package.module:function`).

Run it (the rigs need write access for this host: `--api-allow W:<your address>`):

    python examples/profit_switch.py 10.0.0.5 10.0.0.6 --table pools.json --dry-run
    python examples/profit_switch.py 10.0.0.5 10.0.0.6 --table pools.json --json

`--dry-run` prints the exact request each rig would get and sends nothing. The exit status
is 0 when every rig is on its best pool (or would be, in a dry run), 1 when a rig could not
be polled or switched, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import anyio

from cgapi import CgapiError, Miner
from cgapi.fleet import Fleet

Entry = Mapping[str, Any]
Profitability = Callable[[Entry], float]


def fake_profitability(entry: Entry) -> float:
    """`revenue` less `fee` percent; without `revenue`, a stable made-up number from the URL."""
    if "revenue" in entry:
        revenue = float(entry["revenue"])
    else:
        digest = hashlib.sha256(str(entry["url"]).encode()).digest()
        revenue = 1.0 + int.from_bytes(digest[:4], "big") / 2**32
    return revenue * (1 - float(entry.get("fee", 0)) / 100)


def load_function(spec: str) -> Profitability:
    """`package.module:function` to the function."""
    module_name, sep, name = spec.partition(":")
    if not sep or not module_name or not name:
        raise ValueError(f"--profit {spec!r} is not module:function")
    function = getattr(importlib.import_module(module_name), name)
    if not callable(function):
        raise TypeError(f"{spec} is not callable")
    return function  # type: ignore[no-any-return]


def load_table(path: Path) -> list[Entry]:
    table = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(table, list) or not all(
        isinstance(e, dict) and isinstance(e.get("url"), str) for e in table
    ):
        raise ValueError(f"{path}: expected a JSON list of objects with a 'url'")
    return table


@dataclass
class Outcome:
    """What happened to one rig."""

    rig: str
    action: str  # "stay", "switch", "no-pool", "error"
    pool: int | None = None
    url: str | None = None
    from_url: str | None = None
    score: float | None = None
    request: str | None = None
    dry_run: bool = False
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.action == "error"

    def text(self) -> str:
        if self.action == "error":
            message = str(self.error)
            return f"error: {message if message.startswith(self.rig) else f'{self.rig}: {message}'}"
        if self.action == "no-pool":
            return f"{self.rig}: no pool of the table is configured and alive; left alone"
        if self.action == "stay":
            return f"{self.rig}: already on the best pool {self.pool} {self.url}"
        if self.dry_run:
            return (
                f"{self.rig}: would switch {self.from_url} -> pool {self.pool} {self.url} "
                f"(score {self.score:g}), sending {self.request}"
            )
        return f"{self.rig}: switched {self.from_url} -> pool {self.pool} {self.url}"


async def main(args: argparse.Namespace) -> int:
    async with Fleet(args.targets, timeout=args.timeout) as fleet:
        rigs = await fleet.poll_once()
        if args.table is not None:
            table = load_table(args.table)
        else:
            urls = dict.fromkeys(p.url for r in rigs if r.ok for p in r.pools if p.url)
            table = [{"url": url} for url in urls]
        scores = {str(entry["url"]): float(args.profit(entry)) for entry in table}
        ranked = sorted(scores, key=lambda url: -scores[url])

        outcomes: dict[str, Outcome] = {}
        groups: dict[int, list[Miner]] = {}
        for miner, rig in zip(fleet.miners, rigs, strict=True):
            if not rig.ok:
                outcomes[rig.address] = Outcome(rig.address, "error", error=str(rig.error))
                continue
            alive = {p.url: p for p in rig.pools if p.status == "Alive" and p.index is not None}
            best = next((alive[url] for url in ranked if url in alive), None)
            active = rig.active_pool
            if best is None or best.index is None:
                outcomes[rig.address] = Outcome(rig.address, "no-pool")
                continue
            outcome = Outcome(rig.address, "stay", best.index, best.url, score=scores[best.url])
            outcome.from_url = active.url if active is not None else None
            if active is None or active.url != best.url:
                outcome.action = "switch"
                groups.setdefault(best.index, []).append(miner)
            outcomes[rig.address] = outcome

        for index, miners in sorted(groups.items()):
            # Miners passed to a Fleet stay open, and the outer Fleet closes them.
            group = Fleet(miners, timeout=args.timeout)
            for run in await group.run("switchpool", index, dry_run=args.dry_run):
                outcome = outcomes[run.address]
                outcome.dry_run = run.dry_run
                outcome.request = run.request.decode("utf-8", "replace")
                if run.error is not None:
                    outcome.action, outcome.error = "error", str(run.error)

    if args.json:
        print(json.dumps({"scores": scores}), flush=True)
    else:
        for url in ranked:
            print(f"{scores[url]:10.4f}  {url}")
    for address in fleet.addresses:
        outcome = outcomes[address]
        if args.json:
            print(json.dumps({k: v for k, v in asdict(outcome).items() if v is not None}))
        else:
            print(outcome.text(), file=sys.stderr if outcome.failed else sys.stdout)
    return 1 if any(o.failed for o in outcomes.values()) else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="+", metavar="HOST[:PORT]", help="rigs to switch")
    parser.add_argument("--table", type=Path, help="JSON list of pools ({'url': ...})")
    parser.add_argument(
        "--profit",
        default=None,
        metavar="MODULE:FUNCTION",
        help="profitability function (default: fake_profitability)",
    )
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per rig")
    parser.add_argument("--dry-run", action="store_true", help="print the requests, send none")
    parser.add_argument("--json", action="store_true", help="JSON lines output")
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error("--timeout must be positive")
    try:
        args.profit = load_function(args.profit) if args.profit else fake_profitability
        if args.table is not None:
            load_table(args.table)
        for target in args.targets:
            Miner(target)
    except (ValueError, TypeError, OSError, ImportError, AttributeError) as error:
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
