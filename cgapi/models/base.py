"""Base model and lax field types shared by every cgminer-family reply model.

Firmware does not agree on value types: the same field can be a JSON number, a
JSON string (``"GHS 5s":"13581.93"`` on Bitmain), or, in text replies, always a
string (``KHS av=1.339e+04`` on TeamRedMiner, ``Enabled=Y``, ``Proxy=``). The
``Lax*`` annotated types below turn all of these into clean Python values and
fall back to ``None`` when a value is truly unusable, so that one odd field never
makes a whole reply fail validation.
"""

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Final

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

__all__ = (
    "HashrateModel",
    "IntOrStr",
    "LaxBool",
    "LaxFloat",
    "LaxInt",
    "LaxStr",
    "MinerModel",
    "YesNo",
    "parse_rate_key",
    "to_bool",
    "to_float",
    "to_int",
    "to_int_or_str",
    "to_str",
)

_TRUE: Final = frozenset({"true", "y", "yes", "1", "on"})
_FALSE: Final = frozenset({"false", "n", "no", "0", "off"})


def to_float(value: Any) -> float | None:
    """Convert a wire value to a finite float, or ``None`` when it is unusable.

    Accepts numbers, numeric strings with surrounding blanks, exponents
    (``"1.339e+04"``) and integers written as floats. ``""``, ``nan``, ``inf``
    (cgminer prints ``%f`` of a division by zero literally) and garbage give ``None``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            result = float(text)
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def to_int(value: Any) -> int | None:
    """Convert a wire value to an int, or ``None`` when it is unusable.

    Accepts ``" 42"``, ``"5.0"`` (Hammer sends ``"Accepted":"156.0000"``),
    ``"0x0000abcd"`` (cgminer HEX32) and floats; non-integral floats are truncated.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return int(text, 10)
        except ValueError:
            pass
        if text[:2].lower() == "0x":
            try:
                return int(text, 16)
            except ValueError:
                return None
    number = to_float(value)
    return None if number is None else int(number)


def to_bool(value: Any) -> bool | None:
    """Convert ``true``/``false``, ``Y``/``N``, ``1``/``0`` (any case) to a bool, else ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def to_str(value: Any) -> str | None:
    """Convert a wire value to a string; strings are kept exactly as sent.

    JSON numbers and bools are rendered the way a text reply would show them,
    so that JSON and text forms of the same reply give equal models.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def to_int_or_str(value: Any) -> int | str | None:
    """Keep integer-looking values as int and anything else as a string.

    Used where firmware disagrees on the type: ``Last Share Time`` is a unix
    time on cgminer but ``"0:00:34"`` on the Antminer S19j Pro text API, and
    config ``Hotplug`` is ``"Disabled"``/``"None"`` or a number of seconds.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        number = to_int(text) if to_float(text) is not None else None
        return text if number is None else number
    if isinstance(value, int | float) and not isinstance(value, bool):
        return to_int(value)
    return to_str(value)


LaxInt = Annotated[int | None, BeforeValidator(to_int)]
"""An int that also accepts numeric strings, ``"5.0"`` and ``""`` (-> None)."""

LaxFloat = Annotated[float | None, BeforeValidator(to_float)]
"""A finite float that also accepts numeric strings, exponents and ``""`` (-> None)."""

LaxBool = Annotated[bool | None, BeforeValidator(to_bool)]
"""A bool that also accepts ``"true"``/``"false"``, ``"Y"``/``"N"`` and ``1``/``0``."""

YesNo = Annotated[bool | None, BeforeValidator(to_bool)]
"""A cgminer ``Y``/``N`` flag (``Enabled``, ``Long Poll``, ``Exists``...) as a bool."""

LaxStr = Annotated[str | None, BeforeValidator(to_str)]
"""A string; JSON numbers/bools are rendered as text so both reply forms agree."""

IntOrStr = Annotated[int | str | None, BeforeValidator(to_int_or_str)]
"""An int when the value looks numeric, else the string as sent."""


class MinerModel(BaseModel):
    """Base of every reply model: frozen, wire aliases, unknown keys kept in ``model_extra``."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    @classmethod
    def _wire_names(cls) -> Mapping[str, str]:
        """Map every declared wire alias to its field name."""
        names: dict[str, str] = {}
        for name, info in cls.model_fields.items():
            names[info.alias or name] = name
        return names

    def wire_items(self) -> Iterator[tuple[str, Any]]:
        """Yield ``(wire name, value)`` for declared fields, then for extra keys."""
        for name, info in type(self).model_fields.items():
            yield info.alias or name, getattr(self, name)
        if self.model_extra:
            yield from self.model_extra.items()


