"""The miner side of the RPC API, sans IO: request bytes and a client address in, reply bytes out.

`MinerApi.handle()` does what a cgminer-family `api()` thread does with one
connection: pick the form from the first byte, check the client's address and
group, dispatch the command (or every piece of an `a+b` request) by exact name,
change the state and render the reply with the personality's code table,
field tables and number formats (`cgapi.testing._render`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..commands import COMMANDS
from ..errors import BadRequest
from ..protocol import decode_request
from ..protocol.escaping import split_addpool
from ._render import (
    ApiType,
    Field,
    ReplyBody,
    ReplyWriter,
    command_body,
    escape,
    finish,
    join_commands,
    render_body,
    render_multi,
    render_quit,
    section_fields,
    status_fields,
)
from .state import STRATEGIES, Device, DeviceKind, Pool, Profile

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from ._render.types import Form, Personality
    from .access import AccessControl
    from .state import MinerState

__all__ = ("MINER_VERSIONS", "Action", "Handled", "MinerApi", "MinerVersion", "commands_of")

Action = Literal["quit", "restart", "crash"]


@dataclass(frozen=True)
class Handled:
    """What the server does with one connection."""

    reply: bytes
    """Bytes to send (NUL included); empty for a client that may not connect or a crash."""
    action: Action | None = None
    """After replying: stop (`quit`), restart, or die without a reply (`crash`)."""


@dataclass(frozen=True)
class MinerVersion:
    """What a personality reports about itself."""

    version: Mapping[str, str]
    """The `version` record."""
    description: str
    """`--api-description` default (`PACKAGE_STRING`)."""
    max_request: int
    """Bytes read by the single `recv()`."""
    config_file: str
    """Default `save` file name."""


MINER_VERSIONS: dict[Personality, MinerVersion] = {
    "cgminer": MinerVersion(
        {"CGMiner": "4.11.1", "API": "3.7"}, "cgminer 4.11.1", 4095, "cgminer.conf"
    ),
    "sgminer": MinerVersion(
        {"Miner": "sgminer 5.1.1", "CGMiner": "5.1.1", "API": "4.0"},
        "sgminer 5.1.1",
        8191,
        "sgminer.conf",
    ),
    "bfgminer": MinerVersion(
        {"Miner": "bfgminer 5.5.0", "CGMiner": "5.5.0", "API": "3.1"},
        "bfgminer 5.5.0",
        8191,
        "bfgminer.conf",
    ),
    "bmminer": MinerVersion(
        {
            "BMMiner": "2.0.0",
            "API": "3.1",
            "Miner": "16.8.1.3",
            "CompileTime": "Fri Nov 17 17:57:49 CST 2017",
            "Type": "Antminer S9",
        },
        "bmminer 1.0.0",
        4095,
        "bmminer.conf",
    ),
}

_KIND_COMMANDS: dict[str, DeviceKind] = {"pga": "PGA", "asc": "ASC", "gpu": "GPU", "cpu": "CPU"}
_FPGA_ONLY = frozenset({"pga", "pgaenable", "pgadisable", "pgaidentify", "pgaset"})
_ASIC_ONLY = frozenset({"asc", "ascenable", "ascdisable", "ascidentify", "ascset"})
_DRIVER_NAMES = {
    "BTM": "bitmain",
    "AVA": "avalon",
    "BFL": "bitforce",
    "GPU": "opencl",
    "CPU": "cpu",
}
_STRING_TYPES = frozenset({ApiType.STRING, ApiType.CONST, ApiType.ESCAPE, ApiType.JSON})
_INT_TYPES = frozenset(
    {
        ApiType.UINT8,
        ApiType.INT16,
        ApiType.UINT16,
        ApiType.INT,
        ApiType.UINT,
        ApiType.UINT32,
        ApiType.HEX32,
        ApiType.UINT64,
        ApiType.INT64,
        ApiType.TIME,
    }
)


def commands_of(personality: Personality, features: Iterable[str]) -> frozenset[str]:
    """The command names a build of `personality` with `features` answers."""
    table = "cgminer" if personality == "bmminer" else personality
    names = {name for name, spec in COMMANDS.items() if table in spec.miners}
    feats = set(features)
    if personality == "bmminer":
        names.discard("dbgstats")  # added in cgminer 4.11; bmminer is 4.9-based
    if personality in ("cgminer", "bmminer"):
        if "fpga" not in feats:
            names -= _FPGA_ONLY
        if "asic" not in feats:
            names -= _ASIC_ONLY
    return frozenset(names)


def _default(api_type: ApiType) -> object:
    if api_type in _STRING_TYPES:
        return ""
    if api_type is ApiType.BOOL:
        return False
    if api_type in _INT_TYPES:
        return 0
    return 0.0


def _atoi(text: str | None) -> int:
    """C `atoi`: optional sign and leading digits, garbage gives 0."""
    if not text:
        return 0
    text = text.lstrip(" \t\n\r\f\v")
    sign, digits = 1, ""
    if text[:1] in "+-" and text[:1]:
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    for char in text:
        if not char.isdigit() or not char.isascii():
            break
        digits += char
    value = sign * int(digits) if digits else 0
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


@dataclass
class _Call:
    command: str
    param: str | None
    form: Form
    group: str
    when: int


_Reply = ReplyBody | Handled
_Handler = Callable[["MinerApi", _Call], _Reply]
_HANDLERS: dict[str, _Handler] = {}

_KIND_CODES: dict[DeviceKind, tuple[int, int]] = {
    # (no devices of this kind, invalid id)
    "PGA": (56, 58),
    "ASC": (105, 107),
    "GPU": (6, 1),
    "CPU": (16, 19),
}


def _handles(*names: str) -> Callable[[_Handler], _Handler]:
    def register(function: _Handler) -> _Handler:
        for name in names:
            _HANDLERS[name] = function
        return function

    return register


class MinerApi:
    """A miner's API thread without the sockets: `handle(request, client) -> Handled`."""

    def __init__(
        self,
        state: MinerState,
        *,
        access: AccessControl,
        features: frozenset[str],
        api_description: str | None = None,
        save_dir: Path | None = None,
        version: MinerVersion | None = None,
    ) -> None:
        self.state = state
        self.personality: Personality = state.personality
        self.access = access
        self.features = features
        self.info = version or MINER_VERSIONS[self.personality]
        self.description = self.info.description if api_description is None else api_description
        self.save_dir = save_dir
        self.commands = commands_of(self.personality, features)
        self._fields: dict[str, list[tuple[str, ApiType, bool]]] = {}

    # ------------------------------------------------------------------ entry point

    def handle(self, data: bytes, client: str) -> Handled:
        """Answer one connection's request from `client` exactly as the miner would."""
        group = self.access.group_of(client)
        if group is None:
            return Handled(b"")  # accepted, then closed with zero bytes
        data = data[: self.info.max_request]
        nul = data.find(b"\x00")
        if nul >= 0:
            data = data[:nul]  # the miner reads a C string
        when = int(self.state.now())
        try:
            request = decode_request(data)
        except BadRequest as error:
            call = _Call("", None, "json", group, when)
            return Handled(finish(self._error(call, error.code)))
        call = _Call(request.command, request.parameter, request.form, group, when)
        if "+" in request.command:
            return Handled(self._multi(call))
        result = self._dispatch(call, joined=False)
        if isinstance(result, Handled):
            return result
        return Handled(finish(result))

    def _dispatch(self, call: _Call, *, joined: bool) -> _Reply:
        name = call.command
        if name not in self.commands:
            return self._error(call, 14)
        if (joined and not COMMANDS[name].joinable) or not self.access.may_use(call.group, name):
            return self._error(call, 45, name)
        return _HANDLERS[name](self, call)

    def _multi(self, call: _Call) -> bytes:
        members: list[tuple[str, ReplyBody]] = []
        for piece in join_commands(call.command, self.commands):
            sub = _Call(piece, None, call.form, call.group, call.when)
            body = self._dispatch(sub, joined=True)
            assert isinstance(body, ReplyBody)  # joinable commands never quit or crash
            members.append((piece, body))
        return render_multi(call.form, members)

    # ------------------------------------------------------------------ building blocks

    def _status(self, call: _Call, code: int, *params: object) -> list[Field]:
        return status_fields(
            self.personality,
            code,
            *params,
            when=call.when,
            description=self.description,
            form=call.form,
            features=self.features,
        )

    def _error(self, call: _Call, code: int, *params: object) -> ReplyBody:
        """A STATUS-only reply (errors and plain acknowledgements)."""
        return render_body(self.personality, call.form, self._status(call, code, *params))

    _ok = _error

    def _section(
        self,
        call: _Call,
        code: int,
        params: tuple[object, ...],
        records: list[list[Field]],
        *,
        command: str | None = None,
        keys: list[str] | None = None,
    ) -> ReplyBody:
        status = self._status(call, code, *params)
        return command_body(
            self.personality, call.form, command or call.command, status, records, keys=keys
        )

    def record(self, section: str, values: Mapping[str, object]) -> list[Field]:
        """`section`'s fields in emission order; missing ones get zero values.

        A value may be a `Field` to override the type.  Optional fields appear only
        when given.  Names not in this miner's table are dropped, unless given as a
        `Field` (driver extras, appended in order).
        """
        table = self._fields.get(section)
        if table is None:
            log = str(self.state.log_interval)
            table = [
                (
                    spec.name.replace("%d", log) if spec.templated else spec.name,
                    spec.type,
                    spec.optional,
                )
                for spec in section_fields(self.personality, section)
            ]
            self._fields[section] = table
        fields: list[Field] = []
        known: set[str] = set()
        for name, api_type, optional in table:
            known.add(name)
            if name in values:
                value = values[name]
                fields.append(value if isinstance(value, Field) else Field(name, api_type, value))
            elif not optional:
                fields.append(Field(name, api_type, _default(api_type)))
        for name, value in values.items():
            if name not in known and isinstance(value, Field):
                fields.append(value)
        return fields

    @property
    def _mhs(self) -> str:
        return f"MHS {self.state.log_interval}s"

    # ------------------------------------------------------------------ device records

    def _device_kinds(self) -> tuple[DeviceKind, ...]:
        if self.personality in ("cgminer", "bmminer"):
            return ("ASC", "PGA")
        if self.personality == "sgminer":
            return ("GPU",)
        return ("PGA", "GPU", "CPU")

    def _listed_devices(self) -> list[Device]:
        kinds = self._device_kinds()
        if self.personality == "bfgminer":
            return [d for d in self.state.devices if d.kind in kinds]
        return [d for kind in kinds for d in self.state.devices_of(kind)]

    def device_record(self, device: Device, *, index: int | None = None) -> list[Field]:
        """A device in `devs` format (`ASC=n`, `PGA=n`, `GPU=n`)."""
        state = self.state
        now = int(state.clock())
        mhs_av = state.mhs_av(device)
        elapsed = max(1e-9, state.clock() - device.started)
        values: dict[str, object] = {
            "Name": device.driver,
            "ID": device.driver_id,
            "Enabled": "Y" if device.enabled else "N",
            "Status": device.status,
            "Temperature": device.temperature * state.jitter("temp", device.index, spread=0.01),
            "MHS av": mhs_av,
            self._mhs: state.mhs_window(device, "5s"),
            "MHS 1m": state.mhs_window(device, "1m"),
            "MHS 5m": state.mhs_window(device, "5m"),
            "MHS 15m": state.mhs_window(device, "15m"),
            "Accepted": device.accepted,
            "Rejected": device.rejected,
            "Hardware Errors": device.hardware_errors,
            "Utility": device.accepted * 60.0 / elapsed,
            "Last Share Pool": device.last_share_pool,
            "Last Share Time": device.last_share_time,
            "Total MH": device.total_mh,
            "Diff1 Work": int(device.diff1),
            "Difficulty Accepted": device.diff_accepted,
            "Difficulty Rejected": device.diff_rejected,
            "Last Share Difficulty": device.last_share_difficulty,
            "Last Valid Work": device.last_valid_work or now,
            "Device Hardware%": _ratio(
                device.hardware_errors, device.hardware_errors + device.diff1
            ),
            "Device Rejected%": _ratio(device.diff_rejected, device.diff1),
            "Device Elapsed": elapsed,
        }
        if self.personality == "cgminer" and "usb" in self.features:
            values["No Device"] = False
        if self.personality == "sgminer":
            section = "gpu"
            values.update(
                {
                    "Fan Speed": device.fan_rpm,
                    "Fan Percent": device.fan_percent,
                    "GPU Clock": device.engine_clock,
                    "Memory Clock": device.memory_clock,
                    "GPU Voltage": device.vddc,
                    "GPU Activity": 99 if device.enabled else 0,
                    "Powertune": device.powertune,
                    "KHS av": mhs_av * 1000.0,
                    f"KHS {state.log_interval}s": state.mhs_window(device, "5s") * 1000.0,
                    "Intensity": device.intensity,
                    "XIntensity": device.xintensity,
                    "RawIntensity": device.rawintensity,
                    "Diff1 Work": device.diff1,
                }
            )
        elif self.personality == "bfgminer":
            section = "pga"
            values.update(
                {
                    "ProcID": 0,
                    "MHS rolling": state.mhs_window(device, "1m"),
                    "Stale": 0,
                    "Diff1 Work": device.diff1,
                    "Work Utility": device.diff1 * 60.0 / elapsed,
                    "Difficulty Stale": 0.0,
                }
            )
        else:
            section = "asc" if device.kind == "ASC" else "pga"
        first = section.upper()
        values[first] = device.index if index is None else index
        return self.record(section, values)

    def _numbered_devices(self, devices: Iterable[Device]) -> list[list[Field]]:
        if self.personality == "bfgminer":
            return [self.device_record(d, index=n) for n, d in enumerate(devices)]
        return [self.device_record(d) for d in devices]

    def _devs_counts(self) -> tuple[int, ...]:
        if self.personality in ("cgminer", "bmminer"):
            counts = []
            if "asic" in self.features:
                counts.append(len(self.state.devices_of("ASC")))
            if "fpga" in self.features:
                counts.append(len(self.state.devices_of("PGA")))
            return tuple(counts)
        if self.personality == "sgminer":
            return (len(self.state.devices_of("GPU")),)
        return (len(self._listed_devices()),)

    # ------------------------------------------------------------------ pool records

    def pool_record(self, index: int, pool: Pool) -> list[Field]:
        """A pool in `pools` format."""
        current = self.state.current_pool is pool
        stratum_active = current and pool.has_stratum and pool.usable
        shares = pool.diff_accepted + pool.diff_rejected + pool.diff_stale
        values: dict[str, object] = {
            "POOL": index,
            "URL": pool.url,
            "Status": pool.status,
            "Priority": pool.priority,
            "Quota": pool.quota,
            "Long Poll": "N",
            "Getworks": pool.getworks,
            "Accepted": pool.accepted,
            "Rejected": pool.rejected,
            "Works": pool.works,
            "Discarded": pool.discarded,
            "Stale": pool.stale,
            "Get Failures": 0 if pool.alive else 1,
            "Remote Failures": 0,
            "User": pool.user,
            "Last Share Time": pool.last_share_time,
            "Diff1 Shares": int(pool.diff1_shares),
            "Proxy Type": "",
            "Proxy": Field("Proxy", ApiType.CONST, ""),
            "Difficulty Accepted": pool.diff_accepted,
            "Difficulty Rejected": pool.diff_rejected,
            "Difficulty Stale": pool.diff_stale,
            "Last Share Difficulty": pool.difficulty if pool.accepted else 0.0,
            "Work Difficulty": pool.difficulty if current else 0.0,
            "Has Stratum": pool.has_stratum,
            "Stratum Active": stratum_active,
            "Stratum URL": (
                pool.url.split("://", 1)[-1].rsplit(":", 1)[0]
                if stratum_active
                else Field("Stratum URL", ApiType.CONST, "")
            ),
            "Stratum Difficulty": pool.difficulty if stratum_active else 0.0,
            "Has Vmask": True,
            "Has GBT": False,
            "Best Share": int(pool.best_share),
            "Pool Rejected%": _ratio(pool.diff_rejected, shares),
            "Pool Stale%": _ratio(pool.diff_stale, shares),
            "Bad Work": 0,
            "Current Block Height": 0,
            "Current Block Version": 536870912,
        }
        if self.personality == "sgminer":
            values.update(
                {
                    "Name": pool.name,
                    "Profile": pool.profile,
                    "Algorithm": pool.algorithm,
                    "Algorithm Type": pool.algorithm,
                    "Description": pool.description,
                    "Diff1 Shares": pool.diff1_shares,
                    "Proxy": "",
                    "Best Share": pool.best_share,
                }
            )
        elif self.personality == "bfgminer":
            values.update(
                {
                    "Mining Goal": "default",
                    "Diff1 Shares": pool.diff1_shares,
                    "Proxy": "",
                    "Best Share": pool.best_share,
                    "Message": "",
                }
            )
        return self.record("pools", values)

    def _pool_arg(self, call: _Call) -> tuple[int, Pool] | ReplyBody:
        """NOPOOL, MISPID, INVPID checks shared by the pool commands."""
        pools = self.state.live_pools
        if not pools:
            return self._error(call, 8)
        if not call.param:
            return self._error(call, 25)
        index = _atoi(call.param)
        if not 0 <= index < len(pools):
            return self._error(call, 26, index, len(pools) - 1)
        return index, pools[index]

    # ------------------------------------------------------------------ device arguments

    def _device_arg(self, call: _Call, kind: DeviceKind) -> tuple[int, Device] | ReplyBody:
        devices = self.state.devices_of(kind)
        none_code, invalid_code = _KIND_CODES[kind]
        if not devices:
            return self._error(call, none_code)
        if not call.param:
            return self._error(call, 15)
        index = _atoi(call.param)
        if not 0 <= index < len(devices):
            return self._error(call, invalid_code, index, len(devices) - 1)
        return index, devices[index]

    def _gpu_value(self, call: _Call) -> tuple[int, Device, str] | ReplyBody:
        """sg `splitgpuvalue()`: GPUNON, MISID, MISVAL, INVGPU."""
        devices = self.state.devices_of("GPU")
        if not devices:
            return self._error(call, 6)
        if not call.param:
            return self._error(call, 15)
        id_text, comma, value = call.param.partition(",")
        if not comma:
            return self._error(call, 28)
        index = _atoi(id_text)
        if not 0 <= index < len(devices):
            return self._error(call, 1, index, len(devices) - 1)
        return index, devices[index], value

    # ------------------------------------------------------------------ save

    def config_document(self) -> dict[str, object]:
        """What `save` writes: the miner's JSON config file."""
        return {
            "pools": [
                {"url": p.url, "user": p.user, "pass": p.password} for p in self.state.live_pools
            ],
            "api-listen": True,
            "api-allow": self.access.allow or "",
            "api-groups": self.access.groups or "",
            "log": str(self.state.log_interval),
            "failover-only": self.state.failover_only,
            "queue": str(self.state.queue),
            "scan-time": str(self.state.scantime),
            "expiry": str(self.state.expiry),
        }


