"""The Prometheus exporter: metric names, types, labels and values, no passwords, HTTP."""

from __future__ import annotations

import gzip
import time
from typing import TYPE_CHECKING

import anyio
import pytest

pytest.importorskip("prometheus_client")

import httpx
from prometheus_client.parser import text_string_to_metric_families

from cgapi.errors import ConnectError
from cgapi.exporter import Exporter, FleetCollector, sanitize_url
from cgapi.fleet import Fleet
from cgapi.testing import FakeFleet, PoolSpec
from tests.fleet.rigs import (
    Rig,
    RigSpec,
    answer,
    gpu_record,
    hang,
    pool_record,
    refused_address,
    serve,
    serve_many,
    summary_record,
)

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

pytestmark = pytest.mark.anyio

SECRET = "hunter2"
SECRET_URL = f"stratum+tcp://wallet:{SECRET}@pool.example.com:3333/?password={SECRET}&region=eu"


def parse(text: bytes) -> dict[str, Metric]:
    return {family.name: family for family in text_string_to_metric_families(text.decode())}


def value(families: dict[str, Metric], sample_name: str, **labels: str) -> float:
    family_name = sample_name.removesuffix("_total")
    matches = [
        sample.value
        for sample in families[family_name].samples
        if sample.name == sample_name and all(sample.labels.get(k) == v for k, v in labels.items())
    ]
    assert len(matches) == 1, (sample_name, labels, matches)
    return matches[0]


def gpu_rig() -> Rig:
    pools = [pool_record(0, url=SECRET_URL, user="wallet.gpu", active=True), pool_record(1)]
    pools[1]["Status"] = "Dead"
    return Rig(RigSpec(devices=[gpu_record(0), gpu_record(1, fan=80)], pools=pools))


