"""Decoding rules and firmware repairs, each pinned to a capture or to SPEC."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cgapi.errors import CgapiError, RemoteProtocolError, ReplyTooLarge
from cgapi.protocol import MultiReply, Reply, ReplyBuffer, decode_reply
from tests.conftest import FIXTURES

STATUS_JSON = (
    '{"STATUS":"S","When":1545000000,"Code":22,"Msg":"CGMiner versions",'
    '"Description":"cgminer 4.11.1"}'
)


def single(data: bytes) -> Reply:
    reply = decode_reply(data)
    assert isinstance(reply, Reply)
    return reply


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- framing ---------------------------------------------------------------------------------


def test_nul_ends_the_reply_and_later_bytes_are_ignored() -> None:
    data = b'{"STATUS":[' + STATUS_JSON.encode() + b'],"id":1}\x00\x00\n'
    assert single(data).status.code == 22


def test_embedded_nul_bytes_are_removed() -> None:
    data = b'{"STATUS":[' + STATUS_JSON.encode() + b'],\x00"id":1}'
    reply = single(data)
    assert reply.status.code == 22
    assert "nul-bytes" in reply.repairs


def test_reply_buffer_caps_size() -> None:
    buffer = ReplyBuffer(max_size=10)
    assert buffer.feed(b"12345") is False
    with pytest.raises(ReplyTooLarge):
        buffer.feed(b"678901")


def test_reply_buffer_stops_at_nul() -> None:
    buffer = ReplyBuffer()
    assert buffer.feed(b"abc\x00def") is True
    assert buffer.data == b"abc"
    assert buffer.feed(b"more") is True
    assert buffer.data == b"abc"


def test_decode_caps_size() -> None:
    with pytest.raises(ReplyTooLarge):
        decode_reply(b"x" * 101, max_size=100)


def test_empty_reply_is_a_remote_protocol_error() -> None:
    with pytest.raises(RemoteProtocolError):
        decode_reply(b"\x00")


# --- STATUS ----------------------------------------------------------------------------------


def test_status_fields() -> None:
    reply = single(
        b'{"STATUS":[' + STATUS_JSON.encode() + b'],"VERSION":[{"CGMiner":"4.11.1",'
        b'"API":"3.7"}],"id":1}\x00'
    )
    assert reply.status.severity == "S"
    assert reply.status.when == 1545000000
    assert reply.status.msg == "CGMiner versions"
    assert reply.status.description == "cgminer 4.11.1"
    assert reply.sections == {"VERSION": [{"CGMiner": "4.11.1", "API": "3.7"}]}


def test_code_14_without_description_cgminer_4_11() -> None:
    reply = single(b'{"STATUS":[{"STATUS":"E","When":1,"Code":14,"Msg":"Invalid command"}],"id":1}')
    assert reply.status.description is None
    assert reply.status.is_error


def test_text_code_14_without_description() -> None:
    reply = single(b"STATUS=E,When=1,Code=14,Msg=Invalid command|\x00")
    assert (reply.status.code, reply.status.description) == (14, None)


def test_fatal_minus_one_dbgstats() -> None:
    reply = single(b"STATUS=F,When=1,Code=-1,Msg=126,Description=cgminer 4.11.1|\x00")
    assert (reply.status.severity, reply.status.code, reply.status.msg) == ("F", -1, "126")


@pytest.mark.parametrize(
    "data",
    [b"BYE\x00", b"RESTART\x00", b'{"STATUS":"BYE","id":1}\x00', b'{"BYE","id":1}\x00'],
    ids=["text-bye", "text-restart", "json-bye", "old-json-bye"],
)
def test_quit_and_restart_without_status(data: bytes) -> None:
    reply = single(data)
    assert reply.status.msg in ("BYE", "RESTART")
    assert reply.status.code is None
    assert not reply.status.is_error


def test_bfgminer_bye_capture() -> None:
    assert single(fixture("bfgminer/bfgminer-3.2.0-quit-BYE.txt")).status.msg == "BYE"


def test_setconfig_two_status_objects_json() -> None:
    # cgminer 4.11 setconfig|queue: message() runs twice (NOTES 12).
    data = (
        b'{"STATUS":[{"STATUS":"E","When":1,"Code":127,"Msg":"Deprecated config option '
        b'\'queue\'","Description":"cgminer 4.11.1"}]'
        b'{"STATUS":[{"STATUS":"E","When":1,"Code":83,"Msg":"Unknown config \'queue\'",'
        b'"Description":"cgminer 4.11.1"}],"id":1}\x00'
    )
    with pytest.raises(ValueError):
        json.loads(data.rstrip(b"\x00"))
    reply = single(data)
    assert [status.code for status in reply.statuses] == [127, 83]
    assert "status-join" in reply.repairs


def test_setconfig_two_status_sections_text() -> None:
    data = (
        b"STATUS=E,When=1,Code=127,Msg=Deprecated config option 'queue',Description=cgminer"
        b" 4.11.1|STATUS=E,When=1,Code=83,Msg=Unknown config 'queue',Description=cgminer"
        b" 4.11.1|\x00"
    )
    assert [status.code for status in single(data).statuses] == [127, 83]


# --- text grammar ----------------------------------------------------------------------------


def test_text_bare_label_and_list_records() -> None:
    reply = single(
        b"STATUS=S,When=1,Code=11,Msg=Summary,Description=cgminer 4.11.1|"
        b"SUMMARY,Elapsed=10,MHS av=1.00|\x00"
    )
    assert reply.sections == {"SUMMARY": [{"Elapsed": "10", "MHS av": "1.00"}]}
    reply = single(b"STATUS=S,When=1,Code=7,Msg=2 Pool(s),Description=x|POOL=0,URL=a|POOL=1,URL=b|")
    assert reply.sections == {"POOL": [{"POOL": "0", "URL": "a"}, {"POOL": "1", "URL": "b"}]}


def test_text_unescapes_values() -> None:
    reply = single(
        b"STATUS=S,When=1,Code=7,Msg=1 Pool(s),Description=x|POOL=0,URL=a\\,b\\|c\\=d\\\\e,User=u|"
    )
    assert reply.records[0]["URL"] == "a,b|c=d\\e"
    assert reply.records[0]["User"] == "u"


def test_text_without_trailing_pipe() -> None:
    reply = single(b"STATUS=S,When=1,Code=11,Msg=Summary,Description=x|SUMMARY,Elapsed=3")
    assert reply.records == [{"Elapsed": "3"}]


def test_duplicate_keys_are_kept() -> None:
    reply = single(fixture("bfgminer/bfgminer-5.4.2-devs-1pga-bfl.txt"))
    record = reply.records[0]
    assert record["Hardware Errors"] == "1094474"
    assert record.duplicates == (("Hardware Errors", "0"),)
    json_reply = single(
        b'{"STATUS":[' + STATUS_JSON.encode() + b'],"STATS":[{"A":1,"A":2}],"id":1}'
    )
    assert json_reply.records[0]["A"] == 1
    assert json_reply.records[0].duplicates == (("A", 2),)


def test_s19_leading_commas_and_unlabelled_version_record() -> None:
    reply = single(fixture("bmminer/antminer-s19jpro-stats.txt"))
    assert list(reply.sections) == ["STATS"]
    version, stats = reply.records
    assert version["BMMiner"] == "1.0.0"
    assert stats["STATS"] == "0" and stats["ID"] == "BTM_SOC0"
    assert stats["chain_acs4"] == ""
    pools = single(fixture("bmminer/antminer-s19jpro-pools.txt"))
    assert [pool["POOL"] for pool in pools.records] == ["0", "1", "2"]
    assert "Pool Stale%%" in pools.records[0]


def test_teamredminer_newline_sections() -> None:
    reply = single(fixture("teamredminer/trm-0.10.7-stats.txt"))
    assert [record["ID"] for record in reply.records] == ["GPU0", "POOL0"]
    assert "newline-sections" in reply.repairs
    pools = single(fixture("teamredminer/trm-0.10.7-pools.txt"))
    assert pools.records[0]["Description"] == ""
    assert pools.status.description == "TeamRedMiner 0.10.7"


def test_avalon_multiline_msg_is_one_field() -> None:
    reply = single(fixture("avalon/avalon10xx-ascset-setpool-multiline-msg-doc.txt"))
    assert reply.status.msg.startswith("ASC 0 set info:\npool success")
    assert reply.status.msg.endswith("config work.\n")
    assert reply.status.description == "cgminer 4.11.1"


def test_avalon_space_after_pipe_and_summary_without_status() -> None:
    version = single(fixture("avalon/avalon10xx-version-doc.txt"))
    assert version.sections["VERSION"][0]["PROD"] == "AvalonMiner 10xx"
    summary = single(fixture("avalon/avalon10xx-summary-doc-no-status.txt"))
    assert summary.status.code is None and "no-status" in summary.repairs
    assert summary.records[0]["Elapsed"] == "17994"


def test_text_garbage_is_rejected() -> None:
    with pytest.raises(RemoteProtocolError) as caught:
        decode_reply(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    assert caught.value.raw.startswith(b"HTTP/1.1")


# --- JSON repairs ----------------------------------------------------------------------------

BROKEN_JSON = [
    pytest.param(b'"NaN":nan,"M":-nan,"I":inf,"J":-inf', "nonfinite", id="nan-inf"),
    pytest.param(b'"A":1,', "trailing-comma", id="trailing-comma-object"),
    pytest.param(b'"A":[1,],"B":2', "trailing-comma", id="trailing-comma-array"),
    pytest.param(b'"A":[,{"x":1}]', "leading-comma", id="leading-comma"),
    pytest.param(b'"A":1,,"B":2', "double-comma", id="double-comma"),
    pytest.param(b'"H":0x0000a', "hex", id="sgminer-hex32"),
    pytest.param(b'"P":"C:\\dev\\x"', "bad-escape", id="bad-escape"),
]


@pytest.mark.parametrize(("fields", "repair"), BROKEN_JSON)
def test_json_repairs(fields: bytes, repair: str) -> None:
    data = b'{"STATUS":[' + STATUS_JSON.encode() + b'],"STATS":[{' + fields + b'}],"id":1}\x00'
    reply = single(data)
    assert repair in reply.repairs
    assert reply.records


def test_nan_values() -> None:
    data = b'{"STATUS":[' + STATUS_JSON.encode() + b'],"SUMMARY":[{"MHS av":nan}],"id":1}'
    assert math.isnan(single(data).records[0]["MHS av"])


def test_missing_comma_capture_and_strings_untouched() -> None:
    data = fixture("bmminer/antminer-s9-stats-missing-comma.json")
    reply = single(data)
    assert reply.repairs == ("missing-comma",)
    version, stats = reply.records
    assert "BMMiner" in version and stats["STATS"] == 0
    tricky = b'{"STATUS":[' + STATUS_JSON.encode() + b'],"STATS":[{"s":"}{ nan ,}"}{"x":1}],"id":1}'
    assert single(tricky).records[0]["s"] == "}{ nan ,}"


def test_raw_control_characters_in_strings() -> None:
    data = b'{"STATUS":[' + STATUS_JSON.encode() + b'],"DEVS":[{"Model":"a\nb\tc\x01"}],"id":1}'
    assert single(data).records[0]["Model"] == "a\nb\tc\x01"


def test_invalid_utf8_is_replaced() -> None:
    data = b'{"STATUS":[' + STATUS_JSON.encode() + b'],"DEVS":[{"Model":"\xff\xfe"}],"id":1}'
    reply = single(data)
    assert reply.records[0]["Model"] == "\ufffd\ufffd"
    assert "invalid-utf8" in reply.repairs


def test_unrepairable_json_keeps_raw_bytes() -> None:
    data = b'{"STATUS":[{"STATUS":"S"'
    with pytest.raises(RemoteProtocolError) as caught:
        decode_reply(data)
    assert caught.value.raw == data


def test_old_cgminer_truncated_reply_is_flagged() -> None:
    reply = single(b'{"STATUS":[' + STATUS_JSON.encode() + b'],"id":0}')
    assert reply.truncated


# --- multi-command ---------------------------------------------------------------------------

SUB = '{"STATUS":[' + STATUS_JSON + '],"VERSION":[{"CGMiner":"4.11.1"}],"id":1}'


def test_json_multi_real_shape_one_element_lists() -> None:
    data = ('{"version":[' + SUB + '],"summary":[' + SUB + '],"id":1}').encode()
    reply = decode_reply(data, commands=["version", "summary", "pools"])
    assert isinstance(reply, MultiReply)
    assert list(reply) == ["version", "summary"]
    assert reply.missing == ("pools",)
    assert reply["version"].records == [{"CGMiner": "4.11.1"}]


def test_json_multi_readme_object_shape() -> None:
    data = ('{"version":' + SUB + ',"id":1}').encode()
    reply = decode_reply(data)
    assert isinstance(reply, MultiReply)
    assert reply["version"].status.code == 22


def test_text_multi() -> None:
    data = (
        b"CMD=summary|STATUS=S,When=1,Code=11,Msg=Summary,Description=x|SUMMARY,Elapsed=5|"
        b"CMD=pools|STATUS=S,When=1,Code=7,Msg=1 Pool(s),Description=x|POOL=0,URL=u|\x00"
    )
    reply = decode_reply(data, commands=["summary", "pools"])
    assert isinstance(reply, MultiReply)
    assert reply["summary"].records == [{"Elapsed": "5"}]
    assert reply["pools"].records[0]["URL"] == "u"
    assert reply.missing == ()


def test_bosminer_multi_with_unrequested_member() -> None:
    data = fixture("bosminer/s17-bosplus-0.8.0-multi-temps+devs+fans.json")
    reply = decode_reply(data, commands=["temps", "devs", "fans"])
    assert isinstance(reply, MultiReply)
    assert reply.unrequested == ("devdetails",)
    assert reply.missing == ()


def test_all_blank_multi_degenerate_reply() -> None:
    reply = decode_reply(b',"id":1}\x00')
    assert isinstance(reply, MultiReply) and len(reply) == 0


def test_whole_multi_rejected_is_a_single_reply() -> None:
    reply = decode_reply(fixture("cgminer/cgminer-3.7.2-gc3355-error-invalid-command.json"))
    assert isinstance(reply, Reply)
    assert reply.status.code == 14


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=400)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_cgapi_errors(data: bytes) -> None:
    try:
        decode_reply(data)
    except CgapiError:
        pass


@settings(max_examples=200)
@given(st.text(alphabet='{}[]",:0123456789.-STATUSnaif \\|=\n', max_size=120))
def test_json_like_text_raises_only_cgapi_errors(text: str) -> None:
    try:
        decode_reply(("{" + text).encode())
    except CgapiError:
        pass
