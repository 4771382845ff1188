"""The one method the generated command methods need from a client."""

from __future__ import annotations

from abc import ABC, abstractmethod

__all__ = ("CommandRunner",)


class CommandRunner(ABC):
    """Base of the generated `CommandMethods`: subclasses say how a command is run."""

    @abstractmethod
    async def _call(self, command: str, args: tuple[object, ...]) -> object:
        """Check `args` against the table, send the command, return the typed result."""