# ====================================================================== reports


@_handles("version")
def _version(api: MinerApi, call: _Call) -> _Reply:
    record = api.record("version", dict(api.info.version))
    return api._section(call, 22, (), [record])


@_handles("config")
def _config(api: MinerApi, call: _Call) -> _Reply:
    state = api.state
    drivers = "".join(f"{code} " for code in dict.fromkeys(d.driver for d in state.devices))
    values: dict[str, object] = {
        "ASC Count": len(state.devices_of("ASC")),
        "PGA Count": len(state.devices_of("PGA")),
        "GPU Count": len(state.devices_of("GPU")),
        "Pool Count": len(state.live_pools),
        "Strategy": STRATEGIES[state.strategy],
        "Rotate Period": state.rotate_period,
        "Log Interval": state.log_interval,
        "Device Code": drivers,
        "OS": "Linux",
        "ADL": "Y" if api.personality == "sgminer" else "N",
        "ADL in use": "Y" if api.personality == "sgminer" else "N",
        "Failover-Only": state.failover_only,
        "Failover Switch Delay": 60,
        "ScanTime": state.scantime,
        "Queue": state.queue,
        "Expiry": state.expiry,
        "Coinbase-Sig": "",
    }
    if api.personality == "cgminer":
        values["Hotplug"] = (
            Field("Hotplug", ApiType.INT, state.hotplug) if state.hotplug else "Disabled"
        )
    elif api.personality == "bmminer":
        values["Hotplug"] = "None"
    if api.personality == "bfgminer":
        values["PGA Count"] = len(api._listed_devices())
    return api._section(call, 33, (), [api.record("config", values)])


