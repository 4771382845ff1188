"""MinerApi sans IO: every change a command makes shows in the reports as on a real miner."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from cgapi.testing.state import PoolSpec
from tests.testing.test_api_commands import (
    FORMS,
    PERSONALITIES,
    POOL0,
    POOL1,
    WHEN,
    Clock,
    Form,
    ask,
    make_api,
    single,
)

if TYPE_CHECKING:
    from pathlib import Path

    from cgapi.protocol import Record
    from cgapi.testing._render.types import Personality
    from cgapi.testing.api import MinerApi

THIRD = "stratum+tcp://third.example.com:3333"


def pools(api: MinerApi) -> list[Record]:
    return single(ask(api, "pools", None, "json")).records


def devs(api: MinerApi) -> list[Record]:
    return single(ask(api, "devs", None, "json")).records


def summary(api: MinerApi) -> Record:
    return single(ask(api, "summary", None, "json")).records[0]


def urls(api: MinerApi) -> list[tuple[int, str, int]]:
    return [(p["POOL"], p["URL"], p["Priority"]) for p in pools(api)]


def active(api: MinerApi) -> list[bool]:
    return [p["Stratum Active"] for p in pools(api)]


# ---------------------------------------------------------------------------- pools


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize("form", FORMS)
def test_switchpool_moves_the_pool_to_priority_0_and_mines_on_it(
    personality: Personality, form: Form
) -> None:
    api = make_api(personality, pools=[POOL0, POOL1, THIRD])
    assert active(api) == [True, False, False]
    assert single(ask(api, "switchpool", "2", form)).status.code == 27
    assert urls(api) == [(0, POOL0, 1), (1, POOL1, 2), (2, THIRD, 0)]
    assert active(api) == [False, False, True]
    assert api.state.current_index == 2


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_switchpool_enables_a_disabled_pool(personality: Personality) -> None:
    api = make_api(personality)
    assert single(ask(api, "disablepool", "1")).status.code == 48
    assert pools(api)[1]["Status"] == "Disabled"
    assert single(ask(api, "switchpool", "1")).status.code == 27
    assert pools(api)[1]["Status"] == "Alive"
    assert active(api) == [False, True]


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_disabling_the_active_pool_fails_over(personality: Personality) -> None:
    api = make_api(personality, pools=[POOL0, POOL1, THIRD])
    assert single(ask(api, "disablepool", "0")).status.code == 48
    assert [p["Status"] for p in pools(api)] == ["Disabled", "Alive", "Alive"]
    assert active(api) == [False, True, False]  # the next priority
    assert single(ask(api, "enablepool", "0")).status.code == 47
    # Enabling a better-priority pool switches back to it (cg switch_pools(pool)).
    assert active(api) == [True, False, False]


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_a_dead_pool_is_skipped(personality: Personality) -> None:
    api = make_api(
        personality, pools=[PoolSpec(POOL0, "u", "p", alive=False), PoolSpec(POOL1, "u", "p")]
    )
    assert [p["Status"] for p in pools(api)] == ["Dead", "Alive"]
    assert active(api) == [False, True]
    api.state.set_pool_alive(0, True)  # the pool comes back: Failover returns to it
    assert active(api) == [True, False]
    api.state.set_pool_alive(0, False)
    assert active(api) == [False, True]


@pytest.mark.parametrize("personality", ["cgminer", "bfgminer", "bmminer"])
def test_the_last_enabled_pool_cannot_be_disabled(personality: Personality) -> None:
    api = make_api(personality)
    assert single(ask(api, "disablepool", "1")).status.code == 48
    reply = single(ask(api, "disablepool", "0"))
    assert (reply.status.code, reply.status.msg) == (
        51,
        f"Cannot disable last active pool 0:'{POOL0}'",
    )
    assert [p["Status"] for p in pools(api)] == ["Alive", "Disabled"]


def test_sgminer_disables_the_last_pool_too() -> None:
    api = make_api("sgminer")
    assert single(ask(api, "disablepool", "1")).status.code == 48
    assert single(ask(api, "disablepool", "0")).status.code == 48
    assert [p["Status"] for p in pools(api)] == ["Disabled", "Disabled"]
    assert api.state.current_index == 0  # nothing usable: the current pool stays
    assert single(ask(api, "disablepool", "0")).status.code == 50


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_removepool_moves_the_last_pool_into_the_gap(personality: Personality) -> None:
    api = make_api(personality, pools=[POOL0, POOL1, THIRD, "stratum+tcp://fourth:1"])
    reply = single(ask(api, "removepool", "1"))
    assert (reply.status.code, reply.status.msg) == (68, f"Removed pool 1:'{POOL1}'")
    # cgminer remove_pool(): the last pool takes the removed pool's number, and the
    # priorities below the removed one move up.
    assert urls(api) == [(0, POOL0, 0), (1, "stratum+tcp://fourth:1", 2), (2, THIRD, 1)]
    assert single(ask(api, "pools")).status.msg == "3 Pool(s)"


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_removing_the_active_pool_switches_first_when_it_can(personality: Personality) -> None:
    api = make_api(personality, pools=[POOL0, POOL1])
    assert single(ask(api, "removepool", "0")).status.code == 67  # still the best pool
    assert single(ask(api, "poolpriority", "1,0")).status.code == 73
    assert active(api) == [False, True]
    # Pool 0 is no longer active: it can go; pool 1 (now at index 0) keeps mining.
    assert single(ask(api, "removepool", "0")).status.code == 68
    assert urls(api) == [(0, POOL1, 0)]
    assert active(api) == [True]
    assert single(ask(api, "removepool", "0")).status.code == 66


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize("form", FORMS)
def test_addpool_appears_with_the_lowest_priority(personality: Personality, form: Form) -> None:
    api = make_api(personality)
    reply = single(ask(api, "addpool", f"{THIRD},worker9,secret", form))
    assert reply.status.code == 55
    last = pools(api)[-1]
    assert (last["POOL"], last["URL"], last["User"], last["Priority"]) == (
        2,
        THIRD,
        "worker9",
        2,
    )
    assert last["Stratum Active"] is False
    assert api.state.pools[-1].password == "secret"


def test_addpool_on_a_rig_without_pools_starts_mining() -> None:
    api = make_api("cgminer", pools=[])
    assert single(ask(api, "pools")).status.code == 8
    assert single(ask(api, "addpool", f"{THIRD},w,x")).status.msg == f"Added pool 0: '{THIRD}'"
    assert active(api) == [True]


def test_sgminer_addpool_extra_fields() -> None:
    api = make_api("sgminer")
    assert single(ask(api, "addpool", f"{THIRD},w,x,My Pool,Backup,,x11")).status.code == 55
    last = pools(api)[-1]
    assert (last["Name"], last["Description"], last["Algorithm"], last["Algorithm Type"]) == (
        "My Pool",
        "Backup",
        "x11",
        "X11",
    )
    assert pools(api)[0]["Name"] == "pool.example.com"  # no name: the host


def test_bfgminer_addpool_mining_goal_adds_a_coin_section() -> None:
    api = make_api("bfgminer")
    assert single(ask(api, "addpool", f"{THIRD},w,x,ltc")).status.code == 55
    assert pools(api)[-1]["Mining Goal"] == "ltc"
    raw = ask(api, "coin", None, "json")
    assert list(json.loads(raw[:-1])) == ["STATUS", "COIN", "COIN1", "id"]


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_poolpriority_and_quota(personality: Personality) -> None:
    api = make_api(personality, pools=[POOL0, POOL1, THIRD])
    assert single(ask(api, "poolpriority", "2")).status.code == 73
    # listed first; the others keep their relative order after it
    assert [p["Priority"] for p in pools(api)] == [1, 2, 0]
    assert active(api) == [False, False, True]
    assert single(ask(api, "poolquota", "1,7")).status.code == 122
    assert pools(api)[1]["Quota"] == 7


def test_changestrategy_shows_in_config() -> None:
    api = make_api("sgminer")
    assert single(ask(api, "changestrategy", "2,30")).status.msg == (
        "Multipool strategy changed to 'Rotate'"
    )
    config = single(ask(api, "config", None, "json")).records[0]
    assert (config["Strategy"], config["Rotate Period"]) == ("Rotate", 30)


def test_sgminer_profiles_life_cycle() -> None:
    api = make_api("sgminer")
    assert single(ask(api, "addprofile", "fast:x11")).status.code == 133
    assert single(ask(api, "addprofile", "FAST:scrypt")).status.msg == (
        "Profile 'FAST' already exists"
    )
    assert single(ask(api, "changepoolprofile", "0")).status.code == 134
    assert single(ask(api, "changepoolprofile", "0,nope")).status.code == 135
    reply = single(ask(api, "changepoolprofile", "0,fast"))
    assert (reply.status.code, reply.status.msg) == (139, "Changed pool 0 to profile 'fast'")
    assert pools(api)[0]["Profile"] == "fast"
    assert (
        single(ask(api, "removeprofile", "fast")).status.msg == "Profile 'fast' is used by a pool"
    )
    assert single(ask(api, "removeprofile", "nope")).status.msg == "Profile 'nope' doesn't exist"
    assert single(ask(api, "addprofile", "spare:scrypt")).status.code == 133
    reply = single(ask(api, "removeprofile", "spare"))
    assert (reply.status.code, reply.status.msg) == (138, "Removed pool 1:'spare'")
    assert single(ask(api, "profiles")).status.msg == "1 Profile(s)"


# ---------------------------------------------------------------------------- devices


@pytest.mark.parametrize(
    ("personality", "disable", "enable", "param", "row"),
    [
        ("cgminer", "ascdisable", "ascenable", "1", 1),
        ("cgminer", "pgadisable", "pgaenable", "0", 2),  # PGAs come after the ASCs in devs
        ("bmminer", "ascdisable", "ascenable", "1", 1),
        ("sgminer", "gpudisable", "gpuenable", "1", 1),
        ("bfgminer", "pgadisable", "pgaenable", "1", 1),  # pga N counts every device
        ("bfgminer", "procdisable", "procenable", "1", 1),
        ("bfgminer", "gpudisable", "gpuenable", "0", 1),  # the GPU is device 1 of the rig
        ("bfgminer", "cpudisable", "cpuenable", "0", 2),
    ],
)
def test_disable_and_enable_show_in_devs(
    personality: Personality, disable: str, enable: str, param: str, row: int
) -> None:
    api = make_api(personality)
    assert single(ask(api, disable, param)).status.msg.endswith("set disable flag")
    assert devs(api)[row]["Enabled"] == "N"
    assert single(ask(api, disable, param)).status.msg.endswith("already disabled")
    assert single(ask(api, enable, param)).status.msg.endswith("sent enable message")
    assert devs(api)[row]["Enabled"] == "Y"
    assert single(ask(api, enable, param)).status.msg.endswith("already enabled")


@pytest.mark.parametrize(("personality", "param"), [("sgminer", "1"), ("bfgminer", "0")])
def test_a_sick_gpu_must_be_restarted_first(personality: Personality, param: str) -> None:
    api = make_api(personality)
    gpu = api.state.devices_of("GPU")[int(param)]
    ask(api, "gpudisable", param)
    gpu.status = "Sick"
    reply = single(ask(api, "gpuenable", param))
    assert (reply.status.severity, reply.status.code) == ("W", 4)
    assert reply.status.msg == f"GPU {param} must be restarted first"
    assert single(ask(api, "gpurestart", param)).status.code == 13
    assert single(ask(api, "gpuenable", param)).status.code == 5
    assert gpu.enabled and gpu.status == "Alive"


def test_cgminer_lcd_without_pools() -> None:
    record = single(ask(make_api("cgminer", pools=[]), "lcd", None, "json")).records[0]
    assert (record["Current Pool"], record["User"]) == ("none", "")


def test_a_disabled_device_stops_hashing() -> None:
    clock = Clock()
    api = make_api("cgminer", clock=clock)
    ask(api, "ascdisable", "0")
    clock.now += 60
    rates = [(d["MHS 5s"], d["Total MH"]) for d in devs(api)]
    assert rates[0] == (0, 0)
    assert rates[1][0] > 0 and rates[1][1] > 0


@pytest.mark.parametrize("form", FORMS)
def test_sgminer_gpu_settings_show_in_devs_and_gpu(form: Form) -> None:
    api = make_api("sgminer")
    assert single(ask(api, "gpufan", "1,85", form)).status.code == 41
    assert single(ask(api, "gpuengine", "1,1050", form)).status.code == 37
    assert single(ask(api, "gpumem", "1,1500", form)).status.code == 35
    assert single(ask(api, "gpuvddc", "1,1.2", form)).status.code == 39
    for records in (devs(api)[1:], single(ask(api, "gpu", "1", "json")).records):
        gpu = records[0]
        assert (gpu["Fan Percent"], gpu["GPU Clock"], gpu["Memory Clock"]) == (85, 1050, 1500)
        assert gpu["GPU Voltage"] == pytest.approx(1.2)
        assert gpu["Fan Speed"] == 85 * 48


def test_sgminer_intensities_replace_each_other() -> None:
    api = make_api("sgminer")
    ask(api, "gpuxintensity", "0,64")
    gpu = devs(api)[0]
    assert (gpu["Intensity"], gpu["XIntensity"], gpu["RawIntensity"]) == ("0", 64, 0)
    ask(api, "gpuintensity", "0,d")
    gpu = devs(api)[0]
    assert (gpu["Intensity"], gpu["XIntensity"], gpu["RawIntensity"]) == ("D", 0, 0)


def test_pgaset_and_ascset_change_the_device() -> None:
    api = make_api("cgminer")
    assert single(ask(api, "ascset", "1,fan,33")).status.code == 119
    assert api.state.devices_of("ASC")[1].fan_percent == 33
    reply = single(ask(api, "pgaset", "0,help"))
    assert (reply.status.severity, reply.status.code) == ("I", 91)
    assert reply.status.msg.startswith("PGA 0 set help: ")


@pytest.mark.parametrize("personality", ["cgminer", "bmminer"])
def test_cgminer_devs_numbering(personality: Personality) -> None:
    api = make_api(personality, devices=("PGA", "ASC", "PGA", "ASC"), features={"asic", "fpga"})
    heads = [next(iter(record.items())) for record in devs(api)]
    assert heads == [("ASC", 0), ("ASC", 1), ("PGA", 0), ("PGA", 1)]
    assert single(ask(api, "devs")).status.msg == "2 ASC(s) - 2 PGA(s)"


def test_bfgminer_devs_numbering_counts_every_device() -> None:
    api = make_api("bfgminer", devices=("GPU", "PGA", "CPU", "PGA"))
    heads = [next(iter(record.items())) for record in devs(api)]
    assert heads == [("PGA", 0), ("PGA", 1), ("PGA", 2), ("PGA", 3)]
    gpu = single(ask(api, "gpu", "0", "json")).records[0]
    assert (gpu["PGA"], gpu["Name"]) == (0, "GPU")
    assert "Fan Speed" in gpu and "ProcID" not in gpu
    cpu = single(ask(api, "cpu", "0", "json")).records[0]
    assert cpu["PGA"] == 2
    proc = single(ask(api, "proc", "3", "json")).records[0]
    assert (proc["PGA"], proc["ProcID"]) == (3, 0)
    assert [r["Count"] for r in single(ask(api, "pgacount", None, "json")).records] == [4]


def test_bfgminer_without_opencl_has_no_gpu_commands() -> None:
    api = make_api("bfgminer", devices=("PGA",), features=())
    assert single(ask(api, "gpu", "0")).status.code == 14
    assert single(ask(api, "gpucount")).records[0]["Count"] == "0"
    assert single(ask(api, "cpuenable", "0")).status.code == 14


# ---------------------------------------------------------------------------- counters


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_counters_advance_with_the_clock(personality: Personality) -> None:
    clock = Clock()
    api = make_api(personality, clock=clock)
    first = summary(api)
    clock.now += 3600
    later = summary(api)
    assert later["Elapsed"] == first["Elapsed"] + 3600
    assert later["Total MH"] > first["Total MH"]
    assert later["Accepted"] > first["Accepted"]
    assert later["Difficulty Accepted"] > first["Difficulty Accepted"]
    assert pools(api)[0]["Accepted"] == later["Accepted"]
    assert sum(d["Accepted"] for d in devs(api)) >= later["Accepted"]


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize("form", FORMS)
def test_same_seed_and_clock_give_identical_bytes(personality: Personality, form: Form) -> None:
    def session(seed: int) -> list[bytes]:
        clock = Clock()
        api = make_api(personality, clock=clock, seed=seed)
        replies = []
        for step, command in enumerate(["summary", "devs", "pools", "stats", "summary"]):
            clock.now = WHEN + 37 * step + 0.25
            replies.append(ask(api, command, None, form))
        return replies

    assert session(3) == session(3)
    assert session(3) != session(4)


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_zero_resets_the_counters(personality: Personality) -> None:
    clock = Clock()
    api = make_api(personality, clock=clock)
    clock.now += 600
    before = summary(api)
    assert before["Accepted"] > 0 and before["Best Share"] > 0
    assert single(ask(api, "zero", "bestshare,false")).status.code == 97
    after_best = summary(api)
    assert after_best["Best Share"] == 0 and after_best["Accepted"] == before["Accepted"]
    assert single(ask(api, "zero", "ALL,true")).status.msg == "Zeroed All stats with summary"
    after = summary(api)
    assert (after["Elapsed"], after["Accepted"], after["Total MH"]) == (0, 0, 0)
    assert [p["Accepted"] for p in pools(api)] == [0, 0]
    assert all(d["Accepted"] == 0 for d in devs(api))
    clock.now += 60
    assert summary(api)["Elapsed"] == 60


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_save_writes_the_config_in_save_dir(personality: Personality, tmp_path: Path) -> None:
    api = make_api(personality, save_dir=tmp_path)
    reply = single(ask(api, "save"))
    default = tmp_path / f"{personality}.conf"
    assert reply.status.msg == f"Configuration saved to file '{default}'"
    saved = json.loads(default.read_text())
    assert [p["url"] for p in saved["pools"]] == [POOL0, POOL1]
    assert single(ask(api, "save", "sub.conf")).status.code == 44
    assert (tmp_path / "sub.conf").exists()
    assert api.state.saves == [str(default), str(tmp_path / "sub.conf")]


@pytest.mark.parametrize("personality", ["cgminer", "bfgminer"])
def test_save_without_a_directory_fails(personality: Personality) -> None:
    reply = single(ask(make_api(personality), "save"))
    assert (reply.status.code, reply.status.msg) == (
        43,
        f"Can't open or create save file '{personality}.conf'",
    )


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_debug_toggles(personality: Personality) -> None:
    api = make_api(personality)

    def flags(param: str | None) -> dict[str, object]:
        return dict(single(ask(api, "debug", param, "json")).records[0])

    assert set(flags(None).values()) == {False}
    assert flags("q")["Quiet"] is True
    debug = flags("Debug")  # only the first letter counts, any case
    assert (debug["Debug"], debug["Verbose"], debug["Quiet"]) == (True, True, False)
    assert flags("d")["Debug"] is False
    assert flags("silent")["Silent"] is True
    assert flags("w")["WorkTime"] is True
    normal = flags("n")
    assert normal["Silent"] is True  # 'n' does not clear Silent
    assert [normal[k] for k in ("Quiet", "Verbose", "Debug", "WorkTime")] == [False] * 4


def test_failover_only_and_setconfig_show_in_config() -> None:
    for personality in ("sgminer", "bfgminer"):
        api = make_api(personality)
        ask(api, "failover-only", "TRUE")
        ask(api, "setconfig", "expiry,33")
        config = single(ask(api, "config", None, "json")).records[0]
        assert (config["Failover-Only"], config["Expiry"]) == (True, 33)
    api = make_api("bfgminer")
    assert single(ask(api, "config", None, "json")).records[0]["Coinbase-Sig"] == "(null)"
    ask(api, "setconfig", "coinbase-sig,/fake/")
    assert single(ask(api, "config", None, "json")).records[0]["Coinbase-Sig"] == "/fake/"


def test_cgminer_hotplug_shows_in_config() -> None:
    api = make_api("cgminer")
    assert single(ask(api, "config", None, "json")).records[0]["Hotplug"] == 5
    ask(api, "hotplug", "0")
    assert single(ask(api, "config", None, "json")).records[0]["Hotplug"] == "Disabled"
