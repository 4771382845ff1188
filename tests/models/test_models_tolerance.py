"""Models accept what firmware really sends: strings for numbers, blanks, Y/N, nan..."""

import math
from typing import Any

import pytest

from cgapi.models import Check, Config, Device, Pool, Stats, Summary, Version
from cgapi.models.base import to_bool, to_float, to_int, to_int_or_str, to_str
from cgapi.protocol import Record


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(5, 5, id="int"),
        pytest.param("42", 42, id="numeric-string"),
        pytest.param(" 42", 42, id="leading-blank"),
        pytest.param("42 ", 42, id="trailing-blank"),
        pytest.param("5.0", 5, id="int-written-as-float"),
        pytest.param("156.0000", 156, id="hammer-accepted"),
        pytest.param(5.0, 5, id="json-float"),
        pytest.param("1.339e+04", 13390, id="exponent"),
        pytest.param("-1", -1, id="negative"),
        pytest.param("0x0000abcd", 0xABCD, id="hex32"),
        pytest.param("1655589633532138", 1655589633532138, id="big"),
        pytest.param("", None, id="empty"),
        pytest.param("   ", None, id="blank"),
        pytest.param("nan", None, id="nan"),
        pytest.param("inf", None, id="inf"),
        pytest.param("524K", None, id="garbage"),
        pytest.param(None, None, id="none"),
        pytest.param([1], None, id="list"),
        pytest.param(True, 1, id="bool"),
    ],
)
def test_to_int(value: Any, expected: int | None) -> None:
    assert to_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("13.39", 13.39, id="numeric-string"),
        pytest.param(" 13.39 ", 13.39, id="blanks"),
        pytest.param("1.339e+04", 13390.0, id="exponent"),
        pytest.param("1.339E+04", 13390.0, id="exponent-upper"),
        pytest.param(7, 7.0, id="int"),
        pytest.param("", None, id="empty"),
        pytest.param("nan", None, id="nan"),
        pytest.param("-nan", None, id="minus-nan"),
        pytest.param("inf", None, id="inf"),
        pytest.param("-inf", None, id="minus-inf"),
        pytest.param(float("nan"), None, id="json-nan"),
        pytest.param(float("inf"), None, id="json-inf"),
        pytest.param("79-79-61-61", None, id="dash-list"),
        pytest.param({"a": 1}, None, id="dict"),
    ],
)
def test_to_float(value: Any, expected: float | None) -> None:
    assert to_float(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("false", False),
        ("True", True),
        ("Y", True),
        ("N", False),
        ("y", True),
        ("1", True),
        ("0", False),
        (True, True),
        (0, False),
        ("", None),
        ("maybe", None),
        (None, None),
    ],
)
def test_to_bool(value: Any, expected: bool | None) -> None:
    assert to_bool(value) is expected


def test_to_str_renders_json_values_like_text() -> None:
    assert to_str("a b ") == "a b "
    assert to_str("") == ""
    assert to_str(20) == "20"
    assert to_str(3.1) == "3.1"
    assert to_str(True) == "true"
    assert to_str([1, "a"]) == '[1,"a"]'
    assert to_str(None) is None


def test_to_int_or_str() -> None:
    assert to_int_or_str("0:00:34") == "0:00:34"
    assert to_int_or_str("1664014841") == 1664014841
    assert to_int_or_str(1664014841) == 1664014841
    assert to_int_or_str("Disabled") == "Disabled"
    assert to_int_or_str("") is None


def test_summary_from_strings_blanks_and_exponents() -> None:
    summary = Summary.model_validate(
        {
            "Elapsed": " 2296",
            "MHS av": "nan",
            "KHS 30s": "1.352e+04",
            "Accepted": "5.0",
            "Rejected": "",
            "Best Share": "0.000000",
            "Pool Stale%": "-inf",
        }
    )
    assert summary.elapsed == 2296
    assert summary.mhs_av is None
    assert summary.accepted == 5
    assert summary.rejected is None
    assert summary.best_share == 0.0
    assert summary.pool_stale_percent is None
    assert summary.rates == {"30s": 13.52e6}


def test_unusable_values_become_none_not_errors() -> None:
    device = Device.model_validate(
        {"PGA": "x", "Enabled": "maybe", "Temperature": [1, 2], "Accepted": {"a": 1}}
    )
    assert (device.kind, device.index, device.enabled) == ("PGA", None, None)
    assert device.temperature is None and device.accepted is None


def test_bools_from_text_and_yes_no() -> None:
    pool = Pool.model_validate(
        {"POOL": "0", "Long Poll": "N", "Has Stratum": "true", "Stratum Active": "false"}
    )
    assert pool.long_poll is False and pool.has_stratum is True and pool.stratum_active is False
    check = Check.model_validate({"Exists": "Y", "Access": "N"})
    assert check.exists is True and check.access is False


def test_unknown_keys_are_kept_in_model_extra() -> None:
    stats = Stats.model_validate(
        {"STATS": "0", "ID": "BC50", "fan1": "6000", "chain_acs4": "", "temp_pcb1": "79-79"}
    )
    assert stats.model_extra == {"fan1": "6000", "chain_acs4": "", "temp_pcb1": "79-79"}
    assert stats.model_dump(by_alias=True)["fan1"] == "6000"


def test_snake_case_names_and_wire_aliases() -> None:
    by_alias = Summary.model_validate({"Device Hardware%": 0.5, "Pool Stale%": 1})
    by_name = Summary.model_validate({"device_hardware_percent": 0.5, "pool_stale_percent": 1})
    assert by_alias == by_name
    assert by_alias.model_dump(by_alias=True, exclude_none=True) == {
        "Device Hardware%": 0.5,
        "Pool Stale%": 1.0,
    }


def test_duplicated_keys_first_value_wins() -> None:
    record = Record.from_pairs(
        [("PGA", "0"), ("Hardware Errors", "1094474"), ("Hardware Errors", "0")]
    )
    assert record.duplicates == (("Hardware Errors", "0"),)
    device = Device.model_validate(record)
    assert device.hardware_errors == 1094474
    assert device.model_extra == {}


def test_models_are_frozen() -> None:
    summary = Summary.model_validate({"Elapsed": 1})
    with pytest.raises(ValueError, match="frozen"):
        summary.elapsed = 2  # type: ignore[misc]


def test_hotplug_and_version_types_vary() -> None:
    assert Config.model_validate({"Hotplug": "5"}).hotplug == 5
    assert Config.model_validate({"Hotplug": 5}).hotplug == 5
    assert Config.model_validate({"Hotplug": "Disabled"}).hotplug == "Disabled"
    assert Config.model_validate({"Hotplug": "None"}).hotplug == "None"
    assert Version.model_validate({"API": 3.1}).api == "3.1"


def test_config_files_and_device_codes() -> None:
    config = Config.model_validate(
        {"Device Code": "ICA AVA ", "ConfigFile1": "/b.conf", "ConfigFile0": "/a.conf"}
    )
    assert config.device_codes == ("ICA", "AVA")
    assert config.config_files == ("/a.conf", "/b.conf")


def test_device_without_index_key() -> None:
    device = Device.model_validate({"Name": "ttyS1"})
    assert device.kind is None and device.index is None
    again = Device.model_validate(device.model_dump())
    assert again == device


def test_nan_json_float_is_none() -> None:
    device = Device.model_validate({"ASC": 0, "MHS av": math.nan, "MHS 5s": math.inf})
    assert device.mhs_av is None and device.mhs_5s is None and device.rates == {}
