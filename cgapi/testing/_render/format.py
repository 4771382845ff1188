"""Render one field value exactly as each miner's ``print_data()`` does.

Sources read (line numbers refer to the SPEC.md snapshots where SPEC/NOTES give
them; otherwise the function is named):

* cgminer 4.11.1 ``api.c`` ``print_data()`` (cg ~L1200-1330, NOTES 16/18:
  MHS ``%.2f`` at cg L962/L1264; HEX32 quoted in JSON since API 3.2, cg
  L948-956).  Numbers are written with ``snprintf(buf, sizeof(buf), ...)``
  into ``char buf[64]``, so any number longer than 63 characters is cut at 63
  (e.g. ``%f`` of 1e300) - reproduced here.  Read at ckolivas/cgminer-derived
  copy ``0free/cgminer@06483cbd`` (APIVERSION "3.7").
* bmminer (bitmaintech/bmminer-mix@9ad5588b ``api.c`` ``print_data()``): the
  cgminer 4.9 code, same formats and the same 64-byte number buffer.
* sgminer 5.x ``api.c`` ``print_data()`` (sg L771-788; read at
  nicehash/sgminer@18bed148, API "4.0"): ``sprintf`` into the caller's buffer,
  MHS/UTILITY/FREQ ``%.4f``, ``API_KHS`` ``%.0f``, HEX32 written with
  ``snprintf(buf, sizeof(buf), "0x%08x")`` where ``buf`` is a ``char *`` - so
  only 7 characters survive (64-bit build) and it is never quoted, also not in
  JSON (NOTES 17).  No ``INT16``/``INT64``/``JSON`` case.
* bfgminer 5.x ``api.c`` ``print_data()`` (bfg L1024/L1036; read at
  luke-jr/bfgminer@c6e7c912, API "3.1"): MHS/UTILITY/FREQ ``%.3f``;
  ``API_DIFF`` prints ``%.0f`` when ``fmod(x, 1.)`` is 0 else ``%.8f``;
  ``API_JSON`` is ``json_dumps(JSON_COMPACT)`` inserted verbatim (also in the
  text form).  No ``HEX32``/``KHS``/``AVG``/``INT64`` case.
* Types a miner's ``print_data()`` has no case for fall into ``default:`` and
  print the string ``Unknown`` (quoted in JSON) - same in all three.
* ``TIMEVAL``: cg ``"%ld.%06ld"`` with ``long`` casts; sg and bfg
  ``"%"PRIu64".%06lu"`` (unsigned casts) - they differ only for negative
  members.  ``TIME``: ``"%lu"`` of the ``time_t`` (64-bit, unsigned).
* ``TEMP``, ``VOLTS``, ``AVG`` hold a C ``float``: the value is rounded to
  single precision before ``printf`` promotes it back to ``double``.
* NaN/infinity print as glibc does: ``nan``, ``-nan`` (sign bit set),
  ``inf``, ``-inf``.
* Escaping (``escape_string()``, cg L797, identical in sg/bfg): text form puts
  ``\\`` before ``,`` ``|`` ``=`` ``\\``; JSON form before ``"`` and ``\\``
  only.  Control characters are never escaped.  ``STRING``/``CONST`` go out raw
  even inside JSON quotes (NOTES 15).
* Everything is a C string: a value (or name) is cut at its first NUL.
"""

from __future__ import annotations

import json
import math
import struct

from .types import ApiType, Field, Form, Personality

__all__ = (
    "c_fixed",
    "escape",
    "format_item",
    "format_value",
    "supported_types",
)

_ALL_TYPES = frozenset(ApiType)

_SUPPORTED: dict[Personality, frozenset[ApiType]] = {
    "cgminer": _ALL_TYPES - {ApiType.KHS, ApiType.JSON},
    "bmminer": _ALL_TYPES - {ApiType.KHS, ApiType.JSON},
    "sgminer": _ALL_TYPES - {ApiType.INT16, ApiType.INT64, ApiType.JSON},
    "bfgminer": _ALL_TYPES - {ApiType.HEX32, ApiType.KHS, ApiType.AVG, ApiType.INT64},
}

