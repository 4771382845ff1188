"""message(): code tables, parameters, fallbacks and per-miner collisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cgapi.testing._render import (
    BFG_USE_ALTMSG,
    PERSONALITIES,
    ApiType,
    Field,
    lookup_message,
    message_table,
    status_fields,
)

if TYPE_CHECKING:
    from cgapi.testing._render.types import Form, Personality

WHEN = 1545000000


def _msg(personality: Personality, code: int, *params: object, form: Form = "text") -> str:
    fields = status_fields(personality, code, *params, when=WHEN, description="d", form=form)
    msg = [f.value for f in fields if f.name == "Msg"]
    assert len(msg) == 1
    assert isinstance(msg[0], str)
    return msg[0]


def test_status_field_order_and_types() -> None:
    fields = status_fields("cgminer", 11, when=WHEN, description="cgminer 4.11.1", form="json")
    assert fields == [
        Field("STATUS", ApiType.STRING, "S"),
        Field("When", ApiType.TIME, WHEN),
        Field("Code", ApiType.INT, 11),
        Field("Msg", ApiType.ESCAPE, "Summary"),
        Field("Description", ApiType.ESCAPE, "cgminer 4.11.1"),
    ]


def test_cgminer_drops_description_for_invalid_command_only() -> None:
    cg = status_fields("cgminer", 14, when=WHEN, description="cgminer 4.11.1", form="text")
    assert [f.name for f in cg] == ["STATUS", "When", "Code", "Msg"]
    for personality in ("sgminer", "bfgminer", "bmminer"):
        other = status_fields(personality, 14, when=WHEN, description="x", form="text")
        assert [f.name for f in other][-1] == "Description"


def test_unknown_code_is_fatal_with_code_minus_one() -> None:
    fields = status_fields("cgminer", 126, when=WHEN, description="cgminer 4.11.1", form="text")
    assert fields == [
        Field("STATUS", ApiType.STRING, "F"),
        Field("When", ApiType.TIME, WHEN),
        Field("Code", ApiType.INT, -1),
        Field("Msg", ApiType.ESCAPE, "126"),
        Field("Description", ApiType.ESCAPE, "cgminer 4.11.1"),
    ]


@pytest.mark.parametrize(
    ("personality", "code", "params", "severity", "msg"),
    [
        ("cgminer", 125, (), "S", "LCD"),
        ("sgminer", 125, ("Rotate",), "S", "Multipool strategy changed to 'Rotate'"),
        ("cgminer", 127, ("queue",), "E", "Deprecated config option 'queue'"),
        ("sgminer", 127, (), "E", "Invalid multipool strategy %d"),  # PARAM_NONE: literal
        ("sgminer", 126, (), "E", "Missing multipool strategy"),
        ("cgminer", 98, (3,), "E", "PGA3 has no device"),
        ("cgminer", 100, (30,), "S", "Hotplug check set to 30s"),
        ("cgminer", 54, (), "E", "Reached maximum number of pools (%d)"),
        ("cgminer", 24, (), "E", "Missing JSON 'command'"),
        (
            "cgminer",
            122,
            ("stratum+tcp://p:3333", 5),
            "S",
            "Set pool 'stratum+tcp://p:3333' to quota 5'",
        ),
        ("cgminer", 77, (True,), "S", "Failover-Only set to true"),
        ("cgminer", 26, (7, 2), "E", "Invalid pool id 7 - range is 0 - 2"),
        ("cgminer", 22, (), "S", "CGMiner versions"),
        ("sgminer", 22, (), "S", "SGMiner versions"),
        ("bfgminer", 22, (), "S", "BFGMiner versions"),
        ("bmminer", 22, (), "S", "BMMiner versions"),
        ("bmminer", 70, (), "S", "BMMiner stats"),
        ("bmminer", 16, (), "S", "Nonce num"),
        ("sgminer", 9, (2,), "S", "2 GPU(s)"),
        ("bfgminer", 9, (2,), "S", "2 PGA(s)"),
        ("cgminer", 9, (2,), "S", "2 ASC(s)"),
        ("bfgminer", 256, (1,), "S", "Added 1 new device(s)"),
        ("bfgminer", 257, ("BYE",), "S", "BYE"),
        ("bfgminer", 257, (None,), "S", "(null)"),  # pgarestart: MSG_PGAREI == MSG_BYE
        ("sgminer", 138, (2, "p"), "S", "Removed pool 2:'p'"),
        ("sgminer", 134, (), "E", "Profile name missing"),
    ],
)
def test_templates(
    personality: Personality, code: int, params: tuple[object, ...], severity: str, msg: str
) -> None:
    fields = status_fields(personality, code, *params, when=WHEN, description="d", form="text")
    assert fields[0] == Field("STATUS", ApiType.STRING, severity)
    assert fields[2] == Field("Code", ApiType.INT, code)
    assert fields[3] == Field("Msg", ApiType.ESCAPE, msg)


def test_code_collisions_between_miners() -> None:
    assert lookup_message("sgminer", 98) is None
    assert lookup_message("bfgminer", 98) is None  # default build: no CPU mining
    cpu = lookup_message("bfgminer", 98, features={"cpumining"})
    assert cpu is not None and cpu.template == "CPU %d already enabled"
    cg = lookup_message("cgminer", 98)
    assert cg is not None and cg.template == "PGA%d has no device"
    assert lookup_message("bmminer", 127) is None
    assert lookup_message("sgminer", 51) is None  # no DISLASTP in sgminer


def test_bfgminer_alternative_message_keeps_code_92() -> None:
    fields = status_fields(
        "bfgminer", 92 | BFG_USE_ALTMSG, 1, "freq=200", when=WHEN, description="d", form="text"
    )
    assert fields[2] == Field("Code", ApiType.INT, 92)
    assert fields[3] == Field("Msg", ApiType.ESCAPE, "PGA 1 set OK: freq=200")
    assert _msg("bfgminer", 92, 1) == "PGA 1 set OK"


def test_cgminer_devs_template_depends_on_build() -> None:
    both = status_fields(
        "cgminer", 9, 1, 2, when=WHEN, description="d", form="text", features={"asic", "fpga"}
    )
    assert both[3].value == "1 ASC(s) - 2 PGA(s)"
    nodevs = lookup_message("cgminer", 10, features={"fpga"})
    assert nodevs is not None and nodevs.template == "No PGAs"
    assert lookup_message("cgminer", 10) == lookup_message("cgminer", 10, {"asic", "usb"})
    assert lookup_message("cgminer", 58) is None  # PGA codes need an FPGA driver


@pytest.mark.parametrize(
    ("personality", "code", "params", "form", "msg"),
    [
        # Parameter escaped once here; the ESCAPE field is escaped again when rendered.
        ("cgminer", 68, (1, "a,b"), "text", "Removed pool 1:'a\\,b'"),
        ("cgminer", 68, (1, 'a"b'), "json", "Removed pool 1:'a\\\"b'"),
        ("cgminer", 53, ("x,y",), "text", "Invalid addpool details 'x\\,y'"),
        ("cgminer", 44, ("c:\\m.conf",), "json", "Configuration saved to file 'c:\\\\m.conf'"),
        ("sgminer", 55, ("a=b",), "text", "Added pool 'a\\=b'"),
        ("bfgminer", 55, ("a|b",), "text", "Added pool 'a\\|b'"),
        # cg 55 is PARAM_POOL: the URL is formatted raw (escaped once, as Msg).
        ("cgminer", 55, (0, "a,b"), "text", "Added pool 0: 'a,b'"),
        ("cgminer", 27, (0, "a,b"), "text", "Switching to pool 0:'a,b'"),
    ],
)
def test_pre_escaped_parameters(
    personality: Personality, code: int, params: tuple[object, ...], form: Form, msg: str
) -> None:
    assert _msg(personality, code, *params, form=form) == msg


def test_int_parameters_wrap_like_c_int() -> None:
    assert _msg("cgminer", 74, 2**32 + 3) == "Duplicate pool specified 3"


def test_cgminer_msg_is_cut_at_limsiz() -> None:
    long_name = "x" * 9000
    cut = _msg("cgminer", 83, long_name)
    assert len(cut) == 8190
    assert cut == ("Unknown config '" + long_name)[:8190]
    assert len(_msg("bfgminer", 83, long_name)) == len(long_name) + 17


def test_wrong_parameter_count_is_an_error() -> None:
    with pytest.raises(ValueError):
        status_fields("cgminer", 26, 1, when=WHEN, description="d", form="text")
    with pytest.raises(ValueError):
        status_fields("cgminer", 11, 1, when=WHEN, description="d", form="text")


def test_tables_have_no_unexpected_duplicates() -> None:
    for personality in PERSONALITIES:
        codes = [spec.code for spec in message_table(personality)]
        assert len(codes) == len(set(codes)), personality
