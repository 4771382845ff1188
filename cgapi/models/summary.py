"""Model of the ``summary`` reply (section ``SUMMARY``)."""

from pydantic import AliasChoices, Field

from .base import HashrateModel, LaxFloat, LaxInt, LaxStr

__all__ = ("Summary",)


class Summary(HashrateModel):
    """Miner-wide totals from ``summary`` (cgminer, sgminer, bfgminer and vendor forks)."""

    elapsed: LaxInt = Field(None, alias="Elapsed")
    algorithm: LaxStr = Field(None, alias="Algorithm")
    mhs_av: LaxFloat = Field(None, alias="MHS av")
    mhs_5s: LaxFloat = Field(None, alias="MHS 5s")
    mhs_1m: LaxFloat = Field(None, alias="MHS 1m")
    mhs_5m: LaxFloat = Field(None, alias="MHS 5m")
    mhs_15m: LaxFloat = Field(None, alias="MHS 15m")
    khs_av: LaxFloat = Field(None, alias="KHS av")
    ghs_av: LaxFloat = Field(None, alias="GHS av")
    ghs_5s: LaxFloat = Field(None, alias="GHS 5s")
    found_blocks: LaxInt = Field(None, alias="Found Blocks")
    # Antminer S19j Pro text API spells it "Getwork".
    getworks: LaxInt = Field(
        None, alias="Getworks", validation_alias=AliasChoices("Getworks", "Getwork")
    )
    accepted: LaxInt = Field(None, alias="Accepted")
    rejected: LaxInt = Field(None, alias="Rejected")
    hardware_errors: LaxInt = Field(None, alias="Hardware Errors")
    utility: LaxFloat = Field(None, alias="Utility")
    discarded: LaxInt = Field(None, alias="Discarded")
    stale: LaxInt = Field(None, alias="Stale")
    get_failures: LaxInt = Field(None, alias="Get Failures")
    local_work: LaxInt = Field(None, alias="Local Work")
    remote_failures: LaxInt = Field(None, alias="Remote Failures")
    network_blocks: LaxInt = Field(None, alias="Network Blocks")
    total_mh: LaxFloat = Field(None, alias="Total MH")
    diff1_work: LaxFloat = Field(None, alias="Diff1 Work")
    work_utility: LaxFloat = Field(None, alias="Work Utility")
    difficulty_accepted: LaxFloat = Field(None, alias="Difficulty Accepted")
    difficulty_rejected: LaxFloat = Field(None, alias="Difficulty Rejected")
    difficulty_stale: LaxFloat = Field(None, alias="Difficulty Stale")
    best_share: LaxFloat = Field(None, alias="Best Share")
    device_hardware_percent: LaxFloat = Field(None, alias="Device Hardware%")
    device_rejected_percent: LaxFloat = Field(None, alias="Device Rejected%")
    pool_rejected_percent: LaxFloat = Field(None, alias="Pool Rejected%")
    pool_stale_percent: LaxFloat = Field(
        None, alias="Pool Stale%", validation_alias=AliasChoices("Pool Stale%", "Pool Stale%%")
    )
    last_getwork: LaxInt = Field(None, alias="Last getwork")
