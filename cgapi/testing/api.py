"""The miner side of the RPC API, sans IO: request bytes and a client address in, reply bytes out.

`MinerApi.handle()` does what a cgminer-family `api()` thread does with one
connection: pick the form from the first byte, check the client's address and
group, dispatch the command (or every piece of an `a+b` request) by exact name,
change the state and render the reply with the personality's code table,
field tables and number formats (`cgapi.testing._render`).

Each handler follows the C function of the same command in the miners' `api.c`
(cgminer 4.11.1, sgminer 5.x, bfgminer 5.x; bmminer is cgminer 4.9 with Bitmain's
changes): the same checks in the same order, the same codes and parameters, the
same fields.  Where the three differ the handler says so.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..commands import COMMANDS
from ..errors import BadRequest
from ..protocol import decode_request
from ._render import (
    ApiType,
    Field,
    ReplyBody,
    ReplyWriter,
    command_body,
    finish,
    join_commands,
    render_body,
    render_multi,
    render_quit,
    section_fields,
    status_fields,
)
from .state import STRATEGIES, Device, DeviceKind, Pool, Profile, is_stratum_url

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
    command: str = dataclasses.field(default="", compare=False)
    """The command asked for (`a+b` for a joined request; empty when unreadable)."""


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

# Commands a build only has with a driver class (cg `#ifdef HAVE_AN_FPGA` / `HAVE_AN_ASIC`,
# bfg `#ifdef USE_OPENCL` / `USE_CPUMINING`); the count commands are always there.
_FPGA_ONLY = frozenset({"pga", "pgaenable", "pgadisable", "pgaidentify", "pgaset"})
_ASIC_ONLY = frozenset({"asc", "ascenable", "ascdisable", "ascidentify", "ascset"})
_BFG_OPENCL_ONLY = frozenset(
    {
        "gpu",
        "gpuenable",
        "gpudisable",
        "gpurestart",
        "gpuintensity",
        "gpumem",
        "gpuengine",
        "gpufan",
        "gpuvddc",
    }
)
_BFG_CPUMINING_ONLY = frozenset({"cpu", "cpuenable", "cpudisable", "cpurestart"})

_DRIVER_NAMES = {
    "BTM": "bitmain",
    "AVA": "avalon",
    "BFL": "bitforce",
    "ICA": "icarus",
    "GPU": "opencl",
    "OCL": "opencl",
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

# cgminer util.c `proxynames[]`: a pool URL `<name><proxy>|<url>` goes through a proxy.
_PROXY_NAMES = ("http:", "http0:", "socks4:", "socks5:", "socks4a:", "socks5h:")

# sgminer `algorithm_type_str[]` for the algorithms the fake knows.
_ALGORITHM_TYPES = {"scrypt": "Scrypt", "nscrypt": "NScrypt", "x11": "X11", "x13": "X13"}
_DEFAULT_ALGORITHM = "scrypt"


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
    if personality == "bfgminer":
        if "opencl" not in feats:
            names -= _BFG_OPENCL_ONLY
        if "cpumining" not in feats:
            names -= _BFG_CPUMINING_ONLY
    return frozenset(names)


def _default(api_type: ApiType) -> object:
    if api_type in _STRING_TYPES:
        return ""
    if api_type is ApiType.BOOL:
        return False
    if api_type in _INT_TYPES:
        return 0
    return 0.0


_ATOI = re.compile(r"[ \t\n\r\f\v]*([+-]?[0-9]*)")
_ATOF = re.compile(r"[ \t\n\r\f\v]*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")


def _atoi(text: str | None) -> int:
    """C `atoi`: optional sign and leading digits, garbage gives 0 (wrapped to `int`)."""
    if not text:
        return 0
    digits = _ATOI.match(text)
    assert digits is not None  # the pattern matches the empty string
    number = digits.group(1)
    value = int(number) if number.lstrip("+-") else 0
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def _atof(text: str) -> float:
    """C `atof` for plain decimals: the leading number, garbage gives 0.0."""
    match = _ATOF.match(text)
    return float(match.group(1)) if match else 0.0


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _copy_field(param: str, pos: int) -> tuple[str, int]:
    """api.c `copyadvanceafter(',')`: copy up to an unescaped `,`, then skip it."""
    out: list[str] = []
    end = len(param)
    while pos < end and param[pos] != ",":
        if param[pos] == "\\" and pos + 1 < end:
            pos += 1
        out.append(param[pos])
        pos += 1
    return "".join(out), pos + 1 if pos < end else pos


def _pooldetails(param: str, optional: int) -> list[str] | None:
    """api.c `pooldetails()`: URL, user, password, then up to `optional` more fields.

    The parameter must still have characters left after the URL and after the user:
    `url,user,` (an empty password at the end) is refused, as `url,user` is.
    """
    fields: list[str] = []
    pos = 0
    for n in range(3 + optional):
        value, pos = _copy_field(param, pos)
        fields.append(value)
        if pos >= len(param):
            return fields if n >= 2 else None
    return fields


def _split_proxy(url: str) -> tuple[str, str, str, str]:
    """cgminer `get_proxy()`: `(proxy type, proxy, pool URL, what is left of url)`.

    `get_proxy()` cuts the caller's string at the `|`, so sgminer and bfgminer, which
    print the `url` they passed in, show only `<type><proxy>` in the `addpool` Msg.
    """
    for name in _PROXY_NAMES:
        if url.startswith(name):
            head, bar, rest = url.partition("|")
            if not bar:
                break
            return name, head[len(name) :], rest, head
    return "", "", url, url


_EXPONENT = re.compile(r"[0-9.][eE][+-]?[0-9]")


def _refuse(token: str) -> object:
    raise ValueError(f"jansson has no {token}")


def _jansson_checks(data: bytes) -> None:
    """What jansson refuses and Python's json accepts: invalid UTF-8, `NaN`/`Infinity`
    and reals too large for a double (Python makes them `inf`).  Raises ValueError."""
    text = data.decode("utf-8")
    if "NaN" in text or "Infinity" in text:
        json.loads(text, parse_constant=_refuse)
    if _EXPONENT.search(text):
        json.loads(text, parse_float=_finite_float)


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise ValueError(f"real number overflow: {token}")
    return value


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

_KIND_CODES: dict[DeviceKind, tuple[int, int, int]] = {
    # (no devices of this kind, invalid id, the one-device report)
    "PGA": (56, 58, 57),
    "ASC": (105, 107, 106),
    "GPU": (6, 1, 17),
    "CPU": (16, 19, 18),
}


def _kind_of(command: str) -> DeviceKind:
    """The device kind a device command addresses (`proc*` count like `pga*`)."""
    prefix = command[:3]
    if prefix == "asc":
        return "ASC"
    if prefix == "gpu":
        return "GPU"
    if prefix == "cpu":
        return "CPU"
    return "PGA"


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
        self._cg = self.personality in ("cgminer", "bmminer")

    # ------------------------------------------------------------------ entry point

    def handle(self, data: bytes, client: str) -> Handled:
        """Answer one connection's request from `client` exactly as the miner would."""
        group = self.access.group_of(client)
        if group is None:
            return Handled(b"")  # accepted, then closed with zero bytes
        data = data[: self.info.max_request]
        when = int(self.state.now())
        if data[:1] != b"{":
            # Text: a C string split at the first '|'; bytes are kept as they are.
            text = data.split(b"\x00", 1)[0].decode("utf-8", "surrogateescape")
            command, bar, param = text.partition("|")
            call = _Call(command, param if bar else None, "text", group, when)
        else:
            try:
                _jansson_checks(data)
                request = decode_request(data)
            except (BadRequest, ValueError) as error:
                code = error.code if isinstance(error, BadRequest) else 23
                return Handled(finish(self._error(_Call("", None, "json", group, when), code)))
            json_param = request.parameter
            if "\x00" in request.command or (json_param is not None and "\x00" in json_param):
                # jansson refuses "\u0000" in strings unless asked to allow it
                return Handled(finish(self._error(_Call("", None, "json", group, when), 23)))
            call = _Call(request.command, json_param, "json", group, when)
        if "+" in call.command:
            return Handled(self._multi(call), command=call.command)
        result = self._dispatch(call, joined=False)
        if isinstance(result, Handled):
            return dataclasses.replace(result, command=call.command)
        return Handled(finish(result), command=call.command)

    def _dispatch(self, call: _Call, *, joined: bool) -> _Reply:
        name = call.command
        if name not in self.commands:
            return self._error(call, 14)
        if (joined and not COMMANDS[name].joinable) or not self.access.may_use(call.group, name):
            return self._error(call, 45, name)
        return _HANDLERS[name](self, call)

    def _multi(self, call: _Call) -> bytes:
        """`a+b`: parameters dropped, known repeats skipped, blanks skipped."""
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
        keys: list[str] | None = None,
    ) -> ReplyBody:
        status = self._status(call, code, *params)
        return command_body(self.personality, call.form, call.command, status, records, keys=keys)

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

    # ------------------------------------------------------------------ devices

    def _devices_of(self, kind: DeviceKind) -> list[Device]:
        """The devices a `<kind>*` command counts.

        cgminer counts ASCs and PGAs only when built with such drivers; bfgminer's
        `pga*`/`proc*` commands count every device (`numpgas()`), whatever its kind.
        """
        if self.personality == "bfgminer" and kind == "PGA":
            return self.state.devices
        if self._cg and kind not in ("ASC", "PGA"):
            return []
        if self._cg and ("asic" if kind == "ASC" else "fpga") not in self.features:
            return []
        return self.state.devices_of(kind)

    def _all_devices(self) -> list[Device]:
        """Every device in the miner's `devices[]` order (`notify`, `devdetails`, `stats`)."""
        if self.personality == "bfgminer":
            return self.state.devices
        if self.personality == "sgminer":
            return self.state.devices_of("GPU")
        listed = set(map(id, self._devices_of("ASC") + self._devices_of("PGA")))
        return [d for d in self.state.devices if id(d) in listed]

    def device_record(
        self, device: Device, *, index: int | None = None, per_proc: bool = False
    ) -> list[Field]:
        """A device in `devs` format (`ASC=n`, `PGA=n`, `GPU=n`)."""
        state = self.state
        now = state.clock()
        elapsed = max(1.0, now - device.started)
        mhs_5s = state.mhs_window(device, "5s")
        values: dict[str, object] = {
            "Name": device.driver,
            "ID": device.driver_id,
            "Enabled": "Y" if device.enabled else "N",
            "Status": device.status,
            "Temperature": device.temperature,
            "MHS av": device.total_mh / elapsed,
            self._mhs: mhs_5s,
            "Accepted": device.accepted,
            "Rejected": device.rejected,
            "Hardware Errors": device.hardware_errors,
            "Utility": device.accepted * 60.0 / elapsed,
            "Last Share Pool": device.last_share_pool if device.last_share_time else -1,
            "Last Share Time": device.last_share_time,
            "Total MH": device.total_mh,
            "Difficulty Accepted": device.diff_accepted,
            "Difficulty Rejected": device.diff_rejected,
            "Last Share Difficulty": device.last_share_difficulty,
            "Last Valid Work": device.last_valid_work or int(now),
            "Device Hardware%": _ratio(
                device.hardware_errors, device.hardware_errors + device.diff1
            ),
            "Device Rejected%": _ratio(device.diff_rejected, device.diff1),
            "Device Elapsed": elapsed,
        }
        if self._cg:
            section = "asc" if device.kind == "ASC" else "pga"
            values["MHS 1m"] = state.mhs_window(device, "1m")
            values["MHS 5m"] = state.mhs_window(device, "5m")
            values["MHS 15m"] = state.mhs_window(device, "15m")
            values["Diff1 Work"] = int(device.diff1)
            if "usb" in self.features:
                values["No Device"] = False
        elif self.personality == "sgminer":
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
                    "KHS av": device.total_mh / elapsed * 1000.0,
                    f"KHS {state.log_interval}s": mhs_5s * 1000.0,
                    "Intensity": device.intensity,
                    "XIntensity": device.xintensity,
                    "RawIntensity": device.rawintensity,
                    "Diff1 Work": device.diff1,
                }
            )
        else:
            # bfg devstatus_an(): every device is a `PGA`; optional fields as the C code.
            section = "pga"
            values.update(
                {
                    "MHS rolling": mhs_5s,
                    "Stale": 0,
                    "Last Share Pool": max(device.last_share_pool, 0),
                    "Diff1 Work": device.diff1,
                    "Work Utility": device.diff1 * 60.0 / elapsed,
                    "Difficulty Stale": 0.0,
                }
            )
            if per_proc:
                values["ProcID"] = 0
            if device.temperature <= 0:
                del values["Temperature"]
            if device.last_share_difficulty <= 0:
                del values["Last Share Difficulty"]
            if device.kind == "GPU":
                values.update(self._bfg_opencl_extras(device))
        values[section.upper()] = device.index if index is None else index
        return self.record(section, values)

    @staticmethod
    def _bfg_opencl_extras(device: Device) -> dict[str, object]:
        """bfg `get_opencl_api_extra_device_status()` (no ADL: the sensor values are 0)."""
        extras: dict[str, object] = {}
        for name, api_type, value in (
            ("Fan Speed", ApiType.INT, 0),
            ("Fan Percent", ApiType.INT, 0),
            ("GPU Clock", ApiType.INT, 0),
            ("Memory Clock", ApiType.INT, 0),
            ("GPU Voltage", ApiType.VOLTS, 0.0),
            ("GPU Activity", ApiType.INT, 0),
            ("Powertune", ApiType.INT, 0),
            ("Intensity", ApiType.STRING, device.intensity),
        ):
            extras[name] = Field(name, api_type, value)
        return extras

    def _device_arg(self, call: _Call, kind: DeviceKind) -> tuple[int, Device] | ReplyBody:
        """The checks every device command starts with: none, no id, invalid id."""
        devices = self._devices_of(kind)
        none_code, invalid_code, _ = _KIND_CODES[kind]
        if not devices:
            return self._error(call, none_code)
        if not call.param:
            return self._error(call, 15)
        index = _atoi(call.param)
        if not 0 <= index < len(devices):
            return self._error(call, invalid_code, index, len(devices) - 1)
        return index, devices[index]

    def _gpu_value(self, call: _Call) -> tuple[int, Device, str] | ReplyBody:
        """sg/bfg `splitgpuvalue()`: GPUNON, MISID, MISVAL, INVGPU."""
        devices = self._devices_of("GPU")
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

    # ------------------------------------------------------------------ pools

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
            "Diff1 Shares": pool.diff1_shares,
            "Proxy Type": pool.proxy_type,
            "Proxy": (pool.proxy if pool.proxy_type else Field("Proxy", ApiType.CONST, "")),
            "Difficulty Accepted": pool.diff_accepted,
            "Difficulty Rejected": pool.diff_rejected,
            "Difficulty Stale": pool.diff_stale,
            "Last Share Difficulty": pool.last_share_difficulty,
            "Has Stratum": pool.has_stratum,
            "Stratum Active": stratum_active,
            "Stratum URL": (
                pool.host if stratum_active else Field("Stratum URL", ApiType.CONST, "")
            ),
            "Best Share": pool.best_share,
            "Pool Rejected%": _ratio(pool.diff_rejected, shares),
            "Pool Stale%": _ratio(pool.diff_stale, shares),
        }
        if self._cg:
            values.update(
                {
                    "Diff1 Shares": int(pool.diff1_shares),
                    "Work Difficulty": pool.difficulty if pool.getworks or current else 0.0,
                    "Stratum Difficulty": pool.difficulty if stratum_active else 0.0,
                    "Has Vmask": True,
                    "Has GBT": False,
                    "Best Share": int(pool.best_share),
                    "Bad Work": 0,
                    "Current Block Height": 0,
                    "Current Block Version": 536870912,
                }
            )
        elif self.personality == "sgminer":
            algorithm = pool.algorithm or _DEFAULT_ALGORITHM
            values.update(
                {
                    "Name": pool.name or pool.host,
                    "Profile": pool.profile,
                    "Algorithm": algorithm,
                    "Algorithm Type": _ALGORITHM_TYPES.get(algorithm, "Unknown"),
                    "Description": pool.description,
                    "Has GBT": False,
                }
            )
        else:
            values["Mining Goal"] = pool.goal
        return self.record("pools", values)

    def _pool_arg(self, call: _Call) -> tuple[int, Pool] | ReplyBody:
        """NOPOOL, MISPID, INVPID: the checks every pool command starts with."""
        pools = self.state.pools
        if not pools:
            return self._error(call, 8)
        if not call.param:
            return self._error(call, 25)
        index = _atoi(call.param)
        if not 0 <= index < len(pools):
            return self._error(call, 26, index, len(pools) - 1)
        return index, pools[index]

    # ------------------------------------------------------------------ save

    def config_document(self) -> dict[str, object]:
        """What `save` writes: the miner's JSON config file."""
        state = self.state
        pools: list[dict[str, str]] = []
        for pool in state.pools:
            url = f"{pool.proxy_type}{pool.proxy}|{pool.url}" if pool.proxy_type else pool.url
            entry = {"url": url, "user": pool.user, "pass": pool.password}
            if self.personality == "sgminer":
                entry.update(
                    {
                        "name": pool.name,
                        "description": pool.description,
                        "profile": pool.profile,
                        "algorithm": pool.algorithm,
                    }
                )
            pools.append(entry)
        document: dict[str, object] = {
            "pools": pools,
            "api-listen": True,
            "api-allow": self.access.allow or "",
            "api-groups": self.access.groups or "",
            "log": str(state.log_interval),
            "failover-only": state.failover_only,
            "queue": str(state.queue),
            "scan-time": str(state.scantime),
            "expiry": str(state.expiry),
        }
        if self.personality == "sgminer":
            document["profiles"] = [
                {"name": p.name, "algorithm": p.algorithm} for p in state.profiles
            ]
        return document


