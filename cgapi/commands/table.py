"""THE command table: every command of cgminer, sgminer and bfgminer.

One entry per command, holding what the miners' `cmds[]` arrays hold (name, privileged,
joinable) plus what a client needs: parameters with their checks, the reply section, the
result model and which miners have it. The typed `Miner` methods, the read-only guard, the
multi-command check, the fake miner and docs/commands.md are all derived from it.
`tests/commands/test_table.py` holds it equal to the protocol's commands.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from ..errors import LocalProtocolError
from .params import Parameter

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ("COMMANDS", "JOINABLE", "CommandSpec", "Result", "get_spec")

Result = Literal["status", "single", "list", "count", "shutdown"]
"""What a typed method returns: the STATUS, one model, a list of models, an int count, or
the STATUS of `quit`/`restart`."""

CG, SG, BFG = "cgminer", "sgminer", "bfgminer"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """Everything known about one command.

    Attributes:
        name: the wire name (`failover-only`).
        summary: one line for the docstring.
        params: the parameters, in wire order.
        wire_params: the parameter syntax as the miners document it (`N,opt[,val]`).
        param_required: True, False, or "optional" (an optional parameter).
        privileged: needs write access (`W:` in `--api-allow`, or a group listing it).
        joinable: may be joined with `+` in a multi-command.
        section: the reply's data section (JSON key), None for STATUS-only replies.
        result: what the typed method returns.
        model: name of the model class in `cgapi.models` for single/list results.
        miners: which of cgminer, sgminer, bfgminer serve it.
        since_api: the API version that added it, as the miner numbers it.
        separator: how parameters are joined (`:` for sgminer `addprofile`).
        notes: protocol facts worth knowing.
    """

    name: str
    summary: str
    params: tuple[Parameter, ...]
    wire_params: str | None
    param_required: bool | Literal["optional"]
    privileged: bool
    joinable: bool
    section: str | None
    result: Result
    model: str | None
    miners: tuple[str, ...]
    since_api: str | None
    separator: str = ","
    notes: str = ""

    @property
    def python_name(self) -> str:
        """The method name on `Miner` (`failover-only` -> `failover_only`)."""
        return self.name.replace("-", "_")

    def wire_values(self, args: tuple[object, ...]) -> list[str]:
        """Check positional `args` against the parameters and return their wire texts.

        Raises:
            LocalProtocolError: a missing, extra or invalid argument. Nothing is sent.
        """
        values: list[str] = []
        remaining = list(args)
        for param in self.params:
            if param.variadic:
                if param.required and not remaining:
                    raise LocalProtocolError(f"{self.name}: needs at least one '{param.name}'")
                values.extend(param.to_wire(self.name, value) for value in remaining)
                remaining = []
                break
            if not remaining:
                if param.required:
                    raise LocalProtocolError(f"{self.name}: missing parameter '{param.name}'")
                break
            value = remaining.pop(0)
            if value is None:
                if param.required:
                    raise LocalProtocolError(f"{self.name}: missing parameter '{param.name}'")
                if any(later is not None for later in remaining):
                    raise LocalProtocolError(
                        f"{self.name}: '{param.name}' must be given when later parameters are"
                    )
                break
            values.append(param.to_wire(self.name, value))
        if self.name == "changestrategy" and values[0] == "2" and len(values) < 2:
            raise LocalProtocolError("changestrategy: rotate needs an interval in minutes")
        if any(value is not None for value in remaining):
            raise LocalProtocolError(
                f"{self.name}: takes at most {len(self.params)} parameter(s), got {len(args)}"
            )
        return values


def _int(
    name: str,
    doc: str = "",
    *,
    minimum: int | None = 0,
    maximum: int | None = None,
    required: bool = True,
) -> Parameter:
    return Parameter(name, "int", required=required, minimum=minimum, maximum=maximum, doc=doc)


def _str(
    name: str,
    doc: str = "",
    *,
    required: bool = True,
    comma: bool = False,
    keyword_only: bool = False,
) -> Parameter:
    return Parameter(
        name, "str", required=required, may_contain_comma=comma, keyword_only=keyword_only, doc=doc
    )


_DEVICE = {"pga": "PGA", "asc": "ASC", "gpu": "GPU", "proc": "processor", "cpu": "CPU"}
_ALL = (CG, SG, BFG)
_SET_OPTION = (
    _str("option", "the driver option name, e.g. 'help', 'freq'"),
    _str("value", "the option value", required=False, comma=True),
)


def _report(
    name: str,
    summary: str,
    section: str,
    result: Result,
    model: str | None,
    miners: tuple[str, ...],
    since: str | None,
    *,
    params: tuple[Parameter, ...] = (),
    wire: str | None = None,
    required: bool | Literal["optional"] = False,
    joinable: bool = True,
    privileged: bool = False,
    notes: str = "",
) -> CommandSpec:
    return CommandSpec(
        name,
        summary,
        params,
        wire,
        required,
        privileged,
        joinable,
        section,
        result,
        model,
        miners,
        since,
        notes=notes,
    )


def _control(
    name: str,
    summary: str,
    params: tuple[Parameter, ...],
    wire: str | None,
    miners: tuple[str, ...],
    since: str | None,
    *,
    required: bool | Literal["optional"] = True,
    separator: str = ",",
    joinable: bool = False,
    result: Result = "status",
    notes: str = "",
) -> CommandSpec:
    return CommandSpec(
        name,
        summary,
        params,
        wire,
        required,
        True,
        joinable,
        None,
        result,
        None,
        miners,
        since,
        separator,
        notes,
    )


def _device_commands(
    kind: str, miners: tuple[str, ...], since: str | None, actions: tuple[str, ...]
) -> list[CommandSpec]:
    label = _DEVICE[kind]
    number = _int(kind, f"{label} number")
    summaries = {
        "enable": f"Enable {label} N.",
        "disable": f"Disable {label} N.",
        "identify": f"Make {label} N flash its LED, where the driver supports it.",
        "restart": f"Restart {label} N.",
    }
    specs = []
    for action in actions:
        if action == "set":
            specs.append(
                _control(
                    f"{kind}set",
                    f"Set a driver option of {label} N (option 'help' lists them).",
                    (number, *_SET_OPTION),
                    "N,opt[,val]",
                    miners,
                    since,
                )
            )
        else:
            specs.append(
                _control(f"{kind}{action}", summaries[action], (number,), "N", miners, since)
            )
    return specs


def _device_report(
    kind: str, summary: str, section: str, miners: tuple[str, ...], since: str
) -> CommandSpec:
    """`pga|N`, `asc|N`, `gpu|N`...: one device in the devs format."""
    return _report(
        kind,
        summary,
        section,
        "single",
        "Device",
        miners,
        since,
        params=(_int(kind, f"{_DEVICE[kind]} number"),),
        wire="N",
        required=True,
        joinable=False,
    )


_POOL = _int("pool", "pool number")
# sgminer `changestrategy` parses a number (NOTES 11); its docs show names.
_STRATEGIES = {
    "failover": "0",
    "round robin": "1",
    "rotate": "2",
    "load balance": "3",
    "balance": "4",
}
_OLD = _int(
    "old", "also list devices that vanished less than this many seconds ago", required=False
)

_SPECS: list[CommandSpec] = [
    _report("version", "Miner and API versions.", "VERSION", "single", "Version", _ALL, "0.7"),
    _report(
        "config",
        "Miner configuration: device and pool counts, strategy, OS.",
        "CONFIG",
        "single",
        "Config",
        _ALL,
        "1.0",
    ),
    _report(
        "summary",
        "Totals since start: hashrate, shares, errors.",
        "SUMMARY",
        "single",
        "Summary",
        _ALL,
        "0.7",
    ),
    _report(
        "devs",
        "Every device with its hashrate, temperature and counters.",
        "DEVS",
        "list",
        "Device",
        _ALL,
        "0.7",
    ),
    _report(
        "edevs",
        "Like devs, without blacklisted and vanished (zombie) devices.",
        "DEVS",
        "list",
        "Device",
        (CG,),
        "3.3",
        params=(_OLD,),
        wire="[old]",
        required="optional",
    ),
    _report(
        "pools",
        "Every pool with its status, priority and share counters.",
        "POOLS",
        "list",
        "Pool",
        _ALL,
        "0.7",
    ),
    _report(
        "profiles",
        "sgminer profiles (the last one is the default).",
        "POOLS",
        "list",
        "Profile",
        (SG,),
        "4.0 (sgminer numbering)",
    ),
    _device_report("pga", "One PGA, in the devs format.", "PGA", (CG, BFG), "1.6"),
    *_device_commands("pga", (CG, BFG), "1.6", ("enable", "disable")),
    _control(
        "pgaidentify",
        "Make PGA N flash its LED, where the driver supports it.",
        (_int("pga", "PGA number"),),
        "N",
        (CG, BFG),
        "1.19",
    ),
    _control(
        "pgarestart",
        "Restart PGA N (bfgminer).",
        (_int("pga", "PGA number"),),
        "N",
        (BFG,),
        "3.1 (bfgminer numbering)",
        notes="Success code collides with BYE (257), Msg '(null)'.",
    ),
    _report("pgacount", "Number of PGAs.", "PGAS", "count", "Count", (CG, BFG), "1.6"),
    _control(
        "pgaset",
        "Set a driver option of PGA N (option 'help' lists them).",
        (_int("pga", "PGA number"), *_SET_OPTION),
        "N,opt[,val]",
        (CG, BFG),
        "1.23",
    ),
    _device_report("asc", "One ASC, in the devs format.", "ASC", (CG,), "1.26"),
    *_device_commands("asc", (CG,), "1.26", ("enable", "disable", "identify")),
    _report("asccount", "Number of ASCs.", "ASCS", "count", "Count", (CG,), "1.26"),
    _control(
        "ascset",
        "Set a driver option of ASC N (option 'help' lists them).",
        (_int("asc", "ASC number"), *_SET_OPTION),
        "N,opt[,val]",
        (CG,),
        "1.27",
    ),
    _control("switchpool", "Switch to pool N now (and enable it).", (_POOL,), "N", _ALL, "1.0"),
    _control(
        "addpool",
        "Add a pool; the fields are escaped for the miner.",
        (
            _str("url", "stratum URL", comma=True),
            _str("user", "worker name", comma=True),
            _str("password", "worker password", comma=True),
            _str("name", "sgminer: pool name", required=False, comma=True, keyword_only=True),
            _str(
                "description", "sgminer: description", required=False, comma=True, keyword_only=True
            ),
            _str("profile", "sgminer: profile name", required=False, comma=True, keyword_only=True),
            _str("algorithm", "sgminer: algorithm", required=False, comma=True, keyword_only=True),
        ),
        "URL,USR,PASS",
        _ALL,
        "1.3",
        notes="Only command honouring backslash escapes. bfg: 4th field is the goal.",
    ),
    _control(
        "poolpriority",
        "Set pool priorities: the pools listed first come first.",
        (
            Parameter(
                "pools", "int", minimum=0, variadic=True, doc="pool numbers, highest priority first"
            ),
        ),
        "N,...",
        _ALL,
        "1.15",
    ),
    _control(
        "poolquota",
        "Set the load-balance quota of pool N.",
        (_POOL, _int("quota", "quota (0 or more)")),
        "N,Q",
        _ALL,
        "1.30",
    ),
    _control("enablepool", "Enable pool N.", (_POOL,), "N", _ALL, "1.2"),
    _control("disablepool", "Disable pool N.", (_POOL,), "N", _ALL, "1.2"),
    _control(
        "removepool", "Remove pool N (not the active or the last one).", (_POOL,), "N", _ALL, "1.7"
    ),
    _control(
        "changestrategy",
        "sgminer: set the multipool strategy (rotate needs minutes).",
        (
            Parameter(
                "strategy",
                "word",
                choices=(*_STRATEGIES, "0", "1", "2", "3", "4"),
                wire_words=tuple(_STRATEGIES.items()),
                doc="failover, round robin, rotate, load balance or balance (or 0-4)",
            ),
            _int(
                "interval",
                "rotate period in minutes (0-9999), needed for rotate",
                maximum=9999,
                required=False,
            ),
        ),
        "STRAT[,INT]",
        (SG,),
        "4.0 (sgminer numbering)",
        notes="sgminer reads the strategy with atoi: names are sent as their numbers.",
    ),
    _control(
        "changepoolprofile",
        "sgminer: make pool N use a profile.",
        (_POOL, _str("profile", "profile name")),
        "N,NAME",
        (SG,),
        "4.0 (sgminer numbering)",
    ),
    _control(
        "addprofile",
        "sgminer: add a profile (colon-separated settings).",
        (
            _str("name", "profile name"),
            _str("algorithm", "algorithm"),
            Parameter(
                "settings",
                "str",
                required=False,
                variadic=True,
                doc="further settings in sgminer's order (nfactor, lookup gap, ...)",
            ),
        ),
        "NAME:ALGO[:NFACTOR:LOOKUPGAP:DEVICES:INTENSITY:XINTENSITY:RAWINTENSITY:GPUENGINE"
        ":GPUMEMCLOCK:GPUTHREADS:GPUFAN:GPUPOWERTUNE:GPUVDDC:SHADERS:THREADCONCURRENCY"
        ":WORKSIZE]",
        (SG,),
        "4.0 (sgminer numbering)",
        separator=":",
    ),
    _control(
        "removeprofile",
        "sgminer: remove a profile.",
        (_str("name", "profile name"),),
        "NAME",
        (SG,),
        "4.0 (sgminer numbering)",
    ),
    _control(
        "save",
        "Save the configuration to a file (default: the miner's config file).",
        (_str("filename", "file to write", required=False),),
        "[filename]",
        _ALL,
        "1.0",
        required="optional",
    ),
    _control("quit", "Stop the miner.", (), None, _ALL, "0.7", required=False, result="shutdown"),
    _control(
        "restart", "Restart the miner.", (), None, _ALL, "1.9", required=False, result="shutdown"
    ),
    _control(
        "privileged",
        "Succeeds only if this client may use privileged commands.",
        (),
        None,
        _ALL,
        "1.2",
        required=False,
    ),
    _report(
        "notify",
        "Per-device health: last well / not well times and reasons.",
        "NOTIFY",
        "list",
        "Notify",
        _ALL,
        "1.4",
    ),
    _report(
        "procnotify", "bfgminer: notify per processor.", "NOTIFY", "list", "Notify", (BFG,), None
    ),
    _report(
        "devdetails",
        "Per-device driver, model and path.",
        "DEVDETAILS",
        "list",
        "DevDetail",
        _ALL,
        "1.8",
    ),
    _report(
        "procdetails",
        "bfgminer: devdetails per processor.",
        "DEVDETAILS",
        "list",
        "DevDetail",
        (BFG,),
        None,
    ),
    _report(
        "stats",
        "Per-device and per-pool statistics, with driver extras.",
        "STATS",
        "list",
        "Stats",
        _ALL,
        "1.10",
    ),
    _report(
        "estats",
        "stats of enabled, present devices only (no pools).",
        "STATS",
        "list",
        "Stats",
        (CG,),
        "3.3",
        params=(_OLD,),
        wire="[old]",
        required="optional",
    ),
    _report(
        "dbgstats",
        "Driver debug statistics (cgminer answers it with STATUS F/-1).",
        "STATS",
        "list",
        "Stats",
        (CG,),
        None,
    ),
    _report(
        "check",
        "Whether a command exists on this miner and this client may use it.",
        "CHECK",
        "single",
        "Check",
        _ALL,
        "1.13",
        params=(_str("command", "the command to check"),),
        wire="cmd",
        required=True,
        joinable=False,
    ),
    _control(
        "failover-only",
        "Set failover-only (cgminer: deprecated, answers E/127).",
        (Parameter("enabled", "bool", doc="True or False"),),
        "true/false",
        _ALL,
        "1.16",
    ),
    _report(
        "coin",
        "The coin being mined: hash method, block, network difficulty.",
        "COIN",
        "single",
        "Coin",
        _ALL,
        "1.17",
    ),
    _report(
        "debug",
        "Show or change debug output (setting: silent, quiet, verbose, debug, "
        "rpcproto, perdevice, normal, worktime).",
        "DEBUG",
        "single",
        "DebugSettings",
        _ALL,
        "1.19",
        params=(
            Parameter(
                "setting",
                "word",
                required=False,
                choices=(
                    "silent",
                    "quiet",
                    "verbose",
                    "debug",
                    "rpcproto",
                    "perdevice",
                    "normal",
                    "worktime",
                ),
                doc="the setting to toggle",
            ),
        ),
        wire="[setting]",
        required="optional",
        joinable=False,
        privileged=True,
    ),
    _control(
        "setconfig",
        "Set queue, scantime or expiry (0-9999); bfgminer has more names.",
        (
            Parameter(
                "name",
                "word",
                choices=(
                    "queue",
                    "scantime",
                    "expiry",
                    "coinbase-sig",
                    "strategy",
                    "http-port",
                    "stratum-port",
                ),
                doc="queue, scantime, expiry (bfgminer also coinbase-sig, strategy, "
                "http-port, stratum-port)",
            ),
            Parameter("value", "str", doc="the new value (0-9999 for the numbers)"),
        ),
        "name,N",
        _ALL,
        "1.19",
        notes="Without a parameter cgminer 4.11 crashes: the wrapper requires both.",
    ),
    _report(
        "usbstats", "USB statistics per device.", "USBSTATS", "list", "UsbStats", (CG,), "1.21"
    ),
    _control(
        "zero",
        "Zero the statistics ('all' or 'bestshare'), summary included or not.",
        (
            Parameter("which", "word", choices=("all", "bestshare"), doc="'all' or 'bestshare'"),
            Parameter("summary", "bool", doc="also zero the summary totals"),
        ),
        "Which,true/false",
        _ALL,
        "1.24",
    ),
    _control(
        "hotplug",
        "Set the USB hotplug check interval (0 disables).",
        (_int("seconds", "0 to disable, 1-9999 seconds", maximum=9999),),
        "N",
        (CG,),
        "1.25",
    ),
    _report("lcd", "The one-glance status an LCD shows.", "LCD", "single", "Lcd", (CG,), "3.4"),
    CommandSpec(
        "lockstats",
        "Dump lock statistics to the miner's stderr.",
        (),
        None,
        False,
        True,
        True,
        None,
        "status",
        None,
        (CG, SG),
        "1.31",
    ),
    _device_report("gpu", "One GPU, in the devs format.", "GPU", (SG, BFG), "0.7"),
    _report("gpucount", "Number of GPUs.", "GPUS", "count", "Count", (SG, BFG), "0.7"),
    *_device_commands("gpu", (SG, BFG), "0.7", ("enable", "disable", "restart")),
    _control(
        "gpuintensity",
        "Set the intensity of GPU N ('d' for dynamic).",
        (
            _int("gpu", "GPU number"),
            Parameter(
                "intensity",
                "intensity",
                minimum=-10,
                maximum=31,
                doc="'d' or -10..31 (sgminer 8..31)",
            ),
        ),
        "N,I",
        (SG, BFG),
        "1.0",
    ),
    _control(
        "gpuxintensity",
        "sgminer: set the xintensity of GPU N.",
        (_int("gpu", "GPU number"), _int("xintensity", "1-9999", minimum=1, maximum=9999)),
        "N,X",
        (SG,),
        None,
    ),
    _control(
        "gpurawintensity",
        "sgminer: set the raw intensity of GPU N.",
        (
            _int("gpu", "GPU number"),
            _int("rawintensity", "1-2147483647", minimum=1, maximum=2147483647),
        ),
        "N,R",
        (SG,),
        None,
    ),
    _control(
        "gpumem",
        "Set the memory clock of GPU N (MHz).",
        (_int("gpu", "GPU number"), _int("mhz", "memory clock in MHz")),
        "N,V",
        (SG, BFG),
        "1.0",
    ),
    _control(
        "gpuengine",
        "Set the engine clock of GPU N (MHz).",
        (_int("gpu", "GPU number"), _int("mhz", "engine clock in MHz")),
        "N,V",
        (SG, BFG),
        "1.0",
    ),
    _control(
        "gpufan",
        "Set the fan speed of GPU N (percent, 0-100).",
        (_int("gpu", "GPU number"), _int("percent", "fan speed 0-100", maximum=100)),
        "N,V",
        (SG, BFG),
        "1.0",
    ),
    _control(
        "gpuvddc",
        "Set the core voltage of GPU N (volts).",
        (_int("gpu", "GPU number"), Parameter("volts", "float", minimum=0, maximum=5, doc="volts")),
        "N,V",
        (SG, BFG),
        "1.0",
    ),
    CommandSpec(
        "devscan",
        "bfgminer: probe for new devices and list them.",
        (_str("info", "what to probe, as --scan-serial", required=False),),
        "[info]",
        "optional",
        True,
        False,
        "DEVS",
        "list",
        "DevDetail",
        (BFG,),
        "1.25.1 (bfgminer numbering)",
    ),
    _report(
        "procs",
        "bfgminer: devs per processor.",
        "DEVS",
        "list",
        "Device",
        (BFG,),
        "2.0 (bfgminer numbering)",
    ),
    _device_report(
        "proc",
        "bfgminer: one processor, in the devs format.",
        "PGA",
        (BFG,),
        "2.0 (bfgminer numbering)",
    ),
    _report(
        "proccount",
        "bfgminer: number of processors.",
        "PGAS",
        "count",
        "Count",
        (BFG,),
        "2.0 (bfgminer numbering)",
    ),
    *_device_commands(
        "proc", (BFG,), "2.0 (bfgminer numbering)", ("enable", "disable", "identify", "set")
    ),
    _device_report("cpu", "bfgminer: one CPU, in the devs format.", "CPU", (BFG,), "0.7"),
    _report("cpucount", "bfgminer: number of CPUs.", "CPUS", "count", "Count", (BFG,), "0.7"),
    *_device_commands("cpu", (BFG,), None, ("enable", "disable", "restart")),
]

COMMANDS: Mapping[str, CommandSpec] = MappingProxyType({spec.name: spec for spec in _SPECS})
"""Every command by wire name, in the miners' table order."""

JOINABLE: frozenset[str] = frozenset(spec.name for spec in _SPECS if spec.joinable)
"""Commands that may be joined with `+`."""


def get_spec(name: str) -> CommandSpec:
    """The spec of a command.

    Raises:
        LocalProtocolError: not a command of cgminer, sgminer or bfgminer.
    """
    try:
        return COMMANDS[name]
    except KeyError:
        raise LocalProtocolError(
            f"unknown command {name!r}; use Miner.command() for vendor commands"
        ) from None
