"""`discover()` / `discover_iter()` against fake rigs on loopback (interface pinned to lo)."""

from __future__ import annotations

import contextlib
import socket
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING

import anyio
import anyio.abc
import pytest

from cgapi import LocalProtocolError, Miner
from cgapi.discovery import (
    DiscoveredMiner,
    DiscoveryError,
    discover,
    discover_iter,
    parse_answer,
    probe,
)
from cgapi.testing.multicast import MulticastResponder

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Sequence

    from cgapi.testing.multicast import Personality

pytestmark = pytest.mark.anyio

GROUP = "224.0.0.75"


def responder(
    host: str,
    mcast_port: int,
    *,
    personality: Personality = "cgminer",
    api_port: int = 4028,
    description: str = "",
    code: str = "FTW",
    min_interval: float = 0.0,
) -> MulticastResponder:
    return MulticastResponder(
        api_port=api_port,
        bind_host=host,
        description=description,
        personality=personality,
        code=code,
        port=mcast_port,
        min_interval=min_interval,
    )


@asynccontextmanager
async def running(*responders: MulticastResponder) -> AsyncIterator[list[MulticastResponder]]:
    async with AsyncExitStack() as stack:
        for item in responders:
            await stack.enter_async_context(item)
        yield list(responders)


@asynccontextmanager
async def scripted_rig(
    mcast_port: int, script: Sequence[tuple[float, bytes, str]]
) -> AsyncIterator[list[bytes]]:
    """A rig that, on the first `cgminer-` probe, sends `script`: (delay, datagram, source).

    Yields the probes it heard. Joined and answering on loopback only.
    """
    heard: list[bytes] = []
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    raw.bind((GROUP, mcast_port))
    raw.setsockopt(
        socket.IPPROTO_IP,
        socket.IP_ADD_MEMBERSHIP,
        socket.inet_aton(GROUP) + socket.inet_aton("127.0.0.1"),
    )
    udp = await anyio.abc.UDPSocket.from_socket(raw)

    async def play(host: str, reply_port: int) -> None:
        for delay, datagram, source in script:
            await anyio.sleep(delay)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as out:
                out.bind((source, 0))
                out.sendto(datagram, (host, reply_port))

    async def listen() -> None:
        started = False
        while True:
            data, (host, _) = await udp.receive()
            heard.append(data)
            if data.startswith(b"cgminer-") and not started:
                started = True
                task_group.start_soon(play, host, int(data.rsplit(b"-", 1)[1]))

    async with udp, anyio.create_task_group() as task_group:
        task_group.start_soon(listen)
        yield heard
        task_group.cancel_scope.cancel()


# --- the happy path ---------------------------------------------------------------------------


async def test_finds_each_personality(loopback_multicast: str, mcast_port: int) -> None:
    rigs = [
        responder("127.64.0.1", mcast_port, personality="cgminer", description="rack-1-left"),
        responder("127.64.0.2", mcast_port, personality="sgminer", api_port=4029),
        responder("127.64.0.3", mcast_port, personality="bfgminer", description="b"),
        responder("127.64.0.4", mcast_port, personality="bmminer", description="S9 #4"),
    ]
    async with running(*rigs):
        found = await discover(
            interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=0.5, ttl=0
        )
    assert found == [
        DiscoveredMiner("127.64.0.1", 4028, "rack-1-left", "FTW"),
        DiscoveredMiner("127.64.0.2", 4029, "", "FTW"),
        DiscoveredMiner("127.64.0.3", 4028, "b", "FTW"),
        DiscoveredMiner("127.64.0.4", 4028, "S9 #4", "FTW"),
    ]
    assert [r.answered for r in rigs] == [1, 1, 1, 1]
    # Both probes reach everyone; each miner answers only its own prefix.
    assert all(r.received == 2 for r in rigs)


async def test_two_hundred_rigs_on_one_port(loopback_multicast: str, mcast_port: int) -> None:
    rigs = [
        responder(f"127.65.{i // 200}.{i % 200 + 1}", mcast_port, description=f"rig-{i}")
        for i in range(200)
    ]
    async with running(*rigs):
        found = await discover(
            interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=1.0, ttl=0
        )
    assert len(found) == 200
    assert {rig.description for rig in found} == {f"rig-{i}" for i in range(200)}


async def answer_times(interface: str, mcast_port: int) -> dict[str, float]:
    """Seconds from the probe to each rig's answer, over one default 1.5 s window."""
    started = anyio.current_time()
    found: dict[str, float] = {}
    async with contextlib.aclosing(
        discover_iter(interface=interface, port=mcast_port, reply_port=0, ttl=0)
    ) as rigs:
        async for rig in rigs:
            found[rig.host] = anyio.current_time() - started
    return found


