#!/usr/bin/env bash
# Set up .venv from scratch (if needed), install cgapi with its command line, run `cgapi demo`:
# an embedded fake fleet found by multicast, polled, and controlled.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[cli]'
exec .venv/bin/cgapi demo
