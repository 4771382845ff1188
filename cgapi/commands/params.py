"""Parameter specs: how each command's arguments are checked and written on the wire.

Every check here runs before anything is sent; a bad value raises `LocalProtocolError`
(a `ValueError`) naming the command and the parameter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..errors import LocalProtocolError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ("Kind", "Parameter")

Kind = Literal["int", "str", "bool", "float", "intensity", "word"]
"""int: whole number (range checked); str: free text; bool: true/false; float: a number;
intensity: `d` (dynamic) or a whole number; word: one of `choices` (case-insensitive)."""

_ANNOTATIONS: Mapping[Kind, str] = {
    "int": "int",
    "str": "str",
    "bool": "bool",
    "float": "float",
    "intensity": "int | str",
    "word": "str",
}


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of a command.

    Attributes:
        name: the Python argument name.
        kind: how the value is checked and written (see `Kind`).
        required: False for optional trailing parameters.
        minimum, maximum: inclusive range for numbers.
        choices: allowed words for `word` (matched case-insensitively).
        variadic: takes any number of values (`poolpriority`).
        keyword_only: keyword-only in the Python signature.
        may_contain_comma: the value may hold `,` (the last field of `ascset`/`pgaset`, and
            `addpool` fields, which are escaped); elsewhere a comma would shift parameters.
        wire_words: for `word`, words sent as another text (sgminer `changestrategy` reads
            a number: `rotate` is sent as `2`).
        doc: a few words for the docstring.
    """

    name: str
    kind: Kind
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    variadic: bool = False
    keyword_only: bool = False
    may_contain_comma: bool = False
    wire_words: tuple[tuple[str, str], ...] = ()
    doc: str = ""

    @property
    def annotation(self) -> str:
        """The Python type annotation of the argument."""
        return _ANNOTATIONS[self.kind]

    def to_wire(self, command: str, value: object) -> str:
        """Check `value` and return its wire text."""
        where = f"{command}: parameter '{self.name}'"
        if self.kind in ("int", "intensity"):
            if self.kind == "intensity" and isinstance(value, str) and value.lower() == "d":
                return "d"
            if isinstance(value, bool) or not isinstance(value, int):
                expected = "a whole number or 'd'" if self.kind == "intensity" else "an int"
                raise LocalProtocolError(f"{where} must be {expected}, not {value!r}")
            self._check_range(where, value)
            return str(value)
        if self.kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise LocalProtocolError(f"{where} must be a number, not {value!r}")
            if not math.isfinite(value):
                raise LocalProtocolError(f"{where} must be finite, not {value!r}")
            self._check_range(where, value)
            return repr(float(value)) if isinstance(value, float) else str(value)
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise LocalProtocolError(f"{where} must be True or False, not {value!r}")
            return "true" if value else "false"
        if not isinstance(value, str):
            raise LocalProtocolError(f"{where} must be a str, not {value!r}")
        if self.kind == "word":
            if value.lower() not in self.choices:
                allowed = ", ".join(self.choices)
                raise LocalProtocolError(f"{where} must be one of {allowed}; not {value!r}")
            return dict(self.wire_words).get(value.lower(), value.lower())
        if "\x00" in value:
            raise LocalProtocolError(f"{where} cannot contain a NUL byte")
        if "," in value and not self.may_contain_comma:
            raise LocalProtocolError(
                f"{where} cannot contain ',' (the miner splits parameters on raw commas)"
            )
        return value

    def _check_range(self, where: str, value: float) -> None:
        if self.minimum is not None and value < self.minimum:
            raise LocalProtocolError(f"{where} must be >= {self.minimum:g}, not {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise LocalProtocolError(f"{where} must be <= {self.maximum:g}, not {value!r}")
