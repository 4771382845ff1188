"""Models of ``stats``/``estats``/``dbgstats`` (section ``STATS``) and ``usbstats``."""

from pydantic import Field

from .base import HashrateModel, LaxBool, LaxFloat, LaxInt, LaxStr, MinerModel
from .info import Version

__all__ = ("Stats", "UsbStats")


class Stats(HashrateModel):
    """One ``STATS`` record: a device (with free-form driver extras) or a pool.

    Vendor keys (Bitmain ``fan1``/``temp2_1``/``chain_rate1``, Avalon ``MM ID0``,
    DragonMint per-chip counters...) stay in ``model_extra`` as sent. Bitmain-based
    firmware puts a version header (``BMMiner``/``CGMiner``, ``Miner``,
    ``CompileTime``, ``Type``) first, without ``STATS``/``ID``: see
    :attr:`is_version_header`.
    """

    index: LaxInt = Field(None, alias="STATS")
    id: LaxStr = Field(None, alias="ID")
    elapsed: LaxInt = Field(None, alias="Elapsed")
    calls: LaxInt = Field(None, alias="Calls")
    wait: LaxFloat = Field(None, alias="Wait")
    max: LaxFloat = Field(None, alias="Max")
    min: LaxFloat = Field(None, alias="Min")
    mhs_av: LaxFloat = Field(None, alias="MHS av")
    mhs_5s: LaxFloat = Field(None, alias="MHS 5s")
    ghs_av: LaxFloat = Field(None, alias="GHS av")
    ghs_5s: LaxFloat = Field(None, alias="GHS 5s")
    pool_calls: LaxInt = Field(None, alias="Pool Calls")
    pool_attempts: LaxInt = Field(None, alias="Pool Attempts")
    pool_wait: LaxFloat = Field(None, alias="Pool Wait")
    pool_max: LaxFloat = Field(None, alias="Pool Max")
    pool_min: LaxFloat = Field(None, alias="Pool Min")
    pool_av: LaxFloat = Field(None, alias="Pool Av")
    work_had_roll_time: LaxBool = Field(None, alias="Work Had Roll Time")
    work_can_roll: LaxBool = Field(None, alias="Work Can Roll")
    work_had_expire: LaxBool = Field(None, alias="Work Had Expire")
    work_roll_time: LaxInt = Field(None, alias="Work Roll Time")
    work_diff: LaxFloat = Field(None, alias="Work Diff")
    min_diff: LaxFloat = Field(None, alias="Min Diff")
    max_diff: LaxFloat = Field(None, alias="Max Diff")
    min_diff_count: LaxInt = Field(None, alias="Min Diff Count")
    max_diff_count: LaxInt = Field(None, alias="Max Diff Count")
    times_sent: LaxInt = Field(None, alias="Times Sent")
    bytes_sent: LaxInt = Field(None, alias="Bytes Sent")
    times_recv: LaxInt = Field(None, alias="Times Recv")
    bytes_recv: LaxInt = Field(None, alias="Bytes Recv")
    net_bytes_sent: LaxInt = Field(None, alias="Net Bytes Sent")
    net_bytes_recv: LaxInt = Field(None, alias="Net Bytes Recv")
    usb_pipe: LaxStr = Field(None, alias="USB Pipe")
    usb_delay: LaxStr = Field(None, alias="USB Delay")
    usb_tmo: LaxStr = Field(None, alias="USB tmo")

    @property
    def is_pool(self) -> bool:
        """True for a pool record (``ID=POOLn`` or pool counters present)."""
        return self.pool_calls is not None or (self.id or "").startswith("POOL")

    @property
    def is_version_header(self) -> bool:
        """True for the Bitmain-style version object that opens some ``STATS`` lists."""
        return self.index is None and self.id is None and self.elapsed is None

    def as_version(self) -> Version | None:
        """The version header as a :class:`Version` (``BMMiner``, ``Type``...), else None."""
        if not self.is_version_header:
            return None
        return Version.model_validate(self.model_dump(by_alias=True, exclude_none=True))


class UsbStats(MinerModel):
    """USB I/O statistics for one device and command from cgminer's ``usbstats``."""

    name: LaxStr = Field(None, alias="Name")
    id: LaxInt = Field(None, alias="ID")
    stat: LaxStr = Field(None, alias="Stat")
    seq: LaxInt = Field(None, alias="Seq")
    modes: LaxStr = Field(None, alias="Modes")
    count: LaxInt = Field(None, alias="Count")
    total_delay: LaxFloat = Field(None, alias="Total Delay")
    min_delay: LaxFloat = Field(None, alias="Min Delay")
    max_delay: LaxFloat = Field(None, alias="Max Delay")
    timeout_count: LaxInt = Field(None, alias="Timeout Count")
    timeout_total_delay: LaxFloat = Field(None, alias="Timeout Total Delay")
    timeout_min_delay: LaxFloat = Field(None, alias="Timeout Min Delay")
    timeout_max_delay: LaxFloat = Field(None, alias="Timeout Max Delay")
    error_count: LaxInt = Field(None, alias="Error Count")
    error_total_delay: LaxFloat = Field(None, alias="Error Total Delay")
    error_min_delay: LaxFloat = Field(None, alias="Error Min Delay")
    error_max_delay: LaxFloat = Field(None, alias="Error Max Delay")
    first_command: LaxFloat = Field(None, alias="First Command")
    last_command: LaxFloat = Field(None, alias="Last Command")
