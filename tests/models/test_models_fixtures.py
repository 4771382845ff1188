"""Every real reply in tests/fixtures validates into the model its command returns."""

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import AliasChoices

from cgapi.models import (
    Check,
    Coin,
    Config,
    Count,
    DebugSettings,
    DevDetail,
    Device,
    HashrateModel,
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
from cgapi.protocol import MultiReply, Record, Reply, decode_reply

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

SECTION_MODELS: dict[str, type[MinerModel]] = {
    "VERSION": Version,
    "CONFIG": Config,
    "SUMMARY": Summary,
    "DEVS": Device,
    "PGA": Device,
    "ASC": Device,
    "GPU": Device,
    "CPU": Device,
    "POOLS": Pool,
    "PGAS": Count,
    "ASCS": Count,
    "GPUS": Count,
    "CPUS": Count,
    "NOTIFY": Notify,
    "DEVDETAILS": DevDetail,
    "STATS": Stats,
    "CHECK": Check,
    "COIN": Coin,
    "DEBUG": DebugSettings,
    "LCD": Lcd,
    "USBSTATS": UsbStats,
}
"""commands.json ``reply_section`` -> model."""

COMMAND_OVERRIDES: dict[str, type[MinerModel]] = {
    # sgminer profiles reuse the POOLS key; bfgminer devdetails/procdetails/devscan use DEVS.
    "profiles": Profile,
    "devdetails": DevDetail,
    "procdetails": DevDetail,
    "devscan": DevDetail,
}


def _command_models() -> dict[str, type[MinerModel]]:
    table = json.loads((FIXTURES / "commands.json").read_text())
    models: dict[str, type[MinerModel]] = {}
    for entry in table:
        section = entry["reply_section"]
        if section is not None:
            models[entry["name"]] = SECTION_MODELS[section]
    models.update(COMMAND_OVERRIDES)
    return models


COMMAND_MODELS = _command_models()


def model_for(command: str) -> type[MinerModel]:
    """Model for a command; vendor-only commands (temps, fans, atm, groups) get MinerModel."""
    return COMMAND_MODELS.get(command, MinerModel)


def _base_command(cell: str) -> str:
    # SOURCES.tsv has cells like "gpu|0", "stats (pyasic test uses ...)", "temps+devs+fans".
    match = re.match(r"[a-z][a-z+-]*", cell)
    return match[0] if match else cell


def _rows() -> list[dict[str, str]]:
    with (FIXTURES / "SOURCES.tsv").open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = _rows()


def _replies(row: dict[str, str]) -> Iterator[tuple[str, Reply]]:
    decoded = decode_reply((FIXTURES / row["file"]).read_bytes())
    if isinstance(decoded, MultiReply):
        yield from decoded.items()
    else:
        yield _base_command(row["command"]), decoded


def _accepted_keys(model: type[MinerModel]) -> set[str]:
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        keys.add(name)
        if info.alias:
            keys.add(info.alias)
        if isinstance(info.validation_alias, AliasChoices):
            keys.update(str(choice) for choice in info.validation_alias.choices)
        elif isinstance(info.validation_alias, str):
            keys.add(info.validation_alias)
    if model is Device:
        keys.update(("GPU", "PGA", "ASC", "CPU", "PROC"))
    return keys


def _check_sane(item: MinerModel) -> None:
    if isinstance(item, HashrateModel):
        assert all(rate >= 0 for rate in item.rates.values()), item.rates
    if isinstance(item, Summary):
        assert item.elapsed is None or item.elapsed > 0
        assert item.accepted is None or item.accepted >= 0
        assert item.rates, "a summary always reports some hash rate"
    elif isinstance(item, Device):
        assert item.kind is not None
        assert item.index is not None and item.index >= 0
    elif isinstance(item, Pool):
        assert item.index is not None and item.index >= 0
        assert item.url
    elif isinstance(item, Version):
        assert item.api or item.software_version
    elif isinstance(item, Stats):
        assert item.is_version_header or item.index is not None
    elif isinstance(item, DevDetail | Notify):
        assert item.index is not None and item.index >= 0


def _validated(row: dict[str, str]) -> list[tuple[str, Record, MinerModel]]:
    out: list[tuple[str, Record, MinerModel]] = []
    for command, reply in _replies(row):
        if reply.status.is_error:
            continue
        model = model_for(command)
        out.extend((command, record, model.model_validate(record)) for record in reply.records)
    return out


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_fixture_validates(row: dict[str, str]) -> None:
    for _command, record, item in _validated(row):
        _check_sane(item)
        # Nothing is lost: every wire key is a field (alias) or kept in model_extra.
        accepted = _accepted_keys(type(item))
        extra = item.model_extra or {}
        assert all(key in extra or key in accepted for key in record), record.keys()


def _load(name: str) -> list[Any]:
    row = next(row for row in ROWS if row["file"] == name)
    return [item for _command, _record, item in _validated(row)]


def test_fixture_coverage_of_models() -> None:
    seen = {type(item) for row in ROWS for _c, _r, item in _validated(row)}
    assert {Summary, Device, Pool, Version, Config, DevDetail, Stats, Notify, Coin} <= seen


def test_antminer_s9_summary_json() -> None:
    (summary,) = _load("bmminer/antminer-s9-summary.json")
    assert isinstance(summary, Summary)
    assert summary.elapsed == 40206
    assert summary.ghs_5s == 13581.93  # a JSON string on the wire
    assert summary.hashrate_current == pytest.approx(13581.93e9)
    assert summary.hashrate_av == pytest.approx(13580.83e9)
    assert summary.pool_rejected_percent == 0.0147
    assert summary.best_share == 99242396


def test_antminer_s19jpro_text_summary_pools_devs() -> None:
    (summary,) = _load("bmminer/antminer-s19jpro-summary.txt")
    assert summary.elapsed == 906695
    assert summary.getworks == 32335  # sent as "Getwork"
    assert summary.hashrate("30m") == pytest.approx(105201.68e9)
    assert summary.hashrate_current == pytest.approx(107840.10e9)

    pools = _load("bmminer/antminer-s19jpro-pools.txt")
    assert [pool.index for pool in pools] == [0, 1, 2]
    assert pools[0].url == "stratum+tcp://sha256.poolbinance.com:443"
    assert pools[0].last_share_time == "0:00:34"
    assert pools[1].last_share_time == 0
    assert pools[0].pool_stale_percent == 0.0  # sent as "Pool Stale%%"
    assert pools[0].model_extra == {"Diff": "524K"}
    assert pools[0].stratum_active is True and pools[1].stratum_active is False
    assert pools[1].stratum_url == ""

    (device,) = _load("bmminer/antminer-s19jpro-devs.txt")
    assert (device.kind, device.index, device.name) == ("ASC", 0, "BTM_SOC")
    assert device.temperature == 0.0  # sent as "Tenperature"
    assert device.last_share_difficulty == 1664014841


def test_antminer_s19jpro_text_stats_header_and_board() -> None:
    header, board = _load("bmminer/antminer-s19jpro-stats.txt")
    assert header.is_version_header
    assert header.model_extra["Type"] == "Antminer S19j Pro"
    assert not board.is_version_header and not board.is_pool
    assert board.id == "BTM_SOC0"
    assert board.hashrate_av == pytest.approx(105357.89e9)
    assert board.model_extra["chain_rate4"] == ""
    assert board.model_extra["temp_pcb1"] == "79-79-61-61"


def test_bitmain_missing_comma_stats() -> None:
    header, board = _load("bmminer/antminer-s9-stats-missing-comma.json")
    assert header.is_version_header and header.model_extra["BMMiner"] == "2.0.0"
    assert board.index == 0 and board.id == "BC50"
    assert board.ghs_5s == 13630.55
    assert board.model_extra["chain_rate6"] == "4536.24"
    assert board.model_extra["chain_acs1"] == ""


def test_teamredminer_text() -> None:
    (device,) = _load("teamredminer/trm-0.10.7-devs.txt")
    assert (device.kind, device.index, device.enabled) == ("GPU", 0, True)
    assert device.hashrate_av == pytest.approx(13.39e6)
    assert device.hashrate_current == pytest.approx(13.52e6)  # MHS 30s / KHS 30s
    assert device.khs_av == 13390.0  # 1.339e+04
    assert device.model_extra["KHS 30s"] == 13520.0
    assert device.intensity == "20"
    assert device.model_extra["TemperatureJnct"] == "71.00"

    (summary,) = _load("teamredminer/trm-0.10.7-summary.txt")
    assert summary.elapsed == 2296 and summary.last_getwork == 1673222401
    assert summary.rates == pytest.approx({"av": 13.39e6, "30s": 13.52e6})

    (config,) = _load("teamredminer/trm-0.10.7-config.txt")
    assert config.gpu_count == 1 and config.adl is False and config.failover_only is False
    assert config.device_codes == ("GPU",) and config.hotplug is None
    assert config.model_extra == {"Algo Count": "1"}

    (pool,) = _load("teamredminer/trm-0.10.7-pools.txt")
    assert pool.name == "firo.2miners.com" and pool.description == ""
    assert pool.long_poll is False and pool.has_stratum is True and pool.diff1_shares == 9.0

    pool_stats = _load("teamredminer/trm-0.10.7-stats.txt")[1]
    assert pool_stats.is_pool and pool_stats.pool_calls == 0 and pool_stats.bytes_recv == 7030

    (version,) = _load("teamredminer/trm-0.10.7-version.txt")
    assert (version.miner, version.sgminer, version.api) == ("TeamRedMiner 0.10.7", "5.4", "4.0")

    (coin,) = _load("teamredminer/trm-0.10.7-coin.txt")
    assert coin.lp is True and coin.current_block_time == 1673222745.24383

    (notify,) = _load("teamredminer/trm-0.10.7-notify.txt")
    assert notify.last_well == 1673223742 and notify.reason_not_well == "None"
    assert notify.dev_over_heat == 0

    (detail,) = _load("teamredminer/trm-0.10.7-devdetails.txt")
    assert (detail.model, detail.device_path) == ("AMD Radeon RX 6600", "03:00:0")


def test_bfgminer_devs() -> None:
    (device,) = _load("bfgminer/bfgminer-5.4.2-devs-1pga-bfl.txt")
    assert device.hashrate_current == pytest.approx(471703.417e6)  # MHS 20s
    assert device.mhs_rolling == 471703.417
    assert device.hardware_errors == 1094474  # first of the two "Hardware Errors"

    devices = _load("bfgminer/bfgminer-3.1.3-devs-3gpu-16pga.txt")
    assert [d.kind for d in devices].count("GPU") == 3
    assert devices[0].enabled is False and devices[0].intensity == "D"
    assert devices[0].last_share_pool == -1


def test_old_cgminer_and_vendor_devs() -> None:
    gpu0, _gpu1 = _load("cgminer/cgminer-3.3.1-devs-2gpu.txt")
    assert gpu0.hashrate_current == pytest.approx(0.58e6)  # MHS 1s

    (avalon,) = _load("avalon/avalon1566-fw24102401-devs.json")
    assert avalon.temperature == -273.0
    assert avalon.hashrate("30s") == pytest.approx(197497926.49e6)

    ttys = _load("cgminer/ttyS-asic-cgminer-4.10.0-devs.json")
    assert ttys[0].temperature == 32.0  # lowercase "temperature"

    chips = _load("cpuminer-asic/ttyS-asic-cpuminer-2.3.2-devs-with-chip-accepts.json")
    assert chips[0].status is None and chips[0].model_extra["36_accept"] == 1


def test_hammer_summary_numbers_as_strings() -> None:
    (summary,) = _load("ccminer-hammer/hammer-d10-fw2023-05-28-summary.json")
    assert summary.accepted == 156  # "156.0000"
    assert summary.mhs_av == 4872.9297
    assert summary.hashrate_current == pytest.approx(4885.0813e6)


def test_bosminer_multi_reply() -> None:
    row = next(r for r in ROWS if r["file"].startswith("bosminer/s17-bosplus-0.8.0-multi"))
    by_command: dict[str, list[MinerModel]] = {}
    for command, _record, item in _validated(row):
        by_command.setdefault(command, []).append(item)
    assert set(by_command) == {"temps", "devdetails", "fans", "devs"}
    assert all(type(item) is MinerModel for item in by_command["temps"])
    assert by_command["temps"][0].model_extra == {
        "TEMP": 0,
        "ID": 1,
        "Board": 67.25,
        "Chip": 97.875,
    }
    detail = by_command["devdetails"][0]
    assert isinstance(detail, DevDetail) and detail.model == "Antminer S17"
    device = by_command["devs"][0]
    assert isinstance(device, Device) and device.last_share_pool == -1
    assert (device.model_extra or {})["Nominal MHS"] == 22059569.612639997


def test_versions_of_forks() -> None:
    (lux,) = _load("luxminer/luxos-version.json")
    assert lux.software_version == "2000.1.1.12345-aaabbbc"
    (sg,) = _load("sgminer/sgminer-4.1.0-version.txt")
    assert (sg.sgminer, sg.api) == ("4.1.0", "3.1")
    (s9,) = _load("bmminer/antminer-s9-version.json")
    assert (s9.bmminer, s9.miner_type) == ("2.0.0", "Antminer S9")
    (avalon,) = _load("avalon/avalon10xx-version-doc.txt")
    assert avalon.cgminer == "4.11.1" and avalon.model_extra["PROD"] == "AvalonMiner 10xx"
    header, board = _load("vnish/antminer-s17-vnish-0.9.2-stats.json")
    version = header.as_version()
    assert version is not None and version.cgminer == "4.11.1"  # sent as "Cgminer"
    assert version.miner_type == "Antminer S17 (vnish 0.9.2-alpha)"
    assert board.as_version() is None


def test_avalon_pools_and_cgminer_coin() -> None:
    (pool,) = _load("avalon/avalon10xx-pools-doc.txt")
    assert pool.has_vmask is True and pool.current_block_height == 599045
    assert pool.pool_rejected_percent == 0.0953 and pool.stratum_difficulty == 131072.0
    (coin,) = _load("cgminer/cgminer-3.12.0-coin.txt")
    assert coin.network_difficulty == pytest.approx(2227847638503.6283)
    assert coin.hash_method is None


def test_cpuminer_summary_big_counters() -> None:
    (summary,) = _load("cpuminer-asic/ttyS-asic-cpuminer-2.3.2-summary.json")
    assert summary.accepted == 1655589633532138
    assert summary.hashrate_av == 0.0
    assert summary.model_extra["inputCurrent2"] == 32.23
