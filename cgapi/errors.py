"""Every error cgapi raises, in one tree.

```
CgapiError
├── TransportError                we could not talk to the miner
│   ├── ConnectError              refused, unreachable, unknown host
│   ├── Timeout (TimeoutError)    no connection or no reply within the deadline
│   │   ├── ConnectTimeout
│   │   └── ReadTimeout
│   ├── ConnectionClosed          the socket broke mid-reply
│   └── NoReply                   accepted, then closed with zero bytes (IP not in --api-allow)
├── ProtocolError
│   ├── LocalProtocolError (ValueError)   we refused to send a bad request; nothing was sent
│   │   └── PrivilegedCommandBlocked      a privileged command on a read-only Miner
│   ├── RemoteProtocolError               the miner sent bytes we cannot parse (kept on .raw)
│   │   └── BadRequest                    request bytes a miner would refuse (server side)
│   └── ReplyTooLarge                     the reply passed the size cap
└── MinerError                    the miner answered STATUS=E or F (.status, .command, .address)
    ├── InvalidCommand (14)           ├── AccessDenied (45)
    ├── InvalidRequest (23, 24)       ├── NoPools (8)
    ├── NoDevices (6, 10, 16, 56, 105)
    ├── MissingParameter (15, 25, 28, 52, 71, 75, 85, 86, 89, 94, 116, ...)
    ├── InvalidParameter (31, 53, 76, 84, 95, 121, 140, 142, ...)
    │   ├── InvalidDeviceId (1, 19, 58, 107)
    │   └── InvalidPoolId (26, 74)
    ├── PoolInUse (51, 66, 67)        ├── UnknownConfig (83)
    ├── DeviceCommandFailed (29, 30, 34, 36, 38, 40, 65, 93, 112, 120, ...)
    ├── SaveFailed (43)               ├── DeprecatedOption (127, cgminer)
    ├── ProfileError (130-137, sgminer)
    └── FatalStatus (severity F: a code missing from the miner's own table)
```

`MinerError.from_status` picks the subclass from the STATUS code. Codes collide between
miners (cgminer 127 is DEPRECATED, sgminer 127 is INVSTRAT), so a subclass may be limited to
some dialects; the dialect is read from the STATUS `Description` (`cgminer 4.11.1`, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from .protocol.reply import Status

__all__ = (
    "AccessDenied",
    "BadRequest",
    "CgapiError",
    "ConnectError",
    "ConnectTimeout",
    "ConnectionClosed",
    "DeprecatedOption",
    "DeviceCommandFailed",
    "FatalStatus",
    "InvalidCommand",
    "InvalidDeviceId",
    "InvalidHotplugValue",
    "InvalidParameter",
    "InvalidPoolId",
    "InvalidRequest",
    "InvalidStrategy",
    "LocalProtocolError",
    "MinerError",
    "MissingHotplugValue",
    "MissingParameter",
    "NoDevices",
    "NoPools",
    "NoReply",
    "PoolInUse",
    "PrivilegedCommandBlocked",
    "ProfileError",
    "ProtocolError",
    "ReadTimeout",
    "RemoteProtocolError",
    "ReplyTooLarge",
    "SaveFailed",
    "Timeout",
    "TransportError",
    "UnknownConfig",
    "UsbDeviceGone",
    "dialect_of",
)


class CgapiError(Exception):
    """Base class of every error cgapi raises."""


# --- transport -------------------------------------------------------------------------------


class TransportError(CgapiError):
    """We could not exchange a request and a reply with the miner."""

    def __init__(self, message: str, *, address: str | None = None) -> None:
        super().__init__(message)
        self.address = address


class ConnectError(TransportError, ConnectionError):
    """The TCP connection could not be made (refused, unreachable, unknown host)."""


class Timeout(TransportError, TimeoutError):
    """No connection or no complete reply within the deadline."""


class ConnectTimeout(Timeout):
    """The TCP connection was not established in time."""


class ReadTimeout(Timeout):
    """The miner accepted the connection but the reply did not arrive in time."""


class ConnectionClosed(TransportError, ConnectionError):
    """The connection broke after some bytes of the reply had arrived."""


class NoReply(TransportError, ConnectionError):
    """The miner accepted the connection and closed it without a byte.

    This is what cgminer does to a client address outside `--api-allow`.
    """


# --- protocol --------------------------------------------------------------------------------


class ProtocolError(CgapiError):
    """A request or a reply does not fit the protocol."""


class LocalProtocolError(ProtocolError, ValueError):
    """We refused to encode or send a request; nothing was sent."""


class PrivilegedCommandBlocked(LocalProtocolError):
    """A privileged command was called on a read-only `Miner`; nothing was sent."""

    def __init__(self, command: str) -> None:
        super().__init__(f"'{command}' is a privileged command and this Miner is read-only")
        self.command = command


class RemoteProtocolError(ProtocolError):
    """The miner sent bytes that cannot be decoded, even after the known repairs."""

    def __init__(self, message: str, *, raw: bytes = b"") -> None:
        super().__init__(message)
        self.raw = raw


class BadRequest(RemoteProtocolError):
    """Request bytes a miner would refuse (used by servers such as the fake miner).

    Attributes:
        code: the STATUS code the miner answers (23 invalid JSON, 24 no command, 14).
    """

    def __init__(self, code: int, raw: bytes) -> None:
        super().__init__(f"bad request (a miner answers code {code})", raw=raw)
        self.code = code


class ReplyTooLarge(ProtocolError):
    """The reply grew past the size cap before it ended."""

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


# --- miner -----------------------------------------------------------------------------------

_DIALECT_PREFIXES = (
    ("sgminer", "sgminer"),
    ("bfgminer", "bfgminer"),
    ("cgminer", "cgminer"),
    ("bmminer", "cgminer"),
)


def dialect_of(description: str | None) -> str | None:
    """Tell the miner family (`cgminer`, `sgminer`, `bfgminer`) from a STATUS Description."""
    if not description:
        return None
    lowered = description.lower()
    for prefix, dialect in _DIALECT_PREFIXES:
        if lowered.startswith(prefix):
            return dialect
    return None


class MinerError(CgapiError):
    """The miner answered with STATUS `E` (error) or `F` (fatal).

    Attributes:
        status: the decoded STATUS of the reply.
        command: the command that was sent.
        address: `host:port` of the miner, when known.
    """

    codes: ClassVar[tuple[int, ...]] = ()
    dialects: ClassVar[frozenset[str] | None] = None
    _registry: ClassVar[dict[int, list[type[MinerError]]]] = {}

    def __init_subclass__(
        cls,
        *,
        codes: tuple[int, ...] = (),
        dialects: tuple[str, ...] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls.codes = codes
        cls.dialects = frozenset(dialects) if dialects is not None else None
        for code in codes:
            MinerError._registry.setdefault(code, []).append(cls)

    def __init__(self, status: Status, *, command: str = "", address: str | None = None) -> None:
        where = f" from {address}" if address else ""
        super().__init__(
            f"{command or 'request'}{where}: {status.severity}/{status.code} {status.msg}"
        )
        self.status = status
        self.command = command
        self.address = address

    @property
    def code(self) -> int | None:
        """The STATUS code of the reply."""
        return self.status.code

    @staticmethod
    def class_for(status: Status) -> type[MinerError]:
        """The most specific subclass for this STATUS (its code, severity and dialect)."""
        if status.severity == "F":
            return FatalStatus
        if status.code is None:
            return MinerError
        dialect = dialect_of(status.description)
        candidates = MinerError._registry.get(status.code, [])
        universal = [c for c in candidates if c.dialects is None]
        if dialect is not None:
            specific = [c for c in candidates if c.dialects is not None and dialect in c.dialects]
            if specific:
                return specific[0]
        if universal:
            return universal[0]
        return MinerError

    @classmethod
    def from_status(
        cls, status: Status, *, command: str = "", address: str | None = None
    ) -> MinerError:
        """Build the registered subclass for `status`."""
        return MinerError.class_for(status)(status, command=command, address=address)


class FatalStatus(MinerError):
    """Severity F: the miner used a code missing from its own message table (a miner bug)."""


class InvalidCommand(MinerError, codes=(14,)):
    """The miner does not know this command (exact, case-sensitive match)."""


class InvalidRequest(MinerError, codes=(23, 24)):
    """The JSON request was not an object, or had no `command`."""


class AccessDenied(MinerError, codes=(45,)):
    """The client's `--api-allow` group may not use this command (or it is not joinable)."""


