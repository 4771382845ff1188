"""encode_request / encode_multi / decode_request: exact bytes, refusals."""

from __future__ import annotations

import pytest

from cgapi.errors import BadRequest, LocalProtocolError
from cgapi.protocol import (
    MAX_REQUEST_SIZE,
    decode_request,
    encode_multi,
    encode_request,
    split_addpool,
)


@pytest.mark.parametrize(
    ("command", "params", "form", "wire"),
    [
        pytest.param("summary", (), "text", b"summary", id="text-bare"),
        pytest.param("gpufan", (0, 80), "text", b"gpufan|0,80", id="text-params"),
        pytest.param("summary", (), "json", b'{"command":"summary"}', id="json-bare"),
        pytest.param(
            "gpufan", (0, 80), "json", b'{"command":"gpufan","parameter":"0,80"}', id="json-params"
        ),
        pytest.param("zero", ("all", True), "text", b"zero|all,true", id="bool-param"),
        pytest.param(
            "addpool",
            ("stratum+tcp://a,b:3333", "us\\er", "p,w"),
            "text",
            b"addpool|stratum+tcp://a\\,b:3333,us\\\\er,p\\,w",
            id="addpool-text-escaped",
        ),
        pytest.param(
            "addpool",
            ("u,1", "w", "x"),
            "json",
            b'{"command":"addpool","parameter":"u\\\\,1,w,x"}',
            id="addpool-json-escaped-then-json-escaped",
        ),
        pytest.param("ascset", (0, "led", "1-255"), "text", b"ascset|0,led,1-255", id="ascset-raw"),
        pytest.param(
            "addpool", ("p\u00e9", "u", "x"), "text", "addpool|p\u00e9,u,x".encode(), id="utf8"
        ),
    ],
)
def test_encode_request(command: str, params: tuple[object, ...], form: str, wire: bytes) -> None:
    assert encode_request(command, params, form) == wire  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "command",
    ["", "sum mary", "summary\n", "a|b", "summary+devs", "su\x00m", "sümmary", "\tx"],
    ids=["empty", "space", "newline", "pipe", "plus", "nul", "non-ascii", "tab"],
)
@pytest.mark.parametrize("form", ["json", "text"])
def test_refuses_bad_commands(command: str, form: str) -> None:
    with pytest.raises(LocalProtocolError):
        encode_request(command, (), form)  # type: ignore[arg-type]


def test_refuses_request_over_4095_bytes() -> None:
    long_user = "u" * MAX_REQUEST_SIZE
    with pytest.raises(LocalProtocolError, match="4095"):
        encode_request("addpool", ("url", long_user, "x"), "text")
    fits = "u" * (MAX_REQUEST_SIZE - len("addpool|url,,x"))
    assert len(encode_request("addpool", ("url", fits, "x"), "text")) == MAX_REQUEST_SIZE


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "a\x00b", object()])
def test_refuses_bad_params(bad: object) -> None:
    with pytest.raises(LocalProtocolError):
        encode_request("x", (bad,))  # type: ignore[arg-type]


def test_refuses_unknown_form() -> None:
    with pytest.raises(LocalProtocolError):
        encode_request("summary", (), "xml")  # type: ignore[arg-type]


JOINABLE = {"summary", "devs", "pools"}


def test_encode_multi() -> None:
    assert encode_multi(["summary", "devs"], "text", joinable=JOINABLE) == b"summary+devs"
    assert (
        encode_multi(["summary", "devs", "pools"], "json", joinable=JOINABLE)
        == b'{"command":"summary+devs+pools"}'
    )


@pytest.mark.parametrize(
    "names", [[], ["summary", "switchpool"], ["summary", "summary"], ["summary", "a b"]]
)
def test_encode_multi_refuses(names: list[str]) -> None:
    with pytest.raises(LocalProtocolError):
        encode_multi(names, joinable=JOINABLE)


@pytest.mark.parametrize(
    ("data", "command", "parameter", "form"),
    [
        (b"summary", "summary", None, "text"),
        (b"summary\n", "summary\n", None, "text"),
        (b"gpufan|0,80|x", "gpufan", "0,80|x", "text"),
        (b' {"command":"x"}', ' {"command":"x"}', None, "text"),
        (b'{"command":"gpufan","parameter":"0,80"}', "gpufan", "0,80", "json"),
        (b'{"command":"pga","parameter":3}', "pga", "3", "json"),
        (b'{"command":"x","parameter":1.5}', "x", "1.500000", "json"),
        (b'{"command":"x","parameter":true}', "x", None, "json"),
        (b'{"parameter":"y", "command" : "x"}', "x", "y", "json"),
    ],
)
def test_decode_request_like_cgminer(
    data: bytes, command: str, parameter: str | None, form: str
) -> None:
    request = decode_request(data)
    assert (request.command, request.parameter, request.form) == (command, parameter, form)


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"{nope", 23), (b"{}", 24), (b'{"command":5}', 14), (b'{"command":"a"}x', 23)],
)
def test_decode_request_errors_carry_the_miner_code(data: bytes, code: int) -> None:
    with pytest.raises(BadRequest) as caught:
        decode_request(data)
    assert caught.value.code == code


def test_split_addpool_unescapes() -> None:
    assert split_addpool("a\\,b,c\\\\d,e\\") == ["a,b", "c\\d", "e\\"]
    assert split_addpool("u,p") == ["u", "p"]
