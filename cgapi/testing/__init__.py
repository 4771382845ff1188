"""`cgapi.testing`: a faithful fake miner for tests, demos and benchmarks.

```python
from cgapi.testing import FakeMiner

async with FakeMiner("cgminer", allow="W:127.0.0.1") as fm:
    async with fm.miner() as m:
        print(await m.summary())
```

`FakeMiner` serves the RPC API as cgminer 4.11, sgminer 5, bfgminer 5 or Bitmain's
bmminer would, `FakeFleet` starts many on distinct loopback addresses, and the pytest
plugin (`fake_miner`, `fake_fleet` fixtures) is registered automatically.
"""

from .access import AccessConfigError as AccessConfigError
from .api import MinerApi as MinerApi
from .faults import Faults as Faults
from .fleet import FakeFleet as FakeFleet
from .server import FakeMiner as FakeMiner
from .server import ReceivedRequest as ReceivedRequest
from .state import DeviceSpec as DeviceSpec
from .state import MinerState as MinerState
from .state import PoolSpec as PoolSpec

__all__ = (
    "AccessConfigError",
    "DeviceSpec",
    "FakeFleet",
    "FakeMiner",
    "Faults",
    "MinerApi",
    "MinerState",
    "PoolSpec",
    "ReceivedRequest",
)