# ====================================================================== reports


@_handles("version")
def _version(api: MinerApi, call: _Call) -> _Reply:
    record = api.record("version", api.info.version)
    return api._section(call, 22, (), [record])


@_handles("config")
def _config(api: MinerApi, call: _Call) -> _Reply:
    state = api.state
    drivers = list(dict.fromkeys(d.driver for d in api._all_devices()))
    values: dict[str, object] = {
        "Pool Count": len(state.pools),
        "Strategy": STRATEGIES[state.strategy],
        "Log Interval": state.log_interval,
        "OS": "Linux",
        "Failover-Only": state.failover_only,
        "ScanTime": state.scantime,
        "Queue": state.queue,
        "Expiry": state.expiry,
    }
    if api._cg:
        # cg minerconfig(): counts only for the driver classes built in; DEVICECODE
        # lists the compiled drivers, each followed by a space.
        values["ASC Count"] = len(api._devices_of("ASC"))
        values["PGA Count"] = len(api._devices_of("PGA"))
        values["Device Code"] = "".join(f"{code} " for code in drivers)
        if "usb" in api.features:
            hotplug = state.hotplug
            values["Hotplug"] = Field("Hotplug", ApiType.INT, hotplug) if hotplug else "Disabled"
        else:
            values["Hotplug"] = "None"
    elif api.personality == "sgminer":
        gpus = len(api._devices_of("GPU"))
        values.update(
            {
                "GPU Count": gpus,
                "ADL": "Y",
                "ADL in use": "Y" if gpus else "N",
                "Rotate Period": state.rotate_period,
                "Device Code": "GPU ",
                "Failover Switch Delay": 60,
            }
        )
    else:
        # bfg minerconfig(): every device counts as a PGA; driver names joined by
        # spaces with no trailing one; no ConfigFile<n> (no config file loaded).
        values.update(
            {
                "PGA Count": len(api._devices_of("PGA")),
                "ADL": "N",
                "ADL in use": "N",
                "Device Code": " ".join(drivers),
                "Coinbase-Sig": state.coinbase_sig,
            }
        )
    return api._section(call, 33, (), [api.record("config", values)])