@_handles("summary")
def _summary(api: MinerApi, call: _Call) -> _Reply:
    state = api.state
    now = state.now()
    elapsed = now - state.zeroed
    devices = state.devices
    pools = state.live_pools
    diff1 = sum(d.diff1 for d in devices)
    hw = sum(d.hardware_errors for d in devices)
    accepted = sum(p.accepted for p in state.pools)
    diff_acc = sum(p.diff_accepted for p in state.pools)
    diff_rej = sum(p.diff_rejected for p in state.pools)
    diff_stale = sum(p.diff_stale for p in state.pools)
    pool_total = diff_acc + diff_rej + diff_stale
    minutes = elapsed / 60.0 if elapsed > 0 else math.nan
    mhs_5s = state.mhs_window(None, "5s")
    values: dict[str, object] = {
        "Elapsed": float(int(now - state.started)),
        "MHS av": state.mhs_av(),
        api._mhs: mhs_5s,
        "MHS 1m": state.mhs_window(None, "1m"),
        "MHS 5m": state.mhs_window(None, "5m"),
        "MHS 15m": state.mhs_window(None, "15m"),
        "KHS av": state.mhs_av() * 1000.0,
        f"KHS {state.log_interval}s": mhs_5s * 1000.0,
        "Algorithm": "sha256d",
        "Found Blocks": state.found_blocks,
        "Getworks": sum(p.getworks for p in state.pools),
        "Accepted": accepted,
        "Rejected": sum(p.rejected for p in state.pools),
        "Hardware Errors": hw,
        "Utility": accepted / minutes,
        "Discarded": sum(p.discarded for p in state.pools),
        "Stale": sum(p.stale for p in state.pools),
        "Get Failures": sum(0 if p.alive else 1 for p in pools),
        "Local Work": sum(p.works for p in state.pools),
        "Remote Failures": state.remote_failures,
        "Network Blocks": state.network_blocks,
        "Total MH": sum(d.total_mh for d in devices),
        "Diff1 Work": diff1,
        "Work Utility": diff1 / minutes,
        "Difficulty Accepted": diff_acc,
        "Difficulty Rejected": diff_rej,
        "Difficulty Stale": diff_stale,
        "Best Share": (state.best_share if api.personality != "cgminer" else int(state.best_share)),
        "Device Hardware%": _ratio(hw, hw + diff1),
        "Device Rejected%": _ratio(sum(d.diff_rejected for d in devices), diff1),
        "Pool Rejected%": _ratio(diff_rej, pool_total),
        "Pool Stale%": _ratio(diff_stale, pool_total),
        "Last getwork": int(now) if pools else 0,
    }
    if api.personality in ("cgminer", "bmminer"):
        values["Best Share"] = int(state.best_share)
    return api._section(call, 11, (), [api.record("summary", values)])


