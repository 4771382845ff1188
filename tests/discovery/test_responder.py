"""`MulticastResponder`: the miner side of `--api-mcast`, rule by rule and on the wire."""

from __future__ import annotations

import socket

import anyio
import anyio.abc
import pytest

from cgapi.testing.multicast import MulticastResponder, _c_atoi, answer_for

pytestmark = pytest.mark.anyio

GROUP = "224.0.0.75"


def answer(request: bytes, personality: str = "cgminer", **options: object) -> bytes | None:
    settings: dict[str, object] = {"code": "FTW", "api_port": 4028, "description": "", **options}
    result = answer_for(request, personality=personality, **settings)  # type: ignore[arg-type]
    if result is None:
        return None
    reply_port, datagram = result
    return str(reply_port).encode() + b" " + datagram


@pytest.mark.parametrize(
    ("request_bytes", "personality", "expected"),
    [
        (b"cgminer-FTW-4027", "cgminer", b"4027 cgm-FTW-4028-\0"),
        (b"cgminer-FTW-4027", "bmminer", b"4027 cgm-FTW-4028-\0"),
        (b"cgminer-FTW-4027", "bfgminer", b"4027 cgm-FTW-4028-\0"),
        (b"cgminer-FTW-4027", "sgminer", None),
        (b"sgminer-FTW-4027", "sgminer", b"4027 cgm-FTW-4028-\0"),
        (b"sgminer-FTW-4027", "cgminer", None),
        (b"cgminer-FTW-4027\n", "cgminer", b"4027 cgm-FTW-4028-\0"),
        (b"cgminer-FTW-4027\n\n", "cgminer", b"4027 cgm-FTW-4028-\0"),  # atoi: junk
        (b"cgminer-FTW-", "cgminer", None),  # not longer than the prefix
        (b"cgminer-FTW-\n", "cgminer", None),
        (b"cgminer-FTW-x", "cgminer", None),  # atoi("x") == 0
        (b"cgminer-FTW-0", "cgminer", None),
        (b"cgminer-FTW-65535", "cgminer", b"65535 cgm-FTW-4028-\0"),
        (b"cgminer-FTW-65536", "cgminer", None),
        (b"cgminer-FTW-4027junk", "cgminer", b"4027 cgm-FTW-4028-\0"),
        (b"cgminer-FTW- \t+4027", "cgminer", b"4027 cgm-FTW-4028-\0"),
        (b"cgminer-FTW--4027", "cgminer", None),
        (b"cgminer-FTW-4294971324", "cgminer", b"4028 cgm-FTW-4028-\0"),  # (int) wraps
        (b"cgminer-ftw-4027", "cgminer", None),  # case-sensitive
        (b"CGMINER-FTW-4027", "cgminer", None),
        (b"cgm-FTW-4027", "cgminer", None),  # the API-README's spelling is not what is read
        (b"xcgminer-FTW-4027", "cgminer", None),
        (b"cgminer-FTW-4027" + b"9" * 2000, "cgminer", None),  # 1023 bytes read: huge number
    ],
)
def test_request_rules(request_bytes: bytes, personality: str, expected: bytes | None) -> None:
    assert answer(request_bytes, personality) == expected


def test_reply_code_per_personality() -> None:
    request = b"cgminer-ABC-5000"
    assert answer(request, "cgminer", code="ABC") == b"5000 cgm-FTW-4028-\0"
    assert answer(request, "bmminer", code="ABC") == b"5000 cgm-FTW-4028-\0"
    assert answer(request, "bfgminer", code="ABC") == b"5000 cgm-ABC-4028-\0"
    assert answer(b"sgminer-ABC-5000", "sgminer", code="ABC") == b"5000 cgm-FTW-4028-\0"
    assert answer(b"cgminer-FTW-5000", "cgminer", code="ABC") is None


