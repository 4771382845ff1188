"""Models of the small single-object replies: version, config, coin, check, debug, lcd, counts."""

import re
from typing import Final

from pydantic import AliasChoices, Field

from .base import HashrateModel, IntOrStr, LaxBool, LaxFloat, LaxInt, LaxStr, MinerModel, YesNo

__all__ = ("Check", "Coin", "Config", "Count", "DebugSettings", "Lcd", "Version")

_CONFIG_FILE: Final = re.compile(r"^ConfigFile(\d+)$")


class Version(MinerModel):
    """Versions from ``version``; forks rename ``CGMiner`` (``SGMiner``, ``BMMiner``, ``LUXminer``)."""

    miner: LaxStr = Field(None, alias="Miner")
    # "Cgminer": vnish firmware (in its stats header).
    cgminer: LaxStr = Field(
        None, alias="CGMiner", validation_alias=AliasChoices("CGMiner", "Cgminer")
    )
    sgminer: LaxStr = Field(None, alias="SGMiner")
    bmminer: LaxStr = Field(None, alias="BMMiner")
    luxminer: LaxStr = Field(None, alias="LUXminer")
    api: LaxStr = Field(None, alias="API")
    compile_time: LaxStr = Field(None, alias="CompileTime")
    miner_type: LaxStr = Field(None, alias="Type")

    @property
    def software_version(self) -> str | None:
        """The mining software's version, whichever key the fork used for it."""
        for value in (self.cgminer, self.sgminer, self.bmminer, self.luxminer):
            if value is not None:
                return value
        return None


class Config(MinerModel):
    """Runtime configuration from ``config``."""

    asc_count: LaxInt = Field(None, alias="ASC Count")
    pga_count: LaxInt = Field(None, alias="PGA Count")
    gpu_count: LaxInt = Field(None, alias="GPU Count")
    pool_count: LaxInt = Field(None, alias="Pool Count")
    adl: YesNo = Field(None, alias="ADL")
    adl_in_use: YesNo = Field(None, alias="ADL in use")
    strategy: LaxStr = Field(None, alias="Strategy")
    rotate_period: LaxInt = Field(None, alias="Rotate Period")
    log_interval: LaxInt = Field(None, alias="Log Interval")
    device_code: LaxStr = Field(None, alias="Device Code")
    os: LaxStr = Field(None, alias="OS")
    # "Disabled" / "None" or a number of seconds, depending on the build.
    hotplug: IntOrStr = Field(None, alias="Hotplug")
    failover_only: LaxBool = Field(None, alias="Failover-Only")
    failover_switch_delay: LaxInt = Field(None, alias="Failover Switch Delay")
    scan_time: LaxInt = Field(None, alias="ScanTime")
    queue: LaxInt = Field(None, alias="Queue")
    expiry: LaxInt = Field(None, alias="Expiry")
    coinbase_sig: LaxStr = Field(None, alias="Coinbase-Sig")

    @property
    def device_codes(self) -> tuple[str, ...]:
        """Driver codes from ``Device Code`` (``"ICA AVA "`` -> ``("ICA", "AVA")``)."""
        return tuple((self.device_code or "").split())

    @property
    def config_files(self) -> tuple[str, ...]:
        """bfgminer's ``ConfigFile0``, ``ConfigFile1``... values, in order."""
        found: list[tuple[int, str]] = []
        for key, value in (self.model_extra or {}).items():
            match = _CONFIG_FILE.match(key)
            if match is not None and value is not None:
                found.append((int(match[1]), str(value)))
        return tuple(value for _, value in sorted(found))


class Coin(MinerModel):
    """Current block and network difficulty from ``coin``."""

    hash_method: LaxStr = Field(None, alias="Hash Method")
    current_block_time: LaxFloat = Field(None, alias="Current Block Time")
    current_block_hash: LaxStr = Field(None, alias="Current Block Hash")
    lp: LaxBool = Field(None, alias="LP")
    network_difficulty: LaxFloat = Field(None, alias="Network Difficulty")
    difficulty_accepted: LaxFloat = Field(None, alias="Difficulty Accepted")


class Check(MinerModel):
    """Answer of ``check|cmd``: whether the command exists and is allowed."""

    exists: YesNo = Field(None, alias="Exists")
    access: YesNo = Field(None, alias="Access")


class DebugSettings(MinerModel):
    """Logging flags from ``debug``."""

    silent: LaxBool = Field(None, alias="Silent")
    quiet: LaxBool = Field(None, alias="Quiet")
    verbose: LaxBool = Field(None, alias="Verbose")
    debug: LaxBool = Field(None, alias="Debug")
    rpc_proto: LaxBool = Field(None, alias="RPCProto")
    per_device: LaxBool = Field(None, alias="PerDevice")
    work_time: LaxBool = Field(None, alias="WorkTime")


class Lcd(HashrateModel):
    """The one-screen status from cgminer's ``lcd``."""

    elapsed: LaxInt = Field(None, alias="Elapsed")
    ghs_av: LaxFloat = Field(None, alias="GHS av")
    ghs_5m: LaxFloat = Field(None, alias="GHS 5m")
    ghs_5s: LaxFloat = Field(None, alias="GHS 5s")
    temperature: LaxFloat = Field(None, alias="Temperature")
    last_share_difficulty: LaxFloat = Field(None, alias="Last Share Difficulty")
    last_share_time: IntOrStr = Field(None, alias="Last Share Time")
    best_share: LaxFloat = Field(None, alias="Best Share")
    last_valid_work: LaxInt = Field(None, alias="Last Valid Work")
    found_blocks: LaxInt = Field(None, alias="Found Blocks")
    current_pool: LaxStr = Field(None, alias="Current Pool")
    user: LaxStr = Field(None, alias="User")


class Count(MinerModel):
    """Number of devices from ``pgacount``/``asccount``/``gpucount``/``cpucount``/``proccount``."""

    count: LaxInt = Field(None, alias="Count")
