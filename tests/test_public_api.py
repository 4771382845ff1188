"""The public surface: sorted `__all__` tuples that match what modules define."""

from __future__ import annotations

import importlib
import inspect

import pytest

PUBLIC_MODULES = [
    "cgapi",
    "cgapi.errors",
    "cgapi.protocol",
    "cgapi.transport",
    "cgapi.commands",
    "cgapi.models",
    "cgapi.fleet",
    "cgapi.discovery",
    "cgapi.scan",
    "cgapi.testing",
]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_a_sorted_tuple_of_existing_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert isinstance(exported, tuple)
    assert len(set(exported)) == len(exported)
    for attribute in exported:
        assert hasattr(module, attribute), f"{name}.{attribute}"


def test_every_public_error_is_exported() -> None:
    errors = importlib.import_module("cgapi.errors")
    defined = {
        name
        for name, value in vars(errors).items()
        if inspect.isclass(value)
        and value.__module__ == "cgapi.errors"
        and not name.startswith("_")
    }
    assert defined == set(errors.__all__) - {"dialect_of"}


def test_protocol_core_has_no_io_or_pydantic() -> None:
    import ast
    from pathlib import Path

    forbidden = {"anyio", "socket", "pydantic", "asyncio", "trio", "httpx"}
    root = Path(importlib.import_module("cgapi.protocol").__file__ or "").parent
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for module in names:
                assert module.split(".")[0] not in forbidden, f"{path.name} imports {module}"