# Precision of API_MHS / API_UTILITY / API_FREQ per miner (NOTES 18).
_MHS_PRECISION: dict[Personality, int] = {
    "cgminer": 2,
    "bmminer": 2,
    "sgminer": 4,
    "bfgminer": 3,
}

# Fixed "%.<n>f" formats shared by every miner that has the type.
_FIXED_PRECISION: dict[ApiType, int] = {
    ApiType.DOUBLE: 6,  # "%f"
    ApiType.ELAPSED: 0,
    ApiType.KHS: 0,
    ApiType.MHTOTAL: 4,
    ApiType.HS: 15,
}

# C float ("float" members) types and their precision.
_FLOAT32_PRECISION: dict[ApiType, int] = {
    ApiType.TEMP: 2,
    ApiType.VOLTS: 3,
    ApiType.AVG: 3,
}

# (bits, signed) of the integer types.
_INT_WIDTH: dict[ApiType, tuple[int, bool]] = {
    ApiType.UINT8: (8, False),
    ApiType.INT16: (16, True),
    ApiType.UINT16: (16, False),
    ApiType.INT: (32, True),
    ApiType.UINT: (32, False),
    ApiType.UINT32: (32, False),
    ApiType.UINT64: (64, False),
    ApiType.INT64: (64, True),
    ApiType.TIME: (64, False),  # "%lu" of *(unsigned long *)
}

_STRING_TYPES = frozenset({ApiType.ESCAPE, ApiType.STRING, ApiType.CONST})

# cg/bmminer print numbers with snprintf into char buf[64].
_CG_NUMBUF = 63

_NULLSTR = "(null)"
_UNKNOWN = "Unknown"


def supported_types(personality: Personality) -> frozenset[ApiType]:
    """The API types ``personality``'s ``print_data()`` has a case for."""
    return _SUPPORTED[personality]


def _c_string(text: str) -> str:
    """Cut ``text`` at the first NUL, as every C string function would."""
    nul = text.find("\x00")
    return text if nul < 0 else text[:nul]


def escape(text: str, form: Form) -> str:
    """``escape_string()``: backslash before ``,|=\\`` (text) or ``"\\`` (JSON)."""
    specials = '"\\' if form == "json" else ",|=\\"
    return "".join("\\" + ch if ch in specials else ch for ch in _c_string(text))


def c_fixed(value: float, precision: int) -> str:
    """``printf("%.<precision>f", value)`` as glibc prints it (incl. nan/inf)."""
    if math.isnan(value):
        return "-nan" if math.copysign(1.0, value) < 0 else "nan"
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    return f"{value:.{precision}f}"


def _wrap(value: int, bits: int, signed: bool) -> int:
    value &= (1 << bits) - 1
    if signed and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


def _as_int(api_type: ApiType, value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"API_{api_type.value} needs an int, got {type(value).__name__}")
    return value


def _as_float(api_type: ApiType, value: object) -> float:
    if not isinstance(value, (int, float)):
        raise TypeError(f"API_{api_type.value} needs a float, got {type(value).__name__}")
    return float(value)


def _to_float32(value: float) -> float:
    """Round a double to C ``float`` (overflow gives infinity, as the C cast does)."""
    try:
        packed = struct.pack("<f", value)
    except OverflowError:
        return math.copysign(math.inf, value)
    result: float = struct.unpack("<f", packed)[0]
    return result


def _timeval(value: object) -> tuple[int, int]:
    if isinstance(value, tuple) and len(value) == 2:
        sec, usec = value
        if isinstance(sec, int) and isinstance(usec, int):
            return sec, usec
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, int):
            return value, 0
        sec = math.floor(value)
        usec = round((value - sec) * 1_000_000)
        if usec >= 1_000_000:
            sec, usec = sec + 1, usec - 1_000_000
        return sec, usec
    raise TypeError(f"API_TIMEVAL needs (sec, usec) or a float, got {value!r}")


