"""The example of docs/testing.md runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cgapi.testing import FakeMiner, PoolSpec

PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"
POOLS = [
    PoolSpec("stratum+tcp://main.example.com:3333", "rig1", "x"),
    PoolSpec("stratum+tcp://backup.example.com:3333", "rig1", "x"),
]


def _block_after(marker: str) -> str:
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    return next(block for block in blocks if block.startswith(marker))


@pytest.mark.fake_miner("cgminer", pools=POOLS)
def test_switcher_example(fake_miner: FakeMiner, tmp_path: Path) -> None:
    script = tmp_path / "switcher.py"
    script.write_text(_block_after("# switcher.py"), encoding="utf-8")
    fake_miner.state.set_pool_alive(0, False)
    assert fake_miner.state.live_pools[1].priority == 1
    subprocess.run([sys.executable, str(script), fake_miner.address], check=True, timeout=60)
    pool = fake_miner.state.current_pool
    assert pool is not None and pool.url == "stratum+tcp://backup.example.com:3333"
    assert fake_miner.state.live_pools[1].priority == 0


@pytest.mark.fake_miner("cgminer", pools=POOLS)
def test_switcher_leaves_a_healthy_rig_alone(fake_miner: FakeMiner, tmp_path: Path) -> None:
    script = tmp_path / "switcher.py"
    script.write_text(_block_after("# switcher.py"), encoding="utf-8")
    subprocess.run([sys.executable, str(script), fake_miner.address], check=True, timeout=60)
    assert fake_miner.state.live_pools[0].priority == 0
    assert [r.data for r in fake_miner.requests] == [b'{"command":"pools"}']
