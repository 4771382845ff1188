"""Turning results into terminal tables (rich) or JSON for scripts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from ..protocol import MultiReply, Reply, Status

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ("console", "error_console", "print_json", "print_result", "records_table", "to_data")

console = Console(highlight=False)
error_console = Console(stderr=True, highlight=False)


def to_data(value: object) -> Any:
    """A JSON-ready form of a command result (field names as the miner sends them)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Status):
        return {
            "STATUS": value.severity,
            "When": value.when,
            "Code": value.code,
            "Msg": value.msg,
            "Description": value.description,
        }
    if isinstance(value, MultiReply):
        return {name: to_data(reply) for name, reply in value.items()}
    if isinstance(value, Reply):
        data: dict[str, Any] = {"STATUS": to_data(value.status)}
        for key, records in value.sections.items():
            data[key] = [dict(record) for record in records]
        return data
    if isinstance(value, (list, tuple)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def print_json(value: object) -> None:
    """Print `value` as one JSON document on stdout."""
    console.print_json(json.dumps(to_data(value), default=str), highlight=False)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.4g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def records_table(title: str, records: Sequence[Mapping[str, object]]) -> Table:
    """Fields down, records across: readable for one record and for a few."""
    table = Table(title=title, title_justify="left", show_header=len(records) > 1)
    table.add_column("field", style="bold")
    names: list[str] = []
    for record in records:
        names.extend(name for name in record if name not in names)
    for n, _ in enumerate(records):
        table.add_column(str(n), justify="right")
    for name in names:
        table.add_row(name, *(_cell(record.get(name)) for record in records))
    return table


def _as_records(data: Any) -> list[Mapping[str, object]]:
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return [item for item in data if isinstance(item, dict)]
    return [{"value": data}]


def print_result(title: str, value: object) -> None:
    """Print a command's result as a table (a STATUS as one line)."""
    if isinstance(value, Status):
        console.print(f"[bold]{value.severity}[/] {value.code}: {value.msg}")
        return
    if isinstance(value, Reply):
        console.print(f"[bold]{value.status.severity}[/] {value.status.code}: {value.status.msg}")
        for key, records in value.sections.items():
            console.print(records_table(key, [dict(r) for r in records]))
        return
    if value is None:
        console.print("done")
        return
    console.print(records_table(title, _as_records(to_data(value))))


def rows_table(title: str, columns: Iterable[str], rows: Iterable[Sequence[object]]) -> Table:
    """A plain table with a header row."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(cell) for cell in row))
    return table
