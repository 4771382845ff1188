"""The escaping rules of the protocol, in both directions.

* Replies, text form (API >= 1.7): `\\` is put before each of `,` `|` `=` `\\` in
  user-controlled fields. A reader takes `\\x` as a literal `x`.
* Replies, JSON form: only `"` and `\\` get a backslash; control characters go out raw.
* Requests: only `addpool` honours escapes. Its fields are split on unescaped `,` and inside a
  field `\\x` means a literal `x` (cgminer `copyadvanceafter`); a lone trailing `\\` is kept.
"""

from __future__ import annotations

import re

__all__ = (
    "escape_addpool_field",
    "escape_json_reply",
    "escape_text_reply",
    "split_addpool",
    "unescape_text",
)

_TEXT_SPECIAL = re.compile(r"([\\,|=])")
_JSON_SPECIAL = re.compile(r'(["\\])')
_ADDPOOL_SPECIAL = re.compile(r"([\\,])")
_BACKSLASH_ANY = re.compile(r"\\(.)", re.DOTALL)


def escape_text_reply(value: str) -> str:
    """Escape a value as a miner does in a text reply (`a,b` -> `a\\,b`)."""
    return _TEXT_SPECIAL.sub(r"\\\1", value)


def escape_json_reply(value: str) -> str:
    """Escape a value as a miner does inside a JSON reply string (only `"` and `\\`)."""
    return _JSON_SPECIAL.sub(r"\\\1", value)


def unescape_text(value: str) -> str:
    """Undo text-reply escaping: `\\x` becomes `x`; a lone trailing `\\` is kept."""
    if "\\" not in value:
        return value
    return _BACKSLASH_ANY.sub(r"\1", value)


def escape_addpool_field(value: str) -> str:
    """Escape one `addpool` field (URL, user, password...) for the request."""
    return _ADDPOOL_SPECIAL.sub(r"\\\1", value)


def split_addpool(parameter: str) -> list[str]:
    """Split an `addpool` parameter as the miner does: unescaped `,`, then unescape."""
    fields: list[str] = []
    current: list[str] = []
    i = 0
    length = len(parameter)
    while i < length:
        char = parameter[i]
        if char == "\\" and i + 1 < length:
            current.append(parameter[i + 1])
            i += 2
            continue
        if char == ",":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    fields.append("".join(current))
    return fields
