"""Per-miner field tables of the report sections, and where each reply puts them.

The tables are the ``api_add_*()`` call sequences of each report function
(FIELDS.md sections 3-17), re-checked against the code:

* cgminer 4.11.1 ``api.c`` (copy ``0free/cgminer@06483cbd``): ``apiversion()``,
  ``minerconfig()`` (Hotplug: ``Disabled``/INT on USB builds, CONST ``None``
  without USB), ``summary()`` (cg L2610-2651), ``ascstatus()`` /
  ``pgastatus()`` (``Frequency`` only in PGA records, ``No Device`` only on USB
  builds), ``poolstatus()`` (cg L2504), ``devdetails()``, ``notifystatus()``,
  ``itemstats()`` (pool part only for pool records, ``USB Pipe``/``USB
  Delay``/``USB tmo`` only for devices on USB builds), ``minecoin()``,
  ``checkcommand()``, ``debugstate()``, ``lcddata()``.  ``usbstats`` rows come
  from ``usbutils.c api_usb_stats()`` (taken from FIELDS.md, not re-read).
* sgminer 5.x (nicehash/sgminer@18bed148 ``api.c`` and ``config_parser.c``
  ``api_profile_list()``): ``gpustatus()``, ``poolstatus()`` (``Name`` and
  ``Description`` are unescaped STRINGs), ``summary()`` with ``KHS``.
* bfgminer 5.x (luke-jr/bfgminer@c6e7c912): ``devstatus_an()``,
  ``devdetail_an()``, ``poolstatus()``, ``summary()``, ``notifystatus()``,
  ``minecoin()`` (``Current Block Time`` is an integer TIME).
* bmminer (bitmaintech/bmminer-mix@9ad5588b ``minerstats()`` /
  ``itemstats()``): ``stats`` starts with a version object (``BMMiner``,
  ``Miner``, ``CompileTime``, ``Type``) and device records carry ``GHS 5s``
  (a STRING on ``USE_BITMAIN_C5`` builds such as the S9) and ``GHS av``; there
  are no pool records.  Other bmminer sections reuse the cgminer tables.

Field names containing ``%d`` (``MHS %ds``, ``KHS %ds``) are built with
``sprintf(mhsname, "MHS %ds", opt_log_interval)`` (cg L2629, NOTES 20).

``reply_section()`` says under which JSON key / text label a command's data
goes and how records are separated (the C ``precom`` argument of
``print_data()``):

* ``position``: ``isjson && n > 0`` for the n-th printed record;
* ``index``: ``isjson && i > 0`` where ``i`` is the loop index printed as the
  record's first field - cg/sg/bfg ``poolstatus()`` skip removed pools but
  still test the pool index, so with pool 0 removed the JSON array starts
  ``[,{`` (invalid JSON);
* ``ungated``: ``i > n`` without the ``isjson`` test - bfg ``devscan()``, whose
  text reply also carries a bare ``DEVS,`` label;
* ``never``: bfg ``minecoin()`` passes a ``precom`` that stays false, each goal
  being its own ``"COIN<id>":[...]`` section;
* ``bmminer_stats``: the version object is printed with ``precom`` false and
  ``STATS=0`` too, so JSON has ``}{`` with no comma between them.

JSON key quirks (NOTES 21): sg ``profiles`` answers under ``POOLS`` (sg api.h
``JSON_PROFILES``), bfg ``devdetails``/``procdetails``/``devscan`` under
``DEVS`` (bfg L1611/L1625), cg ``dbgstats``/``estats`` under ``STATS`` (cg
L3373/L3417), bfg ``coin`` under ``COIN`` and ``COIN<goal id>`` (bfg L3087).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from .types import ApiType, Personality

__all__ = (
    "CommaRule",
    "FieldSpec",
    "ReplySection",
    "field_names",
    "reply_section",
    "section_fields",
    "section_names",
)

_E = ApiType


class FieldSpec(NamedTuple):
    """One ``api_add_*()`` call of a report section."""

    name: str
    type: ApiType
    optional: bool = False
    """Only emitted under some condition (see ``note``)."""
    templated: bool = False
    """``name`` contains ``%d``, filled with the ``--log`` interval."""
    note: str = ""


def _f(name: str, api_type: ApiType, note: str = "") -> FieldSpec:
    return FieldSpec(name, api_type, False, "%d" in name, note)


def _o(name: str, api_type: ApiType, note: str) -> FieldSpec:
    return FieldSpec(name, api_type, True, "%d" in name, note)


_COUNTERS = tuple(
    _f(name, _E.INT)
    for name in (
        "*Thread Fail Init",
        "*Thread Zero Hash",
        "*Thread Fail Queue",
        "*Dev Sick Idle 60s",
        "*Dev Dead Idle 600s",
        "*Dev Nostart",
        "*Dev Over Heat",
        "*Dev Thermal Cutoff",
        "*Dev Comms Error",
        "*Dev Throttle",
    )
)

_STATS_COMMON = (
    _f("STATS", _E.INT),
    _f("ID", _E.STRING),
    _f("Elapsed", _E.ELAPSED),
    _f("Calls", _E.UINT32),
    _f("Wait", _E.TIMEVAL),
    _f("Max", _E.TIMEVAL),
    _f("Min", _E.TIMEVAL),
)

_STATS_POOL = (
    _f("Pool Calls", _E.UINT32),
    _f("Pool Attempts", _E.UINT32),
    _f("Pool Wait", _E.TIMEVAL),
    _f("Pool Max", _E.TIMEVAL),
    _f("Pool Min", _E.TIMEVAL),
    _f("Pool Av", _E.DOUBLE),
    _f("Work Had Roll Time", _E.BOOL),
    _f("Work Can Roll", _E.BOOL),
    _f("Work Had Expire", _E.BOOL),
    _f("Work Roll Time", _E.UINT32),
    _f("Work Diff", _E.DIFF),
    _f("Min Diff", _E.DIFF),
    _f("Max Diff", _E.DIFF),
    _f("Min Diff Count", _E.UINT32),
    _f("Max Diff Count", _E.UINT32),
    _f("Times Sent", _E.UINT64),
    _f("Bytes Sent", _E.UINT64),
    _f("Times Recv", _E.UINT64),
    _f("Bytes Recv", _E.UINT64),
    _f("Net Bytes Sent", _E.UINT64),
    _f("Net Bytes Recv", _E.UINT64),
)

_CHECK = (_f("Exists", _E.CONST), _f("Access", _E.CONST))

_DEBUG = tuple(
    _f(name, _E.BOOL)
    for name in ("Silent", "Quiet", "Verbose", "Debug", "RPCProto", "PerDevice", "WorkTime")
)

_COUNTS = (_f("Count", _E.INT),)

_PERCENTS_DEV = (_f("Device Hardware%", _E.PERCENT), _f("Device Rejected%", _E.PERCENT))
_PERCENTS_POOL = (_f("Pool Rejected%", _E.PERCENT), _f("Pool Stale%", _E.PERCENT))


def _cg_device(first: str) -> tuple[FieldSpec, ...]:
    rows = [
        _f(first, _E.INT),
        _f("Name", _E.STRING),
        _f("ID", _E.INT),
        _f("Enabled", _E.STRING),
        _f("Status", _E.STRING),
        _f("Temperature", _E.TEMP),
        _f("MHS av", _E.MHS),
        _f("MHS %ds", _E.MHS),
        _f("MHS 1m", _E.MHS),
        _f("MHS 5m", _E.MHS),
        _f("MHS 15m", _E.MHS),
        _f("Accepted", _E.INT),
        _f("Rejected", _E.INT),
        _f("Hardware Errors", _E.INT),
        _f("Utility", _E.UTILITY),
        _f("Last Share Pool", _E.INT, "-1 when no share yet"),
        _f("Last Share Time", _E.TIME),
        _f("Total MH", _E.MHTOTAL),
    ]
    if first == "PGA":
        rows.append(_f("Frequency", _E.FREQ))
    rows += [
        _f("Diff1 Work", _E.INT64),
        _f("Difficulty Accepted", _E.DIFF),
        _f("Difficulty Rejected", _E.DIFF),
        _f("Last Share Difficulty", _E.DIFF),
        _o("No Device", _E.BOOL, "USB builds only"),
        _f("Last Valid Work", _E.TIME),
        *_PERCENTS_DEV,
        _f("Device Elapsed", _E.ELAPSED),
    ]
    return tuple(rows)


_CG: dict[str, tuple[FieldSpec, ...]] = {
    "version": (_f("CGMiner", _E.STRING), _f("API", _E.CONST)),
    "config": (
        _f("ASC Count", _E.INT),
        _f("PGA Count", _E.INT),
        _f("Pool Count", _E.INT),
        _f("Strategy", _E.CONST),
        _f("Log Interval", _E.INT),
        _f("Device Code", _E.CONST, "driver codes, each followed by a space"),
        _f("OS", _E.CONST),
        _f("Hotplug", _E.CONST, "USB builds: CONST 'Disabled' or INT seconds; else 'None'"),
    ),
    "summary": (
        _f("Elapsed", _E.ELAPSED),
        _f("MHS av", _E.MHS),
        _f("MHS %ds", _E.MHS),
        _f("MHS 1m", _E.MHS),
        _f("MHS 5m", _E.MHS),
        _f("MHS 15m", _E.MHS),
        _f("Found Blocks", _E.UINT),
        _f("Getworks", _E.INT64),
        _f("Accepted", _E.INT64),
        _f("Rejected", _E.INT64),
        _f("Hardware Errors", _E.INT),
        _f("Utility", _E.UTILITY),
        _f("Discarded", _E.INT64),
        _f("Stale", _E.INT64),
        _f("Get Failures", _E.UINT),
        _f("Local Work", _E.UINT),
        _f("Remote Failures", _E.UINT),
        _f("Network Blocks", _E.UINT),
        _f("Total MH", _E.MHTOTAL),
        _f("Work Utility", _E.UTILITY),
        _f("Difficulty Accepted", _E.DIFF),
        _f("Difficulty Rejected", _E.DIFF),
        _f("Difficulty Stale", _E.DIFF),
        _f("Best Share", _E.UINT64),
        *_PERCENTS_DEV,
        *_PERCENTS_POOL,
        _f("Last getwork", _E.TIME),
    ),
    "asc": _cg_device("ASC"),
    "pga": _cg_device("PGA"),
    "pools": (
        _f("POOL", _E.INT),
        _f("URL", _E.ESCAPE),
        _f("Status", _E.STRING),
        _f("Priority", _E.INT),
        _f("Quota", _E.INT),
        _f("Long Poll", _E.STRING),
        _f("Getworks", _E.UINT),
        _f("Accepted", _E.INT64),
        _f("Rejected", _E.INT64),
        _f("Works", _E.INT),
        _f("Discarded", _E.UINT),
        _f("Stale", _E.UINT),
        _f("Get Failures", _E.UINT),
        _f("Remote Failures", _E.UINT),
        _f("User", _E.ESCAPE),
        _f("Last Share Time", _E.TIME),
        _f("Diff1 Shares", _E.INT64),
        _f("Proxy Type", _E.CONST, "'' when no proxy"),
        _f("Proxy", _E.ESCAPE, "CONST '' when no proxy"),
        _f("Difficulty Accepted", _E.DIFF),
        _f("Difficulty Rejected", _E.DIFF),
        _f("Difficulty Stale", _E.DIFF),
        _f("Last Share Difficulty", _E.DIFF),
        _f("Work Difficulty", _E.DIFF),
        _f("Has Stratum", _E.BOOL),
        _f("Stratum Active", _E.BOOL),
        _f("Stratum URL", _E.ESCAPE, "CONST '' when stratum is not active"),
        _f("Stratum Difficulty", _E.DIFF, "0 when stratum is not active"),
        _f("Has Vmask", _E.BOOL),
        _f("Has GBT", _E.BOOL),
        _f("Best Share", _E.UINT64),
        *_PERCENTS_POOL,
        _f("Bad Work", _E.UINT64),
        _f("Current Block Height", _E.UINT32),
        _f("Current Block Version", _E.UINT32),
    ),
    "devdetails": (
        _f("DEVDETAILS", _E.INT),
        _f("Name", _E.STRING),
        _f("ID", _E.INT),
        _f("Driver", _E.STRING),
        _f("Kernel", _E.CONST),
        _f("Model", _E.CONST),
        _f("Device Path", _E.CONST),
    ),
    "notify": (
        _f("NOTIFY", _E.INT),
        _f("Name", _E.STRING),
        _f("ID", _E.INT),
        _f("Last Well", _E.TIME),
        _f("Last Not Well", _E.TIME),
        _f("Reason Not Well", _E.STRING),
        *_COUNTERS,
    ),
    "stats": (
        *_STATS_COMMON,
        _o("USB Pipe", _E.STRING, "USB builds, device records, after driver extras"),
        _o("USB Delay", _E.STRING, "USB builds, device records"),
        _o("USB tmo", _E.STRING, "USB builds, device records"),
    ),
    "stats_pool": (*_STATS_COMMON, *_STATS_POOL),
    "coin": (
        _f("Hash Method", _E.CONST),
        _f("Current Block Time", _E.TIMEVAL),
        _f("Current Block Hash", _E.STRING),
        _f("LP", _E.BOOL),
        _f("Network Difficulty", _E.DIFF),
    ),
    "check": _CHECK,
    "debug": _DEBUG,
    "counts": _COUNTS,
    "lcd": (
        _f("Elapsed", _E.ELAPSED),
        _f("GHS av", _E.MHS),
        _f("GHS 5m", _E.MHS),
        _f("GHS 5s", _E.MHS),
        _f("Temperature", _E.TEMP),
        _f("Last Share Difficulty", _E.DIFF),
        _f("Last Share Time", _E.TIME),
        _f("Best Share", _E.UINT64),
        _f("Last Valid Work", _E.TIME),
        _f("Found Blocks", _E.UINT),
        _f("Current Pool", _E.ESCAPE, "'none' without a pool"),
        _f("User", _E.ESCAPE),
    ),
    "usbstats": (
        _f("Name", _E.STRING),
        _f("ID", _E.INT),
        _f("Stat", _E.CONST),
        _f("Seq", _E.INT),
        _f("Modes", _E.STRING),
        _f("Count", _E.UINT64),
        _f("Total Delay", _E.DOUBLE),
        _f("Min Delay", _E.DOUBLE),
        _f("Max Delay", _E.DOUBLE),
        _f("Timeout Count", _E.UINT64),
        _f("Timeout Total Delay", _E.DOUBLE),
        _f("Timeout Min Delay", _E.DOUBLE),
        _f("Timeout Max Delay", _E.DOUBLE),
        _f("Error Count", _E.UINT64),
        _f("Error Total Delay", _E.DOUBLE),
        _f("Error Min Delay", _E.DOUBLE),
        _f("Error Max Delay", _E.DOUBLE),
        _f("First Command", _E.TIMEVAL),
        _f("Last Command", _E.TIMEVAL),
    ),
}

_SG: dict[str, tuple[FieldSpec, ...]] = {
    "version": (
        _f("Miner", _E.STRING, "PACKAGE ' ' VERSION, e.g. 'sgminer 5.1.1'"),
        _f("CGMiner", _E.STRING, "nicehash/sgminer names this field 'SGMiner'"),
        _f("API", _E.CONST),
    ),
    "config": (
        _f("GPU Count", _E.INT),
        _f("Pool Count", _E.INT),
        _f("ADL", _E.CONST),
        _f("ADL in use", _E.STRING),
        _f("Strategy", _E.CONST),
        _f("Rotate Period", _E.INT),
        _f("Log Interval", _E.INT),
        _f("Device Code", _E.CONST, "'GPU '"),
        _f("OS", _E.CONST),
        _f("Failover-Only", _E.BOOL),
        _f("Failover Switch Delay", _E.INT),
        _f("ScanTime", _E.INT),
        _f("Queue", _E.INT),
        _f("Expiry", _E.INT),
    ),
    "summary": (
        _f("Elapsed", _E.ELAPSED),
        _f("MHS av", _E.MHS),
        _f("MHS %ds", _E.MHS),
        _f("KHS av", _E.KHS),
        _f("KHS %ds", _E.KHS),
        _f("Found Blocks", _E.UINT),
        _f("Getworks", _E.INT),
        _f("Accepted", _E.INT),
        _f("Rejected", _E.INT),
        _f("Hardware Errors", _E.INT),
        _f("Utility", _E.UTILITY),
        _f("Discarded", _E.INT),
        _f("Stale", _E.INT),
        _f("Get Failures", _E.UINT),
        _f("Local Work", _E.UINT),
        _f("Remote Failures", _E.UINT),
        _f("Network Blocks", _E.UINT),
        _f("Total MH", _E.MHTOTAL),
        _f("Work Utility", _E.UTILITY),
        _f("Difficulty Accepted", _E.DIFF),
        _f("Difficulty Rejected", _E.DIFF),
        _f("Difficulty Stale", _E.DIFF),
        _f("Best Share", _E.DOUBLE),
        *_PERCENTS_DEV,
        *_PERCENTS_POOL,
        _f("Last getwork", _E.TIME),
    ),
    "gpu": (
        _f("GPU", _E.INT),
        _f("Enabled", _E.STRING),
        _f("Status", _E.STRING),
        _f("Temperature", _E.TEMP),
        _f("Fan Speed", _E.INT),
        _f("Fan Percent", _E.INT),
        _f("GPU Clock", _E.INT),
        _f("Memory Clock", _E.INT),
        _f("GPU Voltage", _E.VOLTS),
        _f("GPU Activity", _E.INT),
        _f("Powertune", _E.INT),
        _f("MHS av", _E.MHS),
        _f("MHS %ds", _E.MHS),
        _f("KHS av", _E.KHS),
        _f("KHS %ds", _E.KHS),
        _f("Accepted", _E.INT),
        _f("Rejected", _E.INT),
        _f("Hardware Errors", _E.INT),
        _f("Utility", _E.UTILITY),
        _f("Intensity", _E.STRING, "'D' or the number"),
        _f("XIntensity", _E.INT),
        _f("RawIntensity", _E.INT),
        _f("Last Share Pool", _E.INT, "-1 when no share yet"),
        _f("Last Share Time", _E.TIME),
        _f("Total MH", _E.MHTOTAL),
        _f("Diff1 Work", _E.DOUBLE),
        _f("Difficulty Accepted", _E.DIFF),
        _f("Difficulty Rejected", _E.DIFF),
        _f("Last Share Difficulty", _E.DIFF),
        _f("Last Valid Work", _E.TIME),
        *_PERCENTS_DEV,
        _f("Device Elapsed", _E.ELAPSED),
    ),
    "pools": (
        _f("POOL", _E.INT),
        _f("Name", _E.STRING, "user text, not escaped"),
        _f("URL", _E.ESCAPE),
        _f("Profile", _E.ESCAPE),
        _f("Algorithm", _E.ESCAPE),
        _f("Algorithm Type", _E.ESCAPE),
        _o("Algorithm NFactor", _E.INT, "nscrypt pools only"),
        _f("Description", _E.STRING, "user text, not escaped"),
        _f("Status", _E.STRING),
        _f("Priority", _E.INT),
        _f("Quota", _E.INT),
        _f("Long Poll", _E.STRING),
        _f("Getworks", _E.UINT),
        _f("Accepted", _E.INT),
        _f("Rejected", _E.INT),
        _f("Works", _E.INT),
        _f("Discarded", _E.UINT),
        _f("Stale", _E.UINT),
        _f("Get Failures", _E.UINT),
        _f("Remote Failures", _E.UINT),
        _f("User", _E.ESCAPE),
        _f("Last Share Time", _E.TIME),
        _f("Diff1 Shares", _E.DOUBLE),
        _f("Proxy Type", _E.CONST, "'' when no proxy"),
        _f("Proxy", _E.ESCAPE, "CONST '' when no proxy"),
        _f("Difficulty Accepted", _E.DIFF),
        _f("Difficulty Rejected", _E.DIFF),
        _f("Difficulty Stale", _E.DIFF),
        _f("Last Share Difficulty", _E.DIFF),
        _f("Has Stratum", _E.BOOL),
        _f("Stratum Active", _E.BOOL),
        _f("Stratum URL", _E.ESCAPE, "CONST '' when stratum is not active"),
        _f("Has GBT", _E.BOOL),
        _f("Best Share", _E.DOUBLE),
        *_PERCENTS_POOL,
    ),
    "devdetails": (
        _f("DEVDETAILS", _E.INT),
        _f("Name", _E.STRING),
        _f("ID", _E.INT),
        _f("Driver", _E.STRING),
        _f("Kernel", _E.CONST, "algorithm name"),
        _f("Model", _E.CONST),
        _f("Device Path", _E.CONST),
    ),
    "notify": _CG["notify"],
    "stats": _STATS_COMMON,
    "stats_pool": (*_STATS_COMMON, *_STATS_POOL),
    "coin": (
        _f("Hash Method", _E.STRING, "algorithm of device 0"),
        _f("Current Block Time", _E.TIMEVAL),
        _f("Current Block Hash", _E.STRING),
        _f("LP", _E.BOOL),
        _f("Network Difficulty", _E.DIFF),
    ),
    "check": _CHECK,
    "debug": _DEBUG,
    "counts": _COUNTS,
    "profiles": (
        _f("PROFILE", _E.INT),
        _f("Name", _E.ESCAPE),
        _f("IsDefault", _E.BOOL),
        _f("Algorithm", _E.ESCAPE),
        _f("Algorithm Type", _E.ESCAPE),
        _o("Algorithm NFactor", _E.INT, "nscrypt profiles only"),
        *(
            _f(name, _E.ESCAPE, "'' when unset")
            for name in (
                "LookupGap",
                "Devices",
                "Intensity",
                "XIntensity",
                "RawIntensity",
                "Gpu Engine",
                "Gpu MemClock",
                "Gpu Threads",
                "Gpu Fan%",
                "Gpu Powertune%",
                "Gpu Vddc",
                "Shaders",
                "Thread Concurrency",
                "Worksize",
            )
        ),
    ),
}

_BFG: dict[str, tuple[FieldSpec, ...]] = {
    "version": (
        _f("Miner", _E.STRING, "e.g. 'bfgminer 5.5.0'"),
        _f("CGMiner", _E.STRING, "the bfgminer version"),
        _f("API", _E.CONST),
    ),
    "config": (
        _f("PGA Count", _E.INT),
        _f("Pool Count", _E.INT),
        _f("ADL", _E.CONST),
        _f("ADL in use", _E.STRING),
        _f("Strategy", _E.CONST),
        _o("Rotate Period", _E.INT, "FIELDS.md: only with strategy Rotate; not in c6e7c912"),
        _f("Log Interval", _E.INT),
        _f("Device Code", _E.CONST, "space separated, no trailing space"),
        _f("OS", _E.CONST),
        _f("Failover-Only", _E.BOOL),
        _f("ScanTime", _E.INT),
        _f("Queue", _E.INT),
        _f("Expiry", _E.INT),
        _o("Coinbase-Sig", _E.STRING, "BLKMAKER_VERSION > 0"),
        _o("ConfigFile0", _E.STRING, "one ConfigFile<n> per loaded config file"),
    ),
    "summary": (
        _f("Elapsed", _E.ELAPSED),
        _o("Algorithm", _E.STRING, "CPU-mining builds with CPU threads"),
        _f("MHS av", _E.MHS),
        _f("MHS %ds", _E.MHS),
        _f("Found Blocks", _E.UINT),
        _f("Getworks", _E.INT),
        _f("Accepted", _E.INT),
        _f("Rejected", _E.INT),
        _f("Hardware Errors", _E.INT),
        _f("Utility", _E.UTILITY),
        _f("Discarded", _E.INT),
        _f("Stale", _E.INT),
        _f("Get Failures", _E.UINT),
        _f("Local Work", _E.UINT),
        _f("Remote Failures", _E.UINT),
        _f("Network Blocks", _E.UINT),
        _f("Total MH", _E.MHTOTAL),
        _f("Diff1 Work", _E.DIFF),
        _f("Work Utility", _E.UTILITY),
        _f("Difficulty Accepted", _E.DIFF),
        _f("Difficulty Rejected", _E.DIFF),
        _f("Difficulty Stale", _E.DIFF),
        _f("Best Share", _E.DIFF),
        *_PERCENTS_DEV,
        *_PERCENTS_POOL,
        _f("Last getwork", _E.TIME),
    ),
    "pga": (
        _f("PGA", _E.INT),
        _f("Name", _E.STRING),
        _f("ID", _E.INT),
        _o("ProcID", _E.INT, "proc* commands"),
        _f("Enabled", _E.STRING),
        _f("Status", _E.STRING),
        _o("Temperature", _E.TEMP, "only when > 0"),
        _f("Device Elapsed", _E.ELAPSED),
        _f("MHS av", _E.MHS),
        _f("MHS %ds", _E.MHS),
        _f("MHS rolling", _E.MHS),
        _f("Accepted", _E.INT),
        _f("Rejected", _E.INT),
        _f("Hardware Errors", _E.INT),
        _f("Utility", _E.UTILITY),
        _f("Stale", _E.INT),
        _o("Last Share Pool", _E.INT, "only when a share was found"),
        _o("Last Share Time", _E.TIME, "only when a share was found"),
        _f("Total MH", _E.MHTOTAL),
        _f("Diff1 Work", _E.DIFF),
        _f("Work Utility", _E.UTILITY),
        _f("Difficulty Accepted", _E.DIFF),
        _f("Difficulty Rejected", _E.DIFF),
        _f("Difficulty Stale", _E.DIFF),
        _o("Last Share Difficulty", _E.DIFF, "only when > 0"),
        _o("Last Valid Work", _E.TIME, "only when known"),
        *_PERCENTS_DEV,
    ),
    "pools": (
        _f("POOL", _E.INT),
        _f("URL", _E.ESCAPE),
        _f("Status", _E.STRING),
        _f("Priority", _E.INT),
        _f("Quota", _E.INT),
        _f("Mining Goal", _E.STRING),
        _f("Long Poll", _E.STRING),
        _f("Getworks", _E.UINT),
        _f("Accepted", _E.INT),
        _f("Rejected", _E.INT),
        _f("Works", _E.INT),
        _f("Discarded", _E.UINT),
        _f("Stale", _E.UINT),
        _f("Get Failures", _E.UINT),
        _f("Remote Failures", _E.UINT),
        _f("User", _E.ESCAPE),
        _f("Last Share Time", _E.TIME),
        _f("Diff1 Shares", _E.DIFF),
        _f("Proxy", _E.ESCAPE, "CONST '' when no proxy"),
        _f("Difficulty Accepted", _E.DIFF),
        _f("Difficulty Rejected", _E.DIFF),
        _f("Difficulty Stale", _E.DIFF),
        _f("Last Share Difficulty", _E.DIFF),
        _f("Has Stratum", _E.BOOL),
        _f("Stratum Active", _E.BOOL),
        _f("Stratum URL", _E.ESCAPE, "CONST '' when stratum is not active"),
        _f("Best Share", _E.DIFF),
        _o("Message", _E.ESCAPE, "pool admin message, when set"),
        *_PERCENTS_POOL,
    ),
    "devdetails": (
        _f("DEVDETAILS", _E.INT),
        _f("Name", _E.STRING),
        _f("ID", _E.INT),
        _o("ProcID", _E.INT, "procdetails"),
        _o("Processors", _E.INT, "devdetails (not per processor)"),
        _f("Driver", _E.STRING),
        _o("Kernel", _E.STRING, "when known"),
        _o("Model", _E.STRING, "when known"),
        _o("Manufacturer", _E.STRING, "when known"),
        _o("Product", _E.STRING, "when known"),
        _o("Serial", _E.STRING, "when known"),
        _o("Device Path", _E.STRING, "when known"),
        _f("Target Temperature", _E.INT),
        _f("Cutoff Temperature", _E.INT),
    ),
    "notify": (
        _f("NOTIFY", _E.INT),
        _f("Name", _E.STRING),
        _f("ID", _E.INT),
        _o("ProcID", _E.INT, "procnotify"),
        _o("Last Well", _E.TIME, "procnotify only"),
        _f("Last Not Well", _E.TIME),
        _f("Reason Not Well", _E.STRING),
        *_COUNTERS,
    ),
    "stats": _STATS_COMMON,
    "stats_pool": (*_STATS_COMMON, *_STATS_POOL),
    "coin": (
        _f("Hash Method", _E.CONST),
        _f("Current Block Time", _E.TIME),
        _f("Current Block Hash", _E.STRING),
        _f("LP", _E.BOOL),
        _f("Network Difficulty", _E.DIFF),
        _f("Difficulty Accepted", _E.DIFF),
    ),
    "check": _CHECK,
    "debug": _DEBUG,
    "counts": _COUNTS,
}

_BM: dict[str, tuple[FieldSpec, ...]] = {
    **_CG,
    "version": (
        _f("BMMiner", _E.STRING),
        _f("API", _E.CONST),
        _f("Miner", _E.STRING),
        _f("CompileTime", _E.STRING),
        _f("Type", _E.STRING),
    ),
    "stats_version": (
        _f("BMMiner", _E.STRING),
        _f("Miner", _E.STRING),
        _f("CompileTime", _E.STRING),
        _f("Type", _E.STRING),
    ),
    "stats": (
        *_STATS_COMMON,
        _f("GHS 5s", _E.STRING, "API_MHS unless USE_BITMAIN_C5 (S9: a STRING)"),
        _f("GHS av", _E.MHS),
    ),
}
del _BM["stats_pool"]  # bmminer-mix minerstats() prints no pool records

_TABLES: dict[Personality, dict[str, tuple[FieldSpec, ...]]] = {
    "cgminer": _CG,
    "sgminer": _SG,
    "bfgminer": _BFG,
    "bmminer": _BM,
}

# "devs" means the per-miner device record.
_ALIASES: dict[Personality, dict[str, str]] = {
    "cgminer": {"devs": "asc"},
    "bmminer": {"devs": "asc"},
    "sgminer": {"devs": "gpu"},
    "bfgminer": {"devs": "pga"},
}


def section_names(personality: Personality) -> tuple[str, ...]:
    """The section tables known for ``personality`` (plus the alias ``devs``)."""
    return (*_TABLES[personality], *_ALIASES[personality])


def section_fields(personality: Personality, section: str) -> tuple[FieldSpec, ...]:
    """The ordered ``api_add_*()`` calls of ``section`` (names not yet templated)."""
    section = _ALIASES[personality].get(section, section)
    try:
        return _TABLES[personality][section]
    except KeyError:
        raise KeyError(f"{personality} has no section {section!r}") from None


def field_names(
    personality: Personality,
    section: str,
    log_interval: int = 5,
    *,
    optional: bool = True,
) -> list[tuple[str, ApiType]]:
    """Ordered ``(name, ApiType)`` of ``section``; ``MHS %ds`` built from ``log_interval``.

    ``optional=False`` drops the fields a miner only emits under some condition.
    """
    return [
        (spec.name.replace("%d", str(log_interval)) if spec.templated else spec.name, spec.type)
        for spec in section_fields(personality, section)
        if optional or not spec.optional
    ]


CommaRule = Literal["position", "index", "ungated", "never", "bmminer_stats"]


class ReplySection(NamedTuple):
    """Where a command's records go in its reply."""

    key: str
    """JSON key (``"DEVS"`` in ``,"DEVS":[...]``)."""
    label: str | None
    """Bare text label written before the records (``SUMMARY,``), or ``None``."""
    commas: CommaRule = "position"
    multi_key: bool = False
    """bfg ``coin``: one single-object section per mining goal (``COIN``, ``COIN<id>``)."""