async def test_metrics_text_of_several_rigs() -> None:
    rigs = [(Rig(), answer), (gpu_rig(), answer), (Rig(RigSpec(devices=None)), answer)]
    async with serve_many(rigs) as served:
        asic, gpu, bare = (rig.address for rig in served)
        down = refused_address()
        exporter = Exporter([asic, gpu, bare, down], timeout=2)
        await exporter.poll_once()
        await exporter.poll_once()
        text = exporter.render()
    assert SECRET.encode() not in text
    families = parse(text)

    assert families["cgminer_up"].type == "gauge"
    assert value(families, "cgminer_up", rig=asic) == 1
    assert value(families, "cgminer_up", rig=bare) == 1
    assert value(families, "cgminer_up", rig=down) == 0
    assert families["cgminer_scrape_errors"].type == "counter"
    assert value(families, "cgminer_scrape_errors_total", rig=down, error="ConnectError") == 2
    assert value(families, "cgminer_exporter_rigs") == 4
    assert value(families, "cgminer_exporter_polls_total") == 2
    assert value(families, "cgminer_exporter_poll_duration_seconds") > 0
    assert value(families, "cgminer_exporter_last_poll_timestamp_seconds") > time.time() - 60
    assert value(families, "cgminer_last_success_timestamp_seconds", rig=asic) > 0
    assert not [
        s
        for s in families["cgminer_last_success_timestamp_seconds"].samples
        if s.labels["rig"] == down
    ]
    assert 0 < value(families, "cgminer_poll_duration_seconds", rig=asic) < 2

    # Summary: hash rates in H/s, share counters as counters.
    mhs = summary_record()["MHS av"]
    assert value(families, "cgminer_hashrate_hashes_per_second", rig=asic) == pytest.approx(
        mhs * 1.01 * 1e6
    )
    assert value(families, "cgminer_hashrate_average_hashes_per_second", rig=asic) == mhs * 1e6
    assert families["cgminer_accepted_shares"].type == "counter"
    assert value(families, "cgminer_accepted_shares_total", rig=asic) == 1200
    assert value(families, "cgminer_rejected_shares_total", rig=asic) == 12
    assert value(families, "cgminer_stale_shares_total", rig=asic) == 3
    assert value(families, "cgminer_hardware_errors_total", rig=asic) == 7
    assert value(families, "cgminer_uptime_seconds", rig=asic) == 86400
    assert value(families, "cgminer_info", rig=asic, software="cgminer 4.11.1") == 1
    assert not [
        s for s in families["cgminer_hashrate_hashes_per_second"].samples if s.labels["rig"] == down
    ]

    # Devices: temperature, fan, hash rate; none for the rig without devices.
    assert value(families, "cgminer_device_temperature_celsius", rig=asic, device="ASC2") == 65.0
    assert (
        value(families, "cgminer_device_hashrate_hashes_per_second", rig=asic, device="ASC0")
        == 4.5e12
    )
    assert value(families, "cgminer_device_fan_ratio", rig=gpu, device="GPU1") == 0.8
    assert value(families, "cgminer_device_fan_speed_rpm", rig=gpu, device="GPU0") == 2300
    assert value(families, "cgminer_device_temperature_celsius", rig=gpu, device="GPU0") == 70.5
    assert (
        value(
            families, "cgminer_device_info", rig=asic, device="ASC1", name="BM1387", status="Alive"
        )
        == 1
    )
    assert value(families, "cgminer_device_enabled", rig=gpu, device="GPU0") == 1
    assert value(families, "cgminer_device_accepted_shares_total", rig=asic, device="ASC0") == 400
    assert not [s for s in families["cgminer_device_info"].samples if s.labels["rig"] == bare]

    # Pools: url (password stripped) and user labels, status as one series per state.
    clean = "stratum+tcp://wallet@pool.example.com:3333/?region=eu"
    pool0 = {"rig": gpu, "pool": "0", "url": clean, "user": "wallet.gpu"}
    assert value(families, "cgminer_pool_active", **pool0) == 1
    assert value(families, "cgminer_pool_priority", **pool0) == 0
    assert value(families, "cgminer_pool_status", status="Alive", **pool0) == 1
    assert value(families, "cgminer_pool_status", status="Dead", **pool0) == 0
    assert value(families, "cgminer_pool_status", rig=gpu, pool="1", status="Dead") == 1
    assert value(families, "cgminer_pool_active", rig=gpu, pool="1") == 0
    assert value(families, "cgminer_pool_accepted_shares_total", **pool0) == 500
    assert {s.labels["status"] for s in families["cgminer_pool_status"].samples} == {
        "Alive",
        "Dead",
        "Disabled",
        "Rejecting",
    }


async def test_metrics_of_a_fake_fleet_never_show_passwords() -> None:
    pools = [
        PoolSpec(SECRET_URL, "wallet.rig", SECRET),
        PoolSpec("stratum+tcp://backup.example.com:3333", "wallet.rig", f"d=1024,{SECRET}"),
    ]
    options = {"port": 0, "base": "127.1.93.1", "allow": "W:127.0.0.1", "pools": pools}
    async with FakeFleet(4, "mixed", **options) as fakes:
        exporter = Exporter(fakes.addresses, timeout=5)
        statuses = await exporter.poll_once()
        text = exporter.render()
    assert all(status.ok for status in statuses), statuses
    assert SECRET.encode() not in text
    families = parse(text)
    assert sum(s.value for s in families["cgminer_up"].samples) == 4
    software = {s.labels["software"].split()[0] for s in families["cgminer_info"].samples}
    assert software == {"cgminer", "sgminer", "bfgminer", "bmminer"}
    assert len(families["cgminer_pool_active"].samples) == 8
    for sample in families["cgminer_hashrate_hashes_per_second"].samples:
        assert sample.value > 1e5  # H/s, not MH/s


async def test_openmetrics_rendering() -> None:
    async with serve(Rig()) as rig:
        exporter = Exporter([rig.address])
        await exporter.poll_once()
    text = exporter.render("application/openmetrics-text; version=1.0.0")
    assert text.endswith(b"# EOF\n")
    assert b"cgminer_accepted_shares_total{" in text


