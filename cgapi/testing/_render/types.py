"""Value types of the RPC API and the ``Field`` triple the renderer consumes.

Every reply field is added in the miners' ``api.c`` with an ``api_add_<type>()``
call and later rendered by ``print_data()`` according to its ``enum
api_data_type`` (cg ``miner.h`` ``API_ESCAPE`` ... ``API_AVG``; sg adds
``API_KHS``; bfg adds ``API_JSON``).  See FIELDS.md section 1 for the table.

A ``Field`` is what ``api_add_*`` records: the field name, its API type and the
Python value it carries.  Python values per type:

* ``ESCAPE`` / ``STRING`` / ``CONST``: ``str`` (``None`` means a NULL pointer,
  rendered as the CONST string ``(null)`` - ``api_add_data_full()`` "Avoid
  crashing on bad data" branch, identical in cg, sg, bfg);
* integer types, ``TIME``, ``HEX32``: ``int`` (wrapped to the C width);
* floating types: ``float`` or ``int``;
* ``BOOL``: ``bool``;
* ``TIMEVAL``: ``(tv_sec, tv_usec)`` tuple, or a ``float`` of seconds;
* ``JSON`` (bfg only): a ``str`` holding already-serialised compact JSON, or any
  JSON-serialisable Python value.
"""

from __future__ import annotations

import enum
from typing import Literal, NamedTuple

__all__ = (
    "FORMS",
    "PERSONALITIES",
    "ApiType",
    "Field",
    "Form",
    "Personality",
)

Personality = Literal["cgminer", "sgminer", "bfgminer", "bmminer"]
"""Which miner's ``api.c`` is being imitated.

``bmminer`` is Bitmain's cgminer 4.9-era fork (bitmaintech/bmminer-mix).
"""

Form = Literal["text", "json"]
"""Reply form: ``text`` (``STATUS=...|``) or ``json``."""

PERSONALITIES: tuple[Personality, ...] = ("cgminer", "sgminer", "bfgminer", "bmminer")
FORMS: tuple[Form, ...] = ("text", "json")


class ApiType(enum.Enum):
    """The ``API_*`` data types of FIELDS.md section 1 (``enum api_data_type``)."""

    ESCAPE = "ESCAPE"
    STRING = "STRING"
    CONST = "CONST"
    UINT8 = "UINT8"
    INT16 = "INT16"
    UINT16 = "UINT16"
    INT = "INT"
    UINT = "UINT"
    UINT32 = "UINT32"
    HEX32 = "HEX32"
    UINT64 = "UINT64"
    INT64 = "INT64"
    DOUBLE = "DOUBLE"
    ELAPSED = "ELAPSED"
    MHS = "MHS"
    UTILITY = "UTILITY"
    FREQ = "FREQ"
    KHS = "KHS"
    MHTOTAL = "MHTOTAL"
    TEMP = "TEMP"
    VOLTS = "VOLTS"
    AVG = "AVG"
    HS = "HS"
    DIFF = "DIFF"
    PERCENT = "PERCENT"
    BOOL = "BOOL"
    TIMEVAL = "TIMEVAL"
    TIME = "TIME"
    JSON = "JSON"


class Field(NamedTuple):
    """One ``name=value`` item of a reply section, as ``api_add_<type>()`` records it."""

    name: str
    type: ApiType
    value: object