def _single(key: str) -> ReplySection:
    return ReplySection(key, key)


def _listed(key: str, commas: CommaRule = "position") -> ReplySection:
    return ReplySection(key, None, commas)


_COMMON_SECTIONS: dict[str, ReplySection] = {
    "version": _single("VERSION"),
    "config": _single("CONFIG"),
    "summary": _single("SUMMARY"),
    "devs": _listed("DEVS"),
    "pools": _listed("POOLS", "index"),
    "notify": _listed("NOTIFY", "index"),
    "devdetails": _listed("DEVDETAILS", "index"),
    "stats": _listed("STATS", "index"),
    "coin": _single("COIN"),
    "check": _single("CHECK"),
    "debug": _single("DEBUG"),
}

_CG_SECTIONS: dict[str, ReplySection] = {
    **_COMMON_SECTIONS,
    "edevs": _listed("DEVS"),
    "pga": _listed("PGA"),
    "asc": _listed("ASC"),
    "pgacount": _single("PGAS"),
    "asccount": _single("ASCS"),
    "dbgstats": _listed("STATS", "index"),
    "estats": _listed("STATS", "index"),
    "lcd": _single("LCD"),
    "usbstats": _listed("USBSTATS"),
}

_REPLY_SECTIONS: dict[Personality, dict[str, ReplySection]] = {
    "cgminer": _CG_SECTIONS,
    "bmminer": {**_CG_SECTIONS, "stats": _listed("STATS", "bmminer_stats")},
    "sgminer": {
        **_COMMON_SECTIONS,
        "gpu": _listed("GPU"),
        "gpucount": _single("GPUS"),
        "profiles": _listed("POOLS", "index"),
    },
    "bfgminer": {
        **_COMMON_SECTIONS,
        "procs": _listed("DEVS"),
        "devdetails": _listed("DEVS"),
        "procdetails": _listed("DEVS"),
        "devscan": ReplySection("DEVS", "DEVS", "ungated"),
        "pga": _listed("PGA"),
        "proc": _listed("PGA"),
        "gpu": _listed("GPU"),
        "cpu": _listed("CPU"),
        "gpucount": _single("GPUS"),
        "pgacount": _single("PGAS"),
        "proccount": _single("PGAS"),
        "cpucount": _single("CPUS"),
        "procnotify": _listed("NOTIFY", "index"),
        "coin": ReplySection("COIN", "COIN", "never", multi_key=True),
    },
}


def reply_section(personality: Personality, command: str) -> ReplySection | None:
    """Data section of ``command``'s successful reply (``None``: STATUS only)."""
    return _REPLY_SECTIONS[personality].get(command)
