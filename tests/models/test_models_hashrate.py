"""Hash rate fields are found by pattern and converted to H/s."""

import pytest

from cgapi.models import Device, HashrateModel, Lcd, Stats, Summary
from cgapi.models.base import parse_rate_key


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("MHS av", (1e6, "av")),
        ("MHS 5s", (1e6, "5s")),
        ("MHS 20s", (1e6, "20s")),
        ("MHS 1s", (1e6, "1s")),
        ("MHS 15m", (1e6, "15m")),
        ("MHS rolling", (1e6, "rolling")),
        ("KHS 30s", (1e3, "30s")),
        ("GHS 30m", (1e9, "30m")),
        ("THS av", (1e12, "av")),
        ("Hardware Error MHS 15m", None),
        ("Nominal MHS", None),
        ("MHS", None),
        ("mhs av", None),
        ("rate_30m", None),
        ("GHS av ", None),
    ],
)
def test_parse_rate_key(key: str, expected: tuple[float, str] | None) -> None:
    assert parse_rate_key(key) == expected


@pytest.mark.parametrize(
    ("key", "value", "hashes_per_second"),
    [
        ("KHS av", "1.339e+04", 13.39e6),
        ("MHS av", 13.39, 13.39e6),
        ("GHS av", "13580.83", 13580.83e9),
        ("THS av", 0.1, 0.1e12),
    ],
)
def test_units_convert_to_hashes_per_second(
    key: str, value: object, hashes_per_second: float
) -> None:
    for model in (Summary, Device, Stats, Lcd):
        item = model.model_validate({key: value})
        assert item.hashrate_av == pytest.approx(hashes_per_second)
        assert item.hashrate("av") == item.hashrate_av


def test_log_interval_window_is_found_by_pattern() -> None:
    device = Device.model_validate({"PGA": 0, "MHS av": "471938.936", "MHS 20s": "471703.417"})
    assert device.model_extra == {"MHS 20s": 471703.417}
    assert device.rates == pytest.approx({"av": 471938.936e6, "20s": 471703.417e6})
    assert device.hashrate_current == pytest.approx(471703.417e6)
    assert device.hashrate("20s") == pytest.approx(471703.417e6)
    assert device.hashrate("5s") is None


def test_current_is_the_shortest_seconds_window() -> None:
    summary = Summary.model_validate(
        {"MHS av": 1, "MHS 1m": 2, "MHS 30s": 3, "MHS 5s": 4, "MHS 5m": 5, "MHS rolling": 6}
    )
    assert summary.hashrate_current == 4e6
    assert summary.hashrate("1m") == 2e6
    assert summary.hashrate("rolling") == 6e6


def test_current_is_none_without_a_seconds_window() -> None:
    summary = Summary.model_validate({"GHS av": 1, "GHS 30m": 2})
    assert summary.hashrate_current is None
    assert summary.hashrate_av == 1e9


def test_first_unit_wins_for_the_same_window() -> None:
    # TeamRedMiner sends both MHS and KHS for each window.
    summary = Summary.model_validate(
        {"MHS av": "13.39", "MHS 30s": "13.52", "KHS av": "1.339e+04", "KHS 30s": "1.352e+04"}
    )
    assert summary.rates == pytest.approx({"av": 13.39e6, "30s": 13.52e6})


def test_unusable_rate_is_skipped() -> None:
    stats = Stats.model_validate({"GHS 5s": "", "GHS av": "nan"})
    assert stats.rates == {}
    assert stats.hashrate_av is None and stats.hashrate_current is None


def test_lcd_fixed_names() -> None:
    lcd = Lcd.model_validate({"GHS av": 13.5, "GHS 5m": 13.4, "GHS 5s": 13.6})
    assert lcd.rates == pytest.approx({"av": 13.5e9, "5m": 13.4e9, "5s": 13.6e9})


def test_all_rate_models_share_one_implementation() -> None:
    for model in (Summary, Device, Stats, Lcd):
        assert issubclass(model, HashrateModel)
        assert model.hashrate is HashrateModel.hashrate