@_handles("devs", "edevs", "procs")
def _devs(api: MinerApi, call: _Call) -> _Reply:
    devices = api._listed_devices()
    if not devices:
        return api._error(call, 10)
    return api._section(call, 9, api._devs_counts(), api._numbered_devices(devices))


@_handles("pools")
def _pools(api: MinerApi, call: _Call) -> _Reply:
    api.state.now()
    pools = api.state.live_pools
    if not pools:
        return api._error(call, 8)
    records = [api.pool_record(n, p) for n, p in enumerate(pools)]
    return api._section(call, 7, (len(pools),), records)


@_handles("pga", "asc", "gpu", "cpu", "proc")
def _one_device(api: MinerApi, call: _Call) -> _Reply:
    kind = _KIND_COMMANDS.get(call.command, "PGA")
    if api.personality == "bfgminer" and call.command in ("pga", "proc"):
        devices = api._listed_devices()
        if not devices:
            return api._error(call, 56)
        if not call.param:
            return api._error(call, 15)
        index = _atoi(call.param)
        if not 0 <= index < len(devices):
            return api._error(call, 58, index, len(devices) - 1)
        record = api.device_record(devices[index], index=index)
        return api._section(call, 57, (index,), [record])
    found = api._device_arg(call, kind)
    if isinstance(found, ReplyBody):
        return found
    index, device = found
    code = {"PGA": 57, "ASC": 106, "GPU": 17, "CPU": 18}[kind]
    return api._section(call, code, (index,), [api.device_record(device)])


@_handles("pgacount", "asccount", "gpucount", "cpucount", "proccount")
def _count(api: MinerApi, call: _Call) -> _Reply:
    kind = _KIND_COMMANDS.get(call.command[:3], "PGA")
    if api.personality == "bfgminer" and kind == "PGA":
        count = len(api._listed_devices())
    else:
        count = len(api.state.devices_of(kind))
    code = {"PGA": 59, "ASC": 104, "GPU": 20, "CPU": 21}[kind]
    return api._section(call, code, (), [api.record("counts", {"Count": count})])


