"""Fleet polling and control against loopback rigs, healthy and faulty."""

from __future__ import annotations

import time
from contextlib import aclosing
from typing import TYPE_CHECKING

import anyio
import pytest

from cgapi import Miner, MockTransport
from cgapi.errors import (
    AccessDenied,
    ConnectError,
    LocalProtocolError,
    NoReply,
    PrivilegedCommandBlocked,
    RemoteProtocolError,
    Timeout,
)
from cgapi.fleet import Fleet, RigStatus, UnexpectedError
from cgapi.models import Device, Pool, Summary
from cgapi.testing import FakeFleet
from tests.fleet.rigs import (
    Rig,
    RigSpec,
    answer,
    close_silently,
    encode,
    garbage,
    hang,
    refused_address,
    reply_object,
    serve,
    serve_many,
    status,
    summary_record,
)

if TYPE_CHECKING:
    from cgapi.protocol import Request

pytestmark = pytest.mark.anyio


async def test_poll_once_gives_typed_results_in_order() -> None:
    rigs = [(Rig(RigSpec(summary=summary_record(mhs=1000.0 * (i + 1)))), answer) for i in range(3)]
    async with serve_many(rigs) as served, Fleet([r.address for r in served]) as fleet:
        results = await fleet.poll_once()
    assert [r.address for r in results] == [r.address for r in served]
    for index, result in enumerate(results):
        assert result.ok and result.error is None
        assert isinstance(result.summary, Summary)
        assert result.summary.accepted == 1200
        assert result.hashrate == pytest.approx(1000.0 * (index + 1) * 1e6 * 1.01)
        assert all(isinstance(d, Device) for d in result.devices) and len(result.devices) == 3
        assert all(isinstance(p, Pool) for p in result.pools) and len(result.pools) == 2
        assert result.active_pool is not None and result.active_pool.index == 0
        assert result.joined is True
        assert result.description == "cgminer 4.11.1"
        assert 0 < result.latency < 5 and result.polled_at > 0
    assert [len(rig.requests) for rig in served] == [1, 1, 1]
    assert served[0].requests[0] == b'{"command":"summary+devs+pools"}'


async def test_rig_without_devices_is_healthy() -> None:
    async with serve(Rig(RigSpec(devices=None))) as rig, Fleet([rig.address]) as fleet:
        (result,) = await fleet.poll_once()
    assert result.ok
    assert result.devices == ()
    assert result.summary is not None and len(result.pools) == 2


async def test_refused_member_is_an_error_with_the_rest_kept() -> None:
    spec = RigSpec()

    class Denied(RigSpec):
        def members(self) -> dict[str, dict[str, object]]:
            members = spec.members()
            members["pools"] = reply_object(None, [], status(45, "Access denied", "E"))
            return members

    async with serve(Rig(Denied())) as rig, Fleet([rig.address]) as fleet:
        (result,) = await fleet.poll_once()
    assert isinstance(result.error, AccessDenied)
    assert result.summary is not None and result.pools == ()


async def test_miner_refusing_joins_is_asked_one_by_one_and_remembered() -> None:
    async with serve(Rig(join=False)) as rig, Fleet([rig.address]) as fleet:
        (first,) = await fleet.poll_once()
        (second,) = await fleet.poll_once()
    assert first.ok and second.ok
    assert first.joined is False and second.joined is False
    assert len(first.devices) == 3 and first.summary is not None
    commands = [request.decode() for request in rig.requests]
    assert commands == [
        '{"command":"summary+devs+pools"}',
        '{"command":"summary"}',
        '{"command":"devs"}',
        '{"command":"pools"}',
        '{"command":"summary"}',
        '{"command":"devs"}',
        '{"command":"pools"}',
    ]


async def test_faulty_rigs_are_each_accounted_for_within_the_timeout() -> None:
    behaviours = [answer, hang, close_silently, garbage, answer, hang, answer]
    async with serve_many([(Rig(), b) for b in behaviours]) as served:
        targets = [rig.address for rig in served] + [refused_address()]
        started = time.monotonic()
        async with Fleet(targets, timeout=0.5, concurrency=3) as fleet:
            results = [result async for result in fleet.poll()]
        elapsed = time.monotonic() - started
    by_address = {result.address: result for result in results}
    assert len(results) == len(by_address) == len(targets)
    assert set(by_address) == set(targets)
    kinds = [type(by_address[address].error) for address in targets]
    assert kinds[0] is kinds[4] is kinds[6] is type(None)
    assert by_address[targets[1]].error is not None
    assert isinstance(by_address[targets[1]].error, Timeout)
    assert isinstance(by_address[targets[2]].error, NoReply)
    assert isinstance(by_address[targets[3]].error, RemoteProtocolError)
    assert isinstance(by_address[targets[7]].error, ConnectError)
    for result in results:
        if result.error is not None:
            assert result.summary is None and result.devices == () and result.pools == ()
            assert result.address in str(result.error) or isinstance(
                result.error, RemoteProtocolError
            )
    # Two hanging rigs on three workers: they overlap, so about one timeout in all.
    assert elapsed < 1.5