async def test_real_miner_timing_fits_one_window(loopback_multicast: str, mcast_port: int) -> None:
    """Real miners sleep 1 s before each read, the sgminer- probe is read after cgminer-."""
    rigs = [
        responder("127.66.0.1", mcast_port, min_interval=1.0),
        responder("127.66.0.2", mcast_port, personality="sgminer", min_interval=1.0),
    ]
    async with running(*rigs):
        await anyio.sleep(1.1)  # both now wait in recvfrom, as long-running miners do
        found = await answer_times(loopback_multicast, mcast_port)
    assert set(found) == {"127.66.0.1", "127.66.0.2"}
    assert found["127.66.0.1"] < 0.4
    assert 0.8 < found["127.66.0.2"] < 1.5


async def test_just_started_miner_answers_a_second_late(
    loopback_multicast: str, mcast_port: int
) -> None:
    async with running(responder("127.66.1.1", mcast_port, min_interval=1.0)):
        found = await answer_times(loopback_multicast, mcast_port)
    assert 0.8 < found["127.66.1.1"] < 1.5


async def test_discovered_miner_talks_to_a_fake_miner(
    loopback_multicast: str, mcast_port: int
) -> None:
    from cgapi.testing import FakeMiner

    fake = FakeMiner(
        "cgminer",
        host="127.67.0.9",
        description="fake rig",
        mcast=True,
        mcast_port=mcast_port,
        mcast_interval=0.0,
    )
    async with fake:
        (rig,) = await discover(
            interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=0.4, ttl=0
        )
        assert (rig.host, rig.port, rig.description) == ("127.67.0.9", fake.port, "fake rig")
        async with rig.miner(timeout=5.0) as miner:
            assert isinstance(miner, Miner)
            version = await miner.version()
    assert version.api is not None


async def test_interface_by_name(loopback_multicast: str, mcast_port: int) -> None:
    async with running(responder("127.64.1.1", mcast_port)):
        found = await discover(interface="lo", port=mcast_port, reply_port=0, timeout=0.4, ttl=0)
    assert [rig.host for rig in found] == ["127.64.1.1"]


# --- codes ------------------------------------------------------------------------------------


async def test_changed_code(loopback_multicast: str, mcast_port: int) -> None:
    """cg/sg answer FTW whatever their code; bfgminer answers its own code."""
    rigs = [
        responder("127.64.2.1", mcast_port, code="XYZ"),
        responder("127.64.2.2", mcast_port, code="XYZ", personality="bfgminer"),
        responder("127.64.2.3", mcast_port),
    ]
    async with running(*rigs):
        found = await discover(
            interface=loopback_multicast,
            port=mcast_port,
            code="XYZ",
            reply_port=0,
            timeout=0.4,
            ttl=0,
        )
    assert [(rig.host, rig.code) for rig in found] == [
        ("127.64.2.1", "FTW"),
        ("127.64.2.2", "XYZ"),
    ]


async def test_refused_sender_gets_no_answer(loopback_multicast: str, mcast_port: int) -> None:
    rig = MulticastResponder(
        api_port=4028,
        bind_host="127.64.3.1",
        port=mcast_port,
        min_interval=0.0,
        allow=lambda address: address != "127.0.0.1",
    )
    async with running(rig):
        found = await discover(
            interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=0.3, ttl=0
        )
    assert found == []
    assert rig.answered == 0
    assert rig.ignored == 2


# --- malformed, duplicate and late answers ----------------------------------------------------


async def test_malformed_datagrams_are_ignored(loopback_multicast: str, mcast_port: int) -> None:
    script = [
        (0.0, b"garbage", "127.64.4.1"),
        (0.0, b"", "127.64.4.1"),
        (0.0, b"cgm-FTW\0", "127.64.4.1"),
        (0.0, b"cgm-FTW-port-x\0", "127.64.4.1"),
        (0.0, b"cgm-FTW-0-\0", "127.64.4.1"),
        (0.0, b"cgm-FTW-65536-\0", "127.64.4.1"),
        (0.0, b"cgm-FTW- 4028-\0", "127.64.4.1"),
        (0.0, b"cgm-XYZ-4028-\0", "127.64.4.1"),
        (0.0, b"ccm-FTW-4068-\0", "127.64.4.1"),
        (0.0, b"CGM-FTW-4028-\0", "127.64.4.1"),
        (0.0, b"cgminer-FTW-4027", "127.64.4.1"),
        (0.0, b"\xff\xfe-\x00", "127.64.4.1"),
        (0.0, b"cgm-FTW-4030-good-one\0", "127.64.4.2"),
    ]
    async with scripted_rig(mcast_port, script):
        found = await discover(
            interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=0.4, ttl=0
        )
    assert found == [DiscoveredMiner("127.64.4.2", 4030, "good-one", "FTW")]


