"""The mutable state of a fake miner: pools, devices, counters and settings.

Pure Python, no IO.  Counters advance with the clock, deterministically from the
seed: each enabled device hashes at its nominal rate (with a small seeded
jitter in the short windows), the work it does is credited to the pool in use,
and a seeded fraction of the shares is rejected or stale.  Nothing runs in the
background: the state is brought up to date (`advance()`) whenever it is read
or changed, so a thousand idle fakes cost nothing.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._render.types import Personality

__all__ = (
    "STRATEGIES",
    "Device",
    "DeviceKind",
    "DeviceSpec",
    "MinerState",
    "Pool",
    "PoolSpec",
    "Profile",
)

DeviceKind = Literal["ASC", "PGA", "GPU", "CPU"]

STRATEGIES = ("Failover", "Round Robin", "Rotate", "Load Balance", "Balance")
"""cgminer `strategies[]`, indexed by the numbers `changestrategy` takes."""

_TWO_32 = 4294967296.0
_TWO_16 = 65536.0


def _diff1_hashes(personality: Personality) -> float:
    """Hashes per difficulty-1 share: sgminer mines scrypt (a 2**16 times easier target)."""
    return _TWO_16 if personality == "sgminer" else _TWO_32


@dataclass(frozen=True)
class PoolSpec:
    """A pool the fake starts with.  `alive=False` models an unreachable pool."""

    url: str
    user: str = ""
    password: str = ""
    alive: bool | None = None
    """None: reachable unless the URL's host says otherwise (see `default_reachable`)."""
    difficulty: float | None = None
    """Share difficulty; None: like a vardiff pool, about one share per rig every 5 s."""


@dataclass(frozen=True)
class DeviceSpec:
    """A device the fake starts with (`"ASC"` alone is enough)."""

    kind: DeviceKind = "ASC"
    driver: str | None = None
    """Three-letter driver name shown as `Name` (default per kind and miner)."""
    model: str = ""
    hashrate: float | None = None
    """Nominal MH/s (default per kind)."""
    temperature: float = 62.0
    enabled: bool = True


@dataclass(eq=False)
class Pool:
    """One pool as the miner tracks it (compared by identity)."""

    url: str
    user: str
    password: str
    priority: int
    difficulty: float = 65536.0
    quota: int = 1
    enabled: Literal["Enabled", "Disabled", "Rejecting"] = "Enabled"
    alive: bool = True
    getworks: int = 0
    works: int = 0
    accepted: int = 0
    rejected: int = 0
    stale: int = 0
    discarded: int = 0
    diff1_shares: float = 0.0
    diff_accepted: float = 0.0
    diff_rejected: float = 0.0
    diff_stale: float = 0.0
    last_share_time: int = 0
    last_share_difficulty: float = 0.0
    best_share: float = 0.0
    name: str = ""
    description: str = ""
    profile: str = ""
    algorithm: str = "scrypt"
    goal: str = "default"
    """bfgminer mining goal (`addpool` 4th field)."""
    proxy_type: str = ""
    """`http:`, `socks5:`... when the URL was given as `<type><proxy>|<url>`."""
    proxy: str = ""
    has_stratum: bool = False
    """The URL given started with `stratum+tcp://` (cgminer `detect_stratum`)."""
    removed: bool = False

    @property
    def host(self) -> str:
        """The host part of the URL (`sockaddr_url`: stratum URL, sgminer pool name)."""
        return _host(self.url)

    @property
    def status(self) -> str:
        """The `Status` field: Disabled, Rejecting, Dead or Alive."""
        if self.enabled != "Enabled":
            return self.enabled
        return "Alive" if self.alive else "Dead"

    @property
    def usable(self) -> bool:
        """Enabled and reachable: the miner may mine on it (not cgminer `pool_unusable`)."""
        return self.enabled == "Enabled" and self.alive


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]


def is_stratum_url(url: str) -> bool:
    """cgminer `detect_stratum`: the URL starts with `stratum+tcp://` (any case)."""
    return url[:14].lower() == "stratum+tcp://"


