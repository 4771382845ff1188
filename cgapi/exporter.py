"""Prometheus exporter: poll a fleet on an interval, serve the last poll's metrics.

```python
exporter = Exporter(["10.0.0.5", "10.0.0.6"], interval=30)
await exporter.serve("0.0.0.0", 9154)  # GET /metrics
```

Scrapes never wait on rigs: a background task polls every `interval` seconds and the
collector reads the last completed poll, so one process covers thousands of rigs. Needs
`prometheus_client` (the `cgapi[cli]` extra). Metric names, types and labels: docs/exporter.md.
"""

from __future__ import annotations

import gzip
import logging
import math
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import anyio
import anyio.abc
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, choose_encoder, generate_latest
from prometheus_client.registry import Collector, CollectorRegistry

from .client import DEFAULT_PORT, Miner
from .errors import CgapiError
from .fleet import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, Fleet

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Iterator

    from prometheus_client.metrics_core import Metric

    from .fleet import RigStatus
    from .models import Device, HashrateModel, Pool

__all__ = (
    "DEFAULT_EXPORTER_PORT",
    "DEFAULT_INTERVAL",
    "Exporter",
    "FleetCollector",
    "sanitize_url",
)

DEFAULT_EXPORTER_PORT = 9154
"""The port `cgapi export` listens on by default."""

DEFAULT_INTERVAL = 30.0
"""Seconds between polls by default."""

POOL_STATES: Final = ("Alive", "Dead", "Disabled", "Rejecting")
"""Pool statuses cgminer reports; `cgminer_pool_status` has one series per state."""

_log = logging.getLogger(__name__)

_SECRET_KEY = re.compile(r"pass|pwd|secret|token|key|auth|sig|cred", re.IGNORECASE)
_HEAD_LIMIT = 16384
_CLIENT_TIMEOUT = 10.0


def sanitize_url(url: str) -> str:
    """A pool URL safe for a label: no `user:password@`, no secret-looking query values.

    ```python
    sanitize_url("stratum+tcp://me:pw@pool.example.com:3333/?password=x&region=eu")
    # 'stratum+tcp://me@pool.example.com:3333/?region=eu'
    ```
    """
    schemeless = "://" not in url
    try:
        parts = urlsplit(f"//{url}" if schemeless else url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hostport = netloc.rpartition("@")
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}@{hostport}" if user else hostport
        query = urlencode(
            [
                (k, v)
                for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if not _SECRET_KEY.search(k)
            ]
        )
        clean = urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:
        return "invalid-url"
    return clean[2:] if schemeless else clean


@dataclass(frozen=True)
class _Snapshot:
    """Everything a scrape reads, replaced whole after each poll (safe across threads)."""

    statuses: tuple[RigStatus, ...] = ()
    rigs: int = 0
    polls: int = 0
    poll_duration: float | None = None
    poll_finished: float | None = None
    errors: dict[tuple[str, str], int] = field(default_factory=dict)
    last_success: dict[str, float] = field(default_factory=dict)