async def test_duplicate_answers_yield_once(loopback_multicast: str, mcast_port: int) -> None:
    script = [
        (0.0, b"cgm-FTW-4028-first\0", "127.64.5.1"),
        (0.05, b"cgm-FTW-4028-second\0", "127.64.5.1"),
        (0.05, b"cgm-FTW-4029-other api\0", "127.64.5.1"),
        (0.05, b"cgm-FTW-4028-\0", "127.64.5.2"),
    ]
    async with scripted_rig(mcast_port, script):
        found = await discover(
            interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=0.5, ttl=0
        )
    assert found == [
        DiscoveredMiner("127.64.5.1", 4028, "first", "FTW"),
        DiscoveredMiner("127.64.5.1", 4029, "other api", "FTW"),
        DiscoveredMiner("127.64.5.2", 4028, "", "FTW"),
    ]


async def test_same_rig_over_several_rounds_counts_once(
    loopback_multicast: str, mcast_port: int
) -> None:
    rig = responder("127.64.6.1", mcast_port)
    async with running(rig):
        found = await discover(
            interface=loopback_multicast,
            port=mcast_port,
            reply_port=0,
            timeout=0.2,
            retries=2,
            ttl=0,
        )
    assert [r.host for r in found] == ["127.64.6.1"]
    assert rig.answered == 3


async def test_late_answer_caught_by_the_next_round(
    loopback_multicast: str, mcast_port: int
) -> None:
    script = [(0.5, b"cgm-FTW-4028-late\0", "127.64.7.1")]
    async with scripted_rig(mcast_port, script):
        found = await discover(
            interface=loopback_multicast,
            port=mcast_port,
            reply_port=0,
            timeout=0.3,
            retries=1,
            ttl=0,
        )
    assert [r.description for r in found] == ["late"]


async def test_answer_after_the_last_window_is_lost(
    loopback_multicast: str, mcast_port: int
) -> None:
    script = [(0.5, b"cgm-FTW-4028-late\0", "127.64.8.1")]
    async with scripted_rig(mcast_port, script):
        found = await discover(
            interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=0.3, ttl=0
        )
        await anyio.sleep(0.3)
    assert found == []


async def test_iterator_yields_each_rig_as_it_answers(
    loopback_multicast: str, mcast_port: int
) -> None:
    script = [
        (0.0, b"cgm-FTW-4028-early\0", "127.64.9.1"),
        (0.4, b"cgm-FTW-4028-later\0", "127.64.9.2"),
    ]
    seen: list[tuple[str, float]] = []
    async with scripted_rig(mcast_port, script):
        started = anyio.current_time()
        async with contextlib.aclosing(
            discover_iter(
                interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=0.7, ttl=0
            )
        ) as rigs:
            async for rig in rigs:
                seen.append((rig.description, anyio.current_time() - started))
    assert [name for name, _ in seen] == ["early", "later"]
    assert seen[0][1] < 0.3 <= seen[1][1]


async def test_leaving_the_iterator_early(loopback_multicast: str, mcast_port: int) -> None:
    async with running(responder("127.64.10.1", mcast_port), responder("127.64.10.2", mcast_port)):
        started = anyio.current_time()
        async with contextlib.aclosing(
            discover_iter(
                interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=5, ttl=0
            )
        ) as rigs:
            async for _ in rigs:
                break
        assert anyio.current_time() - started < 2


# --- expect and retries -----------------------------------------------------------------------


async def test_expect_stops_after_the_round_that_reached_it(
    loopback_multicast: str, mcast_port: int
) -> None:
    rigs = [responder("127.64.11.1", mcast_port), responder("127.64.11.2", mcast_port)]
    async with running(*rigs):
        started = anyio.current_time()
        found = await discover(
            interface=loopback_multicast,
            port=mcast_port,
            reply_port=0,
            timeout=0.3,
            retries=5,
            expect=2,
            ttl=0,
        )
        elapsed = anyio.current_time() - started
    assert len(found) == 2
    # Checked at the window's end, not as soon as the second rig answered.
    assert 0.3 <= elapsed < 0.55
    assert [r.received for r in rigs] == [2, 2]


