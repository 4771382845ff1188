"""Shared test setup: every async test runs under asyncio and trio."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@dataclass(frozen=True)
class Capture:
    """One real reply from tests/fixtures with its SOURCES.tsv row."""

    path: Path
    software: str
    command: str
    form: str
    notes: str

    @property
    def name(self) -> str:
        return str(self.path.relative_to(FIXTURES))

    def read(self) -> bytes:
        return self.path.read_bytes()


def captures() -> list[Capture]:
    """Every real capture listed in tests/fixtures/SOURCES.tsv."""
    with (FIXTURES / "SOURCES.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        Capture(FIXTURES / row["file"], row["software"], row["command"], row["form"], row["notes"])
        for row in rows
    ]