def test_reply_carries_port_and_description() -> None:
    assert (
        answer(b"cgminer-FTW-4027", api_port=4029, description="rack-2-top")
        == b"4027 cgm-FTW-4029-rack-2-top\0"
    )
    long = answer(b"cgminer-FTW-4027", description="x" * 2000)
    assert long is not None
    assert len(long.split(b" ", 1)[1]) == 1024  # snprintf into 1024 bytes, NUL included


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (b"4027", 4027),
        (b"  4027", 4027),
        (b"\t\n\v\f\r 12", 12),
        (b"+12", 12),
        (b"-12", -12),
        (b"12abc", 12),
        (b"12\x0034", 12),
        (b"", 0),
        (b"abc", 0),
        (b"+", 0),
        (b"4294967296", 0),
        (b"2147483648", -2147483648),
        (b"99999999999999999999999", -1),  # strtol clamps to LONG_MAX, (int) keeps -1
    ],
)
def test_c_atoi(text: bytes, value: int) -> None:
    assert _c_atoi(text) == value


@pytest.mark.parametrize(
    "options",
    [
        {"personality": "ccminer"},
        {"api_port": 0},
        {"port": 65536},
        {"code": "A-B"},
        {"code": ""},
        {"group": "10.0.0.1"},
        {"group": "ff02::1"},
        {"bind_host": "::1"},
        {"interface": "::1"},
        {"min_interval": -1.0},
        {"min_interval": float("nan")},
    ],
)
def test_bad_settings(options: dict[str, object]) -> None:
    settings: dict[str, object] = {"api_port": 4028, "bind_host": "127.0.0.1", **options}
    with pytest.raises(ValueError):
        MulticastResponder(**settings)  # type: ignore[arg-type]


def test_handle_counts_and_refuses() -> None:
    rig = MulticastResponder(
        api_port=4028, bind_host="127.68.0.1", allow=lambda host: host == "127.0.0.1"
    )
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.bind(("127.0.0.1", 0))
        port = client.getsockname()[1]
        assert not rig.handle(f"cgminer-FTW-{port}".encode(), "127.0.0.2")
        assert not rig.handle(b"nonsense", "127.0.0.1")
        assert rig.handle(f"cgminer-FTW-{port}".encode(), "127.0.0.1")
        client.settimeout(1)
        data, (source, _) = client.recvfrom(100)
    assert (data, source) == (b"cgm-FTW-4028-\0", "127.68.0.1")
    assert (rig.answered, rig.ignored) == (1, 2)
    assert "answered=1" in repr(rig)


async def test_one_datagram_per_interval(loopback_multicast: str, mcast_port: int) -> None:
    """Every datagram, answered or not, costs `min_interval`; none is lost."""
    rig = MulticastResponder(
        api_port=4028,
        bind_host="127.68.1.1",
        port=mcast_port,
        interface=loopback_multicast,
        min_interval=0.25,
    )
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    raw.bind(("127.0.0.1", 0))
    reply_port = raw.getsockname()[1]
    raw.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(loopback_multicast))
    raw.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0)
    async with await anyio.abc.UDPSocket.from_socket(raw) as udp, rig:
        started = anyio.current_time()
        probe = f"cgminer-FTW-{reply_port}".encode()
        for datagram in (probe, b"junk", probe):
            await udp.sendto(datagram, GROUP, mcast_port)
        times = []
        with anyio.fail_after(3):
            for _ in range(2):
                data, _ = await udp.receive()
                assert data == b"cgm-FTW-4028-\0"
                times.append(anyio.current_time() - started)
    assert 0.2 < times[0] < 0.45  # the sleep comes before the first read
    assert 0.7 < times[1] < 1.0  # probe, junk, probe: three intervals
    assert (rig.received, rig.answered, rig.ignored) == (3, 2, 1)


async def test_serve_in_a_task_group(loopback_multicast: str, mcast_port: int) -> None:
    rig = MulticastResponder(
        api_port=4028, bind_host="127.68.2.1", port=mcast_port, min_interval=0.0
    )
    from cgapi.discovery import discover

    async with anyio.create_task_group() as task_group:
        await task_group.start(rig.serve)
        found = await discover(
            interface=loopback_multicast, port=mcast_port, reply_port=0, timeout=0.3, ttl=0
        )
        task_group.cancel_scope.cancel()
    assert [r.host for r in found] == ["127.68.2.1"]


async def test_cannot_enter_twice(mcast_port: int) -> None:
    rig = MulticastResponder(api_port=4028, bind_host="127.0.0.1", port=mcast_port)
    async with rig:
        with pytest.raises(RuntimeError):
            await rig.__aenter__()
