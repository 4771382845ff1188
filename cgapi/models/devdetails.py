"""Model of the ``devdetails``/``procdetails`` reply (records ``DEVDETAILS=n``)."""

from pydantic import Field

from .base import LaxInt, LaxStr, MinerModel

__all__ = ("DevDetail",)


class DevDetail(MinerModel):
    """Static description of one device: driver, kernel, model, path."""

    index: LaxInt = Field(None, alias="DEVDETAILS")
    name: LaxStr = Field(None, alias="Name")
    id: LaxInt = Field(None, alias="ID")
    proc_id: LaxInt = Field(None, alias="ProcID")
    processors: LaxInt = Field(None, alias="Processors")
    driver: LaxStr = Field(None, alias="Driver")
    kernel: LaxStr = Field(None, alias="Kernel")
    model: LaxStr = Field(None, alias="Model")
    manufacturer: LaxStr = Field(None, alias="Manufacturer")
    product: LaxStr = Field(None, alias="Product")
    serial: LaxStr = Field(None, alias="Serial")
    device_path: LaxStr = Field(None, alias="Device Path")
    target_temperature: LaxInt = Field(None, alias="Target Temperature")
    cutoff_temperature: LaxInt = Field(None, alias="Cutoff Temperature")