# bmminer (Antminer S9 firmware) summary: "GHS 5s" (a string) and "GHS av" replace the
# MHS fields of cgminer (tests/fixtures/bmminer/antminer-s9-summary.json).
_BM_SUMMARY: tuple[tuple[str, ApiType], ...] = (
    ("Elapsed", ApiType.ELAPSED),
    ("GHS 5s", ApiType.STRING),
    ("GHS av", ApiType.MHS),
    ("Found Blocks", ApiType.UINT),
    ("Getworks", ApiType.INT64),
    ("Accepted", ApiType.INT64),
    ("Rejected", ApiType.INT64),
    ("Hardware Errors", ApiType.INT),
    ("Utility", ApiType.UTILITY),
    ("Discarded", ApiType.INT64),
    ("Stale", ApiType.INT64),
    ("Get Failures", ApiType.UINT),
    ("Local Work", ApiType.UINT),
    ("Remote Failures", ApiType.UINT),
    ("Network Blocks", ApiType.UINT),
    ("Total MH", ApiType.MHTOTAL),
    ("Work Utility", ApiType.UTILITY),
    ("Difficulty Accepted", ApiType.DIFF),
    ("Difficulty Rejected", ApiType.DIFF),
    ("Difficulty Stale", ApiType.DIFF),
    ("Best Share", ApiType.UINT64),
    ("Device Hardware%", ApiType.PERCENT),
    ("Device Rejected%", ApiType.PERCENT),
    ("Pool Rejected%", ApiType.PERCENT),
    ("Pool Stale%", ApiType.PERCENT),
    ("Last getwork", ApiType.TIME),
)


