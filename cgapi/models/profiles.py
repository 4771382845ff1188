"""Model of sgminer's ``profiles`` reply (JSON key ``POOLS``, records ``PROFILE=n``)."""

from pydantic import Field

from .base import LaxBool, LaxInt, LaxStr, MinerModel

__all__ = ("Profile",)


class Profile(MinerModel):
    """One sgminer mining profile; settings are strings, ``""`` when unset."""

    index: LaxInt = Field(None, alias="PROFILE")
    name: LaxStr = Field(None, alias="Name")
    is_default: LaxBool = Field(None, alias="IsDefault")
    algorithm: LaxStr = Field(None, alias="Algorithm")
    algorithm_type: LaxStr = Field(None, alias="Algorithm Type")
    algorithm_nfactor: LaxInt = Field(None, alias="Algorithm NFactor")
    lookup_gap: LaxStr = Field(None, alias="LookupGap")
    devices: LaxStr = Field(None, alias="Devices")
    intensity: LaxStr = Field(None, alias="Intensity")
    xintensity: LaxStr = Field(None, alias="XIntensity")
    rawintensity: LaxStr = Field(None, alias="RawIntensity")
    gpu_engine: LaxStr = Field(None, alias="Gpu Engine")
    gpu_memclock: LaxStr = Field(None, alias="Gpu MemClock")
    gpu_threads: LaxStr = Field(None, alias="Gpu Threads")
    gpu_fan: LaxStr = Field(None, alias="Gpu Fan%")
    gpu_powertune: LaxStr = Field(None, alias="Gpu Powertune%")
    gpu_vddc: LaxStr = Field(None, alias="Gpu Vddc")
    shaders: LaxStr = Field(None, alias="Shaders")
    thread_concurrency: LaxStr = Field(None, alias="Thread Concurrency")
    worksize: LaxStr = Field(None, alias="Worksize")
