"""JSON reply loading with the repairs real firmware needs.

The fast path is `json.loads` (with `strict=False`, since miners put raw control characters
and newlines in strings, NOTES 15). Only when that fails are the repairs tried, all of them
outside string literals:

* `}{` with no comma: Bitmain stats (`bmminer/antminer-s9-stats-missing-comma.json` and
  seven more captures);
* `]{"STATUS"`: cgminer `setconfig|queue` sends two STATUS objects (NOTES 12);
* bare `nan`, `-nan`, `inf`, `-inf` from printf (NOTES 16);
* `[,{` and `,}` / `,]` and `,,` from firmware that joins records carelessly;
* unquoted `0x...` from sgminer's broken HEX32 (NOTES 17);
* a backslash before a character JSON does not allow (raw paths in STRING fields).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .reply import Record

__all__ = ("loads_reply",)

_decoder = json.JSONDecoder(strict=False, object_pairs_hook=Record.from_pairs)

_REPAIRABLE = re.compile(
    r"""
      (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<missing_comma>\}(?=\s*\{))
    | (?P<status_join>\]\s*\{(?=\s*"STATUS"))
    | (?P<leading_comma>(?<=[\[{])\s*,)
    | (?P<trailing_comma>,(?=\s*[\]}]))
    | (?P<double_comma>,(?=\s*,))
    | (?P<nonfinite>(?<=[:\[,\s])[-+]?(?i:nan|inf(?:inity)?)(?=\s*[,\]}]))
    | (?P<hex>(?<=[:\[,\s])0x[0-9A-Fa-f]+(?=\s*[,\]}]))
    """,
    re.VERBOSE | re.DOTALL,
)
_BAD_ESCAPE = re.compile(r'\\(?=[^"\\/bfnrtu]|u(?![0-9A-Fa-f]{4}))')


def _repair(text: str) -> tuple[str, list[str]]:
    applied: list[str] = []

    def fix(match: re.Match[str]) -> str:
        kind = match.lastgroup
        token = match.group()
        if kind == "string":
            if "\\" in token:
                fixed = _BAD_ESCAPE.sub(r"\\\\", token[1:-1])
                if fixed != token[1:-1]:
                    applied.append("bad-escape")
                    return f'"{fixed}"'
            return token
        assert kind is not None
        applied.append(kind.replace("_", "-"))
        if kind == "missing_comma":
            return "},"
        if kind == "status_join":
            return "],"
        if kind == "nonfinite":
            lowered = token.lower()
            if "nan" in lowered:
                return "NaN"
            return "-Infinity" if lowered.startswith("-") else "Infinity"
        if kind == "hex":
            return f'"{token}"'
        return ""  # the stray commas

    repaired = _REPAIRABLE.sub(fix, text)
    return repaired, sorted(set(applied))


def loads_reply(text: str) -> tuple[Any, list[str]]:
    """Load a JSON reply into Records, repairing known firmware bugs if it must.

    Returns the loaded value and the names of the repairs applied.

    Raises:
        ValueError: not JSON, even after the repairs.
    """
    try:
        return _decoder.decode(text), []
    except ValueError:
        pass
    repaired, applied = _repair(text)
    if not applied:
        raise ValueError("not valid JSON and no known repair applies")
    return _decoder.decode(repaired), applied
