"""Misbehaviours a fake miner can be told to show, switchable while it runs."""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ("Faults",)


@dataclass
class Faults:
    """What a fake miner does wrong; all off by default.

    ```python
    fm.faults.delay = 2.0  # every reply two seconds late
    with fm.faults.set(never_reply=True, only={"devs"}):
        ...  # `devs` hangs, everything else answers
    ```
    """

    delay: float = 0.0
    """Seconds to wait before replying."""
    never_reply: bool = False
    """Read the request, then send nothing and keep the socket open until the client leaves."""
    close_without_reply: bool = False
    """Read the request, then close with zero bytes (what a refused address sees)."""
    truncate_at: int | None = None
    """Send only the first N bytes of the reply, then close."""
    no_nul: bool = False
    """Leave out the NUL terminator (the client must stop at EOF)."""
    hold_open: bool = False
    """Keep the socket open after the NUL (the client must stop at the NUL)."""
    garbage: bytes | None = None
    """Send these bytes instead of the reply."""
    invalid_utf8: bool = False
    """Replace one byte of the reply's text (in the STATUS Msg) with an invalid UTF-8 byte."""
    missing_comma: bool = False
    """Bitmain's `}{`: drop the comma between the first two records of a JSON reply."""
    oversized: int | None = None
    """Pad the reply with spaces to at least N bytes."""
    drip: float | None = None
    """Send the reply one byte at a time, this many seconds apart."""
    only: frozenset[str] | None = None
    """Apply the faults only to these commands (None: to every request)."""

    def applies_to(self, command: str) -> bool:
        """Whether the faults apply to a request for `command` (`a+b` counts as each)."""
        if self.only is None:
            return True
        return any(piece in self.only for piece in command.split("+"))

    @property
    def active(self) -> bool:
        """Any fault switched on."""
        return self != Faults(only=self.only)

    def reset(self) -> None:
        """Switch every fault off."""
        for item in dataclasses.fields(self):
            setattr(self, item.name, item.default)

    @contextlib.contextmanager
    def set(self, **changes: object) -> Iterator[Faults]:
        """Switch faults on for a `with` block, then restore the previous ones."""
        saved = dataclasses.replace(self)
        only = changes.get("only")
        if only is not None:
            changes["only"] = frozenset(only) if isinstance(only, (set, list, tuple)) else only
        for name, value in changes.items():
            if not hasattr(self, name):
                raise TypeError(f"unknown fault {name!r}")
            setattr(self, name, value)
        try:
            yield self
        finally:
            for item in dataclasses.fields(self):
                setattr(self, item.name, getattr(saved, item.name))

    def apply(self, reply: bytes) -> bytes:
        """The reply bytes after the byte-level faults."""
        if self.garbage is not None:
            return self.garbage
        if self.missing_comma:
            reply = reply.replace(b"},{", b"}{", 1)
        if self.invalid_utf8:
            # Inside the STATUS message text, so only the encoding is broken.
            for marker in (b'"Msg":"', b"Msg="):
                at = reply.find(marker)
                if at >= 0 and at + len(marker) < len(reply):
                    at += len(marker)
                    reply = reply[:at] + b"\xff" + reply[at + 1 :]
                    break
            else:
                reply = b"\xff" + reply
        if self.oversized is not None and len(reply) < self.oversized:
            body, nul = (reply[:-1], reply[-1:]) if reply.endswith(b"\x00") else (reply, b"")
            reply = body + b" " * (self.oversized - len(reply)) + nul
        if self.no_nul and reply.endswith(b"\x00"):
            reply = reply[:-1]
        if self.truncate_at is not None:
            reply = reply[: self.truncate_at]
        return reply