class FleetCollector(Collector):
    """A prometheus_client collector of the last poll's results (never polls itself).

    Register it in any `CollectorRegistry`; `Exporter` keeps one in its own registry.
    """

    def __init__(self, prefix: str = "cgminer") -> None:
        self.prefix = prefix
        self._snapshot = _Snapshot()

    def update(self, snapshot: _Snapshot) -> None:
        """Replace what scrapes see."""
        self._snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        """Metric families of the last poll (see docs/exporter.md)."""
        snap = self._snapshot
        p = self.prefix
        rig = ["rig"]
        dev = ["rig", "device"]
        pool = ["rig", "pool", "url", "user"]

        def gauge(name: str, doc: str, labels: list[str], unit: str = "") -> GaugeMetricFamily:
            return GaugeMetricFamily(f"{p}_{name}", doc, labels=labels, unit=unit)

        def counter(name: str, doc: str, labels: list[str]) -> CounterMetricFamily:
            return CounterMetricFamily(f"{p}_{name}", doc, labels=labels)

        exporter_rigs = gauge("exporter_rigs", "Rigs the exporter polls.", [])
        exporter_rigs.add_metric([], snap.rigs)
        polls = counter("exporter_polls", "Fleet polls completed.", [])
        polls.add_metric([], snap.polls)
        yield exporter_rigs
        yield polls
        if snap.poll_duration is not None and snap.poll_finished is not None:
            duration = gauge(
                "exporter_poll_duration_seconds", "Wall time of the last fleet poll.", []
            )
            duration.add_metric([], snap.poll_duration)
            finished = gauge(
                "exporter_last_poll_timestamp_seconds", "Unix time the last fleet poll ended.", []
            )
            finished.add_metric([], snap.poll_finished)
            yield duration
            yield finished

        up = gauge("up", "1 if the rig answered the last poll, else 0.", rig)
        latency = gauge("poll_duration_seconds", "Seconds the last poll of the rig took.", rig)
        last_ok = gauge(
            "last_success_timestamp_seconds", "Unix time of the rig's last successful poll.", rig
        )
        errors = counter(
            "scrape_errors", "Failed polls of the rig, by error type.", ["rig", "error"]
        )
        info = gauge(
            "info", "The miner's software (STATUS Description); always 1.", ["rig", "software"]
        )
        uptime = gauge("uptime_seconds", "Seconds since the miner started (summary Elapsed).", rig)
        rate = gauge("hashrate_hashes_per_second", "Current hash rate (shortest window).", rig)
        rate_av = gauge(
            "hashrate_average_hashes_per_second", "Average hash rate since the miner started.", rig
        )
        accepted = counter("accepted_shares", "Shares the pools accepted.", rig)
        rejected = counter("rejected_shares", "Shares the pools rejected.", rig)
        stale = counter("stale_shares", "Stale shares.", rig)
        hw_errors = counter("hardware_errors", "Hardware errors (bad nonces).", rig)
        difficulty = counter(
            "accepted_difficulty", "Sum of the difficulty of accepted shares.", rig
        )
        d_info = gauge(
            "device_info", "A device's name and status; always 1.", [*dev, "name", "status"]
        )
        d_enabled = gauge("device_enabled", "1 if the device is enabled, else 0.", dev)
        d_temp = gauge("device_temperature_celsius", "Device temperature.", dev)
        d_fan = gauge("device_fan_ratio", "Fan duty, 0 to 1 (Fan Percent / 100).", dev)
        d_rpm = gauge("device_fan_speed_rpm", "Fan speed in revolutions per minute.", dev)
        d_rate = gauge(
            "device_hashrate_hashes_per_second", "Device hash rate (shortest window).", dev
        )
        d_accepted = counter("device_accepted_shares", "Shares of the device accepted.", dev)
        d_rejected = counter("device_rejected_shares", "Shares of the device rejected.", dev)
        d_hw = counter("device_hardware_errors", "Hardware errors of the device.", dev)
        p_status = gauge(
            "pool_status", "1 for the pool's status, 0 for the other states.", [*pool, "status"]
        )
        p_active = gauge("pool_active", "1 for the pool the rig mines on, else 0.", pool)
        p_priority = gauge("pool_priority", "The pool's priority (0 is first).", pool)
        p_accepted = counter("pool_accepted_shares", "Shares the pool accepted.", pool)
        p_rejected = counter("pool_rejected_shares", "Shares the pool rejected.", pool)
        p_stale = counter("pool_stale_shares", "Stale shares sent to the pool.", pool)

        def put(
            family: GaugeMetricFamily | CounterMetricFamily, labels: list[str], value: float | None
        ) -> None:
            if value is not None:
                family.add_metric(labels, value)

        for (address, error_type), count in sorted(snap.errors.items()):
            errors.add_metric([address, error_type], count)
        for status in snap.statuses:
            address = status.address
            up.add_metric([address], 1.0 if status.ok else 0.0)
            latency.add_metric([address], status.latency)
            put(last_ok, [address], snap.last_success.get(address))
            if not status.ok:
                continue
            labels = [address]
            if status.description:
                info.add_metric([address, status.description], 1.0)
            summary = status.summary
            if summary is not None:
                put(uptime, labels, summary.elapsed)
                current, average = _hashrates(summary)
                put(rate, labels, current)
                put(rate_av, labels, average)
                put(accepted, labels, summary.accepted)
                put(rejected, labels, summary.rejected)
                put(stale, labels, summary.stale)
                put(hw_errors, labels, summary.hardware_errors)
                put(difficulty, labels, summary.difficulty_accepted)
            for name, device in _named_devices(status.devices):
                labels = [address, name]
                d_info.add_metric([*labels, device.name or "", device.status or ""], 1.0)
                put(d_enabled, labels, None if device.enabled is None else float(device.enabled))
                put(d_temp, labels, device.temperature)
                put(d_fan, labels, None if device.fan_percent is None else device.fan_percent / 100)
                put(d_rpm, labels, device.fan_speed)
                put(d_rate, labels, _hashrates(device)[0])
                put(d_accepted, labels, device.accepted)
                put(d_rejected, labels, device.rejected)
                put(d_hw, labels, device.hardware_errors)
            active = status.active_pool
            for index, item in _indexed_pools(status.pools):
                labels = [address, index, sanitize_url(item.url or ""), item.user or ""]
                states: tuple[str, ...] = POOL_STATES
                if item.status and item.status not in states:
                    states = (*states, item.status)
                for state in states:
                    p_status.add_metric([*labels, state], 1.0 if item.status == state else 0.0)
                p_active.add_metric(labels, 1.0 if item is active else 0.0)
                put(p_priority, labels, item.priority)
                put(p_accepted, labels, item.accepted)
                put(p_rejected, labels, item.rejected)
                put(p_stale, labels, item.stale)
        yield from (up, latency, last_ok, errors, info, uptime, rate, rate_av)
        yield from (accepted, rejected, stale, hw_errors, difficulty)
        yield from (d_info, d_enabled, d_temp, d_fan, d_rpm, d_rate, d_accepted, d_rejected, d_hw)
        yield from (p_status, p_active, p_priority, p_accepted, p_rejected, p_stale)


