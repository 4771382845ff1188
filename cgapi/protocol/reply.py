"""Decoded replies: `Record`, `Status`, `Reply` and `MultiReply`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ("Form", "MultiReply", "Record", "Reply", "Status")

Form = Literal["json", "text"]
"""The two wire forms: JSON (`{"command":...}`) and text (`cmd|param`)."""


class Record(dict[str, Any]):
    """One record of a reply section: field name -> value, in wire order.

    Firmware sometimes repeats a key inside one record (bfgminer `Hardware Errors`,
    TeamRedMiner `Pool Calls`). The mapping keeps the *first* value, at the first position;
    every later occurrence is kept in `duplicates`, so nothing on the wire is lost.

    Text-form values are always `str`; JSON-form values keep their JSON type.
    """

    duplicates: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[str, Any]]) -> Record:
        """Build a record from (name, value) pairs, keeping duplicates aside."""
        record = cls(pairs)
        if len(record) != len(pairs):
            record.clear()
            extra: list[tuple[str, Any]] = []
            for name, value in pairs:
                if name in record:
                    extra.append((name, value))
                else:
                    record[name] = value
            record.duplicates = tuple(extra)
        return record

    def pairs(self) -> list[tuple[str, Any]]:
        """All (name, value) pairs: the mapping's items, then the duplicates."""
        return [*self.items(), *self.duplicates]


@dataclass(frozen=True, slots=True)
class Status:
    """The STATUS section of a reply.

    Attributes:
        severity: `S` success, `I` informational, `W` warning, `E` error, `F` fatal.
        code: the message code (cgminer `MSG_*`), `-1` with severity F; None when the reply
            had no STATUS section (cgminer `quit`/`restart`, documentation excerpts).
        msg: the message text.
        when: unix time the miner received the request, if sent.
        description: `--api-description` (e.g. `cgminer 4.11.1`); None when omitted
            (cgminer >= 4.11 omits it for code 14).
    """

    severity: str
    code: int | None
    msg: str
    when: int | None = None
    description: str | None = None

    @property
    def is_error(self) -> bool:
        """True for severity E or F."""
        return self.severity in ("E", "F")


@dataclass(frozen=True, slots=True, eq=False)
class Reply:
    """One decoded single-command reply.

    Attributes:
        status: the (first) STATUS of the reply.
        sections: data section name -> records, in wire order, STATUS excluded. JSON keys
            (`SUMMARY`, `DEVS`, `POOLS`...) in the JSON form; in the text form the bare label
            (`SUMMARY`) or the record's index field (`POOL`, `ASC`, `STATS`).
        raw: the bytes the reply was decoded from.
        form: `"json"` or `"text"`.
        statuses: every STATUS found (cgminer `setconfig` can send two).
        repairs: names of the firmware-bug repairs that were needed to decode it.
        truncated: True when old cgminer (API < 3.0) marked the reply cut (`"id":0`).
    """

    status: Status
    sections: dict[str, list[Record]]
    raw: bytes
    form: Form
    statuses: tuple[Status, ...] = ()
    repairs: tuple[str, ...] = ()
    truncated: bool = False

    @property
    def records(self) -> list[Record]:
        """All data records of every section, in wire order."""
        if len(self.sections) == 1:
            return next(iter(self.sections.values()))
        return [record for records in self.sections.values() for record in records]

    def section(self, name: str) -> list[Record]:
        """Records of one section (empty list if absent)."""
        return self.sections.get(name, [])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reply):
            return NotImplemented
        return (self.status, self.sections) == (other.status, other.sections)

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True, eq=False)
class MultiReply(Mapping[str, Reply]):
    """A decoded multi-command (`summary+devs`) reply: command name -> its `Reply`.

    Attributes:
        replies: the sub-replies, in wire order.
        raw: the bytes it was decoded from.
        form: `"json"` or `"text"`.
        requested: the commands that were asked for, when the decoder was told.
        repairs: firmware-bug repairs applied.
    """

    replies: dict[str, Reply]
    raw: bytes
    form: Form
    requested: tuple[str, ...] = ()
    repairs: tuple[str, ...] = ()

    def __getitem__(self, command: str) -> Reply:
        return self.replies[command]

    def __iter__(self) -> Iterator[str]:
        return iter(self.replies)

    def __len__(self) -> int:
        return len(self.replies)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MultiReply):
            return NotImplemented
        return self.replies == other.replies

    __hash__ = None  # type: ignore[assignment]

    @property
    def missing(self) -> tuple[str, ...]:
        """Requested commands the miner left out of its reply."""
        return tuple(name for name in self.requested if name not in self.replies)

    @property
    def unrequested(self) -> tuple[str, ...]:
        """Commands the miner answered without being asked (BOSminer adds some)."""
        if not self.requested:
            return ()
        return tuple(name for name in self.replies if name not in self.requested)
