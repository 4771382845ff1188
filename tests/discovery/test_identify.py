"""Naming the software from replies, table-driven over the real captures in tests/fixtures."""

from __future__ import annotations

import pytest

from cgapi.protocol import Reply, decode_reply
from cgapi.scan import Identity, identify
from tests.conftest import Capture, captures

CAPTURES = {capture.name: capture for capture in captures()}

# What `version` answers: the reply a scan reads. (software, version, API, model)
VERSION_REPLIES = {
    "avalon/avalon1566-fw24102401-version.json": (
        "avalon",
        "4.11.1",
        "3.7",
        "AvalonMiner 15-194",
    ),
    "avalon/avalon10xx-version-doc.txt": ("avalon", "4.11.1", "3.7", "AvalonMiner 10xx"),
    "bmminer/antminer-s9-version.json": ("bmminer", "2.0.0", "3.1", "Antminer S9"),
    "bmminer/mskminer-s19-nopic-2.6.0.39-version.json": (
        "bmminer",
        "4.11.1 rwglr",
        "3.1",
        "S19-88 v.2.6.0.39",
    ),
    "ccminer-hammer/hammer-d10-fw2023-05-28-version.json": (
        "ccminer",
        "2.3.3",
        "3.1",
        "Hammer D10",
    ),
    "luxminer/luxos-version.json": ("LuxOS", "2000.1.1.12345-aaabbbc", "3.7", "A model"),
    "sgminer/sgminer-4.1.0-version.txt": ("sgminer", "4.1.0", "3.1", None),
    "teamredminer/trm-0.10.7-version.txt": ("TeamRedMiner", "0.10.7", "4.0", None),
}

# Bitmain-style `stats` start with the same header as `version` (CGMiner/BMMiner, Miner, Type).
STATS_HEADERS = {
    "bmminer/antminer-s9-stats-missing-comma.json": ("bmminer", "2.0.0", "Antminer S9"),
    "bmminer/antminer-s17pro-stats.json": ("bmminer", "4.9.0", "Antminer S17 Pro"),
    "bmminer/antminer-s19jpro-stats.txt": ("bmminer", "1.0.0", "Antminer S19j Pro"),
    "bmminer/antminer-s9-braiinsos-legacy-stats.json": (
        "bmminer",
        "bOS_am1-s9-20190124-0_d3cc7c87",
        "braiins-am1-s9",
    ),
    "cgminer/antminer-s7-stats-missing-comma.json": ("cgminer", "4.8.0", "Antminer S7"),
    "vnish/antminer-s17-vnish-0.9.2-stats.json": (
        "vnish",
        "0.9.2-alpha",
        "Antminer S17 (vnish 0.9.2-alpha)",
    ),
    "ccminer-hammer/hammer-d10-fw2023-05-28-stats.json": ("ccminer", "2.3.3", "Hammer D10"),
    "bosminer/s17-bosplus-0.8.0-stats.json": ("BOSminer", "0.8.0-feaec278", None),
}

# SOURCES.tsv `software` column -> the name identify() gives.
FOLDER_NAMES = {
    "avalon": "avalon",
    "bfgminer": "bfgminer",
    "bmminer": "bmminer",
    "bosminer": "BOSminer",
    "btminer": "btminer",
    "ccminer-hammer": "ccminer",
    "cgminer": "cgminer",
    "cpuminer-asic": "cpuminer",
    "luxminer": "LuxOS",
    "sgminer": "sgminer",
    "teamredminer": "TeamRedMiner",
    "vnish": "vnish",
}

# Replies that do not carry the firmware's name: only STATUS says "cgminer x.y".
NOT_TOLD = {
    "avalon/avalon1566-fw24102401-devs.json": "cgminer",
    "avalon/avalon1566-fw24102401-pools.json": "cgminer",
    "avalon/avalon1566-fw24102401-stats.json": "cgminer",
    "avalon/avalon10xx-pools-doc.txt": "cgminer",
    "avalon/avalon10xx-estats-doc.txt": "cgminer",
    "avalon/avalon10xx-ascset-led-query-info-doc.txt": "cgminer",
    "avalon/avalon10xx-ascset-led-set-ok-doc.txt": "cgminer",
    "avalon/avalon10xx-ascset-setpool-multiline-msg-doc.txt": "cgminer",
    "avalon/avalon10xx-ascset-hashpower-off-doc.txt": "cgminer",
    "avalon/avalon10xx-ascset-hashpower-query-doc.txt": "cgminer",
    "avalon/avalon10xx-summary-doc-no-status.txt": "unknown",
    "bfgminer/bfgminer-3.2.0-quit-BYE.txt": "unknown",
    "bmminer/antminer-s19jpro-summary.txt": "cgminer",
    "bmminer/antminer-s19jpro-pools.txt": "cgminer",
    "bmminer/antminer-s19jpro-devs.txt": "cgminer",
    "btminer/whatsminer-summary-cgminer-4.9.2.json": "cgminer",
}


def first_reply(capture: Capture) -> Reply:
    decoded = decode_reply(capture.read())
    return decoded if isinstance(decoded, Reply) else next(iter(decoded.values()))


@pytest.mark.parametrize("name", sorted(VERSION_REPLIES))
def test_version_replies(name: str) -> None:
    reply = first_reply(CAPTURES[name])
    software, version, api, model = VERSION_REPLIES[name]
    identity = identify(reply)
    assert identity == Identity(software, version, api, model, reply.status.description)


@pytest.mark.parametrize("name", sorted(STATS_HEADERS))
def test_stats_headers(name: str) -> None:
    identity = identify(first_reply(CAPTURES[name]))
    assert (identity.software, identity.version, identity.model) == STATS_HEADERS[name]


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_every_capture(name: str) -> None:
    capture = CAPTURES[name]
    expected = NOT_TOLD.get(name, FOLDER_NAMES[capture.software])
    assert identify(first_reply(capture)).software == expected


def test_every_folder_is_named() -> None:
    assert {capture.software for capture in CAPTURES.values()} == set(FOLDER_NAMES)
    assert set(NOT_TOLD) <= set(CAPTURES)


def test_unrecognised_description_gives_its_first_word() -> None:
    reply = decode_reply(b"STATUS=S,When=1,Code=22,Msg=versions,Description=newminer 1.2|\0")
    assert isinstance(reply, Reply)
    assert identify(reply) == Identity("newminer", "1.2", None, None, "newminer 1.2")


def test_name_found_only_in_the_raw_bytes() -> None:
    # Not a capture: a reply shape the decoder cannot map to STATUS fields.
    raw = b'{"STATUS":"S","Msg":{"api_ver":"whatsminer v1.3"}}'
    reply = decode_reply(raw)
    assert isinstance(reply, Reply)
    assert identify(reply).software == "btminer"