async def test_hanging_rig_costs_only_its_own_timeout() -> None:
    async with serve_many([(Rig(), hang), (Rig(), answer)]) as served:
        fleet = Fleet([rig.address for rig in served], timeout=0.3)
        results = {}
        async for result in fleet.poll():
            results[result.address] = (result, time.monotonic())
    hung, healthy = (results[rig.address] for rig in served)
    assert healthy[0].ok and healthy[0].latency < 0.3
    assert isinstance(hung[0].error, Timeout)
    assert 0.25 < hung[0].latency < 0.6
    assert healthy[1] < hung[1]  # streamed before the hanging rig gave up


async def test_duplicate_targets_are_polled_once() -> None:
    async with serve(Rig()) as rig:
        miner = Miner(rig.address)
        fleet = Fleet([rig.address, f"127.0.0.1:{rig.port}", miner, Miner(rig.address)])
        assert len(fleet) == 1
        results = await fleet.poll_once()
    assert len(results) == 1 and len(rig.requests) == 1


async def test_never_two_connections_at_once_to_one_rig() -> None:
    async with serve(Rig(delay=0.05)) as rig:
        fleets = [Fleet([rig.address]) for _ in range(4)]
        async with anyio.create_task_group() as tg:
            for fleet in fleets:
                tg.start_soon(fleet.poll_once)
    assert len(rig.requests) == 4
    assert rig.max_connections == 1


async def test_concurrency_bounds_connections_in_flight() -> None:
    in_flight = 0
    peak = 0

    async def counted(stream: object, rig: Rig) -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            await answer(stream, rig)  # type: ignore[arg-type]
        finally:
            in_flight -= 1

    async with serve_many([(Rig(delay=0.02), counted) for _ in range(12)]) as served:
        results = await Fleet([rig.address for rig in served], concurrency=4).poll_once()
    assert all(result.ok for result in results)
    assert 1 < peak <= 4


async def test_breaking_out_early_cancels_the_rest() -> None:
    async with serve_many([(Rig(), answer)] + [(Rig(), hang)] * 1) as served:
        fleet = Fleet([rig.address for rig in served], timeout=10)
        started = time.monotonic()
        async with aclosing(fleet.poll()) as results:
            async for result in results:
                assert result.ok
                break
    assert time.monotonic() - started < 2


async def test_cancellation_is_not_swallowed() -> None:
    async with serve(Rig(), hang) as rig:
        fleet = Fleet([rig.address], timeout=10)
        with anyio.move_on_after(0.2) as scope:
            await fleet.poll_once()
    assert scope.cancelled_caught


async def test_unexpected_exception_becomes_a_typed_error() -> None:
    def broken(request: Request) -> bytes:
        raise ZeroDivisionError("bug")

    miner = Miner("rig-a", transport=MockTransport(broken, address="rig-a:4028"))
    results = await Fleet([miner]).poll_once()
    (result,) = results
    assert isinstance(result.error, UnexpectedError)
    assert result.error.address == "rig-a:4028"
    assert isinstance(result.error.__cause__, ZeroDivisionError)


async def test_mock_miners_in_text_form() -> None:
    def handler(request: Request) -> bytes:
        assert request.form == "text" and request.command == "summary+devs+pools"
        return (
            b"CMD=summary|STATUS=S,When=1,Code=11,Msg=Summary,Description=cgminer 4.11.1|"
            b"SUMMARY,Elapsed=5,MHS av=2.00|"
            b"CMD=devs|STATUS=E,When=1,Code=10,Msg=No ASCs/PGAs,Description=cgminer 4.11.1|"
            b"CMD=pools|STATUS=S,When=1,Code=7,Msg=1 Pool(s),Description=cgminer 4.11.1|"
            b"POOL=0,URL=stratum+tcp://p:3333,Status=Alive,Priority=0,User=w|\x00"
        )

    miner = Miner("m", form="text", transport=MockTransport(handler, address="m:4028"))
    (result,) = await Fleet([miner]).poll_once()
    assert result.ok, result.error
    assert result.hashrate == 2e6
    assert result.devices == ()
    assert result.pools[0].url == "stratum+tcp://p:3333"


async def test_rig_status_can_be_built_from_models() -> None:
    summary = Summary.model_validate({"MHS av": 1.0})
    status_ = RigStatus("a:4028", summary, [], [], latency=0.1)
    assert status_.ok and status_.summary is summary and status_.hashrate == 1e6
    assert "a:4028" in repr(status_)


# --- run() -----------------------------------------------------------------------------------


async def test_run_sends_to_every_rig_and_reports_each_outcome() -> None:
    denied = Rig(control_reply=encode(reply_object(None, [], status(45, "Access denied", "E"))))
    async with serve_many([(Rig(), answer), (denied, answer), (Rig(), hang)]) as served:
        targets = [rig.address for rig in served] + [refused_address()]
        async with Fleet(targets, timeout=0.4) as fleet:
            outcomes = await fleet.run("switchpool", 1)
    assert [o.address for o in outcomes] == targets
    ok, refused_by_miner, hung, refused = outcomes
    assert ok.ok and ok.status is not None and ok.status.code == 27 and not ok.dry_run
    assert isinstance(refused_by_miner.error, AccessDenied)
    assert isinstance(hung.error, Timeout)
    assert isinstance(refused.error, ConnectError)
    expected = b'{"command":"switchpool","parameter":"1"}'
    assert all(o.request == expected for o in outcomes)
    assert served[0].requests == [expected]


