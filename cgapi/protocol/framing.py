"""Framing: a reply ends at its NUL byte or at EOF, and is capped in size."""

from __future__ import annotations

from ..errors import ReplyTooLarge

__all__ = ("DEFAULT_MAX_REPLY_SIZE", "ReplyBuffer")

DEFAULT_MAX_REPLY_SIZE = 16 * 1024 * 1024
"""16 MiB: far above the largest real reply (a few hundred KiB of Avalon `estats`)."""


class ReplyBuffer:
    """Collects reply bytes until the NUL terminator or EOF (sans-IO).

    ```python
    buf = ReplyBuffer()
    buf.feed(b'{"STATUS":[{"STATUS":"S"')   # False: not complete yet
    buf.feed(b',"Code":11}],"id":1}\\x00')  # True: the NUL ended it
    reply_bytes = buf.data
    ```

    Bytes after the NUL are ignored (some firmware keeps the socket open after it).
    """

    __slots__ = ("_chunks", "_complete", "_size", "max_size")

    def __init__(self, max_size: int = DEFAULT_MAX_REPLY_SIZE) -> None:
        self.max_size = max_size
        self._chunks: list[bytes] = []
        self._size = 0
        self._complete = False

    @property
    def complete(self) -> bool:
        """True once the NUL or EOF was seen."""
        return self._complete

    @property
    def size(self) -> int:
        """Bytes collected so far (without anything after the NUL)."""
        return self._size

    def feed(self, chunk: bytes) -> bool:
        """Add received bytes; return True when the reply is complete.

        Raises:
            ReplyTooLarge: the reply passed `max_size` before its end.
        """
        if self._complete or not chunk:
            return self._complete
        end = chunk.find(b"\x00")
        if end != -1:
            chunk = chunk[:end]
            self._complete = True
        self._size += len(chunk)
        if self._size > self.max_size:
            raise ReplyTooLarge(
                f"reply exceeds {self.max_size} bytes before its end", limit=self.max_size
            )
        self._chunks.append(chunk)
        return self._complete

    def feed_eof(self) -> None:
        """The peer closed the connection: whatever arrived is the reply."""
        self._complete = True

    @property
    def data(self) -> bytes:
        """The reply bytes, without the terminating NUL."""
        if len(self._chunks) != 1:
            self._chunks = [b"".join(self._chunks)]
        return self._chunks[0]
