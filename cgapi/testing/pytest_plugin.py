"""pytest fixtures for testing code that talks to miners (registered via `pytest11`).

The fakes run on an event loop in a background thread, so the fixtures work in plain
synchronous tests (`cgapi.sync`, scripts run with `subprocess`) and in async tests under
any framework alike:

```python
import pytest

from cgapi.sync import Miner


@pytest.mark.fake_miner(personality="sgminer", devices=["GPU"])
def test_my_fan_script(fake_miner):
    run_my_script(fake_miner.address)
    assert fake_miner.state.devices[0].fan_percent == 80
```

* `fake_miner`: one `FakeMiner` (cgminer unless the `fake_miner` marker says otherwise),
  allowing privileged commands from 127.0.0.1 (`allow="W:127.0.0.1"`).
* `fake_fleet`: a `FakeFleet` of 4 rigs with mixed personalities on ephemeral ports
  (options from the `fake_fleet` marker, e.g. `@pytest.mark.fake_fleet(8, "cgminer")`).
* `fake_miner_factory`: `make(personality, **options)` for several differently
  configured fakes in one test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio.from_thread
import pytest

from .fleet import FakeFleet
from .server import FakeMiner

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

__all__ = ("fake_fleet", "fake_miner", "fake_miner_factory")

_DEFAULTS: dict[str, Any] = {"allow": "W:127.0.0.1"}


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers that configure the fixtures."""
    config.addinivalue_line(
        "markers", "fake_miner(personality='cgminer', **options): configure `fake_miner`"
    )
    config.addinivalue_line(
        "markers", "fake_fleet(n=4, personality='mixed', **options): configure `fake_fleet`"
    )


@pytest.fixture
def _cgapi_portal() -> Iterator[anyio.from_thread.BlockingPortal]:
    with anyio.from_thread.start_blocking_portal() as portal:
        yield portal


@pytest.fixture
def fake_miner_factory(
    _cgapi_portal: anyio.from_thread.BlockingPortal,
) -> Iterator[Callable[..., FakeMiner]]:
    """`make(personality="cgminer", **options) -> FakeMiner`, started; stopped after the test."""
    running: list[AbstractContextManager[FakeMiner]] = []

    def make(personality: str = "cgminer", **options: Any) -> FakeMiner:
        for key, value in _DEFAULTS.items():
            options.setdefault(key, value)
        context = _cgapi_portal.wrap_async_context_manager(FakeMiner(personality, **options))  # type: ignore[arg-type]
        miner = context.__enter__()
        running.append(context)
        return miner

    try:
        yield make
    finally:
        for context in reversed(running):
            context.__exit__(None, None, None)


@pytest.fixture
def fake_miner(
    request: pytest.FixtureRequest, fake_miner_factory: Callable[..., FakeMiner]
) -> FakeMiner:
    """A running `FakeMiner`; configure it with `@pytest.mark.fake_miner(...)`."""
    marker = request.node.get_closest_marker("fake_miner")
    args: tuple[Any, ...] = marker.args if marker else ()
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    return fake_miner_factory(*args, **options)


@pytest.fixture
def fake_fleet(
    request: pytest.FixtureRequest, _cgapi_portal: anyio.from_thread.BlockingPortal
) -> Iterator[FakeFleet]:
    """A running `FakeFleet`; configure it with `@pytest.mark.fake_fleet(n, personality, ...)`."""
    marker = request.node.get_closest_marker("fake_fleet")
    args: tuple[Any, ...] = marker.args if marker else ()
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    n = args[0] if args else options.pop("n", 4)
    personality = args[1] if len(args) > 1 else options.pop("personality", "mixed")
    options.setdefault("port", 0)
    options.setdefault("allow", "W:127.0.0.0/8")
    with _cgapi_portal.wrap_async_context_manager(FakeFleet(n, personality, **options)) as fleet:
        yield fleet