@dataclass(eq=False)
class Device:
    """One device (ASC, PGA, GPU or CPU) as the miner tracks it (compared by identity)."""

    kind: DeviceKind
    index: int
    """Position among the devices of its kind (`ASC=1`, `GPU=0`...)."""
    driver: str
    driver_id: int
    """`ID`: number among the devices of the same driver."""
    model: str
    nominal_mhs: float
    temperature: float
    enabled: bool = True
    status: str = "Alive"
    fan_percent: int = 50
    engine_clock: int = 900
    memory_clock: int = 1250
    vddc: float = 1.1
    intensity: str = "8"
    xintensity: int = 0
    rawintensity: int = 0
    powertune: int = 0
    total_mh: float = 0.0
    diff1: float = 0.0
    accepted: int = 0
    rejected: int = 0
    hardware_errors: int = 0
    diff_accepted: float = 0.0
    diff_rejected: float = 0.0
    last_share_pool: int = -1
    last_share_time: int = 0
    last_share_difficulty: float = 0.0
    last_valid_work: int = 0
    started: float = 0.0
    restarts: int = 0
    _credit: float = 0.0

    @property
    def fan_rpm(self) -> int:
        """Fan speed in RPM for the current percentage (a 4,800 RPM fan)."""
        return self.fan_percent * 48


@dataclass
class Profile:
    """An sgminer profile (`addprofile`)."""

    name: str
    algorithm: str = ""
    settings: str = ""


_DEFAULT_DRIVER: dict[DeviceKind, str] = {"ASC": "BTM", "PGA": "BFL", "GPU": "GPU", "CPU": "CPU"}
_DEFAULT_MHS: dict[DeviceKind, float] = {
    "ASC": 4_500_000.0,
    "PGA": 860.0,
    "GPU": 0.72,
    "CPU": 0.01,
}
DEFAULT_DEVICES: dict[Personality, tuple[DeviceKind, ...]] = {
    "cgminer": ("ASC", "ASC"),
    "bmminer": ("ASC", "ASC", "ASC"),
    "sgminer": ("GPU", "GPU"),
    "bfgminer": ("PGA", "PGA"),
}
DEFAULT_POOLS = (
    PoolSpec("stratum+tcp://pool.example.com:3333", "worker1", "x"),
    PoolSpec("stratum+tcp://backup.example.com:3333", "worker1", "x"),
)


def default_reachable(url: str) -> bool:
    """A pool is unreachable when its host names itself so (`dead`, `.invalid`)."""
    host = _host(url).lower()
    return not ("dead" in host or host.endswith(".invalid") or host == "")