@_handles("summary")
def _summary(api: MinerApi, call: _Call) -> _Reply:
    state = api.state
    now = state.now()
    elapsed = now - state.zeroed
    devices = state.devices
    pools = state.pools
    diff1 = sum(d.diff1 for d in devices)
    hw = sum(d.hardware_errors for d in devices)
    accepted = sum(p.accepted for p in pools)
    diff_acc = sum(p.diff_accepted for p in pools)
    diff_rej = sum(p.diff_rejected for p in pools)
    diff_stale = sum(p.diff_stale for p in pools)
    pool_total = diff_acc + diff_rej + diff_stale
    total_mh = sum(d.total_mh for d in devices)
    seconds = max(elapsed, 1.0)  # total_secs starts at 1.0 (cgminer zero_stats())
    mhs_av = total_mh / seconds  # total_mhashes_done / total_secs
    mhs_5s = state.mhs_window(None, "5s")
    values: dict[str, object] = {
        "Elapsed": float(int(elapsed)),
        "MHS av": mhs_av,
        api._mhs: mhs_5s,
        "Found Blocks": state.found_blocks,
        "Getworks": sum(p.getworks for p in pools),
        "Accepted": accepted,
        "Rejected": sum(p.rejected for p in pools),
        "Hardware Errors": hw,
        "Utility": accepted / seconds * 60.0,
        "Discarded": sum(p.discarded for p in pools),
        "Stale": sum(p.stale for p in pools),
        "Get Failures": sum(0 if p.alive else 1 for p in pools),
        "Local Work": state.local_work,
        "Remote Failures": state.remote_failures,
        "Network Blocks": state.network_blocks,
        "Total MH": total_mh,
        "Work Utility": diff1 / seconds * 60.0,
        "Difficulty Accepted": diff_acc,
        "Difficulty Rejected": diff_rej,
        "Difficulty Stale": diff_stale,
        "Best Share": state.best_share,
        "Device Hardware%": _ratio(hw, hw + diff1),
        "Device Rejected%": _ratio(sum(d.diff_rejected for d in devices), diff1),
        "Pool Rejected%": _ratio(diff_rej, pool_total),
        "Pool Stale%": _ratio(diff_stale, pool_total),
        "Last getwork": int(now) if pools else 0,
    }
    if api.personality == "bmminer":
        values["GHS 5s"] = f"{mhs_5s / 1000.0:.2f}"
        values["GHS av"] = mhs_av / 1000.0
        values["Best Share"] = int(state.best_share)
        record = [Field(name, api_type, values[name]) for name, api_type in _BM_SUMMARY]
        return api._section(call, 11, (), [record])
    if api.personality == "cgminer":
        values["MHS 1m"] = state.mhs_window(None, "1m")
        values["MHS 5m"] = state.mhs_window(None, "5m")
        values["MHS 15m"] = state.mhs_window(None, "15m")
        values["Best Share"] = int(state.best_share)
    elif api.personality == "sgminer":
        values["KHS av"] = mhs_av * 1000.0
        values[f"KHS {state.log_interval}s"] = mhs_5s * 1000.0
    else:
        values["Diff1 Work"] = diff1
        if "cpumining" in api.features and state.devices_of("CPU"):
            values["Algorithm"] = "c"  # algo_names[opt_algo], CPU-mining builds only
    return api._section(call, 11, (), [api.record("summary", values)])


def _devs_records(api: MinerApi, *, per_proc: bool = False) -> list[list[Field]]:
    """`devs`: cg ASCs then PGAs (`ASC=n`, `PGA=n`), sg GPUs, bfg every device `PGA=n`."""
    if api.personality == "bfgminer":
        return [
            api.device_record(d, index=n, per_proc=per_proc)
            for n, d in enumerate(api.state.devices)
        ]
    if api.personality == "sgminer":
        return [api.device_record(d, index=n) for n, d in enumerate(api._devices_of("GPU"))]
    ascs = [api.device_record(d, index=n) for n, d in enumerate(api._devices_of("ASC"))]
    pgas = [api.device_record(d, index=n) for n, d in enumerate(api._devices_of("PGA"))]
    return ascs + pgas


@_handles("devs", "edevs", "procs")
def _devs(api: MinerApi, call: _Call) -> _Reply:
    records = _devs_records(api, per_proc=call.command == "procs")
    if not records:
        return api._error(call, 10)
    if api._cg:
        kinds: tuple[tuple[DeviceKind, str], ...] = (("ASC", "asic"), ("PGA", "fpga"))
        counts = tuple(
            len(api._devices_of(kind)) for kind, feature in kinds if feature in api.features
        )
    else:
        counts = (len(records),)
    return api._section(call, 9, counts, records)


@_handles("pools")
def _pools(api: MinerApi, call: _Call) -> _Reply:
    api.state.now()
    pools = api.state.pools
    if not pools:
        return api._error(call, 8)
    records = [api.pool_record(n, p) for n, p in enumerate(pools)]
    return api._section(call, 7, (len(pools),), records)


