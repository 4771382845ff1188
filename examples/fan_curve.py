"""GPU fan curve: drive each GPU's fan from its temperature on sgminer rigs, with hysteresis.

Every `--interval` seconds (for `--rounds` rounds) the script reads `devs` on each rig,
maps each GPU's temperature to a fan percentage on a piecewise-linear curve, and sends
`gpufan GPU PERCENT` only when it matters:

* the target differs from the current fan by more than `--hysteresis` percent, or
* the temperature crossed one of the curve's points (a band) since the last round, or
* the GPU is at or above the curve's last point (full cooling is never held back).

So a temperature wobbling around one value does not make the fan hunt.

Run it (the rigs need write access for this host: `--api-allow W:<your address>`):

    python examples/fan_curve.py 10.0.0.7 10.0.0.8:4029 --rounds 360 --interval 10
    python examples/fan_curve.py 127.0.0.1:4028 --curve 50:30,70:70,85:100 --json --dry-run

The curve is `TEMP:PERCENT` points, temperatures in degrees C increasing. Output is one
line per fan change (`--json`: one JSON object per line). The exit status is 0 when every
rig was read and set in the last round, 1 when one could not be, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass

import anyio

from cgapi import CgapiError, Miner

DEFAULT_CURVE = "40:30,50:40,60:55,70:70,80:85,85:100"


@dataclass(frozen=True)
class Curve:
    """A piecewise-linear map from temperature to fan percent."""

    points: tuple[tuple[float, int], ...]

    @classmethod
    def parse(cls, text: str) -> Curve:
        """`"40:30,60:55,85:100"` to a curve; ValueError when malformed."""
        points: list[tuple[float, int]] = []
        for piece in text.split(","):
            temp, sep, percent = piece.partition(":")
            if not sep:
                raise ValueError(f"curve point {piece!r} is not TEMP:PERCENT")
            point = (float(temp), int(percent))
            if not 0 <= point[1] <= 100:
                raise ValueError(f"fan percent {point[1]} is outside 0-100")
            if points and point[0] <= points[-1][0]:
                raise ValueError("curve temperatures must increase")
            points.append(point)
        return cls(tuple(points))

    def target(self, temperature: float) -> int:
        """The fan percent for a temperature (flat beyond the first and last points)."""
        temps = [t for t, _ in self.points]
        if temperature <= temps[0]:
            return self.points[0][1]
        if temperature >= temps[-1]:
            return self.points[-1][1]
        i = bisect.bisect_right(temps, temperature)
        (t0, p0), (t1, p1) = self.points[i - 1], self.points[i]
        return round(p0 + (p1 - p0) * (temperature - t0) / (t1 - t0))

    def band(self, temperature: float) -> int:
        """How many curve points are at or below the temperature."""
        return bisect.bisect_right([t for t, _ in self.points], temperature)

    @property
    def hot(self) -> float:
        """The last point's temperature: at or above it the fan always follows the curve."""
        return self.points[-1][0]


@dataclass
class Change:
    """One decision about one GPU."""

    rig: str
    gpu: int | None = None
    temperature: float | None = None
    fan: int | None = None
    target: int | None = None
    reason: str = ""
    dry_run: bool = False
    error: str | None = None

    def text(self) -> str:
        if self.error is not None:
            message = self.error
            return f"error: {message if message.startswith(self.rig) else f'{self.rig}: {message}'}"
        verb = "would set" if self.dry_run else "set"
        return (
            f"{self.rig}: GPU {self.gpu} at {self.temperature:g} C: {verb} fan "
            f"{self.fan}% -> {self.target}% ({self.reason})"
        )


def decide(
    curve: Curve, hysteresis: int, temperature: float, fan: int | None, last_band: int | None
) -> tuple[int, str] | None:
    """The fan percent to set and why, or None to leave the fan alone."""
    target = curve.target(temperature)
    if fan == target:
        return None
    if fan is None:
        return target, "fan unknown"
    if abs(target - fan) > hysteresis:
        return target, f"off by {abs(target - fan)}% > {hysteresis}%"
    if last_band is not None and curve.band(temperature) != last_band:
        return target, "crossed a band"
    if temperature >= curve.hot:
        return target, f"at or above {curve.hot:g} C"
    return None


async def adjust_rig(
    miner: Miner, args: argparse.Namespace, bands: dict[tuple[str, int], int]
) -> list[Change]:
    """Read the rig's GPUs and set the fans the curve asks for."""
    changes: list[Change] = []
    for device in await miner.devs():
        if device.kind != "GPU" or device.index is None or device.temperature is None:
            continue
        key = (miner.address, device.index)
        decision = decide(
            args.curve, args.hysteresis, device.temperature, device.fan_percent, bands.get(key)
        )
        bands[key] = args.curve.band(device.temperature)
        if decision is None:
            continue
        target, reason = decision
        if not args.dry_run:
            await miner.gpufan(device.index, target)
        changes.append(
            Change(
                miner.address,
                device.index,
                device.temperature,
                device.fan_percent,
                target,
                reason,
                args.dry_run,
            )
        )
    return changes


def report(change: Change, as_json: bool) -> None:
    if as_json:
        fields = {k: v for k, v in asdict(change).items() if v is not None}
        print(json.dumps(fields), flush=True)
    else:
        out = sys.stderr if change.error is not None else sys.stdout
        print(change.text(), file=out, flush=True)


async def main(args: argparse.Namespace) -> int:
    bands: dict[tuple[str, int], int] = {}
    failed: set[str] = set()
    async with AsyncExitStack() as stack:
        miners = [
            await stack.enter_async_context(Miner(t, timeout=args.timeout)) for t in args.targets
        ]
        for round_number in range(args.rounds):
            if round_number:
                await anyio.sleep(args.interval)
            results: dict[str, list[Change]] = {}

            async def adjust(miner: Miner, results: dict[str, list[Change]] = results) -> None:
                try:
                    results[miner.address] = await adjust_rig(miner, args, bands)
                except CgapiError as error:
                    results[miner.address] = [Change(miner.address, error=str(error))]

            async with anyio.create_task_group() as tg:
                for miner in miners:
                    tg.start_soon(adjust, miner)
            failed.clear()
            for miner in miners:
                for change in results[miner.address]:
                    report(change, args.json)
                    if change.error is not None:
                        failed.add(miner.address)
            if not args.json:
                print(f"round {round_number + 1}/{args.rounds} done", flush=True)
    return 1 if failed else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="+", metavar="HOST[:PORT]", help="sgminer rigs")
    parser.add_argument("--curve", default=DEFAULT_CURVE, help=f"default {DEFAULT_CURVE}")
    parser.add_argument("--hysteresis", type=int, default=5, help="percent (default 5)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds to run (default 1)")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between rounds")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per request")
    parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.interval < 0 or args.timeout <= 0 or args.hysteresis < 0:
        parser.error("--rounds >= 1, --interval >= 0, --timeout > 0, --hysteresis >= 0")
    try:
        args.curve = Curve.parse(args.curve)
        for target in args.targets:
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
