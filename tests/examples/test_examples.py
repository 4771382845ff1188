"""The recipe scripts in examples/, run as subprocesses against fake miners."""

from __future__ import annotations

import json
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cgapi.testing import PoolSpec

if TYPE_CHECKING:
    from collections.abc import Callable

    from cgapi.testing import FakeMiner

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TIMEOUT = 60.0

A = "stratum+tcp://a.example.com:3333"
B = "stratum+tcp://b.example.com:3333"
C = "stratum+tcp://c.example.com:3333"


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(EXAMPLES / script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_line(process: subprocess.Popen[str]) -> str:
    """The next stdout line of a running script, failing the test if none comes in time."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], TIMEOUT)
    if not ready:
        process.kill()
        pytest.fail("the script printed nothing in time")
    return process.stdout.readline()


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the script did not stop by itself")
    return process.returncode, out, err


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")


def priorities(fm: FakeMiner) -> dict[str, int]:
    return {p.url: p.priority for p in fm.state.live_pools}


# --- pool_failover.py ------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["switch", "priority"])
def test_failover_moves_a_rig_off_a_dead_first_pool(
    fake_miner_factory: Callable[..., FakeMiner], action: str
) -> None:
    fm = fake_miner_factory("cgminer", pools=[PoolSpec(A, "w", "x", alive=False), B, C])
    healthy = fake_miner_factory("sgminer", pools=[A, B])
    before = priorities(healthy)

    result = run("pool_failover.py", fm.address, healthy.address, "--action", action, "--json")

    assert result.returncode == 0, result.stderr
    events = {e["rig"]: e for e in map(json.loads, result.stdout.splitlines())}
    assert events[fm.address]["event"] == ("switched" if action == "switch" else "reprioritised")
    assert events[fm.address]["to_url"] == B
    assert events[healthy.address]["event"] == "ok"
    # The dead pool lost the top spot: when it comes back, the rig stays on B.
    assert priorities(fm)[B] == 0
    assert priorities(fm)[A] > priorities(fm)[C] if action == "priority" else priorities(fm)[A] > 0
    fm.state.set_pool_alive(0, True)
    assert fm.state.current_pool is not None
    assert fm.state.current_pool.url == B
    assert priorities(healthy) == before


def test_failover_acts_when_the_active_pool_dies_while_watching(
    fake_miner_factory: Callable[..., FakeMiner],
) -> None:
    fm = fake_miner_factory("sgminer", pools=[A, B, C])
    process = start("pool_failover.py", fm.address, "--rounds", "40", "--interval", "0.1")
    first = read_line(process)
    assert f"ok on pool 0 {A}" in first

    fm.state.set_pool_alive(0, False)
    fm.state.set_pool_alive(1, False)
    code, out, err = finish(process)

    assert code == 0, err
    assert f"pool 0 {A} is Dead: switched to pool 2 {C}" in out
    assert out.strip().splitlines()[-1].endswith(f"ok on pool 2 {C}")
    assert priorities(fm)[C] == 0
    assert fm.state.current_pool is not None
    assert fm.state.current_pool.url == C


def test_failover_dry_run_changes_nothing(fake_miner_factory: Callable[..., FakeMiner]) -> None:
    fm = fake_miner_factory("bfgminer", pools=[PoolSpec(A, "w", "x", alive=False), B])
    before = priorities(fm)

    result = run("pool_failover.py", fm.address, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert f"would switch to pool 1 {B}" in result.stdout
    assert priorities(fm) == before


def test_failover_reports_a_rig_without_an_alive_pool(
    fake_miner_factory: Callable[..., FakeMiner],
) -> None:
    fm = fake_miner_factory(
        "cgminer", pools=[PoolSpec(A, "w", "x", alive=False), PoolSpec(B, "w", "x", alive=False)]
    )
    result = run("pool_failover.py", fm.address)
    assert result.returncode == 1
    assert "no alive pool" in result.stderr


def test_failover_unreachable_rig_is_a_one_line_error() -> None:
    assert_one_line_error(run("pool_failover.py", "127.0.0.1:1", "--timeout", "2"))


def test_failover_bad_arguments_exit_2() -> None:
    assert run("pool_failover.py", "127.0.0.1:99999").returncode == 2
    assert run("pool_failover.py", "127.0.0.1", "--rounds", "0").returncode == 2


# --- fan_curve.py ----------------------------------------------------------------------------


def test_fan_curve_sets_hot_gpus_and_leaves_small_differences(
    fake_miner_factory: Callable[..., FakeMiner],
) -> None:
    fm = fake_miner_factory("sgminer", devices=["GPU", "GPU", "GPU"])
    # The fake reports temperatures with a 1% jitter: the targets allow for it.
    fm.state.devices[0].temperature = 90.0  # curve: 100%
    fm.state.devices[1].temperature = 57.0  # curve: 49.6-51.4%, within the hysteresis
    fm.state.devices[2].temperature = 66.0  # curve: 63-65%, 13% off or more
    for device in fm.state.devices:
        device.fan_percent = 50

    result = run("fan_curve.py", fm.address, "--json")

    assert result.returncode == 0, result.stderr
    changes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["gpu"] for c in changes] == [0, 2]
    assert changes[0]["target"] == 100
    assert 63 <= changes[1]["target"] <= 65
    assert [d.fan_percent for d in fm.state.devices] == [100, 50, changes[1]["target"]]


def test_fan_curve_follows_a_band_crossing_below_the_hysteresis(
    fake_miner_factory: Callable[..., FakeMiner],
) -> None:
    fm = fake_miner_factory("sgminer", devices=["GPU"])
    gpu = fm.state.devices[0]
    # 59 C (58.4-59.6 with the fake's jitter): 53-54%, at most 4% off: left alone.
    gpu.temperature, gpu.fan_percent = 59.0, 50
    process = start(
        "fan_curve.py", fm.address, "--hysteresis", "10", "--rounds", "40", "--interval", "0.1"
    )
    assert read_line(process).startswith("round 1/40")
    assert gpu.fan_percent == 50

    # 61.5 C (60.9-62.1) crosses the 60 C point: 56-58%, under 10% off but a new band.
    gpu.temperature = 61.5
    code, out, err = finish(process)

    assert code == 0, err
    found = re.search(r"GPU 0 at 6[12][.\d]* C: set fan 50% -> (\d+)% \(crossed a band\)", out)
    assert found, out
    assert 56 <= int(found[1]) <= 58
    assert gpu.fan_percent == int(found[1])


def test_fan_curve_dry_run_changes_nothing(fake_miner_factory: Callable[..., FakeMiner]) -> None:
    fm = fake_miner_factory("sgminer", devices=["GPU"])
    fm.state.devices[0].temperature = 95.0
    fm.state.devices[0].fan_percent = 40

    result = run("fan_curve.py", fm.address, "--dry-run", "--curve", "50:20,80:100")

    assert result.returncode == 0, result.stderr
    assert "would set fan 40% -> 100%" in result.stdout
    assert fm.state.devices[0].fan_percent == 40


def test_fan_curve_refused_gpufan_is_an_error(
    fake_miner_factory: Callable[..., FakeMiner],
) -> None:
    # Read-only API access: devs is answered, gpufan is refused.
    fm = fake_miner_factory("sgminer", devices=["GPU"], allow="R:127.0.0.1")
    fm.state.devices[0].temperature = 90.0
    fm.state.devices[0].fan_percent = 40
    assert_one_line_error(run("fan_curve.py", fm.address))
    assert fm.state.devices[0].fan_percent == 40


def test_fan_curve_bad_curve_exits_2() -> None:
    assert run("fan_curve.py", "127.0.0.1", "--curve", "60:50,50:70").returncode == 2


# --- profit_switch.py ------------------------------------------------------------------------


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "pools.json"
    entries = [
        {"url": A, "coin": "AAA", "revenue": 1.0},
        {"url": B, "coin": "BBB", "revenue": 3.0, "fee": 50},  # 1.5
        {"url": C, "coin": "CCC", "revenue": 2.0},
    ]
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def test_profit_switch_moves_every_rig_to_the_best_alive_pool(
    fake_miner_factory: Callable[..., FakeMiner], table: Path
) -> None:
    rigs = [
        fake_miner_factory("cgminer", pools=[A, B, C]),
        fake_miner_factory("sgminer", pools=[C, A, B]),  # C at another index
        fake_miner_factory("cgminer", pools=[A, B, PoolSpec(C, "w", "x", alive=False)]),
        fake_miner_factory("bfgminer", pools=[A]),  # no pool of interest but A
    ]
    rigs[1].state.switch_pool(1)  # mining on A

    result = run("profit_switch.py", *(r.address for r in rigs), "--table", str(table), "--json")

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["scores"] == {A: 1.0, B: 1.5, C: 2.0}
    actions = {o["rig"]: o["action"] for o in lines[1:]}
    assert [actions[r.address] for r in rigs] == ["switch", "switch", "switch", "stay"]
    current = [r.state.current_pool for r in rigs]
    assert [p.url if p else None for p in current] == [C, C, B, A]


def test_profit_switch_dry_run_prints_requests_and_changes_nothing(
    fake_miner_factory: Callable[..., FakeMiner], table: Path
) -> None:
    rigs = [fake_miner_factory("cgminer", pools=[A, C]), fake_miner_factory("sgminer")]
    before = [priorities(r) for r in rigs]

    result = run("profit_switch.py", *(r.address for r in rigs), "--table", str(table), "--dry-run")

    assert result.returncode == 0, result.stderr
    assert f"{rigs[0].address}: would switch {A} -> pool 1 {C}" in result.stdout
    assert '{"command":"switchpool","parameter":"1"}' in result.stdout.replace(" ", "")
    assert "no pool of the table" in result.stdout
    assert [priorities(r) for r in rigs] == before
    assert rigs[0].state.current_index == 0


def test_profit_switch_pluggable_function(
    fake_miner_factory: Callable[..., FakeMiner], tmp_path: Path
) -> None:
    (tmp_path / "feed.py").write_text(
        "def score(entry):\n    return 10.0 if 'b.example' in entry['url'] else 1.0\n"
    )
    fm = fake_miner_factory("cgminer", pools=[A, B, C])
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "profit_switch.py"), fm.address, "--profit", "feed:score"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert fm.state.current_pool is not None
    assert fm.state.current_pool.url == B


def test_profit_switch_unreachable_rig_is_a_one_line_error(
    fake_miner_factory: Callable[..., FakeMiner],
) -> None:
    fm = fake_miner_factory("cgminer", pools=[A, B])
    started = time.monotonic()
    result = run("profit_switch.py", "127.0.0.1:1", fm.address, "--timeout", "2")
    assert time.monotonic() - started < TIMEOUT
    assert_one_line_error(result)
    assert "127.0.0.1:1" in result.stderr
