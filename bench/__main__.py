"""`python -m bench [--quick]`: run every benchmark and print figures and ratios."""

from __future__ import annotations

import sys

from bench import decode, discovery, fleet, requests


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    decode.run(quick=quick)
    print()
    requests.run(quick=quick)
    print()
    fleet.run(quick=quick)
    print()
    discovery.run(quick=quick)


if __name__ == "__main__":
    main()
