"""`parse_targets()`: CIDR, ranges, octet ranges, lists, names, IPv6; clear errors."""

from __future__ import annotations

import ipaddress

import pytest

from cgapi import LocalProtocolError
from cgapi.scan import TargetError, Targets, parse_targets


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("10.0.0.5", ["10.0.0.5"]),
        ("10.0.0.0/30", ["10.0.0.1", "10.0.0.2"]),
        ("10.0.0.9/30", ["10.0.0.9", "10.0.0.10"]),  # host bits allowed: its network
        ("10.0.0.4/31", ["10.0.0.4", "10.0.0.5"]),
        ("10.0.0.4/32", ["10.0.0.4"]),
        ("10.0.0.254-10.0.1.1", ["10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"]),
        ("10.0.0.7-10.0.0.7", ["10.0.0.7"]),
        ("10.0.0.1-3", ["10.0.0.1", "10.0.0.2", "10.0.0.3"]),
        ("10.1-2.1.1-2", ["10.1.1.1", "10.1.1.2", "10.2.1.1", "10.2.1.2"]),
        ("10.0.0.1, 10.0.0.2 10.0.0.3,,", ["10.0.0.1", "10.0.0.2", "10.0.0.3"]),
        ("  rig-01.local\n10.0.0.1\t", ["rig-01.local", "10.0.0.1"]),
        ("localhost", ["localhost"]),
        ("miner.example.com.", ["miner.example.com."]),
        ("::1", ["::1"]),
        ("[fe80::1]", ["fe80::1"]),
        ("2001:db8::0:1", ["2001:db8::1"]),
        ("2001:db8::/126", ["2001:db8::1", "2001:db8::2", "2001:db8::3"]),
        ("2001:db8::8/127", ["2001:db8::8", "2001:db8::9"]),
        (["10.0.0.1", "10.0.0.2-3"], ["10.0.0.1", "10.0.0.2", "10.0.0.3"]),
        ((s for s in ["a", "b,c"]), ["a", "b", "c"]),
        ([ipaddress.ip_address("10.0.0.1")], ["10.0.0.1"]),
        ([ipaddress.ip_network("10.0.0.0/30")], ["10.0.0.1", "10.0.0.2"]),
        ("10.0.0.1 10.0.0.1", ["10.0.0.1", "10.0.0.1"]),  # kept as written
    ],
)
def test_good_targets(spec: object, expected: list[str]) -> None:
    targets = parse_targets(spec)  # type: ignore[arg-type]
    assert list(targets) == expected
    assert len(targets) == len(expected)
    assert list(targets) == expected  # iterable again


def test_sizes_without_expanding() -> None:
    assert len(parse_targets("10.0.0.0/16")) == 65534
    assert len(parse_targets("10.0.0.0/8")) == 16777214
    assert len(parse_targets("10.0-255.0-255.*")) == 256**3
    assert len(parse_targets("10.0.0.0-10.0.255.255, 10.1.0.0/24")) == 65536 + 254
    assert repr(parse_targets("10.0.0.0/24")) == "<Targets: 254 hosts>"


def test_star_octet() -> None:
    hosts = list(parse_targets("10.0.0.*"))
    assert hosts[0] == "10.0.0.0" and hosts[-1] == "10.0.0.255" and len(hosts) == 256


def test_lazy_expansion() -> None:
    targets = parse_targets("10.0.0.0/8")
    first = next(iter(targets))
    assert first == "10.0.0.1"
    assert isinstance(targets, Targets)


@pytest.mark.parametrize(
    ("spec", "piece", "message"),
    [
        ("10.0.0.256", "10.0.0.256", "bad octet '256'"),
        ("10.0.0", "10.0.0", "4 octets"),
        ("10.0.0.1.5", "10.0.0.1.5", "4 octets"),
        ("10.0.0.010", "10.0.0.010", "bad octet '010'"),
        ("10.0.0.5-1", "10.0.0.5-1", "goes backwards"),
        ("10.0.0.5-10.0.0.1", "10.0.0.5-10.0.0.1", "goes backwards"),
        ("10.0.0.1-10.0.0.300", "10.0.0.1-10.0.0.300", "bad address range"),
        ("10.0.0.1-2-3", "10.0.0.1-2-3", "bad octet '1-2-3'"),
        ("10.0.0.-", "10.0.0.-", "bad octet '-'"),
        ("10.0.0.0/33", "10.0.0.0/33", "bad network"),
        ("10.0.0.0/x", "10.0.0.0/x", "bad network"),
        ("fe80::1::2", "fe80::1::2", "bad IPv6 address"),
        ("[10.0.0.1]", "10.0.0.1", "brackets are for IPv6"),
        ("rig_01.local ok 10.0.0.1 bad!host", "bad!host", "not an address"),
        ("-rig", "-rig", "not an address"),
        ("a..b", "a..b", "not an address"),
        ("http://10.0.0.1", "http://10.0.0.1", "bad network"),
        ("10.0.0.1:4028", "10.0.0.1:4028", "bad IPv6 address"),
        ("x" * 64 + ".com", "x" * 64 + ".com", "not an address"),
        ("", "", "no targets"),
        (" , ", "", "no targets"),
        ([], "", "no targets"),
        ([10], "10", "expected a str"),
        (b"10.0.0.1", "b'10.0.0.1'", "expected a str"),
    ],
)
def test_bad_targets(spec: object, piece: str, message: str) -> None:
    with pytest.raises(TargetError, match=message) as caught:
        parse_targets(spec)  # type: ignore[arg-type]
    assert caught.value.target == piece
    assert isinstance(caught.value, LocalProtocolError)
    assert isinstance(caught.value, ValueError)


def test_errors_name_the_bad_piece_among_good_ones() -> None:
    with pytest.raises(TargetError) as caught:
        parse_targets("10.0.0.0/24, 10.0.1.1-50, 10.0.2.1-300, rig7")
    assert caught.value.target == "10.0.2.1-300"
    assert "'10.0.2.1-300'" in str(caught.value)


def test_limit() -> None:
    with pytest.raises(TargetError, match="more than the limit of 1000"):
        parse_targets("10.0.0.0/22", limit=1000)
    assert len(parse_targets("10.0.0.0/22", limit=None)) == 1022
    with pytest.raises(TargetError, match="limit"):
        parse_targets("2001:db8::/64")