async def test_expect_not_reached_runs_every_round(
    loopback_multicast: str, mcast_port: int
) -> None:
    rigs = [responder("127.64.12.1", mcast_port), responder("127.64.12.2", mcast_port)]
    async with running(*rigs):
        started = anyio.current_time()
        found = await discover(
            interface=loopback_multicast,
            port=mcast_port,
            reply_port=0,
            timeout=0.2,
            retries=2,
            expect=3,
            ttl=0,
        )
        elapsed = anyio.current_time() - started
    assert len(found) == 2
    assert elapsed >= 0.6
    assert [r.received for r in rigs] == [6, 6]


async def test_no_expect_runs_every_round(loopback_multicast: str, mcast_port: int) -> None:
    rig = responder("127.64.13.1", mcast_port)
    async with running(rig):
        await discover(
            interface=loopback_multicast,
            port=mcast_port,
            reply_port=0,
            timeout=0.15,
            retries=1,
            ttl=0,
        )
    assert rig.received == 4


# --- errors -----------------------------------------------------------------------------------


async def test_reply_port_in_use(loopback_multicast: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        with pytest.raises(DiscoveryError, match="reply_port=0"):
            await discover(interface=loopback_multicast, reply_port=port, timeout=0.1, ttl=0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"group": "10.0.0.1"}, "not an IPv4 multicast"),
        ({"group": "ff02::1"}, "not an IPv4 multicast"),
        ({"group": "nope"}, "not an IP address"),
        ({"port": 0}, "port must be"),
        ({"port": 70000}, "port must be"),
        ({"reply_port": -1}, "reply_port must be"),
        ({"code": "F-W"}, "must not contain '-'"),
        ({"code": ""}, "printable ASCII"),
        ({"code": "é"}, "printable ASCII"),
        ({"timeout": 0}, "positive"),
        ({"timeout": float("nan")}, "positive"),
        ({"retries": -1}, "retries must be"),
        ({"expect": 1.5}, "expect must be"),
        ({"ttl": 256}, "ttl must be"),
        ({"interface": "::1"}, "not an IPv4 address"),
        ({"interface": "no-such-if0"}, "no network interface"),
        ({"interface": "203.0.113.123"}, "not an address of this host"),
    ],
)
async def test_bad_arguments(arguments: dict[str, object], message: str) -> None:
    options: dict[str, object] = {"interface": "127.0.0.1", "reply_port": 0, **arguments}
    with pytest.raises(LocalProtocolError, match=message):
        await discover(**options)  # type: ignore[arg-type]


# --- the wire formats -------------------------------------------------------------------------


def test_probe_bytes() -> None:
    assert probe("FTW", 4027) == b"cgminer-FTW-4027"
    assert probe("ABC", 5000, "sgminer") == b"sgminer-ABC-5000"


@pytest.mark.parametrize(
    ("datagram", "expected"),
    [
        (b"cgm-FTW-4028-\0", (4028, "", "FTW")),
        (b"cgm-FTW-4028-rack-2-top\0", (4028, "rack-2-top", "FTW")),
        (b"cgm-FTW-4028\0", (4028, "", "FTW")),
        (b"cgm-FTW-4028-no nul", (4028, "no nul", "FTW")),
        (b"cgm-FTW-4028-x\0junk", (4028, "x", "FTW")),
        (b"cgm-FTW-1-\xc3\xa9t\xc3\xa9\0", (1, "\u00e9t\u00e9", "FTW")),
        (b"cgm-FTW-65535-\0", (65535, "", "FTW")),
        (b"cgm-FTW-0-\0", None),
        (b"cgm-FTW-+4028-\0", None),
        (b"cgm-FTW-\xd9\xa4-\0", None),
        (b"cgm-BFG-4028-\0", None),
        (b"cgm--4028-\0", None),
        (b"\0cgm-FTW-4028-", None),
    ],
)
def test_parse_answer(datagram: bytes, expected: tuple[int, str, str] | None) -> None:
    rig = parse_answer(datagram, "10.0.0.5")
    if expected is None:
        assert rig is None
    else:
        assert rig == DiscoveredMiner("10.0.0.5", *expected)


def test_parse_answer_other_codes() -> None:
    assert parse_answer(b"cgm-BFG-4028-x\0", "h", codes=("FTW", "BFG")) == DiscoveredMiner(
        "h", 4028, "x", "BFG"
    )


def test_discovered_miner_gives_a_miner() -> None:
    rig = DiscoveredMiner("10.0.0.5", 4029, "d", "FTW")
    assert rig.address == "10.0.0.5:4029"
    miner = rig.miner(read_only=True)
    assert (miner.host, miner.port, miner.read_only) == ("10.0.0.5", 4029, True)
