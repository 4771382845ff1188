"""Every typed method through a MockTransport: exact bytes in both forms, checks, guard."""

from __future__ import annotations

from typing import Any

import pytest

from cgapi import Miner, MockTransport
from cgapi.commands import COMMANDS, CommandSpec
from cgapi.errors import (
    AccessDenied,
    InvalidStrategy,
    LocalProtocolError,
    MinerError,
    NoDevices,
    PrivilegedCommandBlocked,
    RemoteProtocolError,
)
from cgapi.protocol import Request, Status

pytestmark = pytest.mark.anyio

# Sample arguments per command and the parameter text they must produce.
SAMPLES: dict[str, tuple[tuple[Any, ...], dict[str, Any], str | None]] = {
    "edevs": ((30,), {}, "30"),
    "pga": ((1,), {}, "1"),
    "pgaenable": ((1,), {}, "1"),
    "pgadisable": ((1,), {}, "1"),
    "pgaidentify": ((1,), {}, "1"),
    "pgarestart": ((1,), {}, "1"),
    "pgaset": ((0, "freq", "200,300"), {}, "0,freq,200,300"),
    "asc": ((2,), {}, "2"),
    "ascenable": ((2,), {}, "2"),
    "ascdisable": ((2,), {}, "2"),
    "ascidentify": ((2,), {}, "2"),
    "ascset": ((0, "led", "1-255"), {}, "0,led,1-255"),
    "switchpool": ((1,), {}, "1"),
    "addpool": (
        ("stratum+tcp://p,1:3333", "us\\er", "x"),
        {},
        "stratum+tcp://p\\,1:3333,us\\\\er,x",
    ),
    "poolpriority": ((2, 0, 1), {}, "2,0,1"),
    "poolquota": ((1, 5), {}, "1,5"),
    "enablepool": ((1,), {}, "1"),
    "disablepool": ((1,), {}, "1"),
    "removepool": ((1,), {}, "1"),
    "changestrategy": (("rotate", 10), {}, "2,10"),
    "changepoolprofile": ((1, "fast"), {}, "1,fast"),
    "addprofile": (("fast", "scrypt", "10", "2"), {}, "fast:scrypt:10:2"),
    "removeprofile": (("fast",), {}, "fast"),
    "save": (("/tmp/c.conf",), {}, "/tmp/c.conf"),
    "estats": ((5,), {}, "5"),
    "check": (("summary",), {}, "summary"),
    "failover-only": ((True,), {}, "true"),
    "debug": (("verbose",), {}, "verbose"),
    "setconfig": (("queue", "5"), {}, "queue,5"),
    "zero": (("BestShare", False), {}, "bestshare,false"),
    "hotplug": ((5,), {}, "5"),
    "gpu": ((0,), {}, "0"),
    "gpuenable": ((0,), {}, "0"),
    "gpudisable": ((0,), {}, "0"),
    "gpurestart": ((0,), {}, "0"),
    "gpuintensity": ((0, "d"), {}, "0,d"),
    "gpuxintensity": ((0, 64), {}, "0,64"),
    "gpurawintensity": ((0, 1024), {}, "0,1024"),
    "gpumem": ((0, 1500), {}, "0,1500"),
    "gpuengine": ((0, 1100), {}, "0,1100"),
    "gpufan": ((0, 80), {}, "0,80"),
    "gpuvddc": ((0, 1.1), {}, "0,1.1"),
    "devscan": (("all",), {}, "all"),
    "proc": ((3,), {}, "3"),
    "procenable": ((3,), {}, "3"),
    "procdisable": ((3,), {}, "3"),
    "procidentify": ((3,), {}, "3"),
    "procset": ((3, "clock", "1"), {}, "3,clock,1"),
    "cpu": ((0,), {}, "0"),
    "cpuenable": ((0,), {}, "0"),
    "cpudisable": ((0,), {}, "0"),
    "cpurestart": ((0,), {}, "0"),
}

RECORD_FOR_SECTION = {
    "PGAS": {"Count": 3},
    "ASCS": {"Count": 3},
    "GPUS": {"Count": 3},
    "CPUS": {"Count": 3},
    "CHECK": {"Exists": "Y", "Access": "N"},
}


def reply_for(spec: CommandSpec, form: str) -> bytes:
    """A plausible success reply with one record in the command's section."""
    if spec.result == "shutdown":
        return b"BYE\x00" if form == "text" else b'{"STATUS":"BYE","id":1}\x00'
    record = RECORD_FOR_SECTION.get(spec.section or "", {"Elapsed": 7})
    if form == "text":
        fields = ",".join(f"{k}={v}" for k, v in record.items())
        data = f"|{spec.section},{fields}" if spec.section else ""
        return f"STATUS=S,When=1,Code=1,Msg=ok,Description=cgminer 4.11.1{data}|\x00".encode()
    body = ",".join(f'"{k}":{v!r}'.replace("'", '"') for k, v in record.items())
    data = f',"{spec.section}":[{{{body}}}]' if spec.section else ""
    return (
        '{"STATUS":[{"STATUS":"S","When":1,"Code":1,"Msg":"ok","Description":"cgminer 4.11.1"}]'
        f'{data},"id":1}}\x00'
    ).encode()