class NoPools(MinerError, codes=(8,)):
    """The miner has no pools."""


class NoDevices(MinerError, codes=(6, 10, 16, 56, 105)):
    """The miner has no devices of the asked kind (GPU, PGA, ASC, CPU)."""


class MissingParameter(
    MinerError,
    codes=(15, 25, 28, 52, 71, 75, 85, 86, 89, 94, 116, 128, 132, 134),
):
    """A required parameter was missing."""


class InvalidParameter(MinerError, codes=(31, 53, 76, 84, 95, 121, 140, 142, 258)):
    """A parameter had a wrong value."""


class InvalidDeviceId(InvalidParameter, codes=(1, 19, 58, 107)):
    """The device number is out of range."""


class InvalidPoolId(InvalidParameter, codes=(26, 74)):
    """The pool number is out of range or repeated."""


class PoolInUse(MinerError, codes=(51, 66, 67)):
    """The pool cannot be disabled or removed (last or active pool)."""


class UnknownConfig(MinerError, codes=(83,)):
    """`setconfig` named a setting this miner does not have."""


class DeviceCommandFailed(MinerError, codes=(29, 30, 34, 36, 38, 40, 65, 93, 112, 115, 120, 259)):
    """The device refused or failed the command (no ADL, driver error, no device)."""


class UsbDeviceGone(DeviceCommandFailed, codes=(98,), dialects=("cgminer",)):
    """cgminer USB device gone (code 98 means something else in bfgminer)."""


class InvalidHotplugValue(InvalidParameter, codes=(99,), dialects=("cgminer",)):
    """cgminer hotplug value out of range (code 99 means something else in bfgminer)."""


class MissingHotplugValue(MissingParameter, codes=(103,), dialects=("cgminer",)):
    """cgminer missing hotplug parameter (code 103 means something else in bfgminer)."""


class SaveFailed(MinerError, codes=(43,)):
    """The configuration file could not be written."""


class DeprecatedOption(MinerError, codes=(127,), dialects=("cgminer",)):
    """cgminer: the setting is deprecated (`failover-only`, some `setconfig` names)."""


class InvalidStrategy(InvalidParameter, codes=(126, 127), dialects=("sgminer",)):
    """sgminer: missing or invalid multipool strategy."""


class ProfileError(MinerError, codes=(130, 131, 135, 136, 137), dialects=("sgminer",)):
    """sgminer: the profile does not exist, exists already, or is in use."""
