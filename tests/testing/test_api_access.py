"""--api-allow / --api-groups as the miners apply them, and `privileged`/`check` agreeing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cgapi.commands import COMMANDS
from cgapi.testing.access import AccessConfigError, AccessControl, parse_allow, parse_groups
from cgapi.testing.api import commands_of
from tests.testing.test_api_commands import (
    FORMS,
    PERSONALITIES,
    RIG_FEATURES,
    Form,
    ask,
    make_api,
    single,
)

if TYPE_CHECKING:
    from cgapi.testing._render.types import Personality

CG_COMMANDS = commands_of("cgminer", RIG_FEATURES["cgminer"])
CG_PRIVILEGED = frozenset(n for n in CG_COMMANDS if COMMANDS[n].privileged)


def control(
    allow: str | None, groups: str | None = None, *, network: bool = False, ipv6: bool = True
) -> AccessControl:
    return AccessControl(
        CG_COMMANDS, CG_PRIVILEGED, allow=allow, groups=groups, network=network, ipv6=ipv6
    )


@pytest.mark.parametrize(
    ("allow", "client", "group"),
    [
        ("W:127.0.0.1,R:10.0.0.0/8", "127.0.0.1", "W"),
        ("W:127.0.0.1,R:10.0.0.0/8", "10.200.3.4", "R"),
        ("W:127.0.0.1,R:10.0.0.0/8", "11.0.0.1", None),
        ("W:127.0.0.1,R:10.0.0.0/8", "127.0.0.2", None),  # no prefix: exactly one host
        # first match wins, whatever comes later
        ("R:127.0.0.1,W:127.0.0.1", "127.0.0.1", "R"),
        ("R:10.0.0.0/8,W:10.1.2.3", "10.1.2.3", "R"),
        ("W:10.1.2.3,R:10.0.0.0/8", "10.1.2.3", "W"),
        # no group letter: R; group letters are case-insensitive
        ("127.0.0.1", "127.0.0.1", "R"),
        ("w:127.0.0.1", "127.0.0.1", "W"),
        # a group that --api-groups does not define silently becomes R
        ("P:127.0.0.1", "127.0.0.1", "R"),
        # 0/0 is everyone
        ("0/0", "203.0.113.9", "R"),
        ("W:0/0", "::1", "W"),
        # short IPv4 addresses are padded with .0
        ("W:10.0.0/24", "10.0.0.77", "W"),
        ("W:10.0.0/24", "10.0.1.77", None),
        ("W:192.168/16", "192.168.44.1", "W"),
        ("W:10/8", "10.9.9.9", "W"),
        # prefixes
        ("W:192.168.1.0/24", "192.168.1.254", "W"),
        ("W:192.168.1.0/24", "192.168.2.1", None),
        ("W:192.168.1.77/24", "192.168.1.3", "W"),  # host bits are masked off
        ("R:0.0.0.0/1", "127.255.255.255", "R"),
        ("R:0.0.0.0/1", "128.0.0.1", None),
        # invalid entries are skipped, the rest still apply
        ("W:10.0.0.1/0,R:127.0.0.1", "127.0.0.1", "R"),
        ("W:10.0.0.1/33,W:127.0.0.1", "127.0.0.1", "W"),
        ("W:300.1.1.1,R:127.0.0.1", "127.0.0.1", "R"),
        ("W:127.0.0.1 ,R:127.0.0.1", "127.0.0.1", "R"),  # a trailing blank: invalid address
        (" \tW:127.0.0.1,,R:10.0.0.1", "127.0.0.1", "W"),  # leading blanks, empty entries
        # IPv4-mapped clients match IPv4 entries
        ("W:127.0.0.1", "::ffff:127.0.0.1", "W"),
    ],
)
def test_allow_matrix(allow: str, client: str, group: str | None) -> None:
    assert control(allow).group_of(client) == group


def test_undefined_group_comes_alive_with_api_groups() -> None:
    access = control("P:127.0.0.1,Q:10.0.0.1", groups="P:switchpool:summary")
    assert access.group_of("127.0.0.1") == "P"
    assert access.group_of("10.0.0.1") == "R"


def test_no_allow_list() -> None:
    local = control(None)
    assert local.group_of("127.0.0.1") == "R"
    assert local.group_of("::1") == "R"  # cgminer: IN6_IS_ADDR_LOOPBACK
    assert local.group_of("192.168.1.9") is None
    assert control(None, ipv6=False).group_of("::1") is None  # sg/bfg: IPv4 only
    network = control(None, network=True)
    assert network.group_of("192.168.1.9") == "R"
    assert not network.may_use("R", "privileged")


@pytest.mark.parametrize("allow", ["W:10.0.0.1/0,bogus", "  W:127.0.0.1 , ", ""])
def test_an_allow_list_with_no_valid_entry_refuses_to_start(allow: str) -> None:
    with pytest.raises(AccessConfigError):
        control(allow)


@pytest.mark.parametrize(
    "groups",
    ["R:summary", "W:summary", "P:summary,P:pools", "P:nosuchcommand", "PQ:summary", "1:summary"],
)
def test_bad_groups_refuse_to_start(groups: str) -> None:
    with pytest.raises(AccessConfigError):
        parse_groups(groups, CG_COMMANDS, CG_PRIVILEGED)


def test_groups_membership() -> None:
    groups = parse_groups("P:switchpool:ENABLEPOOL:*,Q:summary", CG_COMMANDS, CG_PRIVILEGED)
    non_privileged = CG_COMMANDS - CG_PRIVILEGED
    assert groups["P"] == non_privileged | {"switchpool", "enablepool"}
    assert groups["Q"] == {"summary"}
    access = control("P:127.0.0.1,Q:10.0.0.1", groups="P:switchpool:ENABLEPOOL:*,Q:summary")
    assert access.may_use("P", "switchpool")
    assert not access.may_use("P", "addpool")
    assert access.may_use("P", "devs")
    assert access.may_use("Q", "summary")
    assert not access.may_use("Q", "devs")
    assert all(access.may_use("W", name) for name in CG_COMMANDS)
    assert {n for n in CG_COMMANDS if access.may_use("R", n)} == non_privileged


def test_parse_allow_keeps_valid_entries_in_order() -> None:
    entries = parse_allow("W:127.0.0.1, R:10.0.0/24,X:1.2.3.4,bad", {"R", "W"})
    assert [(e.group, str(e.network)) for e in entries] == [
        ("W", "127.0.0.1/32"),
        ("R", "10.0.0.0/24"),
        ("R", "1.2.3.4/32"),
    ]


# ---------------------------------------------------------------------------- end to end


GROUPS = "P:switchpool:privileged:*,Q:summary"
CLIENTS = {"W": "127.0.0.1", "R": "10.0.0.2", "P": "10.0.0.3", "Q": "10.0.0.4"}
ALLOW = "W:127.0.0.1,P:10.0.0.3,Q:10.0.0.4,R:10.0.0.0/8"


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("group", sorted(CLIENTS))
def test_privileged_and_check_agree_with_may_use(
    personality: Personality, form: Form, group: str
) -> None:
    api = make_api(personality, allow=ALLOW, groups=GROUPS)
    client = CLIENTS[group]
    assert api.access.group_of(client) == group
    reply = single(ask(api, "privileged", None, form, client=client))
    if api.access.may_use(group, "privileged"):
        assert (reply.status.severity, reply.status.code) == ("S", 46)
        assert reply.status.msg == "Privileged access OK"
    else:
        assert (reply.status.code, reply.status.msg) == (
            45,
            "Access denied to 'privileged' command",
        )
    check_allowed = api.access.may_use(group, "check")
    for name in sorted(api.commands) + ["nosuchcommand", "Summary"]:
        reply = single(ask(api, "check", name, form, client=client))
        if not check_allowed:
            assert reply.status.code == 45
            continue
        assert reply.status.code == 72
        record = reply.records[0]
        exists = name in api.commands
        assert record["Exists"] == ("Y" if exists else "N")
        assert record["Access"] == ("Y" if exists and api.access.may_use(group, name) else "N")


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_group_commands_run_or_are_denied(personality: Personality) -> None:
    api = make_api(personality, allow=ALLOW, groups=GROUPS)
    p_client = CLIENTS["P"]
    assert single(ask(api, "switchpool", "1", client=p_client)).status.code == 27
    assert single(ask(api, "devs", client=p_client)).status.code == 9  # via '*'
    denied = single(ask(api, "addpool", "a,b,c", client=p_client))
    assert (denied.status.code, denied.status.msg) == (45, "Access denied to 'addpool' command")
    q_client = CLIENTS["Q"]
    assert single(ask(api, "summary", client=q_client)).status.code == 11
    assert single(ask(api, "pools", client=q_client)).status.code == 45
    assert api.handle(b"summary", "192.0.2.1").reply == b""


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_without_allow_nobody_is_privileged(personality: Personality) -> None:
    api = make_api(personality, allow=None)
    assert single(ask(api, "privileged", client="127.0.0.1")).status.code == 45
    assert single(ask(api, "summary", client="127.0.0.1")).status.code == 11
    assert api.handle(b"summary", "10.0.0.2").reply == b""
