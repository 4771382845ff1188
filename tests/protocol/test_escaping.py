"""Escaping in both directions, with hypothesis round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cgapi.protocol import (
    decode_reply,
    escape_addpool_field,
    escape_json_reply,
    escape_text_reply,
    split_addpool,
    unescape_text,
)


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        pytest.param("a,b", r"a\,b", id="comma"),
        pytest.param("x|y=z", r"x\|y\=z", id="pipe-and-equals"),
        pytest.param("C:\\p", r"C:\\p", id="backslash"),
        pytest.param("plain", "plain", id="plain"),
    ],
)
def test_text_escape(value: str, wire: str) -> None:
    assert escape_text_reply(value) == wire
    assert unescape_text(wire) == value


def test_json_escape_only_quote_and_backslash() -> None:
    assert escape_json_reply('a"b\\c\nd') == 'a\\"b\\\\c\nd'


def test_unescape_keeps_lone_trailing_backslash() -> None:
    assert unescape_text("abc\\") == "abc\\"


@given(st.text())
def test_text_escaping_round_trips_any_string(value: str) -> None:
    assert unescape_text(escape_text_reply(value)) == value


@given(st.lists(st.text(), min_size=1, max_size=6))
def test_addpool_escaping_round_trips(fields: list[str]) -> None:
    parameter = ",".join(escape_addpool_field(field) for field in fields)
    assert split_addpool(parameter) == fields


_FIELD_TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))


@given(url=_FIELD_TEXT, user=_FIELD_TEXT)
def test_text_reply_field_round_trips_through_decoder(url: str, user: str) -> None:
    wire = (
        "STATUS=S,When=1,Code=7,Msg=1 Pool(s),Description=cgminer 4.11.1|"
        f"POOL=0,URL={escape_text_reply(url)},User={escape_text_reply(user)}|"
    ).encode()
    reply = decode_reply(wire + b"\x00")
    record = reply.records[0]
    assert (record["URL"], record["User"]) == (url, user)


@given(url=_FIELD_TEXT)
def test_json_reply_field_round_trips_through_decoder(url: str) -> None:
    wire = (
        '{"STATUS":[{"STATUS":"S","When":1,"Code":7,"Msg":"1 Pool(s)",'
        '"Description":"cgminer 4.11.1"}],'
        f'"POOLS":[{{"POOL":0,"URL":"{escape_json_reply(url)}"}}],"id":1}}'
    ).encode()
    assert decode_reply(wire).records[0]["URL"] == url