async def test_http_serves_cached_metrics_without_waiting_on_rigs() -> None:
    async with serve_many([(Rig(), answer), (Rig(), hang)]) as served:
        exporter = Exporter([rig.address for rig in served], interval=60, timeout=1)
        async with anyio.create_task_group() as tg:
            port = await tg.start(exporter.serve, "127.0.0.1", 0)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                started = time.monotonic()
                first = await http.get("/metrics")  # the first poll waits on the hanging rig
                assert time.monotonic() - started < 1
                assert first.status_code == 200
                assert first.headers["content-type"].startswith("text/plain")
                assert b"cgminer_exporter_polls_total 0.0" in first.content
                for _ in range(50):  # the first poll ends when the hanging rig times out
                    if b"cgminer_exporter_polls_total 1.0" in (await http.get("/metrics")).content:
                        break
                    await anyio.sleep(0.1)
                compressed = await http.get("/metrics", headers={"Accept-Encoding": "gzip"})
                assert compressed.headers["content-encoding"] == "gzip"
                families = parse(compressed.content)  # httpx decodes gzip
                assert value(families, "cgminer_up", rig=served[0].address) == 1
                assert value(families, "cgminer_up", rig=served[1].address) == 0
                assert (await http.get("/")).status_code == 200
                assert (await http.get("/nope")).status_code == 404
                assert (await http.post("/metrics")).status_code == 405
                head = await http.head("/metrics")
                assert head.status_code == 200 and head.content == b""
            tg.cancel_scope.cancel()


async def test_gzip_body_is_valid() -> None:
    async with serve(Rig()) as rig:
        exporter = Exporter([rig.address])
        await exporter.poll_once()
        plain, gzipped = await exporter._exposition()
    assert gzip.decompress(gzipped) == plain


async def test_discovery_adds_targets_and_failures_keep_them() -> None:
    calls = 0

    async with serve_many([(Rig(), answer), (Rig(), answer)]) as served:
        static, found = served[0].address, served[1].address

        async def discover() -> list[str]:
            nonlocal calls
            calls += 1
            if calls > 1:
                raise ConnectError("multicast unavailable")
            return [found, static]

        exporter = Exporter([static], discover=discover, rediscover=0)
        statuses = await exporter.poll_once()
        assert [s.address for s in statuses] == [static, found]
        statuses = await exporter.poll_once()  # discovery fails: same rigs
        assert [s.address for s in statuses] == [static, found]
        assert all(s.ok for s in statuses)
        exporter.set_targets([found])
        await exporter.poll_once()
    families = parse(exporter.render())
    assert [s.labels["rig"] for s in families["cgminer_up"].samples] == [found]
    assert value(families, "cgminer_exporter_rigs") == 1


async def test_exporter_takes_a_fleet_and_a_custom_prefix() -> None:
    async with serve(Rig()) as rig:
        exporter = Exporter(Fleet([rig.address], timeout=1), prefix="farm")
        await exporter.poll_once()
    families = parse(exporter.render())
    assert value(families, "farm_up", rig=rig.address) == 1
    assert isinstance(exporter.collector, FleetCollector)


def test_invalid_interval() -> None:
    with pytest.raises(ValueError, match="interval"):
        Exporter(["10.0.0.1"], interval=0)


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("stratum+tcp://pool.example.com:3333", "stratum+tcp://pool.example.com:3333"),
        ("stratum+tcp://user:pw@pool.example.com:3333", "stratum+tcp://user@pool.example.com:3333"),
        ("stratum+tcp://:pw@pool.example.com:3333", "stratum+tcp://pool.example.com:3333"),
        ("pool.example.com:3333", "pool.example.com:3333"),
        ("u:pw@pool.example.com:3333", "u@pool.example.com:3333"),
        ("http://p.example/?user=a&pass=b&api_key=c&token=d&x=1", "http://p.example/?user=a&x=1"),
        ("stratum+tcp://p.example:3333#secret", "stratum+tcp://p.example:3333"),
        ("http://[::1", "invalid-url"),
        ("", ""),
    ],
)
def test_sanitize_url(url: str, clean: str) -> None:
    assert sanitize_url(url) == clean
