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


_NONFINITE_AT = re.compile(r"[-+]?(?i:nan|inf(?:inity)?)")
_HEX_AT = re.compile(r"0x[0-9A-Fa-f]+")
_TARGETED_ATTEMPTS = 4


def _previous_char(text: str, pos: int) -> str:
    stripped = text[:pos].rstrip()
    return stripped[-1:] if stripped else ""


def _fix_at(text: str, pos: int) -> tuple[str, str] | None:
    """Repair the one defect the decoder stopped at (always outside a string)."""
    char = text[pos : pos + 1]
    before = _previous_char(text, pos)
    if char == "{" and before == "}":
        return text[:pos] + "," + text[pos:], "missing-comma"
    if char == "{" and before == "]" and text[pos + 1 :].lstrip().startswith('"STATUS"'):
        return text[:pos] + "," + text[pos + 1 :], "status-join"
    if char == "\\":
        return text[:pos] + "\\" + text[pos:], "bad-escape"
    if char in "}]" and before == ",":
        comma = text.rindex(",", 0, pos)
        return text[:comma] + text[comma + 1 :], "trailing-comma"
    if char == "," and before in "[{":
        return text[:pos] + text[pos + 1 :], "leading-comma"
    if char == "," and before == ",":
        return text[:pos] + text[pos + 1 :], "double-comma"
    match = _NONFINITE_AT.match(text, pos)
    if match:
        token = match.group().lower()
        word = "NaN" if "nan" in token else "-Infinity" if token[0] == "-" else "Infinity"
        return text[:pos] + word + text[match.end() :], "nonfinite"
    if char in "xX" and text[pos - 1 : pos] == "0":
        match = _HEX_AT.match(text, pos - 1)
        if match:
            return f'{text[: pos - 1]}"{match.group()}"{text[match.end() :]}', "hex"
    return None


def loads_reply(text: str) -> tuple[Any, list[str]]:
    """Load a JSON reply into Records, repairing known firmware bugs if it must.

    Repairs are first made one at a time where the decoder stopped (cheap: a failed parse
    ends at the defect); past a few defects, or one not recognised there, the whole text is
    repaired in one pass. Returns the loaded value and the names of the repairs applied.

    Raises:
        ValueError: not JSON, even after the repairs.
    """
    applied: list[str] = []
    current = text
    for _ in range(_TARGETED_ATTEMPTS):
        try:
            return _decoder.decode(current), sorted(set(applied))
        except json.JSONDecodeError as exc:
            fixed = _fix_at(current, exc.pos)
        if fixed is None:
            break
        current, name = fixed
        applied.append(name)
    repaired, found = _repair(current)
    if not found and current == text:
        raise ValueError("not valid JSON and no known repair applies")
    return _decoder.decode(repaired), sorted(set(applied + found))
