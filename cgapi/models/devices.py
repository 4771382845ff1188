"""Model of device records: ``devs``/``edevs``/``procs`` and ``gpu``/``pga``/``asc``/``cpu``/``proc``."""

from collections.abc import Mapping
from typing import Any, Final, Literal, get_args

from pydantic import AliasChoices, Field, model_validator

from .base import HashrateModel, IntOrStr, LaxBool, LaxFloat, LaxInt, LaxStr, YesNo

__all__ = ("Device", "DeviceKind")

DeviceKind = Literal["GPU", "PGA", "ASC", "CPU", "PROC"]
"""The index key a device record starts with."""

_KINDS: Final[frozenset[str]] = frozenset(get_args(DeviceKind))


class Device(HashrateModel):
    """One GPU, PGA, ASC, CPU or PROC record; ``kind``/``index`` come from its index key.

    cgminer mixes ``ASC=n`` and ``PGA=n`` records in one ``DEVS`` list, sgminer
    sends ``GPU=n``, bfgminer ``PGA=n`` for every device (older versions ``GPU=n``
    for OpenCL devices).
    """

    kind: DeviceKind | None = None
    index: LaxInt = None
    name: LaxStr = Field(None, alias="Name")
    id: LaxInt = Field(None, alias="ID")
    proc_id: LaxInt = Field(None, alias="ProcID")
    enabled: YesNo = Field(None, alias="Enabled")
    status: LaxStr = Field(None, alias="Status")
    # "Tenperature": Antminer S19j Pro text devs; "temperature": ttyS ASIC cgminer fork.
    temperature: LaxFloat = Field(
        None,
        alias="Temperature",
        validation_alias=AliasChoices("Temperature", "Tenperature", "temperature"),
    )
    fan_speed: LaxInt = Field(None, alias="Fan Speed")
    fan_percent: LaxInt = Field(None, alias="Fan Percent")
    gpu_clock: LaxInt = Field(None, alias="GPU Clock")
    memory_clock: LaxInt = Field(None, alias="Memory Clock")
    gpu_voltage: LaxFloat = Field(None, alias="GPU Voltage")
    gpu_activity: LaxInt = Field(None, alias="GPU Activity")
    powertune: LaxInt = Field(None, alias="Powertune")
    device_elapsed: LaxInt = Field(None, alias="Device Elapsed")
    mhs_av: LaxFloat = Field(None, alias="MHS av")
    mhs_5s: LaxFloat = Field(None, alias="MHS 5s")
    mhs_1m: LaxFloat = Field(None, alias="MHS 1m")
    mhs_5m: LaxFloat = Field(None, alias="MHS 5m")
    mhs_15m: LaxFloat = Field(None, alias="MHS 15m")
    mhs_rolling: LaxFloat = Field(None, alias="MHS rolling")
    khs_av: LaxFloat = Field(None, alias="KHS av")
    accepted: LaxInt = Field(None, alias="Accepted")
    rejected: LaxInt = Field(None, alias="Rejected")
    hardware_errors: LaxInt = Field(None, alias="Hardware Errors")
    utility: LaxFloat = Field(None, alias="Utility")
    stale: LaxInt = Field(None, alias="Stale")
    intensity: LaxStr = Field(None, alias="Intensity")
    xintensity: LaxInt = Field(None, alias="XIntensity")
    rawintensity: LaxInt = Field(None, alias="RawIntensity")
    last_share_pool: LaxInt = Field(None, alias="Last Share Pool")
    last_share_time: IntOrStr = Field(None, alias="Last Share Time")
    total_mh: LaxFloat = Field(None, alias="Total MH")
    frequency: LaxFloat = Field(None, alias="Frequency")
    diff1_work: LaxFloat = Field(None, alias="Diff1 Work")
    work_utility: LaxFloat = Field(None, alias="Work Utility")
    difficulty_accepted: LaxFloat = Field(None, alias="Difficulty Accepted")
    difficulty_rejected: LaxFloat = Field(None, alias="Difficulty Rejected")
    difficulty_stale: LaxFloat = Field(None, alias="Difficulty Stale")
    last_share_difficulty: LaxFloat = Field(None, alias="Last Share Difficulty")
    no_device: LaxBool = Field(None, alias="No Device")
    last_valid_work: LaxInt = Field(None, alias="Last Valid Work")
    device_hardware_percent: LaxFloat = Field(None, alias="Device Hardware%")
    device_rejected_percent: LaxFloat = Field(None, alias="Device Rejected%")

    @model_validator(mode="before")
    @classmethod
    def _index_from_kind_key(cls, data: Any) -> Any:
        """Turn the first ``GPU``/``PGA``/``ASC``/``CPU``/``PROC`` key into ``kind`` and ``index``."""
        if not isinstance(data, Mapping):
            return data
        for key in data:
            if key in _KINDS:
                fixed = {k: v for k, v in data.items() if k != key}
                fixed.setdefault("kind", key)
                fixed.setdefault("index", data[key])
                return fixed
        return data
