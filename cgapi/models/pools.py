"""Model of the ``pools`` reply (section ``POOLS``, records ``POOL=n``)."""

from pydantic import AliasChoices, Field

from .base import IntOrStr, LaxBool, LaxFloat, LaxInt, LaxStr, MinerModel, YesNo

__all__ = ("Pool",)


class Pool(MinerModel):
    """One configured pool; ``index`` is the ``POOL`` number (removed pools leave gaps)."""

    index: LaxInt = Field(None, alias="POOL")
    name: LaxStr = Field(None, alias="Name")
    url: LaxStr = Field(None, alias="URL")
    profile: LaxStr = Field(None, alias="Profile")
    algorithm: LaxStr = Field(None, alias="Algorithm")
    algorithm_type: LaxStr = Field(None, alias="Algorithm Type")
    algorithm_nfactor: LaxInt = Field(None, alias="Algorithm NFactor")
    description: LaxStr = Field(None, alias="Description")
    status: LaxStr = Field(None, alias="Status")
    priority: LaxInt = Field(None, alias="Priority")
    quota: LaxInt = Field(None, alias="Quota")
    mining_goal: LaxStr = Field(None, alias="Mining Goal")
    long_poll: YesNo = Field(None, alias="Long Poll")
    getworks: LaxInt = Field(None, alias="Getworks")
    accepted: LaxInt = Field(None, alias="Accepted")
    rejected: LaxInt = Field(None, alias="Rejected")
    works: LaxInt = Field(None, alias="Works")
    discarded: LaxInt = Field(None, alias="Discarded")
    stale: LaxInt = Field(None, alias="Stale")
    get_failures: LaxInt = Field(None, alias="Get Failures")
    remote_failures: LaxInt = Field(None, alias="Remote Failures")
    user: LaxStr = Field(None, alias="User")
    # A unix time, but "0:00:34" (time since the share) on the Antminer S19j Pro.
    last_share_time: IntOrStr = Field(None, alias="Last Share Time")
    diff1_shares: LaxFloat = Field(None, alias="Diff1 Shares")
    proxy_type: LaxStr = Field(None, alias="Proxy Type")
    proxy: LaxStr = Field(None, alias="Proxy")
    difficulty_accepted: LaxFloat = Field(None, alias="Difficulty Accepted")
    difficulty_rejected: LaxFloat = Field(None, alias="Difficulty Rejected")
    difficulty_stale: LaxFloat = Field(None, alias="Difficulty Stale")
    last_share_difficulty: LaxFloat = Field(None, alias="Last Share Difficulty")
    work_difficulty: LaxFloat = Field(None, alias="Work Difficulty")
    has_stratum: LaxBool = Field(None, alias="Has Stratum")
    stratum_active: LaxBool = Field(None, alias="Stratum Active")
    stratum_url: LaxStr = Field(None, alias="Stratum URL")
    stratum_difficulty: LaxFloat = Field(None, alias="Stratum Difficulty")
    has_vmask: LaxBool = Field(None, alias="Has Vmask")
    has_gbt: LaxBool = Field(None, alias="Has GBT")
    best_share: LaxFloat = Field(None, alias="Best Share")
    message: LaxStr = Field(None, alias="Message")
    pool_rejected_percent: LaxFloat = Field(None, alias="Pool Rejected%")
    # "Pool Stale%%": Antminer S19j Pro text pools.
    pool_stale_percent: LaxFloat = Field(
        None, alias="Pool Stale%", validation_alias=AliasChoices("Pool Stale%", "Pool Stale%%")
    )
    bad_work: LaxInt = Field(None, alias="Bad Work")
    current_block_height: LaxInt = Field(None, alias="Current Block Height")
    current_block_version: LaxInt = Field(None, alias="Current Block Version")
