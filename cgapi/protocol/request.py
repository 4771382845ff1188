"""Encoding requests (client side) and reading them as a miner does (server side)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import BadRequest, LocalProtocolError
from .escaping import escape_addpool_field

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from .reply import Form

__all__ = (
    "MAX_REQUEST_SIZE",
    "Param",
    "Request",
    "decode_request",
    "encode_multi",
    "encode_request",
)

MAX_REQUEST_SIZE = 4095
"""cgminer reads a request with one 4095-byte `recv()`; sgminer and bfgminer read 8191."""

Param = str | int | float | bool
"""A request parameter; numbers and bools are written as the miner parses them."""

# Printable ASCII without space, '|' (text separator) and '+' (multi-command joiner).
_VALID_COMMAND = re.compile(r"[!-*,-{}~]+")


@dataclass(frozen=True, slots=True)
class Request:
    """A request as the miner sees it.

    Attributes:
        command: the command string (may contain `+` for a multi-command).
        parameter: the raw parameter string, None when absent.
        form: the reply form the miner will use (`{` as first byte means JSON).
    """

    command: str
    parameter: str | None
    form: Form

    @property
    def commands(self) -> list[str]:
        """The pieces of a multi-command in order (blank pieces skipped), or the command."""
        if "+" not in self.command:
            return [self.command]
        return [piece for piece in self.command.split("+") if piece]


def _check_command(command: str) -> None:
    if not isinstance(command, str):
        raise LocalProtocolError(f"command must be a str, not {type(command).__name__}")
    if not command:
        raise LocalProtocolError("empty command")
    if not _VALID_COMMAND.fullmatch(command):
        raise LocalProtocolError(
            f"invalid command {command!r}: only printable ASCII without space, '|' or '+'"
        )


def _param_to_str(param: Param) -> str:
    if isinstance(param, bool):
        return "true" if param else "false"
    if isinstance(param, int):
        return str(param)
    if isinstance(param, float):
        if not math.isfinite(param):
            raise LocalProtocolError(f"parameter {param!r} is not a finite number")
        return repr(param)
    if isinstance(param, str):
        if "\x00" in param:
            raise LocalProtocolError("a parameter cannot contain a NUL byte")
        return param
    raise LocalProtocolError(f"unsupported parameter type {type(param).__name__}")


def _finish(payload: bytes, limit: int) -> bytes:
    if len(payload) > limit:
        raise LocalProtocolError(
            f"request is {len(payload)} bytes; the miner reads at most {limit} in one recv()"
        )
    return payload


def encode_request(
    command: str,
    params: Sequence[Param] = (),
    form: Form = "json",
    *,
    max_size: int = MAX_REQUEST_SIZE,
) -> bytes:
    """Encode one request.

    Text form is `cmd` or `cmd|a,b`; JSON form is `{"command":"cmd","parameter":"a,b"}`.
    `addpool` fields are escaped (`\\` -> `\\\\`, `,` -> `\\,`); every other command splits
    its parameter on raw commas, so its values are sent as they are.

    Raises:
        LocalProtocolError: empty or malformed command, a NUL in a parameter, or a request
            longer than `max_size` (4095, what cgminer reads). Nothing is sent.
    """
    _check_command(command)
    if form not in ("json", "text"):
        raise LocalProtocolError(f"unknown form {form!r}; use 'json' or 'text'")
    values = [_param_to_str(param) for param in params]
    if command == "addpool":
        values = [escape_addpool_field(value) for value in values]
    parameter = ",".join(values) if values else None
    if form == "text":
        text = command if parameter is None else f"{command}|{parameter}"
        return _finish(text.encode("utf-8"), max_size)
    body: dict[str, str] = {"command": command}
    if parameter is not None:
        body["parameter"] = parameter
    return _finish(
        json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), max_size
    )


def encode_multi(
    commands: Sequence[str],
    form: Form = "json",
    *,
    joinable: Collection[str],
    max_size: int = MAX_REQUEST_SIZE,
) -> bytes:
    """Encode a multi-command request such as `summary+devs+pools`.

    Only joinable report commands can be joined, and never with parameters (the miner drops
    them). `joinable` is the set of joinable names (from the command table).

    Raises:
        LocalProtocolError: no commands, a duplicate, or a command that is not joinable.
    """
    if not commands:
        raise LocalProtocolError("a multi-command needs at least one command")
    seen: set[str] = set()
    for command in commands:
        _check_command(command)
        if command not in joinable:
            raise LocalProtocolError(f"'{command}' cannot be joined with '+'")
        if command in seen:
            raise LocalProtocolError(f"'{command}' is repeated; the miner answers it once")
        seen.add(command)
    joined = "+".join(commands)
    if form == "text":
        return _finish(joined.encode("ascii"), max_size)
    return _finish(json.dumps({"command": joined}, separators=(",", ":")).encode(), max_size)


def decode_request(data: bytes) -> Request:
    """Read request bytes exactly as cgminer does (used by the fake miner and mocks).

    The first byte decides the form (`{` is JSON). Text: split at the first `|`, nothing
    trimmed. JSON: `command` must be a string; a string `parameter` is used as is, an int is
    printed `%d`, a real `%f`, anything else means no parameter.

    Raises:
        BadRequest: the miner would refuse it; `.code` is the STATUS code it answers
            (23 invalid JSON, 24 no `command`, 14 `command` not a string).
    """
    text = data.decode("utf-8", errors="replace")
    if not text.startswith("{"):
        name, sep, rest = text.partition("|")
        return Request(name, rest if sep else None, "text")
    try:
        body = json.loads(text)
    except ValueError:
        raise BadRequest(23, data) from None
    if not isinstance(body, dict):
        raise BadRequest(23, data)
    if "command" not in body:
        raise BadRequest(24, data)
    command = body["command"]
    if not isinstance(command, str):
        raise BadRequest(14, data)
    return Request(command, _json_parameter(body.get("parameter")), "json")


def _json_parameter(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:f}"
    return None
