"""`Miner`: the async client of one miner's RPC API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .commands import COMMANDS, JOINABLE, CommandMethods, MultiResult, get_spec
from .commands.results import convert, raise_for_status
from .errors import (
    AccessDenied,
    LocalProtocolError,
    PrivilegedCommandBlocked,
    RemoteProtocolError,
)
from .protocol import (
    DEFAULT_MAX_REPLY_SIZE,
    Form,
    MultiReply,
    Param,
    Reply,
    decode_reply,
    encode_multi,
    encode_request,
)
from .transport import TcpTransport, Timeouts, Transport

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self

__all__ = ("DEFAULT_PORT", "Miner", "split_host_port")

DEFAULT_PORT = 4028
_DEFAULT_TIMEOUTS = Timeouts()

# Report commands a read-only client may join: joinable and not privileged (`lockstats` is
# both joinable and privileged, NOTES 32).
_MULTI_ALLOWED = frozenset(name for name in JOINABLE if not COMMANDS[name].privileged)


def split_host_port(target: str, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """Split `host`, `host:port`, `[v6]` or `[v6]:port` into host and port.

    Raises:
        ValueError: an empty host or a port outside 1-65535.
    """
    host, port_text = target, ""
    if target.startswith("["):
        end = target.find("]")
        if end == -1:
            raise ValueError(f"unclosed '[' in {target!r}")
        host, rest = target[1:end], target[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"unexpected {rest!r} after ']' in {target!r}")
            port_text = rest[1:]
    elif target.count(":") == 1:
        host, port_text = target.split(":")
    if not host:
        raise ValueError(f"no host in {target!r}")
    if not port_text:
        return host, default_port
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"invalid port {port_text!r} in {target!r}")
    return host, int(port_text)


class Miner(CommandMethods):
    """The RPC API of one miner.

    ```python
    async with Miner("10.0.0.5") as m:
        summary = await m.summary()
        await m.switchpool(1)
    ```

    Each request uses its own TCP connection (the miners close after every reply), and
    never two at once to the same miner from this process.

    Args:
        host: address or name of the miner; `host:port` is accepted too.
        port: the API port (`--api-port`), 4028 by default.
        form: `"json"` (default) or `"text"` requests and replies.
        timeout: seconds for the whole request, or a `Timeouts` with connect, read and
            total deadlines.
        read_only: refuse every privileged command before anything is sent.
        transport: send requests through this instead of TCP (tests, bridges).
        max_reply_size: refuse replies larger than this many bytes.
    """

    def __init__(
        self,
        host: str,
        port: int | None = None,
        *,
        form: Form = "json",
        timeout: float | Timeouts = _DEFAULT_TIMEOUTS,
        read_only: bool = False,
        transport: Transport | None = None,
        max_reply_size: int = DEFAULT_MAX_REPLY_SIZE,
    ) -> None:
        if form not in ("json", "text"):
            raise ValueError(f"form must be 'json' or 'text', not {form!r}")
        parsed_host, parsed_port = split_host_port(host)
        if port is not None:
            if not 0 < port < 65536:
                raise ValueError(f"invalid port {port!r}")
            parsed_port = port
        self.host = parsed_host
        self.port = parsed_port
        self.form: Form = form
        self.read_only = read_only
        self.timeouts = Timeouts.of(timeout)
        self.max_reply_size = max_reply_size
        self.transport: Transport = transport or TcpTransport(
            parsed_host, parsed_port, timeouts=self.timeouts, max_reply_size=max_reply_size
        )
        self.join_supported: bool | None = None
        """Whether the miner accepts `a+b` multi-commands; None until first tried."""
        self._closed = False

    def __repr__(self) -> str:
        flags = ", read_only=True" if self.read_only else ""
        return f"Miner({self.address!r}, form={self.form!r}{flags})"

    @property
    def address(self) -> str:
        """`host:port` of the miner (the transport's label)."""
        return self.transport.address

    @property
    def is_closed(self) -> bool:
        """True after `aclose()`."""
        return self._closed

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client; later calls raise `RuntimeError`."""
        if not self._closed:
            self._closed = True
            await self.transport.aclose()

    # --- generic calls -----------------------------------------------------------------------

    async def command(self, name: str, *params: Param) -> Reply:
        """Send any command, vendor commands included, and return the decoded reply.

        Parameters are written as given (`addpool` fields escaped). Commands of the
        cgminer/sgminer/bfgminer table are checked against the read-only flag; use the typed
        methods (`await m.summary()`) for checked parameters and models.

        Raises:
            PrivilegedCommandBlocked: a privileged command on a read-only Miner.
            LocalProtocolError: a malformed command or parameter; nothing is sent.
            TransportError: the miner could not be reached or did not answer.
            RemoteProtocolError: the reply could not be decoded.
            MinerError: the miner answered STATUS E or F (a subclass by code).
        """
        self._guard(name)
        reply = await self._exchange_single(name, encode_request(name, params, self.form))
        raise_for_status(reply, name, self.address)
        return reply

    async def multi(self, *names: str) -> MultiResult:
        """Run several report commands in one request (`summary+devs+pools`).

        Each member's result is typed (`result["summary"]` is a `Summary`); a member the
        miner answered with an error raises its `MinerError` when read. When the miner
        rejects the join (cgminer before 3.12.1 answers E/14), the commands are sent one
        by one, in order, and that is remembered for this Miner.

        Raises:
            LocalProtocolError: no names, a duplicate, or a member that is not a joinable
                report command. Nothing is sent.
            TransportError, RemoteProtocolError: as for `command()`.
        """
        self._check_open()
        for name in names:
            if name not in COMMANDS:
                raise LocalProtocolError(f"unknown command {name!r} cannot be joined")
            if name not in _MULTI_ALLOWED:
                raise LocalProtocolError(
                    f"'{name}' cannot be joined: only joinable, non-privileged report commands"
                )
        request = encode_multi(names, self.form, joinable=_MULTI_ALLOWED)
        if len(names) > 1 and self.join_supported is not False:
            raw = await self.transport.roundtrip(request)
            decoded = self._decode(raw, names)
            if isinstance(decoded, MultiReply):
                self.join_supported = True
                return MultiResult(decoded, self.address, joined=True)
            if not decoded.status.is_error:
                raise RemoteProtocolError(
                    "the miner answered a multi-command with a single reply", raw=raw
                )
            # The miner refused the join as a whole (cgminer 3.7.2: E/14 for "a+b").
            self.join_supported = False
        replies: dict[str, Reply] = {}
        for name in names:
            replies[name] = await self._exchange_single(name, encode_request(name, (), self.form))
        return MultiResult(
            MultiReply(replies, b"", self.form, tuple(names)), self.address, joined=False
        )

    async def is_privileged(self) -> bool:
        """Whether this client may use privileged commands (the `privileged` command).

        Allowed on a read-only Miner: the command changes nothing.
        """
        self._check_open()
        reply = await self._exchange_single(
            "privileged", encode_request("privileged", (), self.form)
        )
        try:
            raise_for_status(reply, "privileged", self.address)
        except AccessDenied:
            return False
        return True

    async def can(self, command: str) -> bool:
        """Whether the miner has `command` and this client may use it (the `check` command)."""
        result = await self.check(command)
        return bool(result.exists and result.access)

    # --- plumbing ----------------------------------------------------------------------------

    async def _call(self, command: str, args: tuple[object, ...]) -> object:
        spec = get_spec(command)
        self._guard(command)
        values = spec.wire_values(args)
        if spec.separator != "," and values:
            values = [spec.separator.join(values)]
        reply = await self._exchange_single(command, encode_request(command, values, self.form))
        raise_for_status(reply, command, self.address)
        return convert(spec, reply)

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")

    def _guard(self, command: str) -> None:
        self._check_open()
        spec = COMMANDS.get(command)
        if self.read_only and spec is not None and spec.privileged:
            raise PrivilegedCommandBlocked(command)

    async def _exchange_single(self, command: str, request: bytes) -> Reply:
        raw = await self.transport.roundtrip(request)
        decoded = self._decode(raw, ())
        if isinstance(decoded, MultiReply):
            raise RemoteProtocolError(
                f"{command}: the miner answered with a multi-command reply", raw=raw
            )
        return decoded

    def _decode(self, raw: bytes, commands: tuple[str, ...]) -> Reply | MultiReply:
        return decode_reply(raw, commands=commands, max_size=self.max_reply_size)