@_handles("pga", "asc", "gpu", "cpu", "proc")
def _one_device(api: MinerApi, call: _Call) -> _Reply:
    kind = _kind_of(call.command)
    found = api._device_arg(call, kind)
    if isinstance(found, ReplyBody):
        return found
    index, device = found
    if api.personality == "bfgminer":
        # bfg gpustatus()/cpustatus()/pgastatus() all print devstatus_an(): `PGA=<n>`
        # with n the device's place among every device.
        position = api.state.devices.index(device)
        record = api.device_record(device, index=position, per_proc=call.command == "proc")
    else:
        record = api.device_record(device, index=index)
    return api._section(call, _KIND_CODES[kind][2], (index,), [record])


@_handles("pgacount", "asccount", "gpucount", "cpucount", "proccount")
def _count(api: MinerApi, call: _Call) -> _Reply:
    kind = _kind_of(call.command)
    count = len(api._devices_of(kind))
    code = {"PGA": 59, "ASC": 104, "GPU": 20, "CPU": 21}[kind]
    return api._section(call, code, (), [api.record("counts", {"Count": count})])


@_handles("notify", "procnotify")
def _notify(api: MinerApi, call: _Call) -> _Reply:
    devices = api._all_devices()
    if not devices:
        return api._error(call, 10)
    per_proc = call.command == "procnotify"
    records = []
    for n, device in enumerate(devices):
        values: dict[str, object] = {
            "NOTIFY": n,
            "Name": device.driver,
            "ID": device.driver_id,
            "Last Well": int(api.state.clock()),
            "Reason Not Well": "None",
        }
        if api.personality == "bfgminer":
            if per_proc:
                values["ProcID"] = 0
            else:
                del values["Last Well"]  # bfg: only per processor
        records.append(api.record("notify", values))
    return api._section(call, 60, (), records)


@_handles("devdetails", "procdetails")
def _devdetails(api: MinerApi, call: _Call) -> _Reply:
    devices = api._all_devices()
    if not devices:
        return api._error(call, 10)
    records = []
    for n, device in enumerate(devices):
        values: dict[str, object] = {
            "DEVDETAILS": n,
            "Name": device.driver,
            "ID": device.driver_id,
            "Driver": _DRIVER_NAMES.get(device.driver, device.driver.lower()),
        }
        if api.personality == "bfgminer":
            # bfg devdetail_an(): optional strings only when known.
            if call.command == "procdetails":
                values["ProcID"] = 0
            else:
                values["Processors"] = 1
            if device.model:
                values["Model"] = device.model
            values["Target Temperature"] = 89
            values["Cutoff Temperature"] = 95
        else:
            values["Model"] = device.model
            values["Device Path"] = ""
            if api.personality == "sgminer":
                values["Kernel"] = _DEFAULT_ALGORITHM  # sg: the algorithm name
        records.append(api.record("devdetails", values))
    return api._section(call, 69, (), records)


def _bitmain_extras(api: MinerApi, devices: list[Device]) -> dict[str, object]:
    """The Antminer S9 driver fields of bmminer's `stats`, in the order of the real
    capture (tests/fixtures/bmminer/antminer-s9-stats-missing-comma.json): chains
    6, 7, 8 are the hash boards."""
    extras: dict[str, object] = {}

    def add(name: str, api_type: ApiType, value: object) -> None:
        extras[name] = Field(name, api_type, value)

    def board(n: int) -> Device | None:
        chain = n - 6
        return devices[chain] if 0 <= chain < len(devices) else None

    state = api.state
    boards = [(n, board(n)) for n in range(1, 17)]
    add("miner_count", ApiType.INT, len(devices))
    add("frequency", ApiType.STRING, "637")
    add("fan_num", ApiType.INT, 2)
    fan_rpm = devices[0].fan_rpm * 2 if devices else 0
    for n in range(1, 9):
        add(f"fan{n}", ApiType.INT, fan_rpm if n in (3, 6) else 0)
    add("temp_num", ApiType.INT, len(devices))
    for prefix, offset in (("temp", 0.0), ("temp2_", 15.0), ("temp3_", None)):
        for n, device in boards:
            value = int(device.temperature + offset) if device and offset is not None else 0
            add(f"{prefix}{n}", ApiType.INT, value)
    for n, device in boards:
        add(f"freq_avg{n}", ApiType.FREQ, 627.5 if device else 0.0)
    add("total_rateideal", ApiType.MHS, sum(d.nominal_mhs for d in devices) / 1000.0)
    add("total_freqavg", ApiType.FREQ, 627.5 if devices else 0.0)
    add("total_acn", ApiType.INT, 63 * len(devices))
    add("total_rate", ApiType.MHS, state.mhs_window(None, "5s") / 1000.0)
    for n, device in boards:
        add(f"chain_rateideal{n}", ApiType.MHS, device.nominal_mhs / 1000.0 if device else 0.0)
    add("temp_max", ApiType.INT, int(max((d.temperature for d in devices), default=0.0)))
    hw = sum(d.hardware_errors for d in devices)
    diff1 = sum(d.diff1 for d in devices)
    add("Device Hardware%", ApiType.PERCENT, _ratio(hw, hw + diff1))
    add("no_matching_work", ApiType.INT, hw)
    for n, device in boards:
        add(f"chain_acn{n}", ApiType.INT, 63 if device else 0)
    chips = " " + " ".join(["oooooooo"] * 7 + ["ooooooo"])
    for n, device in boards:
        add(f"chain_acs{n}", ApiType.STRING, chips if device else "")
    for n, device in boards:
        add(f"chain_hw{n}", ApiType.INT, device.hardware_errors if device else 0)
    for n, device in boards:
        rate = f"{state.mhs_window(device, '5s') / 1000.0:.2f}" if device else ""
        add(f"chain_rate{n}", ApiType.STRING, rate)
    return extras


_STATS_TIMES = {"Calls": 0, "Wait": 0.0, "Max": 0.0, "Min": 99999999.0}