def _hashrates(model: HashrateModel) -> tuple[float | None, float | None]:
    """(current, average) in H/s with one pass over the rate fields.

    Current is `hashrate_current` (the shortest seconds window), else the average.
    """
    rates = model.rates
    average = rates.get("av")
    current: float | None = None
    shortest = math.inf
    for window, value in rates.items():
        if window.endswith("s") and window[:-1].isdigit() and int(window[:-1]) < shortest:
            shortest, current = int(window[:-1]), value
    return (average if current is None else current), average


def _named_devices(devices: Iterable[Device]) -> Iterator[tuple[str, Device]]:
    """`ASC0`, `GPU1`... for each device; a repeated name gets `#n` so series stay unique."""
    seen: set[str] = set()
    for position, device in enumerate(devices):
        name = f"{device.kind or 'DEV'}{device.index if device.index is not None else position}"
        unique, n = name, 1
        while unique in seen:
            n += 1
            unique = f"{name}#{n}"
        seen.add(unique)
        yield unique, device


def _indexed_pools(pools: Iterable[Pool]) -> Iterator[tuple[str, Pool]]:
    seen: set[str] = set()
    for position, item in enumerate(pools):
        index = str(item.index if item.index is not None else position)
        if index in seen:
            index = f"{index}#{position}"
        seen.add(index)
        yield index, item