@dataclass
class MinerState:
    """Everything a fake miner reports and every change commands make to it."""

    personality: Personality
    pools: list[Pool]
    devices: list[Device]
    seed: int = 0
    clock: Callable[[], float] = time.time
    log_interval: int = 5
    strategy: int = 0
    rotate_period: int = 0
    failover_only: bool = False
    queue: int = 1
    scantime: int = 60
    expiry: int = 120
    hotplug: int = 5
    debug: dict[str, bool] = field(
        default_factory=lambda: dict.fromkeys(
            ("Silent", "Quiet", "Verbose", "Debug", "RPCProto", "PerDevice", "WorkTime"), False
        )
    )
    profiles: list[Profile] = field(default_factory=list)
    found_blocks: int = 0
    local_work: int = 0
    get_failures: int = 0
    remote_failures: int = 0
    network_blocks: int = 1
    best_share: float = 0.0
    started: float = 0.0
    zeroed: float = 0.0
    saves: list[str] = field(default_factory=list)
    coinbase_sig: str | None = None
    """bfgminer `--coinbase-sig` (NULL until set: `config` shows `(null)`)."""
    goals: list[str] = field(default_factory=lambda: ["default"])
    """bfgminer mining goals, in creation order (`coin` has one section each)."""
    reachable: Callable[[str], bool] = default_reachable
    """Whether a pool added at run time (`addpool`) is reachable."""
    reject_ratio: float = 0.01
    stale_ratio: float = 0.002
    hw_ratio: float = 0.0001
    _last: float = 0.0
    _current: Pool | None = None
    _diff1: float = _TWO_32

    @classmethod
    def create(
        cls,
        personality: Personality,
        *,
        pools: Sequence[PoolSpec | tuple[str, str, str] | str] | None = None,
        devices: Sequence[DeviceSpec | DeviceKind] | None = None,
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        log_interval: int = 5,
        reachable: Callable[[str], bool] = default_reachable,
    ) -> MinerState:
        """A miner in its just-started state."""
        rng = random.Random(seed)
        now = clock()
        pool_specs = [_pool_spec(p) for p in (DEFAULT_POOLS if pools is None else pools)]
        kinds = DEFAULT_DEVICES[personality] if devices is None else devices
        specs = [item if isinstance(item, DeviceSpec) else DeviceSpec(kind=item) for item in kinds]
        vardiff = _vardiff(
            sum(s.hashrate or _DEFAULT_MHS[s.kind] for s in specs), _diff1_hashes(personality)
        )
        pool_list = [
            Pool(
                url=spec.url,
                user=spec.user,
                password=spec.password,
                priority=n,
                difficulty=vardiff if spec.difficulty is None else spec.difficulty,
                alive=reachable(spec.url) if spec.alive is None else spec.alive,
                has_stratum=is_stratum_url(spec.url),
            )
            for n, spec in enumerate(pool_specs)
        ]
        device_list: list[Device] = []
        per_kind: dict[DeviceKind, int] = {}
        per_driver: dict[str, int] = {}
        for spec in specs:
            driver = spec.driver or _DEFAULT_DRIVER[spec.kind]
            nominal = spec.hashrate or _DEFAULT_MHS[spec.kind]
            device_list.append(
                Device(
                    kind=spec.kind,
                    index=per_kind.get(spec.kind, 0),
                    driver=driver,
                    driver_id=per_driver.get(driver, 0),
                    model=spec.model,
                    nominal_mhs=nominal * rng.uniform(0.97, 1.03),
                    temperature=spec.temperature + rng.uniform(-3.0, 3.0),
                    enabled=spec.enabled,
                    status="Alive",
                    fan_percent=rng.randrange(40, 70),
                    started=now,
                )
            )
            per_kind[spec.kind] = per_kind.get(spec.kind, 0) + 1
            per_driver[driver] = per_driver.get(driver, 0) + 1
        state = cls(
            personality=personality,
            pools=pool_list,
            devices=device_list,
            seed=seed,
            clock=clock,
            log_interval=log_interval,
            started=now,
            zeroed=now,
            reject_ratio=rng.uniform(0.005, 0.02),
            stale_ratio=rng.uniform(0.0, 0.004),
            hw_ratio=rng.uniform(0.00002, 0.0002),
            reachable=reachable,
            _last=now,
            _diff1=_diff1_hashes(personality),
        )
        state.switch_pools()
        return state

    # ------------------------------------------------------------------ time

    def now(self) -> float:
        """The clock, advancing the counters to it."""
        now = self.clock()
        self.advance(now)
        return now

    def advance(self, now: float) -> None:
        """Credit the work done since the last call to the devices and the pool in use."""
        elapsed = now - self._last
        if elapsed <= 0:
            return
        self._last = now
        pool = self.current_pool
        if pool is None or not pool.usable:
            return
        for device in self.devices:
            if not device.enabled or device.status != "Alive":
                continue
            mh = device.nominal_mhs * elapsed
            diff1 = mh * 1e6 / self._diff1
            device.total_mh += mh
            device.diff1 += diff1
            device.hardware_errors = int(device.diff1 * self.hw_ratio)
            device._credit += diff1 / pool.difficulty
            shares = int(device._credit)
            if shares <= 0:
                continue
            device._credit -= shares
            total = device.accepted + device.rejected + shares
            rejected = int(total * self.reject_ratio) - device.rejected
            accepted = shares - rejected
            stale = int((pool.accepted + pool.stale + accepted) * self.stale_ratio) - pool.stale
            stale = max(0, min(stale, accepted))
            accepted -= stale
            device.accepted += accepted
            device.rejected += rejected
            device.diff_accepted += accepted * pool.difficulty
            device.diff_rejected += rejected * pool.difficulty
            device.last_share_pool = self.pools.index(pool)
            device.last_share_time = int(now)
            device.last_share_difficulty = pool.difficulty
            device.last_valid_work = int(now)
            pool.accepted += accepted
            pool.rejected += rejected
            pool.stale += stale
            pool.diff_accepted += accepted * pool.difficulty
            pool.diff_rejected += rejected * pool.difficulty
            pool.diff_stale += stale * pool.difficulty
            pool.diff1_shares += diff1
            pool.last_share_time = int(now)
            pool.last_share_difficulty = pool.difficulty
            pool.works += shares
            self.local_work += shares
            pool.getworks += shares
            best = pool.difficulty * (1.0 + 4.0 * random.Random(self.seed + pool.accepted).random())
            pool.best_share = max(pool.best_share, best)
            self.best_share = max(self.best_share, best)

    def elapsed(self) -> int:
        """Seconds since the (fake) start."""
        return int(self.now() - self.started)

    def jitter(self, *key: object, spread: float = 0.02) -> float:
        """A seeded factor around 1.0 that changes every `log_interval` seconds."""
        bucket = int(self.clock() // max(1, self.log_interval))
        return 1.0 + random.Random(f"{self.seed}:{key}:{bucket}").uniform(-spread, spread)

    # ------------------------------------------------------------------ pools
    #
    # `pools` holds the pools in index order (`POOL=n` is the position); removed
    # pools leave the list.  The pool in use is tracked by identity, so it survives
    # the renumbering of `removepool`.

    @property
    def live_pools(self) -> list[Pool]:
        """The pools, in index order (removed pools are gone)."""
        return self.pools

    @property
    def current_pool(self) -> Pool | None:
        """The pool in use, or None when there is none."""
        return self._current

    @property
    def current_index(self) -> int:
        """Index of the pool in use (0 when there are no pools)."""
        current = self._current
        return self.pools.index(current) if current in self.pools else 0

    def switch_pools(self, selected: Pool | None = None) -> None:
        """cgminer `switch_pools()`: pick the pool to mine on by the strategy.

        A `selected` pool first moves to priority 0 (the others make room).
        Failover, Load Balance and Balance then take the usable pool with the best
        priority; Round Robin and Rotate take `selected` if it is alive, else the
        next usable pool after the current one.  With no usable pool the current
        one stays.
        """
        self.now()
        pools = self.pools
        if not pools:
            self._current = None
            return
        if selected is not None and selected.priority != 0:
            for pool in pools:
                if pool.priority < selected.priority:
                    pool.priority += 1
            selected.priority = 0
        current = self._current if self._current in pools else pools[0]
        if self.strategy in (1, 2):
            if selected is not None and selected.alive:
                current = selected
            else:
                start = pools.index(current)
                for step in range(1, len(pools)):
                    candidate = pools[(start + step) % len(pools)]
                    if candidate.usable:
                        current = candidate
                        break
        else:
            for pool in sorted(pools, key=lambda p: p.priority):
                if pool.usable:
                    current = pool
                    break
        self._current = current

    def reselect_pool(self) -> None:
        """The pool watchdog: leave a pool that became unusable; in Failover go back
        to a better-priority pool that became usable."""
        current = self._current
        lost = current is None or current not in self.pools or not current.usable
        better = (
            current is not None
            and self.strategy == 0
            and any(p.usable and p.priority < current.priority for p in self.pools)
        )
        if lost or better:
            self.switch_pools()

    def switch_pool(self, index: int) -> None:
        """`switchpool`: enable the pool, move it to priority 0 and switch to it."""
        selected = self.pools[index]
        selected.enabled = "Enabled"
        self.switch_pools(selected)

    def set_pool_alive(self, index: int, alive: bool) -> None:
        """Make a pool reachable or not (a pool going down triggers failover)."""
        self.now()
        self.pools[index].alive = alive
        self.reselect_pool()

    def add_pool(
        self, url: str, user: str, password: str, *, reachable: bool = True, stratum: bool = False
    ) -> int:
        """`addpool`: append a pool with the lowest priority; return its index."""
        self.now()
        difficulty = _vardiff(sum(d.nominal_mhs for d in self.devices), self._diff1)
        index = len(self.pools)
        pool = Pool(
            url,
            user,
            password,
            priority=index,
            difficulty=difficulty,
            alive=reachable,
            has_stratum=stratum,
        )
        self.pools.append(pool)
        if self._current is None:
            self._current = pool
        self.reselect_pool()
        return index

    def remove_pool(self, index: int) -> Pool:
        """cgminer `remove_pool()`: close the priority gap and move the LAST pool into
        the removed pool's slot (so `POOL=n` numbers change, and not in order)."""
        self.now()
        pool = self.pools[index]
        for other in self.pools:
            if other.priority > pool.priority:
                other.priority -= 1
        last = self.pools.pop()
        if last is not pool:
            self.pools[index] = last
        pool.removed = True
        if self._current is pool:
            self._current = None
            self.switch_pools()
        return pool

    def set_priorities(self, order: Sequence[int]) -> None:
        """`poolpriority`: the listed pools first, in order; the others keep their order after."""
        self.now()
        pools = self.pools
        rest = sorted(
            (n for n in range(len(pools)) if n not in order), key=lambda n: pools[n].priority
        )
        for priority, n in enumerate([*order, *rest]):
            pools[n].priority = priority
        if self._current is not None and self._current.priority:
            self.switch_pools()

    # ------------------------------------------------------------------ devices

    def devices_of(self, kind: DeviceKind) -> list[Device]:
        """Devices of one kind, in index order."""
        return [d for d in self.devices if d.kind == kind]

    def zero(self, *, best_share_only: bool) -> None:
        """`zero`: cgminer `zero_bestshare()`, and for `all` also `zero_stats()`.

        `zero_stats()` restarts the elapsed time and resets the share counters of
        the summary, of every pool and of every device (not a pool's `Works`).
        """
        now = self.now()
        self.best_share = 0.0
        for pool in self.pools:
            pool.best_share = 0.0
        if best_share_only:
            return
        self.zeroed = now
        self.found_blocks = self.local_work = 0
        self.get_failures = self.remote_failures = 0
        for device in self.devices:
            device.accepted = device.rejected = device.hardware_errors = 0
            device.diff1 = device.diff_accepted = device.diff_rejected = device.total_mh = 0.0
            device.last_share_pool = -1
            device.last_share_time = 0
            device.last_share_difficulty = 0.0
            device.started = now
        for pool in self.pools:
            pool.accepted = pool.rejected = pool.stale = pool.getworks = pool.discarded = 0
            pool.diff1_shares = pool.diff_accepted = pool.diff_rejected = pool.diff_stale = 0.0
            pool.last_share_time = 0
            pool.last_share_difficulty = 0.0

    def mhs_av(self, device: Device | None = None) -> float:
        """Average MH/s since start (or since `zero`)."""
        now = self.now()
        if device is None:
            total = sum(d.total_mh for d in self.devices)
            seconds = now - self.zeroed
        else:
            total = device.total_mh
            seconds = now - device.started
        return total / max(seconds, 1.0)  # cgminer's runtimes never go below 1 second

    def mhs_window(self, device: Device | None, window: str) -> float:
        """Short-window MH/s with a seeded jitter (0 for a disabled device or no pool)."""
        pool = self.current_pool
        if pool is None or not pool.usable:
            return 0.0
        devices = self.devices if device is None else [device]
        spread = 0.03 if window == "5s" else 0.01
        return sum(
            d.nominal_mhs * self.jitter(d.kind, d.index, window, spread=spread)
            for d in devices
            if d.enabled and d.status == "Alive"
        )


def _vardiff(total_mhs: float, diff1_hashes: float) -> float:
    """A power-of-two share difficulty giving about one share every 5 seconds."""
    target = total_mhs * 1e6 * 5 / diff1_hashes
    return float(2 ** max(0, int(math.log2(target)))) if target >= 1 else 1.0


def _pool_spec(item: PoolSpec | tuple[str, str, str] | str) -> PoolSpec:
    if isinstance(item, PoolSpec):
        return item
    if isinstance(item, str):
        return PoolSpec(item)
    url, user, password = item
    return PoolSpec(url, user, password)