_RATE_KEY: Final = re.compile(r"^(?P<unit>[KMGTP])HS (?P<window>av|rolling|\d+[smh])$")
"""Wire names of hash rate fields: ``MHS av``, ``MHS 5s``, ``KHS 30s``, ``GHS 5m``, ``MHS rolling``."""

_RATE_UNITS: Final[Mapping[str, float]] = {
    "K": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
}
"""Multiplier from a rate field's unit letter to hashes per second."""


def parse_rate_key(key: str) -> tuple[float, str] | None:
    """Split a rate field name into (multiplier to H/s, window), e.g. ``"GHS 5s"`` -> (1e9, "5s")."""
    match = _RATE_KEY.match(key)
    if match is None:
        return None
    return _RATE_UNITS[match["unit"]], match["window"]


def _window_seconds(window: str) -> int | None:
    if window[-1:] in "smh" and window[:-1].isdigit():
        return int(window[:-1]) * {"s": 1, "m": 60, "h": 3600}[window[-1]]
    return None


class HashrateModel(MinerModel):
    """A record that carries hash rate fields (``MHS av``, ``GHS 5s``, ``KHS 30s``...).

    Rate field names depend on the miner (K/M/G/T unit) and on cgminer's
    ``--log`` interval (``MHS 5s``, ``MHS 20s``, ``MHS 30s``), so they are found
    by pattern (see :func:`parse_rate_key`) rather than by name. Values of rate keys that
    are not declared fields are still normalised to floats in ``model_extra``.
    """

    @model_validator(mode="before")
    @classmethod
    def _normalise_rate_keys(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        declared = cls._wire_names()
        fixed: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(key, str) and key not in declared and _RATE_KEY.match(key):
                fixed[key] = to_float(value)
            else:
                fixed[key] = value
        return fixed

    @property
    def rates(self) -> dict[str, float]:
        """Hash rate per window in H/s, e.g. ``{"av": 1.3e13, "5s": 1.4e13}``.

        When several units report the same window (TeamRedMiner sends both
        ``MHS av`` and ``KHS av``) the declared field, then the first one sent, wins.
        """
        out: dict[str, float] = {}
        for key, value in self.wire_items():
            parsed = parse_rate_key(key)
            if parsed is None or parsed[1] in out:
                continue
            number = to_float(value)
            if number is not None:
                out[parsed[1]] = number * parsed[0]
        return out

    def hashrate(self, window: str = "av") -> float | None:
        """Hash rate in H/s for a window such as ``"av"``, ``"5s"``, ``"1m"``; None if absent."""
        return self.rates.get(window)

    @property
    def hashrate_av(self) -> float | None:
        """Average hash rate since start, in H/s."""
        return self.hashrate("av")

    @property
    def hashrate_current(self) -> float | None:
        """Hash rate in H/s from the shortest seconds window (``MHS 5s``, ``MHS 20s``...)."""
        best: tuple[int, float] | None = None
        for window, value in self.rates.items():
            if not window.endswith("s"):
                continue
            seconds = _window_seconds(window)
            if seconds is not None and (best is None or seconds < best[0]):
                best = (seconds, value)
        return None if best is None else best[1]
