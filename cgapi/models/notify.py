"""Model of the ``notify``/``procnotify`` reply (section ``NOTIFY``)."""

from pydantic import Field

from .base import IntOrStr, LaxInt, LaxStr, MinerModel

__all__ = ("Notify",)


class Notify(MinerModel):
    """Health history of one device: last well/not-well times and failure counters."""

    index: LaxInt = Field(None, alias="NOTIFY")
    name: LaxStr = Field(None, alias="Name")
    id: LaxInt = Field(None, alias="ID")
    proc_id: LaxInt = Field(None, alias="ProcID")
    last_well: IntOrStr = Field(None, alias="Last Well")
    last_not_well: IntOrStr = Field(None, alias="Last Not Well")
    reason_not_well: LaxStr = Field(None, alias="Reason Not Well")
    thread_fail_init: LaxInt = Field(None, alias="*Thread Fail Init")
    thread_zero_hash: LaxInt = Field(None, alias="*Thread Zero Hash")
    thread_fail_queue: LaxInt = Field(None, alias="*Thread Fail Queue")
    dev_sick_idle_60s: LaxInt = Field(None, alias="*Dev Sick Idle 60s")
    dev_dead_idle_600s: LaxInt = Field(None, alias="*Dev Dead Idle 600s")
    dev_nostart: LaxInt = Field(None, alias="*Dev Nostart")
    dev_over_heat: LaxInt = Field(None, alias="*Dev Over Heat")
    dev_thermal_cutoff: LaxInt = Field(None, alias="*Dev Thermal Cutoff")
    dev_comms_error: LaxInt = Field(None, alias="*Dev Comms Error")
    dev_throttle: LaxInt = Field(None, alias="*Dev Throttle")