@pytest.mark.parametrize("form", ["json", "text"])
@pytest.mark.parametrize("spec", list(COMMANDS.values()), ids=lambda s: s.name)
async def test_every_method_sends_exact_bytes(spec: CommandSpec, form: str) -> None:
    args, kwargs, parameter = SAMPLES.get(spec.name, ((), {}, None))
    transport = MockTransport(lambda request: reply_for(spec, form))
    miner = Miner("rig", form=form, transport=transport)  # type: ignore[arg-type]
    result = await getattr(miner, spec.python_name)(*args, **kwargs)
    if form == "text":
        expected = spec.name if parameter is None else f"{spec.name}|{parameter}"
    else:
        expected = f'{{"command":"{spec.name}"' + (
            "}" if parameter is None else f',"parameter":"{_json(parameter)}"}}'
        )
    assert transport.sent == [expected.encode()]
    if spec.result in ("status", "shutdown"):
        assert isinstance(result, Status)
    elif spec.result == "count":
        assert result == 3
    elif spec.result == "list":
        assert isinstance(result, list) and len(result) == 1
    else:
        assert type(result).__name__ == spec.model


def _json(text: str) -> str:
    return text.replace("\\", "\\\\")


def test_every_command_with_parameters_has_a_sample() -> None:
    needing = {name for name, spec in COMMANDS.items() if spec.params}
    assert needing <= set(SAMPLES)


BAD_CALLS = [
    ("gpufan", (0, 101)),
    ("gpufan", (0, -1)),
    ("gpufan", (0,)),
    ("gpufan", ("0", 50)),
    ("gpufan", (0, 50.5)),
    ("gpufan", (True, 50)),
    ("setconfig", ()),
    ("setconfig", ("queue",)),
    ("setconfig", ("nonsense", "5")),
    ("zero", ("some", True)),
    ("zero", ("all", "yes")),
    ("switchpool", (-1,)),
    ("switchpool", ()),
    ("switchpool", (1, 2)),
    ("poolpriority", ()),
    ("addpool", ("url", "user")),
    ("addprofile", ()),
    ("check", ()),
    ("ascset", (0, "a,b")),
    ("changestrategy", ("fastest",)),
    ("changestrategy", ("rotate",)),
    ("gpuintensity", (0, "x")),
    ("gpuintensity", (0, 32)),
    ("gpuxintensity", (0, 0)),
    ("hotplug", (10000,)),
    ("debug", ("loud",)),
    ("failover_only", ("true",)),
    ("gpuvddc", (0, float("nan"))),
    ("save", ("a\x00b",)),
]


@pytest.mark.parametrize(("method", "args"), BAD_CALLS, ids=lambda v: str(v))
async def test_invalid_arguments_send_nothing(method: str, args: tuple[Any, ...]) -> None:
    transport = MockTransport(lambda request: pytest.fail("nothing may be sent"))
    miner = Miner("rig", transport=transport)
    with pytest.raises((LocalProtocolError, TypeError)) as caught:
        await getattr(miner, method)(*args)
    assert isinstance(caught.value, (ValueError, TypeError))
    assert transport.sent == []


@pytest.mark.parametrize(
    "spec", [s for s in COMMANDS.values() if s.privileged], ids=lambda s: s.name
)
async def test_read_only_blocks_every_privileged_command(spec: CommandSpec) -> None:
    transport = MockTransport(lambda request: pytest.fail("nothing may be sent"))
    miner = Miner("rig", read_only=True, transport=transport)
    args, kwargs, _ = SAMPLES.get(spec.name, ((), {}, None))
    with pytest.raises(PrivilegedCommandBlocked):
        await getattr(miner, spec.python_name)(*args, **kwargs)
    with pytest.raises(PrivilegedCommandBlocked):
        await miner.command(spec.name)
    assert transport.sent == []


async def test_read_only_allows_reports_and_is_privileged() -> None:
    answers = {
        "summary": reply_for(COMMANDS["summary"], "json"),
        "privileged": b'{"STATUS":[{"STATUS":"E","When":1,"Code":45,"Msg":"Access denied to '
        b'\'privileged\' command","Description":"cgminer 4.11.1"}],"id":1}',
    }
    miner = Miner("rig", read_only=True, transport=MockTransport(lambda r: answers[r.command]))
    assert (await miner.summary()).elapsed == 7
    assert await miner.is_privileged() is False


async def test_can_uses_check() -> None:
    miner = Miner("rig", transport=MockTransport(lambda r: reply_for(COMMANDS["check"], "json")))
    assert await miner.can("switchpool") is False


def error_reply(code: int, msg: str, description: str = "cgminer 4.11.1") -> bytes:
    return (
        f'{{"STATUS":[{{"STATUS":"E","When":1,"Code":{code},"Msg":"{msg}",'
        f'"Description":"{description}"}}],"id":1}}'
    ).encode()