def _number(api_type: ApiType, value: object, personality: Personality) -> str:
    """The text ``print_data()`` writes into its number buffer."""
    if api_type in _INT_WIDTH:
        bits, signed = _INT_WIDTH[api_type]
        return str(_wrap(_as_int(api_type, value), bits, signed))
    if api_type in _FIXED_PRECISION:
        return c_fixed(_as_float(api_type, value), _FIXED_PRECISION[api_type])
    if api_type in (ApiType.MHS, ApiType.UTILITY, ApiType.FREQ):
        return c_fixed(_as_float(api_type, value), _MHS_PRECISION[personality])
    if api_type in _FLOAT32_PRECISION:
        single = _to_float32(_as_float(api_type, value))
        return c_fixed(single, _FLOAT32_PRECISION[api_type])
    if api_type is ApiType.PERCENT:
        return c_fixed(_as_float(api_type, value) * 100.0, 4)
    if api_type is ApiType.DIFF:
        diff = _as_float(api_type, value)
        if personality == "bfgminer":
            # bfg: if (fmod(*fp, 1.)) "%.8f" else "%.0f"; fmod(inf/nan, 1.) is nan (true).
            if not math.isfinite(diff) or math.fmod(diff, 1.0) != 0.0:
                return c_fixed(diff, 8)
            return c_fixed(diff, 0)
        return c_fixed(diff, 8)
    if api_type is ApiType.BOOL:
        if not isinstance(value, bool):
            raise TypeError(f"API_BOOL needs a bool, got {type(value).__name__}")
        return "true" if value else "false"
    if api_type is ApiType.TIMEVAL:
        sec, usec = _timeval(value)
        if personality in ("cgminer", "bmminer"):
            return f"{_wrap(sec, 64, True)}.{_wrap(usec, 64, True):06d}"
        return f"{_wrap(sec, 64, False)}.{_wrap(usec, 64, False):06d}"
    raise AssertionError(f"not a number type: {api_type}")  # pragma: no cover


def format_value(api_type: ApiType, value: object, personality: Personality, form: Form) -> str:
    """Render ``value`` of ``api_type`` exactly as ``personality``'s ``print_data()``.

    The result is what follows ``name=`` (text) or ``"name":`` (JSON), JSON
    quotes included where the miner writes them.
    """
    quote = '"' if form == "json" else ""
    if value is None:
        # api_add_data_full(): NULL data becomes API_CONST "(null)".
        return f"{quote}{_NULLSTR}{quote}"
    if api_type not in _SUPPORTED[personality]:
        return f"{quote}{_UNKNOWN}{quote}"
    if api_type in _STRING_TYPES:
        if not isinstance(value, str):
            raise TypeError(f"API_{api_type.value} needs a str, got {type(value).__name__}")
        text = escape(value, form) if api_type is ApiType.ESCAPE else _c_string(value)
        return f"{quote}{text}{quote}"
    if api_type is ApiType.JSON:
        dumped = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        return _c_string(dumped)
    if api_type is ApiType.HEX32:
        hexed = f"0x{_wrap(_as_int(api_type, value), 32, False):08x}"
        if personality == "sgminer":
            # snprintf(buf, sizeof(buf) /* sizeof(char *) == 8 */, ...): 7 chars, unquoted.
            return hexed[:7]
        return f"{quote}{hexed[:_CG_NUMBUF]}{quote}"
    number = _number(api_type, value, personality)
    if personality in ("cgminer", "bmminer"):
        number = number[:_CG_NUMBUF]
    return number


def format_item(field: Field, personality: Personality, form: Form) -> str:
    """One ``name=value`` (text) or ``"name":value`` (JSON) item; names are never escaped."""
    name = _c_string(field.name)
    value = format_value(field.type, field.value, personality, form)
    if form == "json":
        return f'"{name}":{value}'
    return f"{name}={value}"