@_handles("notify", "procnotify")
def _notify(api: MinerApi, call: _Call) -> _Reply:
    devices = api._listed_devices()
    if not devices:
        return api._error(call, 10)
    records = [
        api.record(
            "notify",
            {
                "NOTIFY": n,
                "Name": d.driver,
                "ID": d.driver_id,
                "Last Well": int(api.state.clock()),
                "Reason Not Well": "None",
            },
        )
        for n, d in enumerate(devices)
    ]
    return api._section(call, 60, (), records)


@_handles("devdetails", "procdetails")
def _devdetails(api: MinerApi, call: _Call) -> _Reply:
    devices = api._listed_devices()
    if not devices:
        return api._error(call, 10)
    records = [
        api.record(
            "devdetails",
            {
                "DEVDETAILS": n,
                "Name": d.driver,
                "ID": d.driver_id,
                "ProcID": 0,
                "Processors": 1,
                "Driver": _DRIVER_NAMES.get(d.driver, d.driver.lower()),
                "Model": d.model,
                "Device Path": "",
            },
        )
        for n, d in enumerate(devices)
    ]
    return api._section(call, 69, (), records)


def _bitmain_extras(api: MinerApi, devices: list[Device]) -> dict[str, object]:
    """The Antminer driver fields of bmminer's `stats` (fans, temperatures, chains)."""
    extras: dict[str, object] = {}

    def add(name: str, api_type: ApiType, value: object) -> None:
        extras[name] = Field(name, api_type, value)

    total = api.state.mhs_window(None, "5s") / 1000.0
    add("GHS 5s", ApiType.STRING, f"{total:.2f}")
    av = api.state.mhs_av()
    add("GHS av", ApiType.MHS, av / 1000.0 if math.isfinite(av) else 0.0)
    add("miner_count", ApiType.INT, len(devices))
    add("frequency", ApiType.STRING, "637")
    add("fan_num", ApiType.INT, 2)
    fan_rpm = devices[0].fan_rpm * 2 if devices else 0
    for n in range(1, 9):
        add(f"fan{n}", ApiType.INT, fan_rpm if n in (3, 6) else 0)
    add("temp_num", ApiType.INT, len(devices))
    for n in range(1, 17):
        chain = n - 6
        temp = devices[chain].temperature if 0 <= chain < len(devices) else 0
        add(f"temp{n}", ApiType.INT, int(temp))
    for n in range(1, 17):
        chain = n - 6
        temp = devices[chain].temperature + 15 if 0 <= chain < len(devices) else 0
        add(f"temp2_{n}", ApiType.INT, int(temp))
    add("total_rateideal", ApiType.MHS, sum(d.nominal_mhs for d in devices) / 1000.0)
    add("total_acn", ApiType.INT, 63 * len(devices))
    add("total_rate", ApiType.MHS, total)
    for n in range(1, 17):
        chain = n - 6
        device = devices[chain] if 0 <= chain < len(devices) else None
        rate = api.state.mhs_window(device, "5s") / 1000.0 if device else 0.0
        add(f"chain_rate{n}", ApiType.STRING, f"{rate:.2f}" if device else "")
        add(f"chain_acn{n}", ApiType.INT, 63 if device else 0)
        add(f"chain_hw{n}", ApiType.INT, device.hardware_errors if device else 0)
    return extras


@_handles("stats", "estats", "dbgstats")
def _stats(api: MinerApi, call: _Call) -> _Reply:
    state = api.state
    elapsed = float(int(state.now() - state.started))
    common = {"Elapsed": elapsed, "Calls": 0, "Wait": 0.0, "Max": 0.0, "Min": 99999999.0}
    records: list[list[Field]] = []
    devices = api._listed_devices()
    if api.personality == "bmminer" and call.command == "stats":
        records.append(api.record("stats_version", dict(api.info.version)))
        values = {"STATS": 0, "ID": "BC50", **common, **_bitmain_extras(api, devices)}
        records.append(api.record("stats", values))
        return api._section(call, 70, (), records)
    for n, device in enumerate(devices):
        records.append(
            api.record("stats", {"STATS": n, "ID": f"{device.driver}{device.driver_id}", **common})
        )
    if call.command == "stats":
        for pool_index, pool in enumerate(state.live_pools):
            values = {
                "STATS": len(records),
                "ID": f"POOL{pool_index}",
                **common,
                "Pool Calls": 0,
                "Pool Attempts": 0,
                "Pool Wait": 0.0,
                "Pool Max": 0.0,
                "Pool Min": 99999999.0,
                "Pool Av": 0.0,
                "Work Diff": pool.difficulty,
                "Min Diff": pool.difficulty,
                "Max Diff": pool.difficulty,
                "Times Sent": pool.accepted + pool.rejected,
                "Times Recv": pool.getworks,
            }
            pool_only = {
                k: values.pop(k)
                for k in list(values)
                if k.startswith(
                    ("Pool ", "Work ", "Min Diff", "Max Diff", "Times ", "Bytes ", "Net ")
                )
            }
            records.append(api.record("stats", values) + api.record("stats_pool", pool_only))
    code = 126 if call.command == "dbgstats" else 70
    return api._section(call, code, (), records)


@_handles("coin")
def _coin(api: MinerApi, call: _Call) -> _Reply:
    values: dict[str, object] = {
        "Hash Method": "scrypt" if api.personality == "sgminer" else "sha256",
        "Current Block Time": float(int(api.state.started)) + 0.5,
        "Current Block Hash": f"{api.state.seed & 0xFFFFFFFF:08x}" + "0" * 56,
        "LP": True,
        "Network Difficulty": 1.0e12,
        "Difficulty Accepted": sum(p.diff_accepted for p in api.state.pools),
    }
    if api.personality == "bfgminer":
        values["Current Block Time"] = int(api.state.started)
        return api._section(call, 78, (), [api.record("coin", values)], keys=["COIN"])
    return api._section(call, 78, (), [api.record("coin", values)])


@_handles("check")
def _check(api: MinerApi, call: _Call) -> _Reply:
    if call.param is None:
        return api._error(call, 71)
    exists = call.param in api.commands
    access = exists and api.access.may_use(call.group, call.param)
    record = api.record(
        "check", {"Exists": "Y" if exists else "N", "Access": "Y" if access else "N"}
    )
    return api._section(call, 72, (), [record])