class Exporter:
    """Poll a fleet every `interval` seconds and serve its metrics to Prometheus.

    ```python
    exporter = Exporter(["10.0.0.5", "10.0.0.6:4029"], interval=30, timeout=5)
    await exporter.serve("0.0.0.0", 9154)
    ```

    Args:
        targets: a `Fleet`, or addresses / `Miner` objects to build a read-only one from.
        interval: seconds between the starts of two polls.
        timeout: seconds one rig may take (when `targets` is not a Fleet).
        concurrency: rigs polled at once (when `targets` is not a Fleet).
        port: API port of addresses given without one.
        discover: an async function returning more targets (e.g. multicast discovery),
            called before the first poll and every `rediscover` seconds; its failures are
            logged and the previous targets kept.
        rediscover: seconds between two discoveries.
        prefix: first word of every metric name.
    """

    def __init__(
        self,
        targets: Fleet | Iterable[str | Miner] = (),
        *,
        interval: float = DEFAULT_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
        concurrency: int = DEFAULT_CONCURRENCY,
        port: int = DEFAULT_PORT,
        discover: Callable[[], Awaitable[Iterable[str | Miner]]] | None = None,
        rediscover: float = 300.0,
        prefix: str = "cgminer",
    ) -> None:
        if not interval > 0:
            raise ValueError(f"interval must be positive, not {interval!r}")
        self.interval = float(interval)
        self.discover = discover
        self.rediscover = rediscover
        self._port = port
        if isinstance(targets, Fleet):
            self._options = {"timeout": targets.timeout, "concurrency": targets.concurrency}
            self.fleet = targets
            self._static: list[str | Miner] = list(targets.miners)
        else:
            self._options = {"timeout": timeout, "concurrency": concurrency}
            self._static = list(targets)
            self.fleet = self._build(self._static)
        self._discovered_at: float | None = None
        self.collector = FleetCollector(prefix)
        self.registry = CollectorRegistry(auto_describe=False)
        """A private registry holding only `collector`."""
        self.registry.register(self.collector)
        self._polls = 0
        self._errors: dict[tuple[str, str], int] = {}
        self._last_success: dict[str, float] = {}
        self._generation = 0
        self._rendered: tuple[int, bytes, bytes] | None = None
        self._render_lock = anyio.Lock()
        self.collector.update(_Snapshot(rigs=len(self.fleet)))

    def _build(self, targets: Iterable[str | Miner]) -> Fleet:
        return Fleet(
            targets,
            timeout=float(self._options["timeout"]),
            concurrency=int(self._options["concurrency"]),
            port=self._port,
            read_only=True,
        )

    def set_targets(self, targets: Iterable[str | Miner]) -> None:
        """Poll these rigs from the next poll on (Miners of known addresses are kept)."""
        known = {miner.address: miner for miner in self.fleet.miners}
        fresh = self._build(targets)
        self.fleet = self._build(known.get(m.address, m) for m in fresh.miners)
        alive = set(self.fleet.addresses)
        self._errors = {k: v for k, v in self._errors.items() if k[0] in alive}
        self._last_success = {k: v for k, v in self._last_success.items() if k in alive}

    def render(self, accept: str = "") -> bytes:
        """The metrics text of the last poll, as a scrape with this Accept header gets it."""
        encoder, _ = choose_encoder(accept)
        return encoder(self.registry)

    async def poll_once(self) -> list[RigStatus]:
        """Discover if due, poll every rig once, and publish the results to scrapes."""
        await self._maybe_discover()
        started = time.perf_counter()
        statuses = await self.fleet.poll_once()
        duration = time.perf_counter() - started
        for status in statuses:
            if status.error is None:
                self._last_success[status.address] = status.polled_at
            else:
                key = (status.address, type(status.error).__name__)
                self._errors[key] = self._errors.get(key, 0) + 1
        self._polls += 1
        self.collector.update(
            _Snapshot(
                statuses=tuple(statuses),
                rigs=len(self.fleet),
                polls=self._polls,
                poll_duration=duration,
                poll_finished=time.time(),
                errors=dict(self._errors),
                last_success=dict(self._last_success),
            )
        )
        self._generation += 1
        return statuses

    async def _maybe_discover(self) -> None:
        if self.discover is None:
            return
        now = anyio.current_time()
        if self._discovered_at is not None and now - self._discovered_at < self.rediscover:
            return
        self._discovered_at = now
        try:
            found = list(await self.discover())
        except (CgapiError, OSError) as exc:
            _log.warning("discovery failed, keeping %d rigs: %s", len(self.fleet), exc)
            return
        self.set_targets([*self._static, *found])

    async def run(self) -> None:
        """Poll every `interval` seconds, forever (cancel to stop).

        After each poll the metrics text is rendered once, in a worker thread, so scrapes
        only send bytes.
        """
        while True:
            started = anyio.current_time()
            try:
                await self.poll_once()
                await self._exposition()
            except Exception:  # noqa: BLE001 - keep serving the last poll rather than die
                _log.exception("fleet poll failed")
            await anyio.sleep(max(0.0, self.interval - (anyio.current_time() - started)))

    async def serve(
        self,
        listen_host: str = "0.0.0.0",
        port: int = DEFAULT_EXPORTER_PORT,
        *,
        task_status: anyio.abc.TaskStatus[int] = anyio.TASK_STATUS_IGNORED,
    ) -> None:
        """Serve `GET /metrics` over HTTP and poll in the background, until cancelled.

        With `task_group.start(exporter.serve, host, 0)` the bound port is returned.
        """
        listener = await anyio.create_tcp_listener(local_host=listen_host, local_port=port)
        bound = int(listener.extra(anyio.abc.SocketAttribute.local_port))
        async with listener, anyio.create_task_group() as tg:
            tg.start_soon(self.run)
            tg.start_soon(listener.serve, self._handle)
            _log.info("serving metrics of %d rigs on %s:%d", len(self.fleet), listen_host, bound)
            task_status.started(bound)

    async def _handle(self, stream: anyio.abc.SocketStream) -> None:
        async with stream:
            with anyio.move_on_after(_CLIENT_TIMEOUT):
                try:
                    head = await _read_head(stream)
                except (anyio.EndOfStream, anyio.BrokenResourceError, OSError, ValueError):
                    return
                try:
                    await stream.send(await self._respond(head))
                except (anyio.BrokenResourceError, OSError):
                    return

    async def _respond(self, head: bytes) -> bytes:
        lines = head.decode("latin-1").split("\r\n")
        request = lines[0].split(" ")
        if len(request) != 3:
            return _response(400, b"bad request\n")
        method, target, _ = request
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if method not in ("GET", "HEAD"):
            return _response(405, b"only GET\n", extra=("Allow: GET, HEAD",))
        path = target.split("?", 1)[0]
        if path == "/":
            body = (
                b'<html><body><h1>cgapi exporter</h1><a href="/metrics">metrics</a></body></html>\n'
            )
            return _response(200, body, "text/html; charset=utf-8", head_only=method == "HEAD")
        if path != "/metrics":
            return _response(404, b"not found: try /metrics\n")
        text, gzipped = await self._exposition()
        compress = "gzip" in headers.get("accept-encoding", "")
        body, extra = (gzipped, ("Content-Encoding: gzip",)) if compress else (text, ())
        return _response(200, body, CONTENT_TYPE_LATEST, extra=extra, head_only=method == "HEAD")

    async def _exposition(self) -> tuple[bytes, bytes]:
        """The metrics text (plain and gzipped), rendered once per poll off the event loop."""
        async with self._render_lock:
            generation = self._generation
            if self._rendered is None or self._rendered[0] != generation:
                text, gzipped = await anyio.to_thread.run_sync(_encode, self.registry)
                self._rendered = (generation, text, gzipped)
            return self._rendered[1], self._rendered[2]


def _encode(registry: CollectorRegistry) -> tuple[bytes, bytes]:
    text = generate_latest(registry)
    return text, gzip.compress(text, compresslevel=5)


async def _read_head(stream: anyio.abc.SocketStream) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += await stream.receive(4096)
        if len(data) > _HEAD_LIMIT:
            raise ValueError("request head too large")
    return data.split(b"\r\n\r\n", 1)[0]


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


def _response(
    code: int,
    body: bytes,
    content_type: str = "text/plain; charset=utf-8",
    *,
    extra: tuple[str, ...] = (),
    head_only: bool = False,
) -> bytes:
    head = [
        f"HTTP/1.1 {code} {_REASONS[code]}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *extra,
    ]
    return "\r\n".join(head).encode("latin-1") + b"\r\n\r\n" + (b"" if head_only else body)
