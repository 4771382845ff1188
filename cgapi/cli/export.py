"""`cgapi export`: serve Prometheus metrics for rigs given or discovered."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

__all__ = ("run_exporter",)


async def run_exporter(args: argparse.Namespace) -> int:
    """Placeholder until the exporter lands."""
    raise NotImplementedError