@_handles("lcd")
def _lcd(api: MinerApi, call: _Call) -> _Reply:
    state = api.state
    pool = state.current_pool
    av = state.mhs_av()
    values: dict[str, object] = {
        "Elapsed": float(int(state.now() - state.started)),
        "GHS av": av / 1000.0 if math.isfinite(av) else 0.0,
        "GHS 5m": state.mhs_window(None, "5m") / 1000.0,
        "GHS 5s": state.mhs_window(None, "5s") / 1000.0,
        "Temperature": max((d.temperature for d in state.devices), default=0.0),
        "Last Share Difficulty": pool.difficulty if pool and pool.accepted else 0.0,
        "Last Share Time": pool.last_share_time if pool else 0,
        "Best Share": int(state.best_share),
        "Last Valid Work": int(state.clock()),
        "Found Blocks": state.found_blocks,
        "Current Pool": pool.url if pool else "",
        "User": pool.user if pool else "",
    }
    return api._section(call, 125, (), [api.record("lcd", values)])


@_handles("usbstats")
def _usbstats(api: MinerApi, call: _Call) -> _Reply:
    return api._error(call, 88)


@_handles("profiles")
def _profiles(api: MinerApi, call: _Call) -> _Reply:
    profiles = api.state.profiles
    if not profiles:
        return api._error(call, 130)
    listed = [*profiles, Profile("default", "scrypt")]
    records = [
        api.record(
            "profiles",
            {
                "PROFILE": n,
                "Name": p.name,
                "IsDefault": n == len(listed) - 1,
                "Algorithm": p.algorithm,
                "Algorithm Type": p.algorithm,
            },
        )
        for n, p in enumerate(listed)
    ]
    return api._section(call, 129, (len(listed),), records)


# ====================================================================== control


@_handles("privileged")
def _privileged(api: MinerApi, call: _Call) -> _Reply:
    return api._ok(call, 46)


@_handles("lockstats")
def _lockstats(api: MinerApi, call: _Call) -> _Reply:
    return api._error(call, 124)


@_handles("quit", "restart")
def _quit(api: MinerApi, call: _Call) -> _Reply:
    restart = call.command == "restart"
    reply = render_quit(
        api.personality, call.form, restart=restart, when=call.when, description=api.description
    )
    return Handled(reply, "restart" if restart else "quit")


@_handles("switchpool")
def _switchpool(api: MinerApi, call: _Call) -> _Reply:
    found = api._pool_arg(call)
    if isinstance(found, ReplyBody):
        return found
    index, pool = found
    api.state.switch_pool(index)
    return api._ok(call, 27, index, pool.url)


@_handles("enablepool")
def _enablepool(api: MinerApi, call: _Call) -> _Reply:
    found = api._pool_arg(call)
    if isinstance(found, ReplyBody):
        return found
    index, pool = found
    if pool.enabled == "Enabled":
        return api._ok(call, 49, index, pool.url)
    pool.enabled = "Enabled"
    api.state.reselect_pool()
    return api._ok(call, 47, index, pool.url)


@_handles("disablepool")
def _disablepool(api: MinerApi, call: _Call) -> _Reply:
    found = api._pool_arg(call)
    if isinstance(found, ReplyBody):
        return found
    index, pool = found
    if pool.enabled == "Disabled":
        return api._ok(call, 50, index, pool.url)
    enabled = sum(1 for p in api.state.live_pools if p.enabled == "Enabled")
    if api.personality != "sgminer" and enabled <= 1:
        return api._error(call, 51, index, pool.url)
    api.state.now()
    pool.enabled = "Disabled"
    api.state.reselect_pool()
    return api._ok(call, 48, index, pool.url)


@_handles("removepool")
def _removepool(api: MinerApi, call: _Call) -> _Reply:
    found = api._pool_arg(call)
    if isinstance(found, ReplyBody):
        return found
    index, pool = found
    if len(api.state.live_pools) <= 1:
        return api._error(call, 66, index, pool.url)
    if api.state.current_pool is pool:
        return api._error(call, 67, index, pool.url)
    api.state.remove_pool(index)
    return api._ok(call, 68, index, escape(pool.url, call.form))


@_handles("addpool")
def _addpool(api: MinerApi, call: _Call) -> _Reply:
    if not call.param:
        return api._error(call, 52)
    fields = split_addpool(call.param)
    if len(fields) < 3:
        return api._error(call, 53, escape(call.param, call.form))
    url, user, password = fields[:3]
    index = api.state.add_pool(url, user, password, reachable=_reachable(api, url))
    pool = api.state.live_pools[index]
    if api.personality == "sgminer":
        extra = [*fields[3:], "", "", "", ""]
        pool.name, pool.description, pool.profile = extra[0], extra[1], extra[2]
        pool.algorithm = extra[3] or pool.algorithm
    api.state.reselect_pool()
    if api.personality in ("cgminer", "bmminer"):
        return api._ok(call, 55, index, url)
    return api._ok(call, 55, escape(url, call.form))


def _reachable(api: MinerApi, url: str) -> bool:
    return api.state.reachable(url)


@_handles("poolpriority")
def _poolpriority(api: MinerApi, call: _Call) -> _Reply:
    pools = api.state.live_pools
    if not pools:
        return api._error(call, 8)
    if not call.param:
        return api._error(call, 25)
    order: list[int] = []
    for piece in call.param.split(","):
        index = _atoi(piece)
        if not 0 <= index < len(pools):
            return api._error(call, 26, index, len(pools) - 1)
        if index in order:
            return api._error(call, 74, index)
        order.append(index)
    api.state.set_priorities(order)
    return api._ok(call, 73)


@_handles("poolquota")
def _poolquota(api: MinerApi, call: _Call) -> _Reply:
    pools = api.state.live_pools
    if not pools:
        return api._error(call, 8)
    if not call.param:
        return api._error(call, 25)
    id_text, comma, quota_text = call.param.partition(",")
    if not comma:
        return api._error(call, 86, call.param)
    index = _atoi(id_text)
    if not 0 <= index < len(pools):
        return api._error(call, 26, index, len(pools) - 1)
    pool = pools[index]
    quota = _atoi(quota_text)
    if quota < 0:
        return api._error(call, 121, quota, pool.url)
    pool.quota = quota
    return api._ok(call, 122, pool.url, quota)


