"""Decoding speed: a 64 KiB `stats` reply, JSON (with the `}{` repair) and text.

Prints MB/s for cgapi and for json.loads on the same bytes, measured in the same run, and
one `ratio NAME VALUE` line per ratio.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cgapi.protocol import decode_reply

if TYPE_CHECKING:
    from collections.abc import Callable

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
TARGET_SIZE = 64 * 1024


def _stats_json(missing_comma: bool) -> bytes:
    """A ~64 KiB stats reply built from a real S9 capture (version object + STATS records)."""
    source = json.loads((FIXTURES / "bmminer/antminer-s9se-stats.json").read_bytes().rstrip(b"\0"))
    version, device = source["STATS"][0], source["STATS"][1]
    records = [version]
    while len(json.dumps(records, separators=(",", ":"))) < TARGET_SIZE:
        records.append(dict(device, STATS=len(records) - 1))
    body = ",".join(json.dumps(r, separators=(",", ":")) for r in records)
    if missing_comma:
        body = body.replace("},{", "}{", 1)  # Bitmain's bug between version and STATS=0
    status = json.dumps(source["STATUS"], separators=(",", ":"))
    return f'{{"STATUS":{status},"STATS":[{body}],"id":1}}'.encode() + b"\x00"


def _stats_text(data: bytes) -> bytes:
    reply = json.loads(data.rstrip(b"\0").replace(b"}{", b"},{"))
    parts = [",".join(f"{k}={v}" for k, v in reply["STATUS"][0].items())]
    for record in reply["STATS"]:
        parts.append(",".join(f"{k}={v}" for k, v in record.items()))
    return ("|".join(parts) + "|").encode() + b"\x00"


def _best_seconds(function: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeat):
            function()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best


def run(quick: bool = False) -> dict[str, float]:
    """Measure and print; return the ratios."""
    repeat = 20 if quick else 100
    valid = _stats_json(missing_comma=False)
    broken = _stats_json(missing_comma=True)
    text = _stats_text(valid)
    plain = valid.rstrip(b"\0")
    floor = _best_seconds(lambda: json.loads(plain), repeat)
    timings = {
        "decode_json": _best_seconds(lambda: decode_reply(valid), repeat),
        "decode_json_repaired": _best_seconds(lambda: decode_reply(broken), repeat),
        "decode_text": _best_seconds(lambda: decode_reply(text), repeat),
    }
    megabytes = len(valid) / 1e6
    print(f"stats reply: {len(valid)} bytes JSON, {len(text)} bytes text")
    print(f"{'json.loads':24} {megabytes / floor:8.1f} MB/s  (floor)")
    ratios: dict[str, float] = {}
    for name, seconds in timings.items():
        size = len(text) if name == "decode_text" else len(valid)
        ratio = seconds / floor
        ratios[f"{name}_vs_json_loads"] = ratio
        print(f"{name:24} {size / 1e6 / seconds:8.1f} MB/s  {ratio:5.2f}x json.loads time")
    for name, ratio in ratios.items():
        print(f"ratio {name} {ratio:.2f}")
    return ratios


if __name__ == "__main__":
    run()
