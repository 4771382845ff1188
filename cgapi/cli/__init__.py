"""The `cgapi` command line (needs the `cli` extra: `pip install 'cgapi[cli]'`).

```
cgapi HOST COMMAND [PARAMS...]     any command of the table: cgapi 10.0.0.5 gpufan 0 80
cgapi discover | scan TARGETS      find rigs by multicast or by scanning
cgapi watch HOST...                a live table
cgapi pools switch HOST N          switch pool
cgapi fan HOST GPU PERCENT         set a GPU fan
cgapi fake-miner ...               run a fake miner in the foreground
cgapi export ...                   Prometheus exporter
cgapi demo                         everything above against an embedded fake fleet
```

Exit status: 0 success, 1 the miner answered with an error, 2 bad usage, 3 the miner
could not be reached or did not answer, 4 the reply could not be understood, 130
interrupted.
"""

from __future__ import annotations

import sys

__all__ = ("main",)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        from .app import run
    except ImportError as error:  # pragma: no cover - only without the extra
        sys.stderr.write(f"cgapi: the command line needs `pip install 'cgapi[cli]'` ({error})\n")
        return 2
    return run(sys.argv[1:] if argv is None else argv)
