"""cgapi: the async, typed Python SDK for the cgminer-family RPC API (port 4028).

```python
from cgapi import Miner

async with Miner("10.0.0.5") as m:
    summary = await m.summary()
```
"""

from .client import Miner as Miner
from .commands import COMMANDS as COMMANDS
from .commands import CommandSpec as CommandSpec
from .commands import MultiResult as MultiResult
from .discovery import DiscoveredMiner as DiscoveredMiner
from .discovery import DiscoveryError as DiscoveryError
from .discovery import discover as discover
from .discovery import discover_iter as discover_iter
from .errors import AccessDenied as AccessDenied
from .errors import CgapiError as CgapiError
from .errors import ConnectError as ConnectError
from .errors import ConnectionClosed as ConnectionClosed
from .errors import InvalidCommand as InvalidCommand
from .errors import LocalProtocolError as LocalProtocolError
from .errors import MinerError as MinerError
from .errors import NoReply as NoReply
from .errors import PrivilegedCommandBlocked as PrivilegedCommandBlocked
from .errors import ProtocolError as ProtocolError
from .errors import RemoteProtocolError as RemoteProtocolError
from .errors import ReplyTooLarge as ReplyTooLarge
from .errors import Timeout as Timeout
from .errors import TransportError as TransportError
from .fleet import Fleet as Fleet
from .fleet import RigStatus as RigStatus
from .fleet import RunOutcome as RunOutcome
from .protocol import MultiReply as MultiReply
from .protocol import Reply as Reply
from .protocol import Status as Status
from .scan import ScanHit as ScanHit
from .scan import TargetError as TargetError
from .scan import parse_targets as parse_targets
from .scan import scan as scan
from .transport import MockTransport as MockTransport
from .transport import Timeouts as Timeouts

__all__ = (
    "COMMANDS",
    "AccessDenied",
    "CgapiError",
    "CommandSpec",
    "ConnectError",
    "ConnectionClosed",
    "DiscoveredMiner",
    "DiscoveryError",
    "Fleet",
    "InvalidCommand",
    "LocalProtocolError",
    "Miner",
    "MinerError",
    "MockTransport",
    "MultiReply",
    "MultiResult",
    "NoReply",
    "PrivilegedCommandBlocked",
    "ProtocolError",
    "RemoteProtocolError",
    "Reply",
    "ReplyTooLarge",
    "RigStatus",
    "RunOutcome",
    "ScanHit",
    "Status",
    "TargetError",
    "Timeout",
    "Timeouts",
    "TransportError",
    "discover",
    "discover_iter",
    "parse_targets",
    "scan",
)
