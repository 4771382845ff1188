"""`scan()` against small loopback servers replaying real captures, and against FakeFleet."""

from __future__ import annotations

import contextlib
import json
import resource

import anyio
import anyio.abc
import pytest

from cgapi import LocalProtocolError
from cgapi.protocol import decode_request
from cgapi.scan import VERSION_REQUEST, ScanHit, TargetError, fd_budget, parse_targets, scan
from tests.discovery.canned import canned_servers, capture, free_port

pytestmark = pytest.mark.anyio

RIGS = {
    "127.70.0.1": capture("avalon/avalon1566-fw24102401-version.json"),
    "127.70.0.2": capture("sgminer/sgminer-4.1.0-version.txt"),
    "127.70.0.3": capture("bmminer/antminer-s9-version.json"),
    "127.70.0.4": capture("luxminer/luxos-version.json"),
    "127.70.0.5": capture("teamredminer/trm-0.10.7-version.txt"),
    "127.70.0.6": capture("ccminer-hammer/hammer-d10-fw2023-05-28-version.json"),
}


async def collect(*args: object, **options: object) -> list[ScanHit]:
    async with contextlib.aclosing(scan(*args, **options)) as hits:  # type: ignore[arg-type]
        return [hit async for hit in hits]


async def test_scan_names_each_rig() -> None:
    port = free_port("127.70.0.1")
    async with canned_servers(RIGS, port):
        hits = await collect("127.70.0.0/29", port, timeout=2.0)
    found = {hit.host: (hit.software, hit.version, hit.api_version, hit.model) for hit in hits}
    assert found == {
        "127.70.0.1": ("avalon", "4.11.1", "3.7", "AvalonMiner 15-194"),
        "127.70.0.2": ("sgminer", "4.1.0", "3.1", None),
        "127.70.0.3": ("bmminer", "2.0.0", "3.1", "Antminer S9"),
        "127.70.0.4": ("LuxOS", "2000.1.1.12345-aaabbbc", "3.7", "A model"),
        "127.70.0.5": ("TeamRedMiner", "0.10.7", "4.0", None),
        "127.70.0.6": ("ccminer", "2.3.3", "3.1", "Hammer D10"),
    }
    s9 = next(hit for hit in hits if hit.host == "127.70.0.3")
    assert s9.port == port
    assert s9.address == f"127.70.0.3:{port}"
    assert s9.description == "bmminer 1.0.0"
    assert s9.reply is not None and s9.reply.status.code == 22
    assert s9.info is not None and s9.info.miner_type == "Antminer S9"
    assert s9.error is None
    miner = s9.miner(read_only=True)
    assert (miner.host, miner.port) == ("127.70.0.3", port)


async def test_scan_sends_exactly_one_valid_version_request() -> None:
    port = free_port("127.70.1.1")
    rigs = {f"127.70.1.{i}": RIGS["127.70.0.3"] for i in range(1, 7)}
    async with canned_servers(rigs, port) as record:
        hits = await collect("127.70.1.0/29", port)
    assert len(hits) == 6
    assert sorted(server for server, _, _ in record.requests) == sorted(rigs)
    for _, _, data in record.requests:
        assert data == VERSION_REQUEST == b'{"command":"version"}'
        request = decode_request(data)
        assert (request.command, request.parameter, request.form) == ("version", None, "json")
        assert not data.startswith((b"GET", b"POST", b"HEAD"))


async def test_silent_and_junk_hosts() -> None:
    port = free_port("127.70.2.1")
    servers = {
        "127.70.2.1": RIGS["127.70.0.1"],
        "127.70.2.2": b"",  # accepts and closes: this host is not in --api-allow
        "127.70.2.3": b"HTTP/1.1 400 Bad Request\r\n\r\n",
        "127.70.2.4": b"<html>cgminer web</html>",
    }
    async with canned_servers(servers, port):
        default = await collect("127.70.2.1-4", port)
        everything = await collect("127.70.2.1-4", port, include_silent=True)
    assert [hit.host for hit in default] == ["127.70.2.1"]
    by_host = {hit.host: hit for hit in everything}
    assert set(by_host) == set(servers)
    silent = by_host["127.70.2.2"]
    assert (silent.software, silent.reply, silent.error) == (
        "unknown",
        None,
        "connection closed without a reply",
    )
    assert by_host["127.70.2.3"].error == "not an API reply"
    assert by_host["127.70.2.4"].software == "cgminer"  # named from the raw bytes


