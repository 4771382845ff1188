"""`cgapi export`: serve Prometheus metrics for rigs given or discovered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..client import split_host_port
from ..discovery import discover
from ..exporter import DEFAULT_EXPORTER_PORT, Exporter
from ..scan import parse_targets
from .output import console

if TYPE_CHECKING:
    import argparse

__all__ = ("run_exporter",)


async def run_exporter(args: argparse.Namespace) -> int:
    """Poll the targets (or what multicast finds) every interval and serve /metrics."""
    from .app import UsageError

    if not args.targets and not args.discover:
        raise UsageError("export needs --targets or --discover")
    host, port = split_host_port(args.listen, DEFAULT_EXPORTER_PORT)
    targets = list(parse_targets(args.targets)) if args.targets else []

    async def found() -> list[str]:
        return [rig.address for rig in await discover(interface=args.interface)]

    exporter = Exporter(
        targets,
        interval=args.interval,
        timeout=args.timeout,
        port=args.port,
        discover=found if args.discover else None,
    )
    source = "multicast discovery" if args.discover else f"{len(targets)} target(s)"
    console.print(f"serving metrics on http://{host}:{port}/metrics for {source} (Ctrl-C stops)")
    await exporter.serve(host, port)
    return 0
