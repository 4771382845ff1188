"""The testing example of docs/discovery.md runs as written (on loopback)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "discovery.md"

pytestmark = pytest.mark.anyio


def example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    (block,) = [b for b in blocks if "FakeMiner" in b]
    return block


async def test_testing_example_runs(loopback_multicast: str) -> None:
    source = "async def _example():\n" + textwrap.indent(example(), "    ")
    namespace: dict[str, object] = {}
    exec(compile(source, str(PAGE), "exec"), namespace)  # noqa: S102 - our own docs page
    await namespace["_example"]()  # type: ignore[operator]
