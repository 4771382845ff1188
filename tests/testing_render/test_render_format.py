"""Per-miner value formats of print_data(): exact strings, no round-tripping."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest

from cgapi.testing._render import ApiType, Field, format_item, format_value

if TYPE_CHECKING:
    from cgapi.testing._render.types import Form, Personality

T = ApiType


@pytest.mark.parametrize(
    ("personality", "expected"),
    [
        ("cgminer", "1234.50"),
        ("bmminer", "1234.50"),
        ("sgminer", "1234.5000"),
        ("bfgminer", "1234.500"),
    ],
)
@pytest.mark.parametrize("api_type", [T.MHS, T.UTILITY, T.FREQ])
def test_mhs_family_precision_per_miner(
    api_type: ApiType, personality: Personality, expected: str
) -> None:
    assert format_value(api_type, 1234.5, personality, "json") == expected
    assert format_value(api_type, 1234.5, personality, "text") == expected


@pytest.mark.parametrize(
    ("personality", "value", "expected"),
    [
        ("cgminer", 1024.0, "1024.00000000"),
        ("sgminer", 1024.0, "1024.00000000"),
        ("bfgminer", 1024.0, "1024"),
        ("bfgminer", 0.5, "0.50000000"),
        ("bfgminer", 65536.25, "65536.25000000"),
        ("bfgminer", -0.0, "-0"),
        ("bfgminer", math.nan, "nan"),
        ("bfgminer", math.inf, "inf"),
        ("cgminer", 1 / 3, "0.33333333"),
    ],
)
def test_diff(personality: Personality, value: float, expected: str) -> None:
    assert format_value(T.DIFF, value, personality, "text") == expected


@pytest.mark.parametrize(
    ("api_type", "value", "expected"),
    [
        (T.PERCENT, 0.0123, "1.2300"),
        (T.PERCENT, 0.0, "0.0000"),
        (T.DOUBLE, 1.5, "1.500000"),
        (T.ELAPSED, 2.5, "2"),  # round-half-even on an exact tie, as glibc
        (T.ELAPSED, 3.5, "4"),
        (T.ELAPSED, 100986.4, "100986"),
        (T.MHTOTAL, 1.23456, "1.2346"),
        (T.HS, 1e-9, "0.000000001000000"),
        (T.TEMP, 0.615, "0.62"),  # float32(0.615) > 0.615; the double would give 0.61
        (T.VOLTS, 1.2345, "1.235"),  # float32 again; the double would give 1.234
        (T.AVG, 1.2345, "1.235"),
        (T.INT, 2**31, "-2147483648"),
        (T.UINT, -1, "4294967295"),
        (T.UINT32, 2**32 + 5, "5"),
        (T.UINT8, 256 + 7, "7"),
        (T.INT16, 40000, "-25536"),
        (T.UINT16, -1, "65535"),
        (T.UINT64, -1, "18446744073709551615"),
        (T.INT64, 2**63, "-9223372036854775808"),
        (T.TIME, 1545000000, "1545000000"),
        (T.TIME, -1, "18446744073709551615"),
        (T.BOOL, True, "true"),
        (T.BOOL, False, "false"),
        (T.TIMEVAL, (1545000000, 123456), "1545000000.123456"),
        (T.TIMEVAL, (5, 7), "5.000007"),
        (T.TIMEVAL, 99999999.0, "99999999.000000"),
        (T.TIMEVAL, (-1, -5), "-1.-00005"),
        (T.MHS, math.nan, "nan"),
        (T.MHS, -math.nan, "-nan"),
        (T.MHS, math.inf, "inf"),
        (T.MHS, -math.inf, "-inf"),
        (T.MHS, -0.0, "-0.00"),
    ],
)
def test_cgminer_number_formats(api_type: ApiType, value: object, expected: str) -> None:
    assert format_value(api_type, value, "cgminer", "text") == expected
    assert format_value(api_type, value, "cgminer", "json") == expected


def test_timeval_is_unsigned_in_sgminer_and_bfgminer() -> None:
    assert format_value(T.TIMEVAL, (-1, 0), "sgminer", "text") == "18446744073709551615.000000"
    assert format_value(T.TIMEVAL, (-1, 0), "bfgminer", "json") == "18446744073709551615.000000"


def test_khs_exists_only_in_sgminer() -> None:
    assert format_value(T.KHS, 1234.5, "sgminer", "json") == "1234"
    assert format_value(T.KHS, 1234.6, "sgminer", "text") == "1235"
    assert format_value(T.KHS, 1.0, "cgminer", "json") == '"Unknown"'
    assert format_value(T.KHS, 1.0, "bfgminer", "text") == "Unknown"


@pytest.mark.parametrize(
    ("personality", "api_type"),
    [
        ("sgminer", T.INT16),
        ("sgminer", T.INT64),
        ("bfgminer", T.INT64),
        ("bfgminer", T.AVG),
        ("bfgminer", T.HEX32),
        ("cgminer", T.JSON),
    ],
)
def test_types_without_a_print_data_case_print_unknown(
    personality: Personality, api_type: ApiType
) -> None:
    assert format_value(api_type, 1, personality, "json") == '"Unknown"'
    assert format_value(api_type, 1, personality, "text") == "Unknown"


@pytest.mark.parametrize(
    ("personality", "form", "expected"),
    [
        ("cgminer", "text", "0x0000abcd"),
        ("cgminer", "json", '"0x0000abcd"'),
        ("bmminer", "json", '"0x0000abcd"'),
        ("sgminer", "text", "0x0000a"),  # snprintf(buf, sizeof(char *), ...)
        ("sgminer", "json", "0x0000a"),  # ... and never quoted
    ],
)
def test_hex32(personality: Personality, form: Form, expected: str) -> None:
    assert format_value(T.HEX32, 0xABCD, personality, form) == expected


def test_null_pointer_is_const_null_string() -> None:
    assert format_value(T.ESCAPE, None, "cgminer", "text") == "(null)"
    assert format_value(T.MHS, None, "bfgminer", "json") == '"(null)"'


def test_escape_field_text_and_json() -> None:
    value = 'a,b|c=d\\e"f'
    assert format_value(T.ESCAPE, value, "cgminer", "text") == 'a\\,b\\|c\\=d\\\\e"f'
    assert format_value(T.ESCAPE, value, "cgminer", "json") == '"a,b|c=d\\\\e\\"f"'


def test_string_and_const_go_out_raw_even_in_json() -> None:
    value = 'x"y\\z,|='
    for api_type in (T.STRING, T.CONST):
        assert format_value(api_type, value, "sgminer", "json") == '"x"y\\z,|="'
        assert format_value(api_type, value, "sgminer", "text") == 'x"y\\z,|='


def test_control_characters_are_never_escaped() -> None:
    assert format_value(T.ESCAPE, "a\nb\tc\x01", "bfgminer", "json") == '"a\nb\tc\x01"'


def test_c_strings_stop_at_nul() -> None:
    assert format_value(T.STRING, "abc\x00def", "cgminer", "text") == "abc"
    assert format_item(Field("Na\x00me", T.INT, 1), "cgminer", "text") == "Na=1"


def test_cgminer_number_buffer_is_64_bytes() -> None:
    full = format_value(T.DOUBLE, 1e300, "sgminer", "text")
    assert len(full) == 308
    assert format_value(T.DOUBLE, 1e300, "cgminer", "text") == full[:63]
    assert format_value(T.DOUBLE, 1e300, "bfgminer", "text") == full


def test_bfgminer_json_values_are_inserted_verbatim_in_both_forms() -> None:
    assert format_value(T.JSON, {"a": [1, 2]}, "bfgminer", "text") == '{"a":[1,2]}'
    assert format_value(T.JSON, '{"b":true}', "bfgminer", "json") == '{"b":true}'


def test_format_item() -> None:
    field = Field("MHS 5s", T.MHS, 2.0)
    assert format_item(field, "cgminer", "text") == "MHS 5s=2.00"
    assert format_item(field, "cgminer", "json") == '"MHS 5s":2.00'


def test_wrong_python_type_is_an_error() -> None:
    with pytest.raises(TypeError):
        format_value(T.INT, "1", "cgminer", "text")
    with pytest.raises(TypeError):
        format_value(T.BOOL, 1, "cgminer", "text")
    with pytest.raises(TypeError):
        format_value(T.STRING, 1, "cgminer", "text")
