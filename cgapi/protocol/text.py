"""The text reply grammar (SPEC 3.2), with the repairs real firmware needs.

```
reply   = section *( section ) [NUL]
section = item *( "," item ) "|"
item    = name "=" value | label
```

A backslash makes the next character literal. Single-object sections carry a bare label
(`SUMMARY,Elapsed=...|`); list records start with their index field (`POOL=0,URL=...|`).

Repairs, each seen in a capture under tests/fixtures:
* sections separated by newlines instead of `|` (TeamRedMiner pasted output, `teamredminer/`);
* sections starting with a stray `,` (Antminer S19j Pro, `bmminer/antminer-s19jpro-pools.txt`);
* a space after `|` (Avalon manual, `avalon/avalon10xx-version-doc.txt`);
* no trailing `|` (`bfgminer/bfgminer-5.4.2-devs-1pga-bfl.txt`, TeamRedMiner, Avalon);
* a trailing literal `\\0` where a capture tool wrote the NUL escaped (same bfgminer file);
* raw commas inside STRING values (Avalon `MM ID0`, `avalon/avalon10xx-estats-doc.txt`): an
  item without `=` after the first continues the previous value.
"""

from __future__ import annotations

import re

from .reply import Record

__all__ = ("TextSection", "parse_text")

TextSection = tuple[str | None, Record, bool]
"""(section name or None when the record has no label or index, record, had a bare label)."""

_ITEM = re.compile(r"((?:[^\\,|]|\\.|\\\Z)*)([,|]|\Z)", re.DOTALL)
_UNESCAPED_EQUALS = re.compile(r"((?:[^\\=]|\\.)*)=", re.DOTALL)
_BACKSLASH_ANY = re.compile(r"\\(.)", re.DOTALL)
_NEWLINE_SECTION = re.compile(r"\r?\n(?=[A-Z][A-Z0-9_]*[=,])")
_SECTION_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def _unescape(value: str) -> str:
    return _BACKSLASH_ANY.sub(r"\1", value) if "\\" in value else value


def _split_items(text: str) -> list[list[str]]:
    """Split into sections of raw (still escaped) items."""
    if "\\" not in text:
        return [section.split(",") for section in text.split("|")]
    sections: list[list[str]] = []
    items: list[str] = []
    for match in _ITEM.finditer(text):
        item, delimiter = match.group(1), match.group(2)
        items.append(item)
        if delimiter != ",":
            sections.append(items)
            items = []
        if not delimiter:
            break
    return sections


def _split_pair(item: str) -> tuple[str, str] | None:
    if "\\" not in item:
        name, sep, value = item.partition("=")
        return (name, value) if sep else None
    match = _UNESCAPED_EQUALS.match(item)
    if match is None:
        return None
    return _unescape(match.group(1)), _unescape(item[match.end() :])


def parse_text(text: str, repairs: list[str]) -> list[TextSection]:
    """Parse a text reply (NUL already removed) into sections, in wire order.

    Names of the repairs applied are appended to `repairs`.
    """
    text = text.strip("\r\n")
    if text.endswith("|\\0"):
        text = text[:-2]
        repairs.append("escaped-nul")
    if "\n" in text:
        text, count = _NEWLINE_SECTION.subn("|", text)
        if count:
            repairs.append("newline-sections")
    sections: list[TextSection] = []
    for items in _split_items(text):
        if items and items[0] == "" and len(items) > 1:
            while items and items[0] == "":
                items = items[1:]
            if "leading-comma" not in repairs:
                repairs.append("leading-comma")
        if not items or items == [""]:
            continue
        first = items[0]
        if first[:1].isspace():
            items[0] = first = first.lstrip()
            if "leading-space" not in repairs:
                repairs.append("leading-space")
        label: str | None = None
        pairs: list[tuple[str, str]] = []
        for position, item in enumerate(items):
            pair = _split_pair(item)
            if pair is None:
                if position == 0:
                    label = _unescape(item)
                elif pairs:
                    # A raw comma inside a STRING value (Avalon `MM ID0=...PVT_T0[...]`):
                    # the piece without `=` continues the previous value.
                    previous_name, previous_value = pairs[-1]
                    pairs[-1] = (previous_name, f"{previous_value},{_unescape(item)}")
                else:
                    pairs.append((_unescape(item), ""))
                continue
            pairs.append(pair)
        if label is not None:
            name: str | None = label
        elif pairs and _SECTION_NAME.fullmatch(pairs[0][0]):
            name = pairs[0][0]
        else:
            name = None
        sections.append((name, Record.from_pairs(pairs), label is not None))
    return sections