@_handles("stats", "estats", "dbgstats")
def _stats(api: MinerApi, call: _Call) -> _Reply:
    """cg `minerstats()` (devices then pools), `minerestats()` (devices only) and
    `minerdebug()` (devices then pools, with the F/-1/126 STATUS of a code missing
    from `codes[]`)."""
    state = api.state
    elapsed = float(int(state.now() - state.zeroed))
    common: dict[str, object] = {"Elapsed": elapsed, **_STATS_TIMES}
    devices = api._all_devices()
    records: list[list[Field]] = []
    if api.personality == "bmminer" and call.command == "stats":
        records.append(api.record("stats_version", api.info.version))
        av = state.mhs_av()
        values: dict[str, object] = {
            "STATS": 0,
            "ID": "BC50",
            **common,
            "GHS 5s": f"{state.mhs_window(None, '5s') / 1000.0:.2f}",
            "GHS av": av / 1000.0,
            **_bitmain_extras(api, devices),
        }
        records.append(api.record("stats", values))
        return api._section(call, 70, (), records)
    usb = api._cg and "usb" in api.features
    for device in devices:
        values = {"STATS": len(records), "ID": f"{device.driver}{device.driver_id}", **common}
        if usb:
            values.update({"USB Pipe": "0", "USB Delay": "r0 0.000000 w0 0.000000"})
            values["USB tmo"] = "0 0"
        records.append(api.record("stats", values))
    if call.command != "estats":
        for n, pool in enumerate(state.pools):
            values = {
                "STATS": len(records),
                "ID": f"POOL{n}",
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
            records.append(api.record("stats_pool", values))
    code = 126 if call.command == "dbgstats" else 70
    return api._section(call, code, (), records)


@_handles("coin")
def _coin(api: MinerApi, call: _Call) -> _Reply:
    state = api.state
    values: dict[str, object] = {
        "Hash Method": "sha256",
        "Current Block Time": float(int(state.started)) + 0.5,
        "Current Block Hash": f"{state.seed & 0xFFFFFFFF:08x}" + "0" * 56,
        "LP": True,
        "Network Difficulty": 1.0e12,
    }
    if api.personality == "sgminer":
        values["Hash Method"] = _DEFAULT_ALGORITHM  # algorithm of device 0
    if api.personality != "bfgminer":
        return api._section(call, 78, (), [api.record("coin", values)])
    # bfg minecoin(): one single-object section per mining goal, `COIN` for the default
    # goal and `COIN<goal id>` for the others (ids in creation order).
    values["Current Block Time"] = int(state.started)
    records, keys = [], []
    for goal_id, goal in enumerate(state.goals):
        accepted = sum(p.diff_accepted for p in state.pools if p.goal == goal)
        records.append(api.record("coin", {**values, "Difficulty Accepted": accepted}))
        keys.append("COIN" if goal == "default" else f"COIN{goal_id}")
    return api._section(call, 78, (), records, keys=keys)


@_handles("check")
def _check(api: MinerApi, call: _Call) -> _Reply:
    if not call.param:
        return api._error(call, 71)
    exists = call.param in api.commands
    access = exists and api.access.may_use(call.group, call.param)
    record = api.record(
        "check", {"Exists": "Y" if exists else "N", "Access": "Y" if access else "N"}
    )
    return api._section(call, 72, (), [record])


@_handles("lcd")
def _lcd(api: MinerApi, call: _Call) -> _Reply:
    """cg `lcddata()`: the pool with the latest share gives the share fields."""
    state = api.state
    now = state.now()
    elapsed = now - state.zeroed
    pool = state.current_pool
    latest = max(state.pools, key=lambda p: p.last_share_time, default=None)
    total_mh = sum(d.total_mh for d in state.devices)
    values: dict[str, object] = {
        "Elapsed": float(int(elapsed)),
        "GHS av": total_mh / max(elapsed, 1.0) / 1000.0,
        "GHS 5m": state.mhs_window(None, "5m") / 1000.0,
        "GHS 5s": state.mhs_window(None, "5s") / 1000.0,
        "Temperature": max((d.temperature for d in state.devices), default=0.0),
        "Last Share Difficulty": latest.last_share_difficulty if latest else 0.0,
        "Last Share Time": latest.last_share_time if latest else 0,
        "Best Share": int(state.best_share),
        "Last Valid Work": max((d.last_valid_work for d in state.devices), default=0),
        "Found Blocks": state.found_blocks,
        "Current Pool": pool.url if pool else "none",
        "User": pool.user if pool else "",
    }
    return api._section(call, 125, (), [api.record("lcd", values)])


@_handles("usbstats")
def _usbstats(api: MinerApi, call: _Call) -> _Reply:
    return api._error(call, 88)


@_handles("profiles")
def _profiles(api: MinerApi, call: _Call) -> _Reply:
    """sg `api_profile_list()`: the profiles, then the default profile unless one of
    them has its name; Msg counts the profiles only."""
    profiles = api.state.profiles
    if not profiles:
        return api._error(call, 130)
    listed = list(profiles)
    if not any(p.name.lower() == "default" for p in profiles):
        listed.append(Profile("default", _DEFAULT_ALGORITHM))
    records = []
    for n, profile in enumerate(listed):
        algorithm = profile.algorithm
        values = {
            "PROFILE": n,
            "Name": profile.name,
            "IsDefault": profile.name.lower() == "default",
            "Algorithm": algorithm,
            "Algorithm Type": _ALGORITHM_TYPES.get(algorithm, "Unknown"),
        }
        records.append(api.record("profiles", values))
    return api._section(call, 129, (len(profiles),), records)


# ====================================================================== control


@_handles("privileged")
def _privileged(api: MinerApi, call: _Call) -> _Reply:
    return api._ok(call, 46)


@_handles("lockstats")
def _lockstats(api: MinerApi, call: _Call) -> _Reply:
    return api._error(call, 124)  # built without LOCK_TRACKING


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
    current = api.state.current_pool
    if current is not None and pool.priority < current.priority:
        api.state.switch_pools(pool)  # also moves the pool to priority 0
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
    enabled = sum(1 for p in api.state.pools if p.enabled == "Enabled")
    if api.personality != "sgminer" and enabled <= 1:  # sgminer has no such check
        return api._error(call, 51, index, pool.url)
    pool.enabled = "Disabled"
    if api.state.current_pool is pool:
        api.state.switch_pools()
    return api._ok(call, 48, index, pool.url)


@_handles("removepool")
def _removepool(api: MinerApi, call: _Call) -> _Reply:
    found = api._pool_arg(call)
    if isinstance(found, ReplyBody):
        return found
    index, pool = found
    state = api.state
    if len(state.pools) <= 1:
        return api._error(call, 66, index, pool.url)
    if state.current_pool is pool:
        state.switch_pools()  # the miner tries to leave it first
    if state.current_pool is pool:
        return api._error(call, 67, index, pool.url)
    pool.enabled = "Disabled"
    state.remove_pool(index)
    return api._ok(call, 68, index, pool.url)  # the renderer escapes it twice (NOTES 26)


@_handles("addpool")
def _addpool(api: MinerApi, call: _Call) -> _Reply:
    if not call.param:
        return api._error(call, 52)
    extra = {"sgminer": 4, "bfgminer": 1}.get(api.personality, 0)
    fields = _pooldetails(call.param, extra)
    if fields is None:
        return api._error(call, 53, call.param)  # escaped twice by the renderer
    given_url, user, password = fields[:3]
    proxy_type, proxy, url, msg_url = _split_proxy(given_url)
    state = api.state
    index = state.add_pool(
        url, user, password, reachable=state.reachable(url), stratum=is_stratum_url(given_url)
    )
    pool = state.pools[index]
    pool.proxy_type, pool.proxy = proxy_type, proxy
    if api.personality == "sgminer":
        name, description, profile, algorithm = (*fields[3:], "", "", "", "")[:4]
        pool.name, pool.description, pool.profile = name, description, profile
        pool.algorithm = algorithm or _DEFAULT_ALGORITHM
    elif api.personality == "bfgminer" and len(fields) > 3:
        pool.goal = fields[3]
        if pool.goal not in state.goals:
            state.goals.append(pool.goal)
    if api._cg:
        return api._ok(call, 55, index, pool.url)  # PARAM_POOL: escaped once
    return api._ok(call, 55, msg_url)  # sg/bfg: escaped twice by the renderer


@_handles("poolpriority")
def _poolpriority(api: MinerApi, call: _Call) -> _Reply:
    pools = api.state.pools
    if not pools:
        return api._error(call, 8)
    if not call.param:
        return api._error(call, 25)
    pieces = call.param.split(",")
    if len(pieces) > 1 and not pieces[-1]:
        pieces.pop()  # `while (next && *next)`: a trailing comma ends the list
    order: list[int] = []
    for piece in pieces:
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
    pools = api.state.pools
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
    """`save[|file]`: written inside `save_dir` only.  cgminer and bfgminer answer
    E/43 when the file cannot be opened; sgminer 5 never checks (always S/44)."""
    if call.param:
        shown = call.param
        target = _save_path(api.save_dir, call.param)
    elif api.save_dir is not None:
        target = api.save_dir / api.info.config_file  # default_save_file()
        shown = str(target)
    else:
        target, shown = None, api.info.config_file
    saved = False
    if target is not None:
        try:
            target.write_text(json.dumps(api.config_document(), indent=1) + "\n", encoding="utf-8")
            saved = True
        except OSError:
            saved = False
    if saved:
        api.state.saves.append(str(target))
    elif api.personality != "sgminer":
        return api._error(call, 43, shown)
    return api._ok(call, 44, shown)  # the renderer escapes the name twice (NOTES 26)


def _save_path(save_dir: Path | None, name: str) -> Path | None:
    """Where `save|name` writes: inside `save_dir` only (None: cannot write)."""
    if save_dir is None or "\x00" in name:
        return None
    root = save_dir.resolve()
    try:
        target = (root / name).resolve()
    except (OSError, ValueError):
        return None
    if target == root or root not in target.parents:
        return None
    return target


@_handles("failover-only")
def _failover_only(api: MinerApi, call: _Call) -> _Reply:
    if api.personality == "cgminer":
        return api._error(call, 127, call.param)  # deprecated in API 3.6; NULL -> (null)
    if not call.param:
        return api._error(call, 75)
    first = call.param[0].lower()
    if first not in "tf":
        return api._error(call, 76)
    api.state.failover_only = first == "t"
    return api._ok(call, 77, api.state.failover_only)


@_handles("debug")
def _debug(api: MinerApi, call: _Call) -> _Reply:
    """`debugstate()`: only the first character counts; anything else just reports."""
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
    return api._section(call, 79, (), [api.record("debug", flags)])


@_handles("setconfig")
def _setconfig(api: MinerApi, call: _Call) -> _Reply:
    if api.personality == "cgminer":
        # cg 4.11: every setting is gone; the three old names also get 127 first.
        # (bmminer is cgminer 4.9, which still set them like sgminer does.)
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
    if api.personality == "bfgminer" and name.lower() == "coinbase-sig":
        api.state.coinbase_sig = value_text
        return api._ok(call, 82, name, 1)
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
    """`dozero()`: ZERMIS, MISBOOL, ZERINV, INVBOOL, in that order."""
    if not call.param:
        return api._error(call, 94)
    which, comma, flag = call.param.partition(",")
    if not comma or not flag:
        return api._error(call, 75)
    if which.lower() == "all":
        shown = "All"
    elif which.lower() == "bestshare":
        shown = "BestShare"
    else:
        return api._error(call, 95, which)
    if flag[0].lower() not in "tf":
        return api._error(call, 76)
    api.state.zero(best_share_only=shown == "BestShare")
    return api._ok(call, 96 if flag[0].lower() == "t" else 97, shown)


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

_ENABLE_CODES: dict[DeviceKind, tuple[int, int, int, int, int]] = {
    # already enabled, enabled, already disabled, disabled, must be restarted first
    "PGA": (61, 63, 62, 64, 0),
    "ASC": (108, 110, 109, 111, 0),
    "GPU": (2, 5, 3, 12, 4),
    "CPU": (98, 101, 99, 102, 100),
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
    kind = _kind_of(call.command)
    found = api._device_arg(call, kind)
    if isinstance(found, ReplyBody):
        return found
    index, device = found
    already_on, turned_on, already_off, turned_off, restart_first = _ENABLE_CODES[kind]
    api.state.now()
    if call.command.endswith("enable"):
        if device.enabled:
            return api._ok(call, already_on, index)
        if restart_first and device.status != "Alive":  # GPUs and CPUs only
            return api._ok(call, restart_first, index)
        device.enabled = True
        return api._ok(call, turned_on, index)
    if not device.enabled:
        return api._ok(call, already_off, index)
    device.enabled = False
    return api._ok(call, turned_off, index)


@_handles("gpurestart", "cpurestart", "pgarestart")
def _restart_device(api: MinerApi, call: _Call) -> _Reply:
    kind = _kind_of(call.command)
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
    kind = _kind_of(call.command)
    found = api._device_arg(call, kind)
    if isinstance(found, ReplyBody):
        return found
    return api._ok(call, 113 if kind == "ASC" else 80, found[0])


_SET_HELP = "fan: 0-100 (percent); clock: 1-2000 (MHz)"


@_handles("pgaset", "ascset", "procset")
def _devset(api: MinerApi, call: _Call) -> _Reply:
    """`pgaset|N,opt[,val]`: NON, MISID, MISOPT, INV in that order, then the driver."""
    kind = _kind_of(call.command)
    devices = api._devices_of(kind)
    none_code, invalid_code, _ = _KIND_CODES[kind]
    missing, helped, ok, failed = (116, 118, 119, 120) if kind == "ASC" else (89, 91, 92, 93)
    if not devices:
        return api._error(call, none_code)
    if not call.param:
        return api._error(call, 15)
    id_text, comma, rest = call.param.partition(",")
    if not comma or not rest:
        return api._error(call, missing)
    index = _atoi(id_text)
    if not 0 <= index < len(devices):
        return api._error(call, invalid_code, index, len(devices) - 1)
    device = devices[index]
    option, _, value = rest.partition(",")
    name = option.lower()
    if name == "help":
        return api._ok(call, helped, index, _SET_HELP)
    if name in ("fan", "clock"):
        if not value:
            return api._error(call, failed, index, f"missing {name} value")
        number = _atoi(value)
        low, high = (0, 100) if name == "fan" else (1, 2000)
        if not low <= number <= high:
            return api._error(call, failed, index, f"invalid {name} value {value}")
        if name == "fan":
            device.fan_percent = number
        else:
            device.engine_clock = number
        return api._ok(call, ok, index)
    return api._error(call, failed, index, f"Unknown option: {option}")


@_handles("gpuintensity", "gpuxintensity", "gpurawintensity")
def _intensity(api: MinerApi, call: _Call) -> _Reply:
    found = api._gpu_value(call)
    if isinstance(found, ReplyBody):
        return found
    index, device, value = found
    if call.command == "gpuintensity":
        if value[:1] in ("d", "D"):
            device.intensity = "D"
        else:
            low = -10 if api.personality == "bfgminer" else 8
            number = _atoi(value)
            if not low <= number <= 31:
                return api._error(call, 31, value)
            device.intensity = str(number)
        if api.personality == "sgminer":
            device.xintensity = device.rawintensity = 0
        return api._ok(call, 32, index, device.intensity)
    number = _atoi(value)
    if call.command == "gpuxintensity":
        if not 1 <= number <= 9999:
            return api._error(call, 140, value)
        device.intensity, device.xintensity, device.rawintensity = "0", number, 0
        return api._ok(call, 141, index, str(number))
    if not 1 <= number <= 2147483647:
        return api._error(call, 142, value)
    device.intensity, device.xintensity, device.rawintensity = "0", 0, number
    return api._ok(call, 143, index, str(number))


_GPU_SETTINGS: dict[str, tuple[str, float, float, int, int]] = {
    # command: (attribute, low, high, success code, failure code)
    "gpufan": ("fan_percent", 0, 100, 41, 40),
    "gpuengine": ("engine_clock", 1, 2000, 37, 36),
    "gpumem": ("memory_clock", 1, 2500, 35, 34),
    "gpuvddc": ("vddc", 0.5, 1.5, 39, 38),
}


@_handles("gpufan", "gpuengine", "gpumem", "gpuvddc")
def _gpu_setting(api: MinerApi, call: _Call) -> _Reply:
    """ADL settings: sgminer is built with ADL; bfgminer here is not, and answers
    `ADL is not available` before looking at the parameter."""
    if api.personality != "sgminer":
        return api._error(call, 29)
    found = api._gpu_value(call)
    if isinstance(found, ReplyBody):
        return found
    index, device, value = found
    attribute, low, high, success, failure = _GPU_SETTINGS[call.command]
    number: float = _atof(value) if call.command == "gpuvddc" else _atoi(value)
    if not low <= number <= high:
        return api._error(call, failure, index, value)
    setattr(device, attribute, number)
    return api._ok(call, success, index, value)


@_handles("devscan")
def _devscan(api: MinerApi, call: _Call) -> _Reply:
    return api._section(call, 256, (0,), [])  # scan_serial() finds nothing new


# ====================================================================== sgminer profiles


@_handles("changestrategy")
def _changestrategy(api: MinerApi, call: _Call) -> _Reply:
    """sg `api_pool_strategy()`: NOPOOL, MISSTRAT, INVSTRAT, MISSTRATINT, INVNUM."""
    if not api.state.pools:
        return api._error(call, 8)
    if not call.param:
        return api._error(call, 126)
    tokens = [token for token in call.param.split(",") if token]  # strtok
    if not tokens:
        return api._error(call, 126)
    strategy = _atoi(tokens[0])
    if not 0 <= strategy < len(STRATEGIES):
        return api._error(call, 127)
    if strategy == 2:
        if len(tokens) < 2:
            return api._error(call, 128)
        interval = _atoi(tokens[1])
        if not 0 <= interval <= 9999:
            return api._error(call, 84, interval, "interval")
        api.state.rotate_period = interval
    api.state.strategy = strategy
    api.state.switch_pools()
    return api._ok(call, 125, STRATEGIES[strategy])


def _find_profile(api: MinerApi, name: str) -> Profile | None:
    """sg `get_profile()`: case-insensitive, the default profile is not searched."""
    lowered = name.lower()
    for profile in api.state.profiles:
        if profile.name.lower() == lowered:
            return profile
    return None


@_handles("addprofile")
def _addprofile(api: MinerApi, call: _Call) -> _Reply:
    """sg `api_profile_add()`: split on ':'; even an empty name is a new profile."""
    if call.param is None:
        return Handled(b"", "crash")  # strdup(NULL) (NOTES 13)
    name, _, rest = call.param.partition(":")
    if _find_profile(api, name) is not None:
        return api._error(call, 131, name)
    algorithm, _, settings = rest.partition(":")
    api.state.profiles.append(Profile(name, algorithm, settings))
    return api._ok(call, 133, name)


@_handles("removeprofile")
def _removeprofile(api: MinerApi, call: _Call) -> _Reply:
    profiles = api.state.profiles
    if not profiles:
        return api._error(call, 130)
    if not call.param:
        return api._error(call, 134)
    profile = _find_profile(api, call.param)
    if profile is None:
        return api._error(call, 135, call.param)
    if profile.name.lower() == "default":
        return api._error(call, 136, call.param)
    if any(p.profile.lower() == profile.name.lower() for p in api.state.pools):
        return api._error(call, 137, call.param)
    index = profiles.index(profile)
    del profiles[index]
    return api._ok(call, 138, index, profile.name)


@_handles("changepoolprofile")
def _changepoolprofile(api: MinerApi, call: _Call) -> _Reply:
    state = api.state
    if not state.pools:
        return api._error(call, 8)
    if not state.profiles:
        return api._error(call, 130)
    if not call.param:
        return api._error(call, 25)
    tokens = [token for token in call.param.split(",") if token]  # strtok
    if not tokens:
        return api._error(call, 25)
    index = _atoi(tokens[0])
    if not 0 <= index < len(state.pools):
        return api._error(call, 26, index, len(state.pools) - 1)
    if len(tokens) < 2:
        return api._error(call, 134)
    profile = _find_profile(api, tokens[1])
    if profile is None:
        return api._error(call, 135, tokens[1])
    pool = state.pools[index]
    pool.profile = profile.name
    if state.current_pool is pool:
        state.switch_pools()
    return api._ok(call, 139, index, profile.name)


def _check_handlers() -> None:
    missing = set(COMMANDS) - set(_HANDLERS)
    if missing:  # pragma: no cover - a table change without a handler
        raise AssertionError(f"no fake-miner handler for {sorted(missing)}")


_check_handlers()
