"""MinerApi sans IO: request parsing, multi-command semantics, escaping quirks, E/45."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from cgapi.commands import COMMANDS
from cgapi.protocol import MultiReply, decode_reply
from cgapi.testing.api import commands_of
from tests.testing.test_api_commands import (
    FORMS,
    PERSONALITIES,
    POOL1,
    R_CLIENT,
    RIG_FEATURES,
    W_CLIENT,
    WHEN,
    Form,
    ask,
    make_api,
    multi,
    single,
)

if TYPE_CHECKING:
    from pathlib import Path

    from cgapi.testing._render.types import Personality

DESCRIPTION = {
    "cgminer": "cgminer 4.11.1",
    "sgminer": "sgminer 5.1.1",
    "bfgminer": "bfgminer 5.5.0",
    "bmminer": "bmminer 1.0.0",
}


# ---------------------------------------------------------------------------- requests


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize(
    "raw",
    [b"summary\n", b"SUMMARY", b"Summary", b" summary", b"summary ", b"", b"[1]", b"nope"],
    ids=["newline", "upper", "capital", "leading-space", "trailing-space", "empty", "array", "x"],
)
def test_unknown_or_inexact_names_are_invalid_commands(
    personality: Personality, raw: bytes
) -> None:
    reply = single(make_api(personality).handle(raw, W_CLIENT).reply)
    assert (reply.status.severity, reply.status.code, reply.status.msg) == (
        "E",
        14,
        "Invalid command",
    )


@pytest.mark.parametrize("form", FORMS)
def test_cgminer_omits_description_for_invalid_command_only(form: Form) -> None:
    api = make_api("cgminer")
    raw = ask(api, "nope", None, form)
    assert b"Description" not in raw
    assert single(raw).status.description is None
    assert single(ask(api, "version", None, form)).status.description == "cgminer 4.11.1"


@pytest.mark.parametrize("personality", ["sgminer", "bfgminer", "bmminer"])
def test_other_miners_keep_description_on_invalid_command(personality: Personality) -> None:
    reply = single(ask(make_api(personality), "nope"))
    assert reply.status.description == DESCRIPTION[personality]


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize(
    ("raw", "code", "msg"),
    [
        (b"{", 23, "Invalid JSON"),
        (b'{"command":"summary"', 23, "Invalid JSON"),
        (b'{"command":"summary"}x', 23, "Invalid JSON"),
        (b'{"command":"summary"}\x00', 23, "Invalid JSON"),
        (b'{"command":"sum\\u0000mary"}', 23, "Invalid JSON"),
        (b'{"command":"summary","parameter":"a\\u0000"}', 23, "Invalid JSON"),
        (b'{"command":"\xff"}', 23, "Invalid JSON"),
        (b'{"command":"switchpool","parameter":NaN}', 23, "Invalid JSON"),
        (b'{"command":"version","x":-Infinity}', 23, "Invalid JSON"),
        (b'{"command":"switchpool","parameter":1e400}', 23, "Invalid JSON"),
        (b"{}", 24, "Missing JSON 'command'"),
        (b'{"parameter":"0"}', 24, "Missing JSON 'command'"),
        (b'{"command":5}', 14, "Invalid command"),
        (b'{"command":null}', 14, "Invalid command"),
        (b'{"command":["summary"]}', 14, "Invalid command"),
    ],
)
def test_bad_json_requests(personality: Personality, raw: bytes, code: int, msg: str) -> None:
    handled = make_api(personality).handle(raw, W_CLIENT)
    reply = single(handled.reply)
    assert (reply.status.severity, reply.status.code, reply.status.msg) == ("E", code, msg)
    assert reply.form == "json"
    body = json.loads(handled.reply[:-1])
    assert list(body) == ["STATUS", "id"]


@pytest.mark.parametrize(
    ("parameter", "msg"),
    [
        ("1", "Switching to pool 1:"),
        (1, "Switching to pool 1:"),
        (1.9, "Switching to pool 1:"),  # "%f" -> "1.900000" -> atoi 1
        (1e-3, "Switching to pool 0:"),  # "0.001000"
        ("1e400", "Switching to pool 1:"),  # a string is used as it is
        (True, "Missing pool id parameter"),  # bools and null are no parameter
        (None, "Missing pool id parameter"),
        ([1], "Missing pool id parameter"),
    ],
)
def test_json_parameter_types(parameter: object, msg: str) -> None:
    raw = json.dumps({"command": "switchpool", "parameter": parameter}).encode()
    reply = single(make_api("cgminer").handle(raw, W_CLIENT).reply)
    assert reply.status.msg.startswith(msg)


def test_json_request_is_whitespace_and_key_order_tolerant() -> None:
    raw = b' {"command":"version"}'  # a leading space makes it a text request
    assert single(make_api("cgminer").handle(raw, W_CLIENT).reply).status.code == 14
    raw = b'{ "parameter" : "1" ,\n "command" : "switchpool" , "extra": 1 }'
    reply = single(make_api("cgminer").handle(raw, W_CLIENT).reply)
    assert reply.status.code == 27


def test_text_parameter_splits_at_the_first_bar_only() -> None:
    api = make_api("cgminer")
    reply = single(ask(api, "addpool", "stratum+tcp://a|b:1,u|v,p|q"))
    assert reply.status.code == 55
    pool = api.state.pools[-1]
    assert (pool.url, pool.user, pool.password) == ("stratum+tcp://a|b:1", "u|v", "p|q")


@pytest.mark.parametrize(("personality", "limit"), [("cgminer", 4095), ("sgminer", 8191)])
def test_the_request_is_read_in_one_recv(personality: Personality, limit: int) -> None:
    """Only the first 4095 (cg) or 8191 (sg/bfg) bytes are read."""
    param = "check|" + "v" * (limit - len("check|"))
    raw = (param + "version").encode()
    reply = single(make_api(personality).handle(raw, W_CLIENT).reply)
    assert reply.status.code == 72
    assert reply.records[0]["Exists"] == "N"


def test_when_is_the_clock_at_the_request() -> None:
    api = make_api("cgminer")
    assert single(ask(api, "version")).status.when == WHEN
    api.state.clock.now = WHEN + 61.9  # type: ignore[attr-defined]
    assert single(ask(api, "version")).status.when == WHEN + 61


# ---------------------------------------------------------------------------- multi


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize("form", FORMS)
def test_multi_command_members(personality: Personality, form: Form) -> None:
    raw = ask(make_api(personality), "summary+pools+summary++version+nope+nope", None, form)
    if form == "json":
        # unknown names repeat: duplicate keys, so read the pairs in order
        pairs = json.loads(raw[:-1], object_pairs_hook=lambda kv: kv)
        assert [key for key, _ in pairs] == ["summary", "pools", "version", "nope", "nope", "id"]
        for _key, value in pairs[:-1]:
            assert isinstance(value, list) and len(value) == 1
            assert dict(value[0])["id"] == 1
    else:
        text = raw.decode()
        heads = [part for part in text.split("|") if part.startswith("CMD=")]
        assert heads == ["CMD=summary", "CMD=pools", "CMD=version", "CMD=nope", "CMD=nope"]
    reply = multi(raw)
    assert reply["summary"].status.code == 11
    assert reply["pools"].status.code == 7
    assert reply["version"].status.code == 22
    assert reply["nope"].status.code == 14


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize("form", FORMS)
def test_multi_members_that_cannot_be_joined_are_denied(
    personality: Personality, form: Form
) -> None:
    joinable = sorted(n for n in commands_of(personality, RIG_FEATURES[personality]))
    not_joinable = [n for n in joinable if not COMMANDS[n].joinable]
    api = make_api(personality)
    for name in not_joinable:
        reply = multi(ask(api, f"version+{name}", None, form))
        assert reply[name].status.code == 45, name
        assert reply[name].status.msg == f"Access denied to '{name}' command"
    assert not api.state.saves  # nothing ran


@pytest.mark.parametrize("personality", ["cgminer", "sgminer"])
def test_multi_joinable_but_privileged_lockstats(personality: Personality) -> None:
    reply = multi(ask(make_api(personality), "summary+lockstats", client=R_CLIENT))
    assert reply["lockstats"].status.code == 45
    reply = multi(ask(make_api(personality), "summary+lockstats", client=W_CLIENT))
    assert reply["lockstats"].status.code == 124


def test_multi_drops_parameters() -> None:
    api = make_api("cgminer")
    reply = multi(api.handle(b"pools+summary|0", W_CLIENT).reply)
    assert set(reply) == {"pools", "summary"}
    raw = json.dumps({"command": "check+version", "parameter": "summary"}).encode()
    assert multi(api.handle(raw, W_CLIENT).reply)["check"].status.code == 45


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_all_blank_multi_sends_only_the_trailer(personality: Personality) -> None:
    api = make_api(personality)
    assert api.handle(b"+", W_CLIENT).reply == b"\x00"
    assert api.handle(b"++", W_CLIENT).reply == b"\x00"
    assert api.handle(b'{"command":"+"}', W_CLIENT).reply == b',"id":1}\x00'
    degenerate = decode_reply(b',"id":1}\x00')
    assert isinstance(degenerate, MultiReply) and len(degenerate) == 0


def test_multi_escapes_member_names() -> None:
    raw = ask(make_api("cgminer"), 'summary+a"b', None, "json")
    assert b'"a\\"b":[' in raw
    raw = ask(make_api("cgminer"), "summary+a=b,c", None, "text")
    assert b"CMD=a\\=b\\,c|" in raw


def test_multi_cgminer_invalid_member_has_no_description() -> None:
    raw = ask(make_api("cgminer"), "version+nope")
    assert b"CMD=nope|STATUS=E,When=1700000000,Code=14,Msg=Invalid command|" in raw


# ---------------------------------------------------------------------------- access


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize("form", FORMS)
def test_read_only_clients_are_denied_every_privileged_command(
    personality: Personality, form: Form
) -> None:
    api = make_api(personality)
    privileged = sorted(
        n for n in commands_of(personality, RIG_FEATURES[personality]) if COMMANDS[n].privileged
    )
    assert "privileged" in privileged
    for name in privileged:
        reply = single(ask(api, name, "0", form, client=R_CLIENT))
        status = reply.status
        assert (status.severity, status.code) == ("E", 45), name
        assert status.msg == f"Access denied to '{name}' command"
        assert status.description == DESCRIPTION[personality]
    assert api.state.current_index == 0 and len(api.state.pools) == 2


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_an_address_not_allowed_gets_zero_bytes(personality: Personality) -> None:
    api = make_api(personality)
    handled = api.handle(b"version", "192.168.1.1")
    assert (handled.reply, handled.action) == (b"", None)


# ---------------------------------------------------------------------------- quirks


@pytest.mark.parametrize("form", FORMS)
def test_cgminer_setconfig_sends_two_status_objects(form: Form) -> None:
    raw = ask(make_api("cgminer"), "setconfig", "Queue", form)
    reply = single(raw)
    assert [(s.code, s.msg) for s in reply.statuses] == [
        (127, "Deprecated config option 'Queue'"),
        (83, "Unknown config 'Queue'"),
    ]
    if form == "json":
        assert b'}]{"STATUS":[{' in raw  # not valid JSON (NOTES 12)
        with pytest.raises(ValueError):
            json.loads(raw[:-1])
    else:
        assert raw.count(b"STATUS=E") == 2


@pytest.mark.parametrize("form", FORMS)
def test_cgminer_dbgstats_status_is_fatal(form: Form) -> None:
    raw = ask(make_api("cgminer"), "dbgstats", None, form)
    reply = single(raw)
    assert (reply.status.severity, reply.status.code, reply.status.msg) == ("F", -1, "126")
    assert reply.status.description == "cgminer 4.11.1"
    ids = [record["ID"] for record in reply.records]
    assert ids == ["BTM0", "BTM1", "BFL0", "POOL0", "POOL1"]


@pytest.mark.parametrize("form", FORMS)
def test_sgminer_profiles_answer_under_pools(form: Form) -> None:
    api = make_api("sgminer")
    assert single(ask(api, "addprofile", "p1:x11", form)).status.code == 133
    raw = ask(api, "profiles", None, form)
    reply = single(raw)
    assert (reply.status.code, reply.status.msg) == (129, "1 Profile(s)")
    if form == "json":
        assert list(json.loads(raw[:-1])) == ["STATUS", "POOLS", "id"]
    assert [(r["PROFILE"], r["Name"]) for r in reply.records] in (
        [(0, "p1"), (1, "default")],
        [("0", "p1"), ("1", "default")],
    )


@pytest.mark.parametrize("form", FORMS)
def test_bfgminer_devdetails_answer_under_devs(form: Form) -> None:
    raw = ask(make_api("bfgminer"), "devdetails", None, form)
    if form == "json":
        body = json.loads(raw[:-1])
        assert list(body) == ["STATUS", "DEVS", "id"]
        assert [list(r)[:4] for r in body["DEVS"]] == [
            ["DEVDETAILS", "Name", "ID", "Processors"]
        ] * 3
    else:
        assert raw.count(b"|DEVDETAILS=") == 3


@pytest.mark.parametrize(
    ("personality", "form", "url", "expected"),
    [
        # PARAM_BOTH with escape_string(url): escaped once, then Msg is escaped again
        ("cgminer", "text", "a,b=c", "Msg=Removed pool 1:'a\\\\\\,b\\\\\\=c'"),
        ("cgminer", "json", 'a"b\\c', '"Msg":"Removed pool 1:\'a\\\\\\"b\\\\\\\\c\'"'),
        ("bfgminer", "text", "a|b", "Msg=Removed pool 1:'a\\\\\\|b'"),
    ],
)
def test_removepool_msg_is_escaped_twice(
    personality: Personality, form: Form, url: str, expected: str
) -> None:
    api = make_api(personality, pools=["stratum+tcp://first:1", url])
    raw = ask(api, "removepool", "1", form)
    assert expected.encode() in raw


@pytest.mark.parametrize("form", FORMS)
def test_save_msg_is_escaped_twice(form: Form, tmp_path: Path) -> None:
    api = make_api("cgminer", save_dir=tmp_path)
    raw = ask(api, "save", "a,b.conf", form)
    if form == "text":
        assert b"Msg=Configuration saved to file 'a\\\\\\,b.conf'" in raw
    else:
        assert b'"Msg":"Configuration saved to file \'a,b.conf\'"' in raw
    assert (tmp_path / "a,b.conf").exists()


@pytest.mark.parametrize(
    ("personality", "form", "expected"),
    [
        ("cgminer", "text", "Msg=Added pool 2: 'a\\,b'"),  # PARAM_POOL: escaped once
        ("cgminer", "json", '"Msg":"Added pool 2: \'a,b\'"'),
        ("sgminer", "text", "Msg=Added pool 'a\\\\\\,b'"),  # pre-escaped: twice
        ("bfgminer", "text", "Msg=Added pool 'a\\\\\\,b'"),
        ("bfgminer", "json", '"Msg":"Added pool \'a,b\'"'),
    ],
)
def test_addpool_msg_escaping(personality: Personality, form: Form, expected: str) -> None:
    raw = ask(make_api(personality), "addpool", "a\\,b,u,p", form)
    assert expected.encode() in raw


def test_addpool_failure_msg_is_escaped_twice_in_json_too() -> None:
    raw = ask(make_api("cgminer"), "addpool", 'only"one', "json")
    assert b'"Msg":"Invalid addpool details \'only\\\\\\"one\'"' in raw


def test_addpool_proxy_prefix() -> None:
    """`<type><proxy>|<url>` (cgminer get_proxy): sg/bfg print what is left before '|'."""
    given = "socks5:proxy.lan:1080|stratum+tcp://pool.example.com:3333"
    api = make_api("cgminer")
    assert single(ask(api, "addpool", f"{given},u,p")).status.msg == (
        "Added pool 2: 'stratum+tcp://pool.example.com:3333'"
    )
    pool = single(ask(api, "pools", None, "json")).records[-1]
    assert (pool["URL"], pool["Proxy Type"], pool["Proxy"], pool["Has Stratum"]) == (
        "stratum+tcp://pool.example.com:3333",
        "socks5:",
        "proxy.lan:1080",
        False,  # detect_stratum() saw the whole string
    )
    sg = make_api("sgminer")
    assert single(ask(sg, "addpool", f"{given},u,p")).status.msg == (
        "Added pool 'socks5:proxy.lan:1080'"
    )


def test_pool_ids_follow_the_parameter_not_the_name() -> None:
    reply = single(ask(make_api("cgminer"), "enablepool", "1abc"))
    assert reply.status.msg == f"Pool 1:'{POOL1}' already enabled"