@_handles("save")
def _save(api: MinerApi, call: _Call) -> _Reply:
    name = call.param or api.info.config_file
    shown = escape(name, call.form)
    target = _save_path(api.save_dir, name)
    if target is None:
        return api._error(call, 43, shown)
    try:
        target.write_text(json.dumps(api.config_document(), indent=1) + "\n", encoding="utf-8")
    except OSError:
        return api._error(call, 43, shown)
    api.state.saves.append(str(target))
    return api._ok(call, 44, shown)


def _save_path(save_dir: Path | None, name: str) -> Path | None:
    """Where `save|name` writes: inside `save_dir` only (None: cannot write)."""
    if save_dir is None:
        return None
    root = save_dir.resolve()
    target = (root / name).resolve()
    if target != root and root not in target.parents:
        return None
    return target


@_handles("failover-only")
def _failover_only(api: MinerApi, call: _Call) -> _Reply:
    if api.personality == "cgminer":
        return api._error(call, 127, call.param)
    if not call.param:
        return api._error(call, 75)
    first = call.param[0].lower()
    if first not in "tf":
        return api._error(call, 76)
    api.state.failover_only = first == "t"
    return api._ok(call, 77, api.state.failover_only)


@_handles("debug")
def _debug(api: MinerApi, call: _Call) -> _Reply:
    flags = api.state.debug
    setting = (call.param or "")[:1].lower()
    if setting == "s":
        flags["Silent"] = True
    elif setting == "q":
        flags["Quiet"] = not flags["Quiet"]
    elif setting == "v":
        flags["Verbose"] = not flags["Verbose"]
        if flags["Verbose"]:
            flags["Quiet"] = False
    elif setting == "d":
        flags["Debug"] = not flags["Debug"]
        flags["Verbose"] = flags["Debug"]
        if flags["Debug"]:
            flags["Quiet"] = False
    elif setting == "r":
        flags["RPCProto"] = not flags["RPCProto"]
        if flags["RPCProto"]:
            flags["Quiet"] = False
    elif setting == "p":
        flags["PerDevice"] = not flags["PerDevice"]
        flags["Verbose"] = flags["PerDevice"]
    elif setting == "n":
        for key in ("Verbose", "Debug", "Quiet", "RPCProto", "PerDevice", "WorkTime"):
            flags[key] = False
    elif setting == "w":
        flags["WorkTime"] = not flags["WorkTime"]
    return api._section(call, 79, (), [api.record("debug", dict(flags))])


@_handles("setconfig")
def _setconfig(api: MinerApi, call: _Call) -> _Reply:
    if api.personality == "cgminer":
        if call.param is None:
            return Handled(b"", "crash")  # strcasecmp(NULL, ...) (NOTES 12)
        writer = ReplyWriter(api.personality, call.form)
        if call.param.lower() in ("queue", "scantime", "expiry"):
            writer.message(api._status(call, 127, call.param))
        writer.message(api._status(call, 83, call.param))
        return writer.body()
    if not call.param:
        return api._error(call, 85)
    name, comma, value_text = call.param.partition(",")
    if not comma:
        return api._error(call, 86, call.param)
    value = _atoi(value_text)
    if not 0 <= value <= 9999:
        return api._error(call, 84, value, name)
    attribute = {"queue": "queue", "scantime": "scantime", "expiry": "expiry"}.get(name.lower())
    if attribute is None:
        return api._error(call, 83, name)
    setattr(api.state, attribute, value)
    return api._ok(call, 82, name, value)


@_handles("zero")
def _zero(api: MinerApi, call: _Call) -> _Reply:
    if not call.param:
        return api._error(call, 94)
    which, comma, flag = call.param.partition(",")
    if not comma or not flag:
        return api._error(call, 75)
    if flag[0].lower() not in "tf":
        return api._error(call, 76)
    with_summary = flag[0].lower() == "t"
    if which.lower() == "all":
        api.state.zero(best_share_only=False)
        shown = "All"
    elif which.lower() == "bestshare":
        api.state.zero(best_share_only=True)
        shown = "BestShare"
    else:
        return api._error(call, 95, which)
    return api._ok(call, 96 if with_summary else 97, shown)


@_handles("hotplug")
def _hotplug(api: MinerApi, call: _Call) -> _Reply:
    if "usb" not in api.features:
        return api._error(call, 102)
    if not call.param:
        return api._error(call, 103)
    value = _atoi(call.param)
    if not 0 <= value <= 9999:
        return api._error(call, 99, call.param)
    api.state.hotplug = value
    return api._ok(call, 101) if value == 0 else api._ok(call, 100, value)


# ====================================================================== device control

_ENABLE_CODES: dict[DeviceKind, tuple[int, int, int, int]] = {
    # already enabled, enabled, already disabled, disabled
    "PGA": (61, 63, 62, 64),
    "ASC": (108, 110, 109, 111),
    "GPU": (2, 5, 3, 12),
    "CPU": (98, 101, 99, 102),
}


@_handles(
    "pgaenable",
    "pgadisable",
    "ascenable",
    "ascdisable",
    "gpuenable",
    "gpudisable",
    "cpuenable",
    "cpudisable",
    "procenable",
    "procdisable",
)
def _enable(api: MinerApi, call: _Call) -> _Reply:
    kind = _KIND_COMMANDS.get(call.command[:3], "PGA")
    found = api._device_arg(call, kind)
    if isinstance(found, ReplyBody):
        return found
    index, device = found
    already_on, turned_on, already_off, turned_off = _ENABLE_CODES[kind]
    api.state.now()
    if call.command.endswith("enable"):
        if device.enabled:
            return api._ok(call, already_on, index)
        if kind == "GPU" and device.status != "Alive":
            return api._ok(call, 4, index)
        device.enabled = True
        return api._ok(call, turned_on, index)
    if not device.enabled:
        return api._ok(call, already_off, index)
    device.enabled = False
    return api._ok(call, turned_off, index)


@_handles("gpurestart", "cpurestart", "pgarestart")
def _restart_device(api: MinerApi, call: _Call) -> _Reply:
    kind = _KIND_COMMANDS.get(call.command[:3], "PGA")
    found = api._device_arg(call, kind)
    if isinstance(found, ReplyBody):
        return found
    index, device = found
    api.state.now()
    device.restarts += 1
    device.status = "Alive"
    if kind == "PGA":
        return api._ok(call, 0x101, None)  # MSG_PGAREI collides with MSG_BYE (NOTES 25)
    return api._ok(call, 13 if kind == "GPU" else 103, index)