async def test_miner_errors_carry_status_command_and_address() -> None:
    miner = Miner(
        "rig",
        transport=MockTransport(
            lambda r: error_reply(45, "Access denied to 'switchpool' command"),
            address="10.0.0.5:4028",
        ),
    )
    with pytest.raises(AccessDenied) as caught:
        await miner.switchpool(1)
    error = caught.value
    assert (error.command, error.address, error.code) == ("switchpool", "10.0.0.5:4028", 45)
    assert error.status.msg == "Access denied to 'switchpool' command"


async def test_code_collisions_follow_the_dialect() -> None:
    sg = Miner("rig", transport=MockTransport(lambda r: error_reply(127, "x", "sgminer 5.1.1")))
    with pytest.raises(InvalidStrategy):
        await sg.changestrategy("failover")
    cg = Miner("rig", transport=MockTransport(lambda r: error_reply(127, "x")))
    with pytest.raises(MinerError) as caught:
        await cg.failover_only(True)
    assert type(caught.value).__name__ == "DeprecatedOption"


async def test_no_devices_raises() -> None:
    miner = Miner("rig", transport=MockTransport(lambda r: error_reply(10, "No ASCs/PGAs")))
    with pytest.raises(NoDevices):
        await miner.devs()


async def test_model_mismatch_is_remote_protocol_error() -> None:
    reply = (
        b'{"STATUS":[{"STATUS":"S","When":1,"Code":11,"Msg":"Summary","Description":"x"}],"id":1}'
    )
    miner = Miner("rig", transport=MockTransport(lambda r: reply))
    with pytest.raises(RemoteProtocolError):
        await miner.summary()


# --- multi -----------------------------------------------------------------------------------

SUB = (
    '{"STATUS":[{"STATUS":"S","When":1,"Code":11,"Msg":"Summary","Description":"cgminer"}],'
    '"SUMMARY":[{"Elapsed":9}],"id":1}'
)
DEVS_ERR = (
    '{"STATUS":[{"STATUS":"E","When":1,"Code":10,"Msg":"No ASCs/PGAs","Description":"cgminer"}],'
    '"id":1}'
)


async def test_multi_typed_results() -> None:
    joined = f'{{"summary":[{SUB}],"devs":[{DEVS_ERR}],"id":1}}'.encode()
    transport = MockTransport(lambda r: joined)
    miner = Miner("rig", transport=transport)
    result = await miner.multi("summary", "devs", "pools")
    assert transport.sent == [b'{"command":"summary+devs+pools"}']
    assert result.joined and miner.join_supported is True
    assert result["summary"].elapsed == 9  # type: ignore[attr-defined]
    assert "devs" in result and isinstance(result.errors["devs"], NoDevices)
    with pytest.raises(NoDevices):
        result["devs"]
    assert result.missing == ("pools",)


async def test_multi_falls_back_when_the_join_is_rejected() -> None:
    def handler(request: Request) -> bytes:
        if "+" in request.command:
            return error_reply(14, "Invalid command")
        return SUB.encode() if request.command == "summary" else DEVS_ERR.encode()

    transport = MockTransport(handler)
    miner = Miner("rig", form="text", transport=transport)
    result = await miner.multi("summary", "devs")
    assert transport.sent == [b"summary+devs", b"summary", b"devs"]
    assert not result.joined and miner.join_supported is False
    assert result["summary"].elapsed == 9  # type: ignore[attr-defined]
    await miner.multi("summary", "devs")
    assert transport.sent[3:] == [b"summary", b"devs"]


@pytest.mark.parametrize(
    "names",
    [("summary", "switchpool"), ("summary", "check"), ("summary", "lockstats"), ("temps",), ()],
)
async def test_multi_refuses_locally(names: tuple[str, ...]) -> None:
    transport = MockTransport(lambda r: pytest.fail("nothing may be sent"))
    with pytest.raises(LocalProtocolError):
        await Miner("rig", transport=transport).multi(*names)


async def test_vendor_commands_through_command() -> None:
    reply = (
        b'{"STATUS":[{"STATUS":"S","When":1,"Code":201,"Msg":"3 Temp(s)","Description":"BOSminer"'
        b'}],"TEMPS":[{"TEMP":0,"Board":67.25}],"id":1}'
    )
    miner = Miner("rig", read_only=True, transport=MockTransport(lambda r: reply))
    result = await miner.command("temps")
    assert result.sections["TEMPS"][0]["Board"] == 67.25


async def test_closed_miner_refuses() -> None:
    miner = Miner("rig", transport=MockTransport(lambda r: b""))
    await miner.aclose()
    with pytest.raises(RuntimeError):
        await miner.summary()


def test_host_port_parsing() -> None:
    assert (Miner("10.0.0.5:4029").host, Miner("10.0.0.5:4029").port) == ("10.0.0.5", 4029)
    assert Miner("[::1]:4030").port == 4030
    assert Miner("::1").host == "::1"
    with pytest.raises(ValueError):
        Miner("10.0.0.5:99999")
    with pytest.raises(ValueError):
        Miner("rig", form="xml")  # type: ignore[arg-type]
