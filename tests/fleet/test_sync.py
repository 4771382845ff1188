"""The blocking facade, from plain sync tests, against fake miners served from another thread."""

from __future__ import annotations

import inspect
import textwrap
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from anyio.from_thread import start_blocking_portal

import cgapi
import cgapi.sync
from cgapi.commands import codegen_sync
from cgapi.errors import AccessDenied, ConnectError, PrivilegedCommandBlocked
from cgapi.models import Pool, Summary
from cgapi.testing import FakeFleet, FakeMiner

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def served(fake: Any) -> Iterator[Any]:
    """Run a FakeMiner or FakeFleet on its own event loop thread for a sync test."""
    with start_blocking_portal() as portal, portal.wrap_async_context_manager(fake) as running:
        yield running


def test_sync_miner_reads_and_controls() -> None:
    with (
        served(FakeMiner("cgminer", allow="W:127.0.0.1")) as fake,
        cgapi.sync.Miner(fake.host, fake.port, timeout=5) as miner,
    ):
        summary = miner.summary()
        assert isinstance(summary, Summary) and summary.hashrate_av
        pools = miner.pools()
        assert all(isinstance(pool, Pool) for pool in pools) and len(pools) == 2
        assert miner.switchpool(1).severity == "S"
        assert fake.state.current_index == 1
        assert miner.is_privileged() is True
        assert miner.can("switchpool") is True
        result = miner.multi("summary", "pools")
        assert isinstance(result["summary"], Summary)
        assert miner.command("version").status.severity == "S"
        assert miner.address == f"127.0.0.1:{fake.port}" and miner.join_supported is True
    assert miner.is_closed
    with pytest.raises(RuntimeError):
        miner.summary()


def test_sync_errors_are_the_async_ones() -> None:
    with served(FakeMiner("cgminer", allow="R:127.0.0.1")) as fake:
        miner = cgapi.sync.Miner(fake.address, timeout=5)
        with pytest.raises(AccessDenied):
            miner.switchpool(0)
        with pytest.raises(PrivilegedCommandBlocked):
            cgapi.sync.Miner(fake.address, read_only=True).switchpool(0)
        miner.close()
    with pytest.raises(ConnectError):
        cgapi.sync.Miner(fake.address, timeout=1).summary()


def test_sync_miner_from_many_threads() -> None:
    with served(FakeMiner("sgminer", allow="W:127.0.0.1")) as fake:
        miner = cgapi.sync.Miner(fake.address, timeout=5)
        results: list[float | None] = []

        def work() -> None:
            results.append(miner.summary().hashrate_av)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 8 and all(results)


def test_wrap_gives_a_blocking_view() -> None:
    with served(FakeMiner("bfgminer", allow="W:127.0.0.1")) as fake:
        aio = cgapi.Miner(fake.host, fake.port)
        assert cgapi.sync.Miner.wrap(aio).devs()
        assert "sync.Miner" in repr(cgapi.sync.Miner.wrap(aio))


def test_sync_fleet_polls_and_runs() -> None:
    with served(FakeFleet(3, "mixed", base="127.1.91.1", port=0, allow="W:127.0.0.1")) as fakes:
        targets: list[str | cgapi.Miner | cgapi.sync.Miner] = list(fakes.addresses)
        targets[1] = cgapi.sync.Miner(fakes.addresses[1])
        with cgapi.sync.Fleet(targets, timeout=5) as fleet:
            assert len(fleet) == 3 and fleet.addresses == fakes.addresses
            statuses = fleet.poll()
            assert [s.address for s in statuses] == fakes.addresses
            assert all(s.ok and s.summary is not None for s in statuses)
            dry = fleet.run("switchpool", 1, dry_run=True)
            assert all(o.dry_run for o in dry)
            assert [f.state.current_index for f in fakes] == [0, 0, 0]
            outcomes = fleet.run("switchpool", 1)
            assert all(o.ok for o in outcomes), outcomes
            assert [f.state.current_index for f in fakes] == [1, 1, 1]


def test_sync_miner_has_every_async_method() -> None:
    renamed = {"aclose": "close"}
    for name, member in inspect.getmembers(cgapi.Miner):
        if name.startswith("_") or not inspect.iscoroutinefunction(member):
            continue
        twin = getattr(cgapi.sync.Miner, renamed.get(name, name), None)
        assert twin is not None, f"cgapi.sync.Miner lacks {name}"
        assert not inspect.iscoroutinefunction(twin)
        expected = inspect.signature(member)
        actual = inspect.signature(twin)
        assert list(actual.parameters) == list(expected.parameters), name
        assert actual.return_annotation == expected.return_annotation, name
    assert list(inspect.signature(cgapi.sync.Miner).parameters) == list(
        inspect.signature(cgapi.Miner).parameters
    )


def test_generated_sync_methods_are_current() -> None:
    assert codegen_sync.main(["--check"]) == 0, "run: python -m cgapi.commands.codegen_sync"


def test_users_see_the_right_types(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    monkeypatch.setenv("MYPYPATH", str(ROOT))
    script = tmp_path / "user_script.py"
    script.write_text(
        textwrap.dedent(
            """
            import cgapi.sync

            m = cgapi.sync.Miner("h")
            reveal_type(m.summary())
            reveal_type(m.pools())
            reveal_type(m.switchpool(1))
            reveal_type(cgapi.sync.Fleet(["h"]).poll())
            m.gpufan(0, "eighty")
            """
        ),
        encoding="utf-8",
    )
    stdout, _, status = api.run(["--strict", "--cache-dir", str(tmp_path / "cache"), str(script)])
    assert status == 1, stdout
    assert 'Revealed type is "cgapi.models.summary.Summary"' in stdout
    assert 'Revealed type is "builtins.list[cgapi.models.pools.Pool]"' in stdout or (
        'Revealed type is "list[cgapi.models.pools.Pool]"' in stdout
    )
    assert 'Revealed type is "cgapi.protocol.reply.Status"' in stdout
    assert "list[cgapi.fleet.RigStatus]" in stdout
    assert 'Argument 2 to "gpufan"' in stdout and stdout.count("error:") == 1
