"""The same reply data in JSON form (typed) and text form (all strings) gives equal models."""

from typing import Any

import pytest

from cgapi.models import (
    Check,
    Coin,
    Config,
    Count,
    DebugSettings,
    DevDetail,
    Device,
    Lcd,
    MinerModel,
    Notify,
    Pool,
    Profile,
    Stats,
    Summary,
    UsbStats,
    Version,
)


def as_text(value: Any) -> str:
    """Render a JSON value the way the text API does (every value is a string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def text_twin(record: dict[str, Any]) -> dict[str, str]:
    """The text-form twin of a JSON record."""
    return {key: as_text(value) for key, value in record.items()}


DEVICE_KINDS = frozenset({"GPU", "PGA", "ASC", "CPU", "PROC"})

SUMMARY = {
    "Elapsed": 2296,
    "MHS av": 13.39,
    "MHS 30s": 13.52,
    "MHS 1m": 13.1,
    "Found Blocks": 0,
    "Getworks": 20,
    "Accepted": 5,
    "Rejected": 0,
    "Hardware Errors": 0,
    "Utility": 0.1307,
    "Discarded": 0,
    "Stale": 0,
    "Get Failures": 0,
    "Local Work": 0,
    "Remote Failures": 0,
    "Network Blocks": 20,
    "Total MH": 30722143840.0,
    "Work Utility": 0.1307,
    "Difficulty Accepted": 5.0,
    "Difficulty Rejected": 0.0,
    "Difficulty Stale": 0.0,
    "Best Share": 459832747,
    "Device Hardware%": 0.0,
    "Device Rejected%": 0.0916,
    "Pool Rejected%": 0.093,
    "Pool Stale%": 0.0,
    "Last getwork": 1673222401,
}

DEVICE_ASC = {
    "ASC": 0,
    "Name": "AVA10",
    "ID": 0,
    "Enabled": "Y",
    "Status": "Alive",
    "Temperature": -273.0,
    "MHS av": 192796247.36,
    "MHS 30s": 197497926.49,
    "MHS 1m": 197266944.16,
    "MHS 5m": 186968586.55,
    "MHS 15m": 124648835.18,
    "Accepted": 148,
    "Rejected": 1,
    "Hardware Errors": 0,
    "Utility": 9.61,
    "Last Share Pool": -1,
    "Last Share Time": 975,
    "Total MH": 178226436366.0,
    "Diff1 Work": 41775104,
    "Difficulty Accepted": 38797312.0,
    "Difficulty Rejected": 262144.0,
    "Last Share Difficulty": 262144.0,
    "No Device": False,
    "Last Valid Work": 986,
    "Device Hardware%": 0.0,
    "Device Rejected%": 0.6275,
    "Device Elapsed": 924,
}

DEVICE_GPU = {
    "GPU": 0,
    "Enabled": "Y",
    "Status": "Alive",
    "Temperature": 63.0,
    "Fan Speed": 0,
    "Fan Percent": 60,
    "GPU Clock": 2400,
    "Memory Clock": 875,
    "GPU Voltage": 0.937,
    "GPU Activity": 0,
    "Powertune": 0,
    "MHS av": 13.39,
    "MHS 30s": 13.52,
    "KHS av": 13390,
    "KHS 30s": 13520,
    "Intensity": "20",
    "XIntensity": 0,
    "RawIntensity": 0,
    "Last Share Time": 0,
    "Diff1 Work": 5.079365,
}

DEVICE_BFG = {
    "PGA": 0,
    "Name": "BFL",
    "ID": 0,
    "ProcID": 0,
    "Enabled": "Y",
    "Status": "Alive",
    "MHS av": 471938.936,
    "MHS 20s": 471703.417,
    "MHS rolling": 471703.417,
    "Stale": 0,
    "Work Utility": 5836.948,
    "Difficulty Stale": 0.0,
    "Frequency": 600.0,
    "Intensity": 7,
}

POOL = {
    "POOL": 0,
    "URL": "stratum+tcp://stratum.pool.io:3333",
    "Status": "Alive",
    "Priority": 0,
    "Quota": 1,
    "Long Poll": "N",
    "Getworks": 27,
    "Accepted": 148,
    "Rejected": 1,
    "Works": 10199,
    "Discarded": 0,
    "Stale": 0,
    "Get Failures": 0,
    "Remote Failures": 0,
    "User": "pool_username.real_worker",
    "Last Share Time": 975,
    "Diff1 Shares": 41775104,
    "Proxy Type": "",
    "Proxy": "",
    "Difficulty Accepted": 38797312.0,
    "Difficulty Rejected": 262144.0,
    "Difficulty Stale": 0.0,
    "Last Share Difficulty": 262144.0,
    "Work Difficulty": 262144.0,
    "Has Stratum": True,
    "Stratum Active": True,
    "Stratum URL": "stratum.pool.io",
    "Stratum Difficulty": 262144.0,
    "Has Vmask": True,
    "Has GBT": False,
    "Best Share": 19649871,
    "Pool Rejected%": 0.6711,
    "Pool Stale%": 0.0,
    "Bad Work": 2,
    "Current Block Height": 882588,
    "Current Block Version": 536870912,
}

POOL_SG = {
    "POOL": 1,
    "Name": "firo",
    "URL": "stratum+tcp://firo.2miners.com:8181",
    "Profile": "",
    "Algorithm": "firopow",
    "Algorithm Type": "Firopow",
    "Algorithm NFactor": 10,
    "Description": "",
    "Mining Goal": "default",
    "Message": "hello",
}

CASES: list[tuple[type[MinerModel], dict[str, Any]]] = [
    (Summary, SUMMARY),
    (Device, DEVICE_ASC),
    (Device, DEVICE_GPU),
    (Device, DEVICE_BFG),
    (Pool, POOL),
    (Pool, POOL_SG),
    (Version, {"Miner": "sgminer 5.6.1", "CGMiner": "5.6.1", "API": "4.0"}),
    (
        Config,
        {
            "ASC Count": 1,
            "PGA Count": 0,
            "GPU Count": 0,
            "Pool Count": 3,
            "ADL": "N",
            "ADL in use": "N",
            "Strategy": "Failover",
            "Rotate Period": 0,
            "Log Interval": 5,
            "Device Code": "ICA AVA ",
            "OS": "Linux",
            "Hotplug": 5,
            "Failover-Only": False,
            "Failover Switch Delay": 60,
            "ScanTime": 7,
            "Queue": 1,
            "Expiry": 120,
            "Coinbase-Sig": "cgapi",
        },
    ),
    (
        Coin,
        {
            "Hash Method": "sha256",
            "Current Block Time": 1516477181.246917,
            "Current Block Hash": "00000000000000000047",
            "LP": True,
            "Network Difficulty": 2227847638503.6283,
            "Difficulty Accepted": 5.0,
        },
    ),
    (Check, {"Exists": "Y", "Access": "N"}),
    (
        DebugSettings,
        {
            "Silent": False,
            "Quiet": False,
            "Verbose": True,
            "Debug": False,
            "RPCProto": False,
            "PerDevice": True,
            "WorkTime": False,
        },
    ),
    (
        Lcd,
        {
            "Elapsed": 17994,
            "GHS av": 51278.8,
            "GHS 5m": 51088.6,
            "GHS 5s": 51423.4,
            "Temperature": 74.0,
            "Last Share Difficulty": 131072.0,
            "Last Share Time": 1516477181,
            "Best Share": 459832747,
            "Last Valid Work": 1516477181,
            "Found Blocks": 0,
            "Current Pool": "stratum+tcp://btc.ss.poolin.com:443",
            "User": "cctrix.001",
        },
    ),
    (Count, {"Count": 3}),
    (
        Notify,
        {
            "NOTIFY": 0,
            "Name": "GPU",
            "ID": 0,
            "Last Well": 1673223742,
            "Last Not Well": 0,
            "Reason Not Well": "None",
            "*Thread Fail Init": 0,
            "*Dev Over Heat": 2,
            "*Dev Throttle": 1,
        },
    ),
    (
        DevDetail,
        {
            "DEVDETAILS": 0,
            "Name": "GPU",
            "ID": 0,
            "Driver": "opencl",
            "Kernel": "firopow",
            "Model": "AMD Radeon RX 6600",
            "Device Path": "03:00:0",
            "Target Temperature": 80,
            "Cutoff Temperature": 95,
        },
    ),
    (
        Stats,
        {
            "STATS": 1,
            "ID": "POOL0",
            "Elapsed": 2680,
            "Calls": 1450,
            "Wait": 4.773805,
            "Max": 4.773805,
            "Min": 0.0,
            "Pool Calls": 0,
            "Pool Av": 0.0,
            "Work Had Roll Time": False,
            "Work Diff": 1.0,
            "Bytes Recv": 7030,
            "GHS 5s": 13630.55,
            "GHS av": 13569.28,
            "USB Pipe": "0",
        },
    ),
    (
        UsbStats,
        {
            "Name": "AVA",
            "ID": 0,
            "Stat": "USB init",
            "Seq": 0,
            "Modes": "",
            "Count": 3,
            "Total Delay": 0.5,
            "Timeout Count": 1,
            "Error Max Delay": 0.25,
            "First Command": 1516477181.246917,
            "Last Command": 1516477189.5,
        },
    ),
    (
        Profile,
        {
            "PROFILE": 0,
            "Name": "default",
            "IsDefault": True,
            "Algorithm": "ckolivas",
            "Algorithm Type": "Scrypt",
            "Algorithm NFactor": 10,
            "LookupGap": "2",
            "Devices": "all",
            "Intensity": "13",
            "XIntensity": "",
            "Gpu Fan%": "",
            "Worksize": "256",
        },
    ),
]


@pytest.mark.parametrize(
    ("model", "record"),
    CASES,
    ids=[f"{model.__name__}-{i}" for i, (model, _record) in enumerate(CASES)],
)
def test_text_and_json_forms_validate_equal(
    model: type[MinerModel], record: dict[str, Any]
) -> None:
    from_json = model.model_validate(record)
    from_text = model.model_validate(text_twin(record))
    assert from_json == from_text
    # Every key of the case is a declared field or a normalised rate key.
    declared = {info.alias for info in model.model_fields.values()}
    extra = from_json.model_extra or {}
    assert all(key in declared or key in extra for key in record if key not in DEVICE_KINDS)
    assert from_json.model_fields_set, "nothing was validated"


def test_printf_formatted_text_matches_json() -> None:
    """Text values as cgminer really prints them (%.2f, %.8f, %.4f percent...)."""
    text = {
        "ASC": "0",
        "Temperature": "63.00",
        "MHS av": "192796247.36",
        "MHS 5s": " 197497926.49",
        "Difficulty Accepted": "38797312.00000000",
        "Device Rejected%": "0.6275",
        "Diff1 Work": "41775104",
        "Last Share Time": "975",
        "Enabled": "Y",
        "No Device": "false",
    }
    json_form = {
        "ASC": 0,
        "Temperature": 63.0,
        "MHS av": 192796247.36,
        "MHS 5s": 197497926.49,
        "Difficulty Accepted": 38797312.0,
        "Device Rejected%": 0.6275,
        "Diff1 Work": 41775104,
        "Last Share Time": 975,
        "Enabled": "Y",
        "No Device": False,
    }
    assert Device.model_validate(text) == Device.model_validate(json_form)


def test_twin_values_really_are_strings() -> None:
    twin = text_twin(POOL)
    assert all(isinstance(value, str) for value in twin.values())
    assert twin["Has Stratum"] == "true" and twin["POOL"] == "0"
    pool = Pool.model_validate(twin)
    assert pool.index == 0 and pool.has_stratum is True and pool.current_block_height == 882588