async def test_progress_and_streaming() -> None:
    port = free_port("127.70.3.1")
    calls: list[tuple[int, int]] = []
    async with canned_servers({"127.70.3.2": RIGS["127.70.0.1"]}, port):
        hits = await collect("127.70.3.0/28", port, progress=lambda d, t: calls.append((d, t)))
    assert [hit.host for hit in hits] == ["127.70.3.2"]
    assert calls == [(i, 14) for i in range(1, 15)]


async def test_yields_before_slow_hosts_finish() -> None:
    """A rig that answers is yielded while a silent one is still timing out."""
    port = free_port("127.70.4.1")
    hang = anyio.Event()

    listener = await anyio.create_tcp_listener(local_host="127.70.4.2", local_port=port)

    async def never_answer(client: anyio.abc.SocketStream) -> None:
        async with client:
            await hang.wait()

    async with (
        canned_servers({"127.70.4.1": RIGS["127.70.0.1"]}, port),
        listener,
        anyio.create_task_group() as task_group,
    ):
        task_group.start_soon(listener.serve, never_answer)
        started = anyio.current_time()
        async with contextlib.aclosing(
            scan(["127.70.4.1", "127.70.4.2"], port, timeout=1.0)
        ) as hits:
            first = await hits.__anext__()
            assert first.host == "127.70.4.1"
            assert anyio.current_time() - started < 0.5
            rest = [hit async for hit in hits]
        assert rest == []
        assert anyio.current_time() - started >= 0.9
        hang.set()
        task_group.cancel_scope.cancel()


async def test_leaving_early_cancels_the_rest() -> None:
    port = free_port("127.70.5.1")
    rigs = {f"127.70.5.{i}": RIGS["127.70.0.2"] for i in range(1, 11)}
    async with (
        canned_servers(rigs, port),
        contextlib.aclosing(scan("127.70.5.1-10", port, concurrency=2)) as hits,
    ):
        async for hit in hits:
            assert hit.software == "sgminer"
            break


async def test_progress_error_is_raised_plainly() -> None:
    def boom(done: int, total: int) -> None:
        raise KeyError("progress bar broke")

    with pytest.raises(KeyError):
        await collect("127.70.6.1-3", free_port(), progress=boom, timeout=0.5)


async def test_concurrency_one_and_names() -> None:
    port = free_port("127.70.7.1")
    async with canned_servers({"127.70.7.1": RIGS["127.70.0.5"]}, port):
        hits = await collect(["localhost", "127.70.7.1"], port, concurrency=1, timeout=1.0)
    assert [hit.software for hit in hits] == ["TeamRedMiner"]


async def test_scan_a_fake_fleet() -> None:
    from cgapi.testing import FakeFleet

    port = free_port("127.71.0.1")
    async with FakeFleet(8, personality="mixed", base="127.71.0.1", port=port) as fleet:
        hits = await collect("127.71.0.0/28", port, timeout=3.0)
        expected = {miner.host: miner.personality for miner in fleet}
    assert {hit.host: hit.software for hit in hits} == expected


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"targets": "10.0.0.300"}, TargetError, "bad octet"),
        ({"port": 0}, LocalProtocolError, "port must be"),
        ({"port": True}, LocalProtocolError, "port must be"),
        ({"concurrency": 0}, LocalProtocolError, "concurrency"),
        ({"concurrency": 2.5}, LocalProtocolError, "concurrency"),
        ({"timeout": -1}, LocalProtocolError, "timeout"),
    ],
)
async def test_bad_arguments(
    arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    options: dict[str, object] = {"targets": "127.0.0.1", **arguments}
    targets = options.pop("targets")
    with pytest.raises(error, match=message):
        await collect(targets, **options)


def test_targets_object_is_accepted() -> None:
    targets = parse_targets("127.0.0.1")
    assert scan(targets) is not None


def test_fd_budget_raises_the_soft_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2048:
        pytest.skip(f"hard RLIMIT_NOFILE is only {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (512, hard))
    try:
        budget = fd_budget(1500)
        new_soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        assert budget == 1500
        assert new_soft >= 1500
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_fd_budget_leaves_headroom_under_the_hard_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        pytest.skip("no hard RLIMIT_NOFILE")
    budget = fd_budget(hard * 2)
    assert 1 <= budget < hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_version_request_is_cgapis_encoding() -> None:
    assert json.loads(VERSION_REQUEST) == {"command": "version"}
