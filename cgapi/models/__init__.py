"""Pydantic v2 models of cgminer-family API replies.

Models validate records that :mod:`cgapi.protocol` has already decoded; they
never see raw bytes. Every model keeps unknown keys in ``model_extra``.
"""

from .base import HashrateModel as HashrateModel
from .base import MinerModel as MinerModel
from .devdetails import DevDetail as DevDetail
from .devices import Device as Device
from .devices import DeviceKind as DeviceKind
from .info import Check as Check
from .info import Coin as Coin
from .info import Config as Config
from .info import Count as Count
from .info import DebugSettings as DebugSettings
from .info import Lcd as Lcd
from .info import Version as Version
from .notify import Notify as Notify
from .pools import Pool as Pool
from .profiles import Profile as Profile
from .stats import Stats as Stats
from .stats import UsbStats as UsbStats
from .summary import Summary as Summary

__all__ = (
    "Check",
    "Coin",
    "Config",
    "Count",
    "DebugSettings",
    "DevDetail",
    "Device",
    "DeviceKind",
    "HashrateModel",
    "Lcd",
    "MinerModel",
    "Notify",
    "Pool",
    "Profile",
    "Stats",
    "Summary",
    "UsbStats",
    "Version",
)
