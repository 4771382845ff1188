"""Argument parsing, the subcommands, and one-line errors with exit codes."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

import anyio

from ..client import DEFAULT_PORT, Miner
from ..commands import COMMANDS
from ..errors import CgapiError, MinerError, ProtocolError, TransportError
from ..transport import Timeouts
from .output import console, error_console, print_json, print_result, rows_table

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from ..commands import MultiResult
    from ..commands.params import Parameter
    from ..fleet import RigStatus
    from ..protocol import Form

__all__ = ("run",)

EXIT_MINER_ERROR = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_BAD_REPLY = 4
EXIT_INTERRUPTED = 130

SUBCOMMANDS = ("discover", "scan", "watch", "pools", "fan", "fake-miner", "export", "demo")


class UsageError(Exception):
    """Bad command-line arguments (exit status 2)."""


# ---------------------------------------------------------------------- parsing


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument("--port", type=int, default=None, help="API port (default 4028)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds (default 5)")


def _query_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cgapi",
        description="Talk to cgminer, sgminer and bfgminer RPC APIs. "
        f"Subcommands: {', '.join(SUBCOMMANDS)} (cgapi SUBCOMMAND --help).",
    )
    parser.add_argument("host", help="miner address: host, host:port or [v6]:port")
    parser.add_argument("command", help="API command, e.g. summary, pools, gpufan")
    parser.add_argument("params", nargs="*", help="command parameters")
    parser.add_argument("--text", action="store_true", help="use the text form, not JSON")
    parser.add_argument("--read-only", action="store_true", help="refuse privileged commands")
    _common(parser)
    return parser


def _subcommand_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cgapi")
    sub = parser.add_subparsers(dest="subcommand", required=True)

    p = sub.add_parser("discover", help="find rigs by multicast (--api-mcast)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.add_argument("--interface", help="local IPv4 address to send the probe from")
    p.add_argument("--code", default="FTW", help="--api-mcast-code of the rigs")
    p.add_argument("--mcast-port", type=int, default=4028, help="--api-mcast-port of the rigs")
    p.add_argument("--reply-port", type=int, default=4027, help="UDP port for answers (0: any)")
    p.add_argument("--retries", type=int, default=0)
    p.add_argument("--expect", type=int, default=0, help="stop once this many answered")
    p.add_argument("--window", type=float, default=1.5, help="seconds per round (default 1.5)")

    p = sub.add_parser("scan", help="find rigs by asking every address for `version`")
    _common(p)
    p.add_argument("targets", nargs="+", help="CIDR, a.b.c.d-e.f.g.h, 10.1-2.0.1-50, names")
    p.add_argument("--concurrency", type=int, default=None)

    p = sub.add_parser("watch", help="a live table of rigs")
    _common(p)
    p.add_argument("hosts", nargs="+")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
    p.add_argument("--count", type=int, default=0, help="stop after N polls (0: never)")

    p = sub.add_parser("pools", help="pool operations")
    pools_sub = p.add_subparsers(dest="action", required=True)
    q = pools_sub.add_parser("switch", help="switch HOST to pool N")
    q.add_argument("host")
    q.add_argument("pool", type=int)
    _common(q)
    q = pools_sub.add_parser("list", help="list HOST's pools")
    q.add_argument("host")
    _common(q)

    p = sub.add_parser("fan", help="set a GPU fan (sgminer, bfgminer)")
    _common(p)
    p.add_argument("host")
    p.add_argument("gpu", type=int)
    p.add_argument("percent", type=int)

    p = sub.add_parser("fake-miner", help="run a fake miner in the foreground")
    p.add_argument(
        "--personality", default="cgminer", choices=["cgminer", "sgminer", "bfgminer", "bmminer"]
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=4028)
    p.add_argument("--allow", help="--api-allow, e.g. W:127.0.0.1")
    p.add_argument("--groups", help="--api-groups, e.g. P:switchpool:*")
    p.add_argument("--description", default="", help="--api-mcast-des")
    p.add_argument("--mcast", action="store_true", help="answer multicast discovery")
    p.add_argument("--mcast-port", type=int, default=4028)
    p.add_argument("--mcast-code", default="FTW")
    p.add_argument("--devices", help="comma-separated kinds, e.g. ASC,ASC or GPU (none: '')")
    p.add_argument("--pool", action="append", default=None, help="URL,USER,PASS (repeatable)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save-dir", help="directory where `save` writes")

    p = sub.add_parser("export", help="Prometheus exporter")
    p.add_argument("--listen", default="127.0.0.1:9154", help="HOST:PORT to serve /metrics on")
    p.add_argument("--targets", nargs="*", default=[], help="rigs to poll (scan syntax)")
    p.add_argument("--discover", action="store_true", help="find rigs by multicast")
    p.add_argument("--interface", help="interface for --discover")
    p.add_argument("--interval", type=float, default=30.0, help="seconds between polls")
    p.add_argument("--port", type=int, default=4028)
    p.add_argument("--timeout", type=float, default=5.0)

    p = sub.add_parser("demo", help="discover, poll and control an embedded fake fleet")
    p.add_argument("--rigs", type=int, default=4)
    p.add_argument("--base", default="127.77.0.1", help="first loopback address of the fleet")
    return parser


def _timeouts(seconds: float) -> Timeouts:
    if not seconds > 0:
        raise UsageError("--timeout must be positive")
    return Timeouts(connect=min(seconds, 3.0), read=seconds, total=seconds * 2)


# ---------------------------------------------------------------------- the query form


def _convert(param: Parameter, text: str) -> object:
    kind = param.kind
    try:
        if kind == "int":
            return int(text)
        if kind == "intensity":
            return text if text.lower() == "d" else int(text)
        if kind == "float":
            return float(text)
    except ValueError:
        raise UsageError(f"parameter '{param.name}' must be a number, not {text!r}") from None
    if kind == "bool":
        lowered = text.lower()
        if lowered in ("true", "yes", "1", "on"):
            return True
        if lowered in ("false", "no", "0", "off"):
            return False
        raise UsageError(f"parameter '{param.name}' must be true or false, not {text!r}")
    return text


def _convert_all(command: str, texts: Sequence[str]) -> list[object]:
    spec = COMMANDS[command]
    values: list[object] = []
    remaining = list(texts)
    for param in spec.params:
        if not remaining:
            break
        if param.variadic:
            values.extend(_convert(param, text) for text in remaining)
            remaining = []
            break
        values.append(_convert(param, remaining.pop(0)))
    if remaining:
        raise UsageError(f"{command}: too many parameters ({' '.join(remaining)})")
    return values


async def _query(args: argparse.Namespace) -> int:
    form: Form = "text" if args.text else "json"
    async with Miner(
        args.host,
        port=args.port,
        form=form,
        timeout=_timeouts(args.timeout),
        read_only=args.read_only,
    ) as miner:
        if "+" in args.command:
            if args.params:
                raise UsageError("a joined command (a+b) takes no parameters")
            joined = await miner.multi(*args.command.split("+"))
            result: object = {name: _member(joined, name) for name in joined}
        elif args.command in COMMANDS:
            spec = COMMANDS[args.command]
            values = _convert_all(args.command, args.params)
            method: Callable[..., Awaitable[object]] = getattr(miner, spec.python_name)
            result = await method(*values)
        else:  # a vendor command outside the table: sent as given
            result = await miner.command(args.command, *args.params)
    if args.json:
        print_json(result)
    elif isinstance(result, dict):  # a joined command: one table per member
        for name, member in result.items():
            print_result(name, member)
    else:
        print_result(args.command, result)
    return 0


def _member(joined: MultiResult, name: str) -> object:
    try:
        return joined[name]
    except MinerError as error:
        return {"error": str(error)}


# ---------------------------------------------------------------------- subcommands


async def _discover(args: argparse.Namespace) -> int:
    from ..discovery import discover

    rigs = await discover(
        interface=args.interface,
        port=args.mcast_port,
        code=args.code,
        reply_port=args.reply_port,
        timeout=args.window,
        retries=args.retries,
        expect=args.expect,
    )
    if args.json:
        print_json(
            [
                {"host": r.host, "port": r.port, "description": r.description, "code": r.code}
                for r in rigs
            ]
        )
    else:
        rows = [(r.host, r.port, r.description, r.code) for r in rigs]
        console.print(
            rows_table(
                f"{len(rigs)} rig(s) answered", ["host", "port", "description", "code"], rows
            )
        )
    return 0


async def _scan(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from ..scan import ScanHit, parse_targets, scan

    targets = parse_targets(args.targets)
    hits: list[ScanHit] = []
    quiet = args.json or not console.is_terminal
    with Progress(console=console, transient=True, disable=quiet) as bar:
        task = bar.add_task("scanning", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        found = scan(
            targets,
            args.port or DEFAULT_PORT,
            concurrency=args.concurrency,
            timeout=args.timeout,
            progress=progress,
        )
        hits.extend([hit async for hit in found])
    hits.sort(key=lambda h: (h.host, h.port))
    if args.json:
        print_json(
            [
                {
                    "host": h.host,
                    "port": h.port,
                    "software": h.software,
                    "version": h.version,
                    "api": h.api_version,
                    "model": h.model,
                    "description": h.description,
                }
                for h in hits
            ]
        )
    else:
        rows = [(h.address, h.software, h.version, h.api_version, h.model) for h in hits]
        columns = ["address", "software", "version", "API", "model"]
        console.print(rows_table(f"{len(hits)} rig(s) found", columns, rows))
    return 0


def _fleet_rows(statuses: Sequence[RigStatus]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for rig in statuses:
        if rig.error is not None:
            rows.append((rig.address, "DOWN", "-", "-", "-", "-", type(rig.error).__name__))
            continue
        summary = rig.summary
        pool = rig.active_pool
        temps = [d.temperature for d in rig.devices if d.temperature is not None]
        rows.append(
            (
                rig.address,
                "up",
                _terahash(summary.hashrate()) if summary else "-",
                summary.accepted if summary else "-",
                max(temps) if temps else "-",
                pool.url if pool else "-",
                "",
            )
        )
    return rows


def _terahash(hashrate: float | None) -> str:
    return "-" if hashrate is None else f"{hashrate / 1e12:.3f}"


_FLEET_COLUMNS = ["rig", "state", "TH/s", "accepted", "max temp", "pool", "error"]


async def _watch(args: argparse.Namespace) -> int:
    from rich.live import Live

    from ..fleet import Fleet

    async with Fleet(
        args.hosts, port=args.port or DEFAULT_PORT, timeout=args.timeout, read_only=True
    ) as fleet:
        polls = 0
        with Live(console=console, auto_refresh=False) as live:
            while True:
                statuses = await fleet.poll_once()
                polls += 1
                if args.json:
                    print_json([_status_data(s) for s in statuses])
                else:
                    table = rows_table(f"poll {polls}", _FLEET_COLUMNS, _fleet_rows(statuses))
                    live.update(table, refresh=True)
                if args.count and polls >= args.count:
                    return 0
                await anyio.sleep(args.interval)


def _status_data(rig: RigStatus) -> dict[str, Any]:
    return {
        "address": rig.address,
        "ok": rig.error is None,
        "error": None if rig.error is None else f"{type(rig.error).__name__}: {rig.error}",
        "hashrate": rig.summary.hashrate() if rig.summary else None,
        "devices": len(rig.devices),
        "pools": [p.url for p in rig.pools],
    }


async def _pools(args: argparse.Namespace) -> int:
    async with Miner(args.host, port=args.port, timeout=_timeouts(args.timeout)) as m:
        if args.action == "switch":
            status = await m.switchpool(args.pool)
            result: object = status
        else:
            result = await m.pools()
    if args.json:
        print_json(result)
    else:
        print_result("pools", result)
    return 0


async def _fan(args: argparse.Namespace) -> int:
    async with Miner(args.host, port=args.port, timeout=_timeouts(args.timeout)) as m:
        status = await m.gpufan(args.gpu, args.percent)
    if args.json:
        print_json(status)
    else:
        print_result("gpufan", status)
    return 0


async def _fake_miner(args: argparse.Namespace) -> int:
    from ..testing import FakeMiner, PoolSpec

    devices = None
    if args.devices is not None:
        devices = [kind.strip().upper() for kind in args.devices.split(",") if kind.strip()]
        for kind in devices:
            if kind not in ("ASC", "PGA", "GPU", "CPU"):
                raise UsageError(f"unknown device kind {kind!r} (ASC, PGA, GPU, CPU)")
    pools = None
    if args.pool:
        pools = []
        for text in args.pool:
            url, user, password = ([*text.split(",", 2), "", ""])[:3]
            pools.append(PoolSpec(url, user, password))
    miner = FakeMiner(
        args.personality,
        host=args.host,
        port=args.port,
        allow=args.allow,
        groups=args.groups,
        description=args.description,
        mcast=args.mcast,
        mcast_port=args.mcast_port,
        mcast_code=args.mcast_code,
        devices=devices,
        pools=pools,
        seed=args.seed,
        save_dir=args.save_dir,
    )
    async with miner:
        console.print(
            f"fake {args.personality} listening on {miner.address}"
            + (f", multicast on UDP {args.mcast_port}" if args.mcast else "")
            + " (Ctrl-C to stop)"
        )
        await miner.serve_forever()
    return 0


async def _export(args: argparse.Namespace) -> int:
    from .export import run_exporter

    return await run_exporter(args)


async def _demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return await run_demo(rigs=args.rigs, base=args.base)


_HANDLERS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {
    "discover": _discover,
    "scan": _scan,
    "watch": _watch,
    "pools": _pools,
    "fan": _fan,
    "fake-miner": _fake_miner,
    "export": _export,
    "demo": _demo,
}


# ---------------------------------------------------------------------- entry point


def _fail(message: str, status: int) -> int:
    error_console.print(f"cgapi: {message}", markup=False, highlight=False)
    return status


def run(argv: Sequence[str]) -> int:
    """Parse `argv`, run the command, turn every error into one line and an exit status."""
    first = next((a for a in argv if not a.startswith("-")), None)
    if first in SUBCOMMANDS:
        parser = _subcommand_parser()
        handler_name = first
    else:
        parser = _query_parser()
        handler_name = None
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse printed usage or --help
        return int(exit_.code or 0) if exit_.code != 2 else EXIT_USAGE
    handler = _HANDLERS[handler_name] if handler_name else _query
    try:
        return anyio.run(handler, args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except UsageError as error:
        return _fail(str(error), EXIT_USAGE)
    except MinerError as error:
        return _fail(str(error), EXIT_MINER_ERROR)
    except TransportError as error:
        return _fail(str(error), EXIT_UNREACHABLE)
    except ProtocolError as error:
        if isinstance(error, ValueError):  # LocalProtocolError: we refused to send it
            return _fail(str(error), EXIT_USAGE)
        return _fail(str(error), EXIT_BAD_REPLY)
    except CgapiError as error:
        return _fail(str(error), EXIT_MINER_ERROR)
    except (ValueError, OSError) as error:
        return _fail(str(error), EXIT_USAGE if isinstance(error, ValueError) else EXIT_UNREACHABLE)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(sys.argv[1:]))