async def test_dry_run_sends_nothing_and_shows_the_bytes() -> None:
    async with serve(Rig()) as rig:
        text_miner = Miner("t", form="text", transport=MockTransport(lambda r: b"", address="t:1"))
        fleet = Fleet([rig.address, text_miner])
        outcomes = await fleet.run("gpufan", 0, 80, dry_run=True)
    assert rig.requests == []
    assert [o.request for o in outcomes] == [
        b'{"command":"gpufan","parameter":"0,80"}',
        b"gpufan|0,80",
    ]
    assert all(o.dry_run and o.ok and o.status is None for o in outcomes)


async def test_run_validates_once_before_sending() -> None:
    async with serve(Rig()) as rig:
        fleet = Fleet([rig.address])
        with pytest.raises(LocalProtocolError):
            await fleet.run("switchpool")  # missing pool number
        with pytest.raises(LocalProtocolError):
            await fleet.run("switchpool", "one")
        with pytest.raises(LocalProtocolError):
            await fleet.run("swtichpool", 1)
        with pytest.raises(PrivilegedCommandBlocked):
            await Fleet([rig.address], read_only=True).run("switchpool", 1)
        with pytest.raises(PrivilegedCommandBlocked):
            await Fleet([Miner(rig.address, read_only=True)]).run("switchpool", 1)
    assert rig.requests == []


async def test_run_python_names_and_vendor_commands() -> None:
    fleet = Fleet(["10.0.0.5"])
    (outcome,) = await fleet.run("failover_only", True, dry_run=True)
    assert outcome.command == "failover-only"
    with pytest.raises(LocalProtocolError):
        await fleet.run("temps", dry_run=True)
    (vendor,) = await fleet.run("temps", dry_run=True, allow_unknown=True)
    assert vendor.request == b'{"command":"temps"}'


def test_fleet_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        Fleet(["a"], concurrency=0)
    with pytest.raises(ValueError, match="timeout"):
        Fleet(["a"], timeout=0)
    with pytest.raises(ValueError):
        Fleet(["a:99999"])
    fleet = Fleet(["10.0.0.1", "10.0.0.2:4029", "[::1]"], port=4030)
    assert fleet.addresses == ["10.0.0.1:4030", "10.0.0.2:4029", "[::1]:4030"]


async def test_fake_fleet_with_faults_mixed_in() -> None:
    def configure(i: int) -> dict[str, object]:
        return {"devices": []} if i == 1 else {}

    options = {"port": 0, "base": "127.1.94.1", "allow": "W:127.0.0.1", "configure": configure}
    async with FakeFleet(8, "mixed", **options) as fakes:
        fakes[2].faults.never_reply = True
        fakes[3].faults.close_without_reply = True
        fakes[4].faults.garbage = b"<html>busy</html>\x00"
        fakes[5].faults.truncate_at = 40
        fakes[6].faults.delay = 0.2
        fakes[7].faults.delay = 5.0
        started = time.monotonic()
        async with Fleet(fakes.addresses, timeout=1.0, concurrency=3) as fleet:
            results = {r.address: r async for r in fleet.poll()}
        elapsed = time.monotonic() - started
    assert sorted(results) == sorted(fakes.addresses)
    by_index = [results[address] for address in fakes.addresses]
    assert by_index[0].ok and by_index[0].summary is not None and by_index[0].devices
    assert by_index[1].ok and by_index[1].devices == ()  # cgminer-family rig without devices
    assert isinstance(by_index[2].error, Timeout)
    assert isinstance(by_index[3].error, NoReply)
    assert isinstance(by_index[4].error, RemoteProtocolError)
    assert isinstance(by_index[5].error, RemoteProtocolError)
    assert by_index[6].ok and by_index[6].latency >= 0.2
    assert isinstance(by_index[7].error, Timeout)
    assert all(r.error is None or r.error.__class__.__module__ == "cgapi.errors" for r in by_index)
    assert elapsed < 2.5  # two timeouts overlap on three workers


async def test_summary_without_a_section_is_an_error() -> None:
    def handler(request: Request) -> bytes:
        return (
            b'{"summary":[{"STATUS":[{"STATUS":"S","Code":11,"Msg":"Summary"}],"id":1}],'
            b'"devs":[{"STATUS":[{"STATUS":"S","Code":9,"Msg":"0 ASC(s)"}],"DEVS":[],"id":1}],'
            b'"pools":[{"STATUS":[{"STATUS":"S","Code":7,"Msg":"0 Pool(s)"}],"POOLS":[],"id":1}]}'
        )

    miner = Miner("m", transport=MockTransport(handler, address="m:4028"))
    (result,) = await Fleet([miner]).poll_once()
    assert isinstance(result.error, RemoteProtocolError)
    assert result.summary is None and result.devices == () and result.pools == ()
