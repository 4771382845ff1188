"""The command table equals the protocol's commands.json; generated code is current."""

from __future__ import annotations

import json

from cgapi import models
from cgapi.commands import COMMANDS, JOINABLE
from cgapi.commands.codegen import DOCS_TARGET, TARGET, render, render_docs
from tests.conftest import FIXTURES


def test_table_equals_commands_json() -> None:
    reference = json.loads((FIXTURES / "commands.json").read_text(encoding="utf-8"))
    assert list(COMMANDS) == [entry["name"] for entry in reference]
    for entry in reference:
        spec = COMMANDS[entry["name"]]
        mine = {
            "params": spec.wire_params,
            "param_required": spec.param_required,
            "privileged": spec.privileged,
            "joinable": spec.joinable,
            "reply_section": spec.section,
            "miners": list(spec.miners),
            "since_api": spec.since_api,
        }
        assert mine == {key: entry[key] for key in mine}, entry["name"]


def test_table_invariants() -> None:
    assert len(COMMANDS) == 77
    for spec in COMMANDS.values():
        if spec.result in ("single", "list", "count"):
            assert spec.model is not None and hasattr(models, spec.model), spec.name
            assert spec.section is not None
        if spec.joinable:
            assert not spec.params or spec.param_required == "optional", spec.name
        has_required = any(p.required for p in spec.params)
        assert has_required == (spec.param_required is True), spec.name
    assert "lockstats" in JOINABLE and COMMANDS["lockstats"].privileged
    assert COMMANDS["failover-only"].python_name == "failover_only"


def test_generated_methods_are_current() -> None:
    assert TARGET.read_text(encoding="utf-8") == render()


def test_generated_docs_are_current() -> None:
    assert DOCS_TARGET.read_text(encoding="utf-8") == render_docs()
