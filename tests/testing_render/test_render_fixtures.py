"""Real captures re-rendered byte for byte, and JSON validity of rendered replies."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cgapi.testing._render import (
    ApiType,
    Field,
    ReplyWriter,
    field_names,
    render_action,
    render_body,
    render_command,
    render_multi,
    render_quit,
    render_reply,
    status_fields,
)

if TYPE_CHECKING:
    from cgapi.testing._render.types import Personality

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Decimal places printed by each cgminer-era API type (cg print_data()).
_BY_DECIMALS = {2: ApiType.MHS, 4: ApiType.MHTOTAL, 6: ApiType.DOUBLE, 8: ApiType.DIFF}


def _to_fields(pairs: list[tuple[str, object]]) -> list[Field]:
    fields = []
    for name, value in pairs:
        if isinstance(value, bool):
            fields.append(Field(name, ApiType.BOOL, value))
        elif isinstance(value, str):
            fields.append(Field(name, ApiType.STRING, value))
        elif isinstance(value, tuple) and value[0] == "int":
            fields.append(Field(name, ApiType.INT64, int(value[1])))
        elif isinstance(value, tuple) and value[0] == "float":
            decimals = len(value[1].split(".")[1])
            fields.append(Field(name, _BY_DECIMALS[decimals], float(value[1])))
        else:  # pragma: no cover - not in these captures
            raise AssertionError(f"unexpected value {name}={value!r}")
    return fields


@pytest.mark.parametrize(
    "name",
    [
        "antminer-s9-stats-missing-comma.json",
        "antminer-s9-2boards-stats-missing-comma.json",
        "antminer-t9plus-stats-missing-comma.json",
    ],
)
def test_bmminer_stats_missing_comma_is_reproduced(name: str) -> None:
    raw = (FIXTURES / "bmminer" / name).read_bytes()
    assert raw.count(b"}{") == 1
    # Read the values back (repairing the comma only for reading), keeping number tokens.
    doc = json.loads(
        raw.decode().replace("}{", "},{", 1),
        object_pairs_hook=list,
        parse_int=lambda token: ("int", token),
        parse_float=lambda token: ("float", token),
    )
    top = dict(doc)
    (st,) = [dict(pairs) for pairs in top["STATUS"]]
    assert st["Code"] == ("int", "70")
    when = st["When"]
    assert isinstance(when, tuple)
    status = status_fields(
        "bmminer", 70, when=int(when[1]), description=st["Description"], form="json"
    )
    records = [_to_fields(pairs) for pairs in top["STATS"]]
    assert [f.name for f in records[0]] == ["BMMiner", "Miner", "CompileTime", "Type"]
    rendered = render_command("bmminer", "json", "stats", status, records)
    assert rendered == raw + b"\x00"


def test_bmminer_stats_text_has_no_leading_comma() -> None:
    status = status_fields("bmminer", 70, when=1, description="bmminer 1.0.0", form="text")
    version = [Field("BMMiner", ApiType.STRING, "2.0.0"), Field("Type", ApiType.STRING, "S9")]
    stats = [Field("STATS", ApiType.INT, 0), Field("ID", ApiType.STRING, "BC50")]
    assert render_command("bmminer", "text", "stats", status, [version, stats]) == (
        b"STATUS=S,When=1,Code=70,Msg=BMMiner stats,Description=bmminer 1.0.0|"
        b"BMMiner=2.0.0,Type=S9|STATS=0,ID=BC50|\x00"
    )


# ---------------------------------------------------------------- JSON validity


def _st(personality: Personality, code: int, *params: object) -> list[Field]:
    return status_fields(personality, code, *params, when=1, description="d", form="json")


def _cases() -> list[tuple[str, bytes, bool]]:
    pool = [
        Field("POOL", ApiType.INT, 0),
        Field("URL", ApiType.ESCAPE, 'a"b\\c,d'),
        Field("User", ApiType.ESCAPE, "tab\there"),
        Field("Has Stratum", ApiType.BOOL, True),
        Field("Difficulty Accepted", ApiType.DIFF, 1.0),
    ]
    removed = [Field("POOL", ApiType.INT, 1)]
    writer = ReplyWriter("cgminer", "json")
    writer.message(_st("cgminer", 127, "queue"))
    writer.message(_st("cgminer", 83, "queue"))
    version = render_body(
        "cgminer",
        "json",
        _st("cgminer", 22),
        "VERSION",
        [[Field("CGMiner", ApiType.STRING, "4.11.1"), Field("API", ApiType.CONST, "3.7")]],
        True,
    )
    invcmd = render_body("cgminer", "json", _st("cgminer", 14))
    bmminer = (FIXTURES / "bmminer" / "antminer-s9-stats-missing-comma.json").read_bytes() + b"\x00"
    return [
        # Replies real miners send as valid JSON.
        ("cg pools escaped", render_command("cgminer", "json", "pools", _st("cgminer", 7, 1), [pool]), True),
        ("cg error 14", render_reply("cgminer", "json", _st("cgminer", 14)), True),
        ("cg F 126", render_reply("cgminer", "json", _st("cgminer", 126)), True),
        ("cg quit", render_action("json"), True),
        ("bfg quit", render_quit("bfgminer", "json", when=1, description="d"), True),
        ("cg removepool", render_reply("cgminer", "json", _st("cgminer", 68, 0, 'x"\\y')), True),
        ("cg empty DEVS", render_command("cgminer", "json", "edevs", _st("cgminer", 9, 1), []), True),
        ("multi + dup keys", render_multi("json", [("version", version), ("x", invcmd), ("x", invcmd)]), True),
        ("sg pools", render_command("sgminer", "json", "pools", _st("sgminer", 7, 1), [pool]), True),
        ("bfg pools", render_command("bfgminer", "json", "pools", _st("bfgminer", 7, 1), [pool]), True),
        # Replies real miners send as invalid JSON.
        ("cg setconfig queue", writer.finish(), False),
        ("multi all blank", render_multi("json", []), False),
        ("bmminer stats }{", bmminer, False),
        (
            "cg pools, pool 0 removed",
            render_command("cgminer", "json", "pools", _st("cgminer", 7, 2), [removed]),
            False,
        ),
        (
            "sg HEX32",
            render_reply("sgminer", "json", _st("sgminer", 11), "SUMMARY", [[Field("H", ApiType.HEX32, 10)]], True),
            False,
        ),
        (
            "cg MHS nan",
            render_reply("cgminer", "json", _st("cgminer", 11), "SUMMARY", [[Field("MHS av", ApiType.MHS, math.nan)]], True),
            False,
        ),
        (
            "sg pool Name with quote",
            render_command(
                "sgminer", "json", "pools", _st("sgminer", 7, 1),
                [[Field("POOL", ApiType.INT, 0), Field("Name", ApiType.STRING, 'a"b')]],
            ),
            False,
        ),
    ]  # fmt: skip


@pytest.mark.parametrize(("label", "reply", "valid"), _cases(), ids=lambda v: str(v)[:30])
def test_json_validity(label: str, reply: bytes, valid: bool) -> None:
    assert reply.endswith(b"\x00") and reply.count(b"\x00") == 1, label
    text = reply[:-1].decode("utf-8")
    if valid:
        json.loads(text, strict=False)
    else:
        with pytest.raises(ValueError):
            json.loads(text, strict=False)


# ---------------------------------------------------------------- more real captures


def test_bmminer_version_capture() -> None:
    raw = (FIXTURES / "bmminer" / "antminer-s9-version.json").read_bytes()
    status = status_fields("bmminer", 22, when=1521037229, description="bmminer 1.0.0", form="json")
    values = {
        "BMMiner": "2.0.0",
        "API": "3.1",
        "Miner": "16.8.1.3",
        "CompileTime": "Fri Nov 17 17:57:49 CST 2017",
        "Type": "Antminer S9",
    }
    rec = [Field(name, t, values[name]) for name, t in field_names("bmminer", "version")]
    assert render_command("bmminer", "json", "version", status, [rec]) == raw + b"\x00"


def _typed(api_type: ApiType, text: str) -> object:
    if api_type in (ApiType.ESCAPE, ApiType.STRING, ApiType.CONST):
        return text
    if api_type is ApiType.BOOL:
        return text == "true"
    if api_type is ApiType.PERCENT:
        return float(text) / 100
    if api_type in (ApiType.DIFF, ApiType.MHS, ApiType.DOUBLE, ApiType.MHTOTAL):
        return float(text)
    return int(text)


def test_cgminer_4_11_1_pools_capture_from_the_avalon_manual() -> None:
    # cgminer 4.11.1 text reply as printed in Canaan's manual (no trailing '|', no NUL).
    doc = (FIXTURES / "avalon" / "avalon10xx-pools-doc.txt").read_bytes()
    status_text, pool_text = doc.decode().split("|")
    items = dict(item.split("=", 1) for item in pool_text.split(","))
    rec = [
        Field(name, t, _typed(t, items[name]))
        for name, t in field_names("cgminer", "pools", optional=False)
    ]
    assert [f.name for f in rec] == list(items)
    status = status_fields("cgminer", 7, 1, when=17592, description="cgminer 4.11.1", form="text")
    assert status_text.startswith("STATUS=S,When=17592,")
    assert render_command("cgminer", "text", "pools", status, [rec]) == doc + b"|\x00"
