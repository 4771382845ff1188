"""Whole replies, byte for byte, as the miners' api.c assembles them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cgapi.testing._render import (
    ApiType,
    Field,
    ReplyBody,
    ReplyWriter,
    command_body,
    field_names,
    join_commands,
    render_action,
    render_body,
    render_command,
    render_multi,
    render_quit,
    render_reply,
    status_fields,
)

if TYPE_CHECKING:
    from cgapi.testing._render.types import Form, Personality

WHEN = 1545000000
DESC: dict[Personality, str] = {
    "cgminer": "cgminer 4.11.1",
    "sgminer": "sgminer 5.1.1",
    "bfgminer": "bfgminer 5.5.0",
    "bmminer": "bmminer 1.0.0",
}
URL = 'stratum+tcp://p,q|r="s\\t:3333'  # one literal backslash


def status(personality: Personality, form: Form, code: int, *params: object) -> list[Field]:
    return status_fields(
        personality, code, *params, when=WHEN, description=DESC[personality], form=form
    )


def record(personality: Personality, section: str, values: dict[str, object]) -> list[Field]:
    """Fields of ``section`` in table order; every non-optional field must have a value."""
    fields = []
    for name, api_type in field_names(personality, section):
        if name in values:
            fields.append(Field(name, api_type, values[name]))
    wanted = {name for name, _ in field_names(personality, section, optional=False)}
    assert wanted <= values.keys(), wanted - values.keys()
    assert values.keys() <= {name for name, _ in field_names(personality, section)}
    return fields


# ---------------------------------------------------------------- version


VERSIONS: dict[Personality, dict[str, object]] = {
    "cgminer": {"CGMiner": "4.11.1", "API": "3.7"},
    "sgminer": {"Miner": "sgminer 5.1.1", "CGMiner": "5.1.1", "API": "4.0"},
    "bfgminer": {"Miner": "bfgminer 5.5.0", "CGMiner": "5.5.0", "API": "3.1"},
}


@pytest.mark.parametrize(
    ("personality", "form", "expected"),
    [
        (
            "cgminer",
            "text",
            (
                b"STATUS=S,When=1545000000,Code=22,Msg=CGMiner versions,"
                b"Description=cgminer 4.11.1|VERSION,CGMiner=4.11.1,API=3.7|\x00"
            ),
        ),
        (
            "cgminer",
            "json",
            (
                b'{"STATUS":[{"STATUS":"S","When":1545000000,"Code":22,"Msg":"CGMiner versions",'
                b'"Description":"cgminer 4.11.1"}],"VERSION":[{"CGMiner":"4.11.1","API":"3.7"}],'
                b'"id":1}\x00'
            ),
        ),
        (
            "sgminer",
            "text",
            (
                b"STATUS=S,When=1545000000,Code=22,Msg=SGMiner versions,Description=sgminer 5.1.1|"
                b"VERSION,Miner=sgminer 5.1.1,CGMiner=5.1.1,API=4.0|\x00"
            ),
        ),
        (
            "sgminer",
            "json",
            (
                b'{"STATUS":[{"STATUS":"S","When":1545000000,"Code":22,"Msg":"SGMiner versions",'
                b'"Description":"sgminer 5.1.1"}],"VERSION":[{"Miner":"sgminer 5.1.1",'
                b'"CGMiner":"5.1.1","API":"4.0"}],"id":1}\x00'
            ),
        ),
        (
            "bfgminer",
            "text",
            (
                b"STATUS=S,When=1545000000,Code=22,Msg=BFGMiner versions,Description=bfgminer 5.5.0|"
                b"VERSION,Miner=bfgminer 5.5.0,CGMiner=5.5.0,API=3.1|\x00"
            ),
        ),
        (
            "bfgminer",
            "json",
            (
                b'{"STATUS":[{"STATUS":"S","When":1545000000,"Code":22,"Msg":"BFGMiner versions",'
                b'"Description":"bfgminer 5.5.0"}],"VERSION":[{"Miner":"bfgminer 5.5.0",'
                b'"CGMiner":"5.5.0","API":"3.1"}],"id":1}\x00'
            ),
        ),
    ],
)
def test_version(personality: Personality, form: Form, expected: bytes) -> None:
    rec = record(personality, "version", VERSIONS[personality])
    reply = render_command(personality, form, "version", status(personality, form, 22), [rec])
    assert reply == expected
    # The generic entry point gives the same bytes.
    generic = render_reply(
        personality, form, status(personality, form, 22), "VERSION", [rec], single_object=True
    )
    assert generic == expected


# ---------------------------------------------------------------- summary

CG_SUMMARY: dict[str, object] = {
    "Elapsed": 3600.4,
    "MHS av": 13500.123,
    "MHS 5s": 13600.0,
    "MHS 1m": 13550.5,
    "MHS 5m": 13520.0,
    "MHS 15m": 13510.0,
    "Found Blocks": 0,
    "Getworks": 120,
    "Accepted": 1000,
    "Rejected": 2,
    "Hardware Errors": 3,
    "Utility": 16.666666,
    "Discarded": 50,
    "Stale": 1,
    "Get Failures": 0,
    "Local Work": 2000,
    "Remote Failures": 0,
    "Network Blocks": 5,
    "Total MH": 48600000.5,
    "Work Utility": 190000.25,
    "Difficulty Accepted": 65536000.0,
    "Difficulty Rejected": 131072.0,
    "Difficulty Stale": 0.0,
    "Best Share": 123456789,
    "Device Hardware%": 0.0001,
    "Device Rejected%": 0.002,
    "Pool Rejected%": 0.00199,
    "Pool Stale%": 0.0,
    "Last getwork": 1545000000,
}

CG_SUMMARY_TEXT = (
    b"STATUS=S,When=1545000000,Code=11,Msg=Summary,Description=cgminer 4.11.1|"
    b"SUMMARY,Elapsed=3600,MHS av=13500.12,MHS 5s=13600.00,MHS 1m=13550.50,"
    b"MHS 5m=13520.00,MHS 15m=13510.00,Found Blocks=0,Getworks=120,Accepted=1000,"
    b"Rejected=2,Hardware Errors=3,Utility=16.67,Discarded=50,Stale=1,Get Failures=0,"
    b"Local Work=2000,Remote Failures=0,Network Blocks=5,Total MH=48600000.5000,"
    b"Work Utility=190000.25,Difficulty Accepted=65536000.00000000,"
    b"Difficulty Rejected=131072.00000000,Difficulty Stale=0.00000000,Best Share=123456789,"
    b"Device Hardware%=0.0100,Device Rejected%=0.2000,Pool Rejected%=0.1990,"
    b"Pool Stale%=0.0000,Last getwork=1545000000|\x00"
)

CG_SUMMARY_JSON = (
    b'{"STATUS":[{"STATUS":"S","When":1545000000,"Code":11,"Msg":"Summary",'
    b'"Description":"cgminer 4.11.1"}],"SUMMARY":[{"Elapsed":3600,"MHS av":13500.12,'
    b'"MHS 5s":13600.00,"MHS 1m":13550.50,"MHS 5m":13520.00,"MHS 15m":13510.00,'
    b'"Found Blocks":0,"Getworks":120,"Accepted":1000,"Rejected":2,"Hardware Errors":3,'
    b'"Utility":16.67,"Discarded":50,"Stale":1,"Get Failures":0,"Local Work":2000,'
    b'"Remote Failures":0,"Network Blocks":5,"Total MH":48600000.5000,'
    b'"Work Utility":190000.25,"Difficulty Accepted":65536000.00000000,'
    b'"Difficulty Rejected":131072.00000000,"Difficulty Stale":0.00000000,'
    b'"Best Share":123456789,"Device Hardware%":0.0100,"Device Rejected%":0.2000,'
    b'"Pool Rejected%":0.1990,"Pool Stale%":0.0000,"Last getwork":1545000000}],"id":1}\x00'
)


@pytest.mark.parametrize(
    ("form", "expected"), [("text", CG_SUMMARY_TEXT), ("json", CG_SUMMARY_JSON)]
)
def test_cgminer_summary(form: Form, expected: bytes) -> None:
    rec = record("cgminer", "summary", CG_SUMMARY)
    assert (
        render_command("cgminer", form, "summary", status("cgminer", form, 11), [rec]) == expected
    )


def test_summary_mhs_name_follows_log_interval() -> None:
    names = [name for name, _ in field_names("cgminer", "summary", log_interval=10)]
    assert names[:3] == ["Elapsed", "MHS av", "MHS 10s"]
    assert [n for n, _ in field_names("sgminer", "summary", 7)][1:5] == [
        "MHS av",
        "MHS 7s",
        "KHS av",
        "KHS 7s",
    ]


# ---------------------------------------------------------------- pools

CG_POOL: dict[str, object] = {
    "POOL": 0,
    "URL": URL,
    "Status": "Alive",
    "Priority": 0,
    "Quota": 1,
    "Long Poll": "N",
    "Getworks": 10,
    "Accepted": 5,
    "Rejected": 0,
    "Works": 100,
    "Discarded": 2,
    "Stale": 0,
    "Get Failures": 0,
    "Remote Failures": 0,
    "User": "w,1",
    "Last Share Time": 1544999990,
    "Diff1 Shares": 4096,
    "Proxy Type": "",
    "Proxy": "",
    "Difficulty Accepted": 4096.0,
    "Difficulty Rejected": 0.0,
    "Difficulty Stale": 0.0,
    "Last Share Difficulty": 1024.0,
    "Work Difficulty": 1024.0,
    "Has Stratum": True,
    "Stratum Active": True,
    "Stratum URL": "p",
    "Stratum Difficulty": 1024.0,
    "Has Vmask": False,
    "Has GBT": False,
    "Best Share": 5000,
    "Pool Rejected%": 0.0,
    "Pool Stale%": 0.0,
    "Bad Work": 0,
    "Current Block Height": 550000,
    "Current Block Version": 536870912,
}

CG_POOL_TAIL_TEXT = (
    rb"Status=Alive,Priority=0,Quota=1,Long Poll=N,Getworks=10,Accepted=5,Rejected=0,"
    rb"Works=100,Discarded=2,Stale=0,Get Failures=0,Remote Failures=0,User=w\,1,"
    rb"Last Share Time=1544999990,Diff1 Shares=4096,Proxy Type=,Proxy=,"
    rb"Difficulty Accepted=4096.00000000,Difficulty Rejected=0.00000000,"
    rb"Difficulty Stale=0.00000000,Last Share Difficulty=1024.00000000,"
    rb"Work Difficulty=1024.00000000,Has Stratum=true,Stratum Active=true,Stratum URL=p,"
    rb"Stratum Difficulty=1024.00000000,Has Vmask=false,Has GBT=false,Best Share=5000,"
    rb"Pool Rejected%=0.0000,Pool Stale%=0.0000,Bad Work=0,Current Block Height=550000,"
    rb"Current Block Version=536870912|"
)


def test_cgminer_pools_text_escapes_url() -> None:
    rec = record("cgminer", "pools", CG_POOL)
    reply = render_command("cgminer", "text", "pools", status("cgminer", "text", 7, 1), [rec])
    assert reply == (
        b"STATUS=S,When=1545000000,Code=7,Msg=1 Pool(s),Description=cgminer 4.11.1|"
        + rb'POOL=0,URL=stratum+tcp://p\,q\|r\="s\\t:3333,'
        + CG_POOL_TAIL_TEXT
        + b"\x00"
    )


def test_cgminer_pools_json_escapes_url() -> None:
    rec = record("cgminer", "pools", CG_POOL)
    reply = render_command("cgminer", "json", "pools", status("cgminer", "json", 7, 1), [rec])
    assert reply == (
        b'{"STATUS":[{"STATUS":"S","When":1545000000,"Code":7,"Msg":"1 Pool(s)",'
        b'"Description":"cgminer 4.11.1"}],"POOLS":[{"POOL":0,'
        + rb'"URL":"stratum+tcp://p,q|r=\"s\\t:3333",'
        + b'"Status":"Alive","Priority":0,"Quota":1,"Long Poll":"N","Getworks":10,'
        b'"Accepted":5,"Rejected":0,"Works":100,"Discarded":2,"Stale":0,"Get Failures":0,'
        b'"Remote Failures":0,"User":"w,1","Last Share Time":1544999990,"Diff1 Shares":4096,'
        b'"Proxy Type":"","Proxy":"","Difficulty Accepted":4096.00000000,'
        b'"Difficulty Rejected":0.00000000,"Difficulty Stale":0.00000000,'
        b'"Last Share Difficulty":1024.00000000,"Work Difficulty":1024.00000000,'
        b'"Has Stratum":true,"Stratum Active":true,"Stratum URL":"p",'
        b'"Stratum Difficulty":1024.00000000,"Has Vmask":false,"Has GBT":false,'
        b'"Best Share":5000,"Pool Rejected%":0.0000,"Pool Stale%":0.0000,"Bad Work":0,'
        b'"Current Block Height":550000,"Current Block Version":536870912}],"id":1}\x00'
    )


SG_POOL: dict[str, object] = {
    "POOL": 0,
    "Name": 'my "pool"',
    "URL": URL,
    "Profile": "",
    "Algorithm": "x11",
    "Algorithm Type": "X11",
    "Description": "d=1",
    "Status": "Alive",
    "Priority": 0,
    "Quota": 1,
    "Long Poll": "N",
    "Getworks": 1,
    "Accepted": 2,
    "Rejected": 0,
    "Works": 3,
    "Discarded": 0,
    "Stale": 0,
    "Get Failures": 0,
    "Remote Failures": 0,
    "User": "u",
    "Last Share Time": 0,
    "Diff1 Shares": 0.5,
    "Proxy Type": "",
    "Proxy": "",
    "Difficulty Accepted": 0.5,
    "Difficulty Rejected": 0.0,
    "Difficulty Stale": 0.0,
    "Last Share Difficulty": 0.5,
    "Has Stratum": True,
    "Stratum Active": False,
    "Stratum URL": "",
    "Has GBT": False,
    "Best Share": 12.75,
    "Pool Rejected%": 0.0,
    "Pool Stale%": 0.0,
}


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            "text",
            b"STATUS=S,When=1545000000,Code=7,Msg=1 Pool(s),Description=sgminer 5.1.1|"
            + rb'POOL=0,Name=my "pool",URL=stratum+tcp://p\,q\|r\="s\\t:3333,Profile=,'
            + b"Algorithm=x11,Algorithm Type=X11,Description=d=1,Status=Alive,Priority=0,"
            b"Quota=1,Long Poll=N,Getworks=1,Accepted=2,Rejected=0,Works=3,Discarded=0,Stale=0,"
            b"Get Failures=0,Remote Failures=0,User=u,Last Share Time=0,Diff1 Shares=0.500000,"
            b"Proxy Type=,Proxy=,Difficulty Accepted=0.50000000,Difficulty Rejected=0.00000000,"
            b"Difficulty Stale=0.00000000,Last Share Difficulty=0.50000000,Has Stratum=true,"
            b"Stratum Active=false,Stratum URL=,Has GBT=false,Best Share=12.750000,"
            b"Pool Rejected%=0.0000,Pool Stale%=0.0000|\x00",
        ),
        (
            "json",
            b'{"STATUS":[{"STATUS":"S","When":1545000000,"Code":7,"Msg":"1 Pool(s)",'
            b'"Description":"sgminer 5.1.1"}],"POOLS":[{"POOL":0,"Name":"my "pool"",'
            + rb'"URL":"stratum+tcp://p,q|r=\"s\\t:3333",'
            + b'"Profile":"","Algorithm":"x11","Algorithm Type":"X11","Description":"d=1",'
            b'"Status":"Alive","Priority":0,"Quota":1,"Long Poll":"N","Getworks":1,'
            b'"Accepted":2,"Rejected":0,"Works":3,"Discarded":0,"Stale":0,"Get Failures":0,'
            b'"Remote Failures":0,"User":"u","Last Share Time":0,"Diff1 Shares":0.500000,'
            b'"Proxy Type":"","Proxy":"","Difficulty Accepted":0.50000000,'
            b'"Difficulty Rejected":0.00000000,"Difficulty Stale":0.00000000,'
            b'"Last Share Difficulty":0.50000000,"Has Stratum":true,"Stratum Active":false,'
            b'"Stratum URL":"","Has GBT":false,"Best Share":12.750000,"Pool Rejected%":0.0000,'
            b'"Pool Stale%":0.0000}],"id":1}\x00',
        ),
    ],
)
def test_sgminer_pools_name_is_unescaped(form: Form, expected: bytes) -> None:
    rec = record("sgminer", "pools", SG_POOL)
    assert (
        render_command("sgminer", form, "pools", status("sgminer", form, 7, 1), [rec]) == expected
    )


BFG_POOL: dict[str, object] = {
    "POOL": 0,
    "URL": URL,
    "Status": "Alive",
    "Priority": 0,
    "Quota": 1,
    "Mining Goal": "default",
    "Long Poll": "N",
    "Getworks": 4,
    "Accepted": 3,
    "Rejected": 1,
    "Works": 8,
    "Discarded": 0,
    "Stale": 0,
    "Get Failures": 0,
    "Remote Failures": 0,
    "User": "u",
    "Last Share Time": 1544999999,
    "Diff1 Shares": 3.0,
    "Proxy": "",
    "Difficulty Accepted": 3.0,
    "Difficulty Rejected": 1.5,
    "Difficulty Stale": 0.0,
    "Last Share Difficulty": 1.0,
    "Has Stratum": True,
    "Stratum Active": True,
    "Stratum URL": "p",
    "Best Share": 77.0,
    "Message": "hi, there",
    "Pool Rejected%": 0.5,
    "Pool Stale%": 0.0,
}


def test_bfgminer_pools_text_with_integral_diffs() -> None:
    rec = record("bfgminer", "pools", BFG_POOL)
    reply = render_command("bfgminer", "text", "pools", status("bfgminer", "text", 7, 1), [rec])
    assert reply == (
        b"STATUS=S,When=1545000000,Code=7,Msg=1 Pool(s),Description=bfgminer 5.5.0|"
        + rb'POOL=0,URL=stratum+tcp://p\,q\|r\="s\\t:3333,'
        + b"Status=Alive,Priority=0,Quota=1,Mining Goal=default,Long Poll=N,Getworks=4,"
        b"Accepted=3,Rejected=1,Works=8,Discarded=0,Stale=0,Get Failures=0,Remote Failures=0,"
        b"User=u,Last Share Time=1544999999,Diff1 Shares=3,Proxy=,Difficulty Accepted=3,"
        b"Difficulty Rejected=1.50000000,Difficulty Stale=0,Last Share Difficulty=1,"
        b"Has Stratum=true,Stratum Active=true,Stratum URL=p,Best Share=77,"
        + rb"Message=hi\, there,"
        + b"Pool Rejected%=50.0000,Pool Stale%=0.0000|\x00"
    )


def test_removed_pool_zero_gives_leading_comma_in_json() -> None:
    rec = [Field("POOL", ApiType.INT, 1), Field("URL", ApiType.ESCAPE, "u")]
    reply = render_command("cgminer", "json", "pools", status("cgminer", "json", 7, 2), [rec])
    assert reply.endswith(b'"POOLS":[,{"POOL":1,"URL":"u"}],"id":1}\x00')
    text = render_command("cgminer", "text", "pools", status("cgminer", "text", 7, 2), [rec])
    assert text.endswith(b"|POOL=1,URL=u|\x00")


# ---------------------------------------------------------------- errors, F, quit


@pytest.mark.parametrize(
    ("personality", "form", "expected"),
    [
        ("cgminer", "text", b"STATUS=E,When=1545000000,Code=14,Msg=Invalid command|\x00"),
        (
            "cgminer",
            "json",
            (
                b'{"STATUS":[{"STATUS":"E","When":1545000000,"Code":14,"Msg":"Invalid command"}],'
                b'"id":1}\x00'
            ),
        ),
        (
            "sgminer",
            "text",
            b"STATUS=E,When=1545000000,Code=14,Msg=Invalid command,Description=sgminer 5.1.1|\x00",
        ),
        (
            "sgminer",
            "json",
            (
                b'{"STATUS":[{"STATUS":"E","When":1545000000,"Code":14,"Msg":"Invalid command",'
                b'"Description":"sgminer 5.1.1"}],"id":1}\x00'
            ),
        ),
        (
            "bfgminer",
            "text",
            b"STATUS=E,When=1545000000,Code=14,Msg=Invalid command,Description=bfgminer 5.5.0|\x00",
        ),
    ],
)
def test_invalid_command(personality: Personality, form: Form, expected: bytes) -> None:
    assert render_reply(personality, form, status(personality, form, 14)) == expected


def _stats(n: int) -> list[Field]:
    return record(
        "cgminer",
        "stats",
        {
            "STATS": n,
            "ID": f"ICA{n}",
            "Elapsed": 60.0,
            "Calls": 0,
            "Wait": (0, 0),
            "Max": (0, 0),
            "Min": (99999999, 0),
        },
    )


def test_cgminer_dbgstats_is_fatal_126() -> None:
    records = [_stats(0), _stats(1)]
    text = render_command("cgminer", "text", "dbgstats", status("cgminer", "text", 126), records)
    assert text == (
        b"STATUS=F,When=1545000000,Code=-1,Msg=126,Description=cgminer 4.11.1|"
        b"STATS=0,ID=ICA0,Elapsed=60,Calls=0,Wait=0.000000,Max=0.000000,Min=99999999.000000|"
        b"STATS=1,ID=ICA1,Elapsed=60,Calls=0,Wait=0.000000,Max=0.000000,Min=99999999.000000|"
        b"\x00"
    )
    js = render_command("cgminer", "json", "dbgstats", status("cgminer", "json", 126), records)
    assert js == (
        b'{"STATUS":[{"STATUS":"F","When":1545000000,"Code":-1,"Msg":"126",'
        b'"Description":"cgminer 4.11.1"}],"STATS":[{"STATS":0,"ID":"ICA0","Elapsed":60,'
        b'"Calls":0,"Wait":0.000000,"Max":0.000000,"Min":99999999.000000},{"STATS":1,'
        b'"ID":"ICA1","Elapsed":60,"Calls":0,"Wait":0.000000,"Max":0.000000,'
        b'"Min":99999999.000000}],"id":1}\x00'
    )


def test_quit_cgminer_vs_bfgminer() -> None:
    assert render_quit("cgminer", "text", when=WHEN, description=DESC["cgminer"]) == b"BYE\x00"
    assert (
        render_quit("cgminer", "json", when=WHEN, description=DESC["cgminer"])
        == b'{"STATUS":"BYE","id":1}\x00'
    )
    assert render_action("json", "RESTART") == b'{"STATUS":"RESTART","id":1}\x00'
    assert render_action("text", "RESTART") == b"RESTART\x00"
    assert render_quit("bfgminer", "text", when=WHEN, description=DESC["bfgminer"]) == (
        b"STATUS=S,When=1545000000,Code=257,Msg=BYE,Description=bfgminer 5.5.0|\x00"
    )
    assert render_quit("sgminer", "json", restart=True, when=WHEN, description=DESC["sgminer"]) == (
        b'{"STATUS":[{"STATUS":"S","When":1545000000,"Code":257,"Msg":"RESTART",'
        b'"Description":"sgminer 5.1.1"}],"id":1}\x00'
    )


def test_removepool_double_escaping() -> None:
    url = 'a,b|c="d\\e'
    text = render_reply("cgminer", "text", status("cgminer", "text", 68, 1, url))
    assert text == (
        rb"STATUS=S,When=1545000000,Code=68,Msg=Removed pool 1:'a\\\,b\\\|c\\\="
        + rb'"d\\\\e'
        + b"',Description=cgminer 4.11.1|\x00"
    )
    js = render_reply("cgminer", "json", status("cgminer", "json", 68, 1, url))
    assert js == (
        b'{"STATUS":[{"STATUS":"S","When":1545000000,"Code":68,'
        + rb'"Msg":"Removed pool 1:'
        + rb"'a,b|c=\\\"d\\\\e'"
        + b'","Description":"cgminer 4.11.1"}],"id":1}\x00'
    )


def test_bfgminer_pgarestart_prints_null() -> None:
    reply = render_reply("bfgminer", "text", status("bfgminer", "text", 257, None))
    assert reply == b"STATUS=S,When=1545000000,Code=257,Msg=(null),Description=bfgminer 5.5.0|\x00"


# ---------------------------------------------------------------- setconfig double STATUS


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            "text",
            (
                b"STATUS=E,When=1545000000,Code=127,Msg=Deprecated config option 'queue',"
                b"Description=cgminer 4.11.1|STATUS=E,When=1545000000,Code=83,"
                b"Msg=Unknown config 'queue',Description=cgminer 4.11.1|\x00"
            ),
        ),
        (
            "json",
            (
                b'{"STATUS":[{"STATUS":"E","When":1545000000,"Code":127,'
                b'"Msg":"Deprecated config option \'queue\'","Description":"cgminer 4.11.1"}]'
                b'{"STATUS":[{"STATUS":"E","When":1545000000,"Code":83,'
                b'"Msg":"Unknown config \'queue\'","Description":"cgminer 4.11.1"}],"id":1}\x00'
            ),
        ),
    ],
)
def test_cgminer_setconfig_double_status(form: Form, expected: bytes) -> None:
    writer = ReplyWriter("cgminer", form)
    writer.message(status("cgminer", form, 127, "queue"))
    writer.message(status("cgminer", form, 83, "queue"))
    assert writer.finish() == expected


# ---------------------------------------------------------------- multi-command

CG_KNOWN = {"version", "summary", "pools", "quit", "check"}


def _cg_member(form: Form, name: str) -> tuple[str, ReplyBody]:
    if name == "version":
        rec = record("cgminer", "version", VERSIONS["cgminer"])
        return name, command_body("cgminer", form, "version", status("cgminer", form, 22), [rec])
    if name in CG_KNOWN:  # known but not joinable
        return name, render_body("cgminer", form, status("cgminer", form, 45, name))
    return name, render_body("cgminer", form, status("cgminer", form, 14))


def test_join_commands_skips_blanks_and_known_duplicates() -> None:
    assert join_commands("version+quit++version+bogus+bogus+", CG_KNOWN) == [
        "version",
        "quit",
        "bogus",
        "bogus",
    ]
    assert join_commands("+", CG_KNOWN) == []


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            "json",
            (
                b'{"version":[{"STATUS":[{"STATUS":"S","When":1545000000,"Code":22,'
                b'"Msg":"CGMiner versions","Description":"cgminer 4.11.1"}],'
                b'"VERSION":[{"CGMiner":"4.11.1","API":"3.7"}],"id":1}],'
                b'"quit":[{"STATUS":[{"STATUS":"E","When":1545000000,"Code":45,'
                b'"Msg":"Access denied to \'quit\' command","Description":"cgminer 4.11.1"}],'
                b'"id":1}],'
                b'"bogus":[{"STATUS":[{"STATUS":"E","When":1545000000,"Code":14,'
                b'"Msg":"Invalid command"}],"id":1}],'
                b'"bogus":[{"STATUS":[{"STATUS":"E","When":1545000000,"Code":14,'
                b'"Msg":"Invalid command"}],"id":1}],"id":1}\x00'
            ),
        ),
        (
            "text",
            (
                b"CMD=version|STATUS=S,When=1545000000,Code=22,Msg=CGMiner versions,"
                b"Description=cgminer 4.11.1|VERSION,CGMiner=4.11.1,API=3.7|"
                b"CMD=quit|STATUS=E,When=1545000000,Code=45,Msg=Access denied to 'quit' command,"
                b"Description=cgminer 4.11.1|"
                b"CMD=bogus|STATUS=E,When=1545000000,Code=14,Msg=Invalid command|"
                b"CMD=bogus|STATUS=E,When=1545000000,Code=14,Msg=Invalid command|\x00"
            ),
        ),
    ],
)
def test_cgminer_multi(form: Form, expected: bytes) -> None:
    names = join_commands("version+quit+version+bogus+bogus", CG_KNOWN)
    members = [_cg_member(form, name) for name in names]
    assert render_multi(form, members) == expected


def test_multi_all_blank() -> None:
    assert render_multi("json", []) == b',"id":1}\x00'
    assert render_multi("text", []) == b"\x00"


def test_multi_command_names_are_escaped() -> None:
    body = render_body("cgminer", "json", status("cgminer", "json", 14))
    assert render_multi("json", [('a"b', body)]).startswith(b'{"a\\"b":[{"STATUS":')
    text_body = render_body("cgminer", "text", status("cgminer", "text", 14))
    assert render_multi("text", [("x=y", text_body)]).startswith(rb"CMD=x\=y|STATUS=E,")


# ---------------------------------------------------------------- section quirks


def test_empty_list_section() -> None:
    js = render_command("cgminer", "json", "edevs", status("cgminer", "json", 9, 2), [])
    assert js.endswith(b'"Description":"cgminer 4.11.1"}],"DEVS":[],"id":1}\x00')
    text = render_command("cgminer", "text", "edevs", status("cgminer", "text", 9, 2), [])
    assert text == (b"STATUS=S,When=1545000000,Code=9,Msg=2 ASC(s),Description=cgminer 4.11.1|\x00")


@pytest.mark.parametrize(
    ("personality", "command", "key"),
    [
        ("sgminer", "profiles", b'"POOLS":[{"PROFILE":0'),
        ("bfgminer", "devdetails", b'"DEVS":[{"PROFILE":0'),
        ("bfgminer", "procdetails", b'"DEVS":[{"PROFILE":0'),
        ("cgminer", "estats", b'"STATS":[{"PROFILE":0'),
        ("cgminer", "devdetails", b'"DEVDETAILS":[{"PROFILE":0'),
    ],
)
def test_json_section_keys(personality: Personality, command: str, key: bytes) -> None:
    rec = [Field("PROFILE", ApiType.INT, 0)]
    reply = render_command(personality, "json", command, status(personality, "json", 11), [rec])
    assert key in reply


def test_bfgminer_coin_one_key_per_goal() -> None:
    def goal(diff: float) -> list[Field]:
        return record(
            "bfgminer",
            "coin",
            {
                "Hash Method": "sha256",
                "Current Block Time": 1545000000,
                "Current Block Hash": "00ab",
                "LP": True,
                "Network Difficulty": 5106422924659.0,
                "Difficulty Accepted": diff,
            },
        )

    records = [goal(0.0), goal(2.5)]
    cases: tuple[tuple[Form, bytes], ...] = (
        (
            "text",
            (
                b"STATUS=S,When=1545000000,Code=78,Msg=BFGMiner coin,Description=bfgminer 5.5.0|"
                b"COIN,Hash Method=sha256,Current Block Time=1545000000,Current Block Hash=00ab,"
                b"LP=true,Network Difficulty=5106422924659,Difficulty Accepted=0|"
                b"COIN1,Hash Method=sha256,Current Block Time=1545000000,Current Block Hash=00ab,"
                b"LP=true,Network Difficulty=5106422924659,Difficulty Accepted=2.50000000|\x00"
            ),
        ),
        (
            "json",
            (
                b'{"STATUS":[{"STATUS":"S","When":1545000000,"Code":78,"Msg":"BFGMiner coin",'
                b'"Description":"bfgminer 5.5.0"}],"COIN":[{"Hash Method":"sha256",'
                b'"Current Block Time":1545000000,"Current Block Hash":"00ab","LP":true,'
                b'"Network Difficulty":5106422924659,"Difficulty Accepted":0}],'
                b'"COIN1":[{"Hash Method":"sha256","Current Block Time":1545000000,'
                b'"Current Block Hash":"00ab","LP":true,"Network Difficulty":5106422924659,'
                b'"Difficulty Accepted":2.50000000}],"id":1}\x00'
            ),
        ),
    )
    for form, expected in cases:
        st = status("bfgminer", form, 78)
        reply = render_command("bfgminer", form, "coin", st, records, keys=["COIN", "COIN1"])
        assert reply == expected


def test_bfgminer_devscan_label_and_ungated_commas() -> None:
    def dev(n: int) -> list[Field]:
        return record(
            "bfgminer",
            "devdetails",
            {
                "DEVDETAILS": n,
                "Name": "BFL",
                "ID": n,
                "Processors": 1,
                "Driver": "bitforce",
                "Target Temperature": 0,
                "Cutoff Temperature": 85,
            },
        )

    text = render_command(
        "bfgminer", "text", "devscan", status("bfgminer", "text", 256, 2), [dev(0), dev(1)]
    )
    assert text == (
        b"STATUS=S,When=1545000000,Code=256,Msg=Added 2 new device(s),"
        b"Description=bfgminer 5.5.0|DEVS,DEVDETAILS=0,Name=BFL,ID=0,Processors=1,"
        b"Driver=bitforce,Target Temperature=0,Cutoff Temperature=85|,DEVDETAILS=1,"
        b"Name=BFL,ID=1,Processors=1,Driver=bitforce,Target Temperature=0,"
        b"Cutoff Temperature=85|\x00"
    )
    js = render_command(
        "bfgminer", "json", "devscan", status("bfgminer", "json", 256, 2), [dev(0), dev(1)]
    )
    assert b'"DEVS":[{"DEVDETAILS":0,' in js
    assert b'"Cutoff Temperature":85},{"DEVDETAILS":1,' in js


def test_cgminer_devs_mixes_asc_and_pga_records() -> None:
    asc = [Field("ASC", ApiType.INT, 0), Field("Name", ApiType.STRING, "AVA")]
    pga = [Field("PGA", ApiType.INT, 0), Field("Name", ApiType.STRING, "BFL")]
    js = render_command("cgminer", "json", "devs", status("cgminer", "json", 11), [asc, pga])
    assert js.endswith(b'"DEVS":[{"ASC":0,"Name":"AVA"},{"PGA":0,"Name":"BFL"}],"id":1}\x00')
    text = render_command("cgminer", "text", "devs", status("cgminer", "text", 11), [asc, pga])
    assert text.endswith(b"|ASC=0,Name=AVA|PGA=0,Name=BFL|\x00")
