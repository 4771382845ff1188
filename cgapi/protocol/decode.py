"""`decode_reply`: bytes from a miner -> `Reply` or `MultiReply`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import RemoteProtocolError, ReplyTooLarge
from .framing import DEFAULT_MAX_REPLY_SIZE
from .jsonreply import loads_reply
from .reply import MultiReply, Record, Reply, Status
from .text import TextSection, parse_text

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ("decode_reply",)

_OLD_BYE = re.compile(r'\{\s*"(BYE|RESTART)"\s*,')
_DEGENERATE_MULTI = re.compile(r',\s*"id"\s*:\s*\d+\s*\}')
_SHUTDOWN_WORDS = ("BYE", "RESTART")
_UPPER_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def decode_reply(
    data: bytes,
    *,
    commands: Sequence[str] = (),
    max_size: int = DEFAULT_MAX_REPLY_SIZE,
) -> Reply | MultiReply:
    """Decode the bytes of one reply, in either form.

    The reply ends at its first NUL (or is the whole of `data`); the form is told by content
    (`{` starts JSON). Known firmware bugs are repaired (see `Reply.repairs`).

    Args:
        data: the reply bytes as received.
        commands: for a multi-command request, the commands that were asked for, so that
            `MultiReply.missing` can tell which ones the miner left out.
        max_size: refuse replies longer than this.

    Raises:
        ReplyTooLarge: `data` is longer than `max_size`.
        RemoteProtocolError: not a miner reply, even after repairs (`.raw` has the bytes).
    """
    if len(data) > max_size:
        raise ReplyTooLarge(f"reply of {len(data)} bytes exceeds {max_size}", limit=max_size)
    repairs: list[str] = []
    body = data
    end = body.find(b"\x00")
    if end != -1:
        rest = body[end + 1 :]
        if rest.strip(b"\x00 \t\r\n"):
            body = body.replace(b"\x00", b"")
            repairs.append("nul-bytes")
        else:
            body = body[:end]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
        repairs.append("invalid-utf8")
    stripped = text.strip()
    if not stripped:
        raise RemoteProtocolError("empty reply", raw=data)
    if stripped[0] == "{":
        return _decode_json(stripped, data, repairs, tuple(commands))
    if _DEGENERATE_MULTI.fullmatch(stripped):
        # cgminer's answer to an all-blank multi-command such as "+" (NOTES 31).
        return MultiReply({}, data, "json", tuple(commands), ("degenerate-multi",))
    return _decode_text(stripped, data, repairs, tuple(commands))


# --- shared ----------------------------------------------------------------------------------


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _status_from(record: Any, raw: bytes) -> Status:
    if not isinstance(record, dict):
        raise RemoteProtocolError("STATUS is not an object", raw=raw)
    severity = record.get("STATUS")
    if not isinstance(severity, str) or not severity:
        raise RemoteProtocolError("STATUS has no severity letter", raw=raw)
    msg = record.get("Msg")
    description = record.get("Description")
    return Status(
        severity=severity,
        code=_as_int(record.get("Code")),
        msg="" if msg is None else str(msg),
        when=_as_int(record.get("When")),
        description=None if description is None else str(description),
    )


def _shutdown_status(word: str) -> Status:
    """cgminer >= API 3.5 answers quit/restart with no STATUS section (NOTES 23)."""
    return Status(severity="S", code=None, msg=word)


# --- JSON ------------------------------------------------------------------------------------


def _decode_json(
    text: str, raw: bytes, repairs: list[str], commands: tuple[str, ...]
) -> Reply | MultiReply:
    old_bye = _OLD_BYE.match(text)
    if old_bye:
        # cgminer < API 3.5 sent {"BYE","id":1}: not JSON at all.
        word = old_bye.group(1)
        status = _shutdown_status(word)
        return Reply(status, {}, raw, "json", (status,), (*repairs, "old-bye"))
    try:
        top, applied = loads_reply(text)
    except ValueError as exc:
        raise RemoteProtocolError(f"reply is not valid JSON: {exc}", raw=raw) from None
    repairs.extend(applied)
    if not isinstance(top, Record):
        raise RemoteProtocolError("JSON reply is not an object", raw=raw)
    if "STATUS" in top:
        return _json_single(top, raw, repairs)
    subs = {key: value for key, value in top.items() if key != "id" and _looks_like_reply(value)}
    if subs:
        replies = {key: _json_single(_sub_object(value), raw, []) for key, value in subs.items()}
        return MultiReply(replies, raw, "json", commands, tuple(repairs))
    raise RemoteProtocolError("JSON reply has no STATUS", raw=raw)


def _looks_like_reply(value: Any) -> bool:
    if isinstance(value, list) and value:
        value = value[0]
    return isinstance(value, dict) and "STATUS" in value


def _sub_object(value: Any) -> Record:
    # Real miners send each sub-reply as a one-element list (NOTES 30); the READMEs show
    # a bare object.
    item = value[0] if isinstance(value, list) else value
    assert isinstance(item, Record)
    return item


def _json_single(top: Record, raw: bytes, repairs: list[str]) -> Reply:
    status_value = top["STATUS"]
    if isinstance(status_value, str):
        status = _shutdown_status(status_value)
        statuses: tuple[Status, ...] = (status,)
    else:
        found = status_value if isinstance(status_value, list) else [status_value]
        for name, extra in top.duplicates:
            if name == "STATUS":
                found = [*found, *(extra if isinstance(extra, list) else [extra])]
        if not found:
            raise RemoteProtocolError("STATUS section is empty", raw=raw)
        statuses = tuple(_status_from(item, raw) for item in found)
        status = statuses[0]
    sections: dict[str, list[Record]] = {}
    for key, value in top.items():
        if key in ("STATUS", "id"):
            continue
        if isinstance(value, list):
            sections[key] = [
                item if isinstance(item, Record) else Record({key: item}) for item in value
            ]
        elif isinstance(value, Record):
            sections[key] = [value]
        else:
            sections[key] = [Record({key: value})]
    return Reply(
        status,
        sections,
        raw,
        "json",
        statuses,
        tuple(repairs),
        truncated=top.get("id") == 0,
    )


# --- text ------------------------------------------------------------------------------------


def _decode_text(
    text: str, raw: bytes, repairs: list[str], commands: tuple[str, ...]
) -> Reply | MultiReply:
    if text in _SHUTDOWN_WORDS:
        status = _shutdown_status(text)
        return Reply(status, {}, raw, "text", (status,), tuple(repairs))
    sections = parse_text(text, repairs)
    if not sections:
        raise RemoteProtocolError("text reply has no sections", raw=raw)
    if sections[0][0] == "CMD" and not sections[0][2]:
        return _text_multi(sections, raw, repairs, commands)
    return _text_single(sections, raw, repairs)


def _text_multi(
    sections: list[TextSection], raw: bytes, repairs: list[str], commands: tuple[str, ...]
) -> MultiReply:
    groups: list[tuple[str, list[TextSection]]] = []
    for section in sections:
        name, record, bare = section
        if name == "CMD" and not bare:
            groups.append((str(record.get("CMD", "")), []))
        else:
            groups[-1][1].append(section)
    replies: dict[str, Reply] = {}
    for command, members in groups:
        if command not in replies and members:
            replies[command] = _text_single(members, raw, [])
    return MultiReply(replies, raw, "text", commands, tuple(repairs))


def _text_single(sections: list[TextSection], raw: bytes, repairs: list[str]) -> Reply:
    statuses = tuple(
        _status_from(record, raw) for name, record, bare in sections if name == "STATUS"
    )
    data = [(name, record, bare) for name, record, bare in sections if name != "STATUS"]
    if statuses:
        status = statuses[0]
    elif data and all(
        name is not None and _UPPER_NAME.fullmatch(name) and record for name, record, _ in data
    ):
        # Documentation excerpts show a data section alone (Avalon manual summary).
        status = Status(severity="S", code=None, msg="")
        repairs.append("no-status")
    else:
        raise RemoteProtocolError("text reply has no STATUS section", raw=raw)
    return Reply(status, _group_text_sections(data), raw, "text", statuses, tuple(repairs))


def _group_text_sections(data: list[TextSection]) -> dict[str, list[Record]]:
    """Group records by section name; unlabelled records join their nearest neighbour.

    Antminer S19 stats start with a version record without `STATS=` (like the JSON form,
    where it sits in the STATS array); cgminer usbstats records start with `Name=`.
    """
    names: list[str | None] = [name for name, _, _ in data]
    for i, name in enumerate(names):
        if name is None:
            before = next((n for n in reversed(names[:i]) if n is not None), None)
            after = next((n for n in names[i + 1 :] if n is not None), None)
            names[i] = before or after or "DATA"
    sections: dict[str, list[Record]] = {}
    for name, (_, record, _) in zip(names, data, strict=False):
        assert name is not None
        sections.setdefault(name, []).append(record)
    return sections