@_handles("pgaidentify", "ascidentify", "procidentify")
def _identify(api: MinerApi, call: _Call) -> _Reply:
    kind: DeviceKind = "ASC" if call.command.startswith("asc") else "PGA"
    found = api._device_arg(call, kind)
    if isinstance(found, ReplyBody):
        return found
    return api._ok(call, 113 if kind == "ASC" else 80, found[0])


@_handles("pgaset", "ascset", "procset")
def _devset(api: MinerApi, call: _Call) -> _Reply:
    kind: DeviceKind = "ASC" if call.command.startswith("asc") else "PGA"
    found = api._device_arg(call, kind)
    if isinstance(found, ReplyBody):
        return found
    index, device = found
    missing, helped, ok, failed = (116, 118, 119, 120) if kind == "ASC" else (89, 91, 92, 93)
    _, comma, rest = (call.param or "").partition(",")
    option, _, value = rest.partition(",")
    if not comma or not option:
        return api._error(call, missing)
    if option.lower() == "help":
        return api._ok(call, helped, index, "fan: 0-100 percent; clock: MHz")
    if option.lower() == "fan" and 0 <= _atoi(value) <= 100 and value:
        device.fan_percent = _atoi(value)
        return api._ok(call, ok, index)
    if option.lower() == "clock" and _atoi(value) > 0:
        device.engine_clock = _atoi(value)
        return api._ok(call, ok, index)
    return api._error(call, failed, index, f"invalid option {option}")


@_handles("gpuintensity", "gpuxintensity", "gpurawintensity")
def _intensity(api: MinerApi, call: _Call) -> _Reply:
    found = api._gpu_value(call)
    if isinstance(found, ReplyBody):
        return found
    index, device, value = found
    if call.command == "gpuintensity":
        low = -10 if api.personality == "bfgminer" else 8
        if value[:1] in ("d", "D"):
            device.intensity = "D"
            return api._ok(call, 32, index, "D")
        number = _atoi(value)
        if not low <= number <= 31:
            return api._error(call, 31, value)
        device.intensity = str(number)
        return api._ok(call, 32, index, device.intensity)
    number = _atoi(value)
    if call.command == "gpuxintensity":
        if not 1 <= number <= 9999:
            return api._error(call, 140, value)
        device.xintensity = number
        return api._ok(call, 141, index, str(number))
    if not 1 <= number <= 2147483647:
        return api._error(call, 142, value)
    device.rawintensity = number
    return api._ok(call, 143, index, str(number))


_GPU_SETTINGS = {
    # command: (attribute, low, high, success code, failure code)
    "gpufan": ("fan_percent", 0, 100, 41, 40),
    "gpuengine": ("engine_clock", 1, 2000, 37, 36),
    "gpumem": ("memory_clock", 1, 2500, 35, 34),
    "gpuvddc": ("vddc", 0.5, 1.5, 39, 38),
}


@_handles("gpufan", "gpuengine", "gpumem", "gpuvddc")
def _gpu_setting(api: MinerApi, call: _Call) -> _Reply:
    found = api._gpu_value(call)
    if isinstance(found, ReplyBody):
        return found
    index, device, value = found
    if api.personality != "sgminer":
        return api._error(call, 29)
    attribute, low, high, success, failure = _GPU_SETTINGS[call.command]
    if call.command == "gpuvddc":
        try:
            number: float = float(value)
        except ValueError:
            number = 0.0
    else:
        number = _atoi(value)
    if not low <= number <= high:
        return api._error(call, failure, index, value)
    setattr(device, attribute, number)
    return api._ok(call, success, index, value)


@_handles("devscan")
def _devscan(api: MinerApi, call: _Call) -> _Reply:
    return api._section(call, 256, (0,), [])


# ====================================================================== sgminer profiles


@_handles("changestrategy")
def _changestrategy(api: MinerApi, call: _Call) -> _Reply:
    if not call.param:
        return api._error(call, 126)
    strategy_text, comma, interval_text = call.param.partition(",")
    strategy = _atoi(strategy_text)
    if not 0 <= strategy < len(STRATEGIES):
        return api._error(call, 127)
    if strategy == 2:
        if not comma or not interval_text:
            return api._error(call, 128)
        interval = _atoi(interval_text)
        if not 0 <= interval <= 9999:
            return api._error(call, 84, interval, "rotate")
        api.state.rotate_period = interval
    api.state.strategy = strategy
    api.state.reselect_pool()
    return api._ok(call, 125, STRATEGIES[strategy])


@_handles("addprofile")
def _addprofile(api: MinerApi, call: _Call) -> _Reply:
    if call.param is None:
        return Handled(b"", "crash")  # strdup(NULL) (NOTES 13)
    if not call.param:
        return api._error(call, 132)
    name, _, rest = call.param.partition(":")
    if any(p.name == name for p in api.state.profiles) or name == "default":
        return api._error(call, 131, name)
    algorithm, _, settings = rest.partition(":")
    api.state.profiles.append(Profile(name, algorithm, settings))
    return api._ok(call, 133, name)


@_handles("removeprofile")
def _removeprofile(api: MinerApi, call: _Call) -> _Reply:
    if not call.param:
        return api._error(call, 134)
    names = [p.name for p in api.state.profiles]
    if call.param == "default":
        return api._error(call, 136, call.param)
    if call.param not in names:
        return api._error(call, 135, call.param)
    if any(p.profile == call.param for p in api.state.live_pools):
        return api._error(call, 137, call.param)
    index = names.index(call.param)
    del api.state.profiles[index]
    return api._ok(call, 138, index, call.param)


@_handles("changepoolprofile")
def _changepoolprofile(api: MinerApi, call: _Call) -> _Reply:
    pools = api.state.live_pools
    if not pools:
        return api._error(call, 8)
    if not call.param:
        return api._error(call, 25)
    id_text, comma, name = call.param.partition(",")
    index = _atoi(id_text)
    if not 0 <= index < len(pools):
        return api._error(call, 26, index, len(pools) - 1)
    if not comma or not name:
        return api._error(call, 134)
    if name not in [p.name for p in api.state.profiles] and name != "default":
        return api._error(call, 135, name)
    pools[index].profile = name
    return api._ok(call, 139, index, name)


def _check_handlers() -> None:
    missing = set(COMMANDS) - set(_HANDLERS)
    if missing:  # pragma: no cover - a table change without a handler
        raise AssertionError(f"no fake-miner handler for {sorted(missing)}")


_check_handlers()
