"""STATUS code tables and ``message()``, per miner.

Every reply except cgminer's ``quit``/``restart`` starts with the STATUS object
built by ``message(io_data, messageid, paramid, param2, isjson)``:

* cg 4.11.1 ``api.c`` ``codes[]`` (cg L340-L600) and ``message()`` (cg
  ~L1480-1545), read at the cgminer 4.11-derived copy ``0free/cgminer@06483cbd``
  (APIVERSION "3.7", ``MSG_DEPRECATED`` 127 present, ``MSG_MINEDEBUG`` 126 absent
  from ``codes[]``).
* bmminer: ``bitmaintech/bmminer-mix@9ad5588b`` ``api.c`` - the cgminer 4.9
  table with ``BMMiner versions/config/stats/coin`` and an extra
  ``16 S "Nonce num"``; no 126, no 127; ``message()`` always adds
  ``Description`` (the code-14 omission came with cg 4.11.0).
* sgminer 5.x: ``codes[]`` moved to ``api.c`` with the ``MSG_*`` numbers in
  ``api.h`` (read at nicehash/sgminer@18bed148, identical apart from the
  ``SGMiner`` version key); ``MSG_BYE`` is 0x101 (257).
* bfgminer 5.x: ``api.c`` ``codes[]`` and ``message()`` (read at
  luke-jr/bfgminer@c6e7c912, API "3.1"): ``MSG_DEVSCAN`` 0x100,
  ``MSG_BYE`` 0x101, and ``MSG_PGAREI`` also 0x101 with no entry of its own
  (bfg L269/L310) - ``pgarestart`` therefore prints the BYE template ``%s`` with
  a NULL argument: glibc writes ``(null)`` (bfg L1829, NOTES 25).  The
  alternative ``PGA %d set OK: %s`` is looked up as ``92 | USE_ALTMSG`` (0x4000)
  and printed with ``Code=92``.

``message()`` behaviour reproduced by :func:`status_fields`:

* the first ``codes[]`` entry whose code matches wins (table order matters only
  for duplicates);
* severity letter ``S``/``I``/``W``/``E``;
* fields ``STATUS`` (STRING), ``When`` (TIME), ``Code`` (INT), ``Msg`` (ESCAPE),
  ``Description`` (ESCAPE) - cg 4.11 leaves ``Description`` out for code 14
  (``if (messageid != MSG_INVCMD)``, cg L1524, NOTES 22);
* ``PARAM_NONE`` entries are ``strcpy``'d, so a ``%d`` in their template stays
  literal (cg 54, sg 127);
* ``PARAM_CMD`` always fills in ``command``;
* cg formats with ``snprintf(buf, LIMSIZ = 8191, ...)``: a filled-in ``Msg`` is
  cut at 8190 bytes.  sg, bfg and bmminer use plain ``sprintf``;
* a code not in the table gives ``STATUS=F``, ``Code=-1``, ``Msg=<code>``
  (with ``Description``) - cg ``dbgstats`` (126) always does this (NOTES 24);
* "double escaping" (NOTES 26): ``removepool`` (68), ``save`` (43/44), failed
  ``addpool`` (53) and sg/bfg ``addpool`` success (55) pass
  ``escape_string(param, isjson)`` as the parameter, and the finished ``Msg``
  is escaped again as an ``API_ESCAPE`` field.  cg's 55 is ``PARAM_POOL`` and
  prints ``pools[id]->rpc_url`` itself (escaped once).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal, NamedTuple

from .format import escape
from .types import ApiType, Field

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .types import Form, Personality

__all__ = (
    "BFG_USE_ALTMSG",
    "MSG_BYE",
    "MSG_INVCMD",
    "MessageSpec",
    "default_features",
    "lookup_message",
    "message_table",
    "status_fields",
)

MSG_INVCMD = 14
MSG_BYE = 0x101
BFG_USE_ALTMSG = 0x4000
"""bfg ``USE_ALTMSG``: OR it into a code to select the alternative template."""

_CG_LIMSIZ = 8191 - 1  # snprintf(buf, LIMSIZ, ...) keeps at most LIMSIZ-1 bytes

_PLACEHOLDER = re.compile(r"%[ds]")

ParamKind = Literal["none", "cmd", "fill"]


class MessageSpec(NamedTuple):
    """One ``codes[]`` entry."""

    code: int
    severity: str
    """``S``, ``I``, ``W`` or ``E``."""
    template: str
    kind: ParamKind = "fill"
    """``none`` = PARAM_NONE (strcpy, placeholders stay literal); ``cmd`` =
    PARAM_CMD (``%s`` <- ``command``); ``fill`` = printf with the caller's
    parameters."""
    pre_escaped: bool = False
    """The ``%s`` parameter is ``escape_string()``-ed before formatting."""
    feature: str | None = None
    """Build option the entry depends on (``asic``, ``fpga``, ``usb``,
    ``opencl``, ``cpumining``, ``spec-only``); ``None`` = always present."""

    @property
    def nparams(self) -> int:
        """How many parameters :func:`status_fields` expects."""
        if self.kind != "fill":
            return 0
        return len(_PLACEHOLDER.findall(self.template))


def _m(
    severity: str,
    code: int,
    template: str,
    kind: ParamKind = "fill",
    *,
    pre: bool = False,
    feature: str | None = None,
) -> MessageSpec:
    return MessageSpec(code, severity, template, kind, pre, feature)


def _none(severity: str, code: int, template: str, *, feature: str | None = None) -> MessageSpec:
    return MessageSpec(code, severity, template, "none", False, feature)


def _cg_devs(features: frozenset[str]) -> tuple[str, str]:
    """Build-dependent MSG_DEVS / MSG_NODEVS texts (cg ``codes[]`` #ifdefs)."""
    asic, fpga = "asic" in features, "fpga" in features
    devs = ("%d ASC(s)" if asic else "") + (" - " if asic and fpga else "")
    devs += "%d PGA(s)" if fpga else ""
    nodevs = "No " + ("ASCs" if asic else "") + ("/" if asic and fpga else "")
    nodevs += "PGAs" if fpga else ""
    return devs, nodevs


def _cg_family(flavour: Literal["cgminer", "bmminer"]) -> tuple[MessageSpec, ...]:
    """cg 4.11.1 ``codes[]`` (or the bmminer 4.9-era variant), in table order.

    MSG_DEVS/MSG_NODEVS are placeholders resolved per build by
    :func:`message_table`.
    """
    cg = flavour == "cgminer"
    name = "CGMiner" if cg else "BMMiner"
    table: list[MessageSpec] = [
        _m("S", 7, "%d Pool(s)"),
        _none("E", 8, "No pools"),
        _m("S", 9, "<DEVS>"),
        _none("E", 10, "<NODEVS>"),
        _none("S", 11, "Summary"),
    ]
    if not cg:
        table.append(_none("S", 16, "Nonce num"))
    table += [
        _none("E", 14, "Invalid command"),
        _none("E", 15, "Missing device id parameter"),
        _none("E", 56, "No PGAs", feature="fpga"),
        _m("S", 57, "PGA%d", feature="fpga"),
        _m("E", 58, "Invalid PGA id %d - range is 0 - %d", feature="fpga"),
        _m("I", 61, "PGA %d already enabled", feature="fpga"),
        _m("I", 62, "PGA %d already disabled", feature="fpga"),
        _m("I", 63, "PGA %d sent enable message", feature="fpga"),
        _m("I", 64, "PGA %d set disable flag", feature="fpga"),
        _m("E", 65, "PGA %d is not flagged WELL, cannot enable", feature="fpga"),
        _none("S", 59, "PGA count"),
        _none("S", 104, "ASC count"),
        _none("S", 22, f"{name} versions"),
        _none("E", 23, "Invalid JSON"),
        _m("E", 24, "Missing JSON '%s'", "cmd"),
        _none("E", 25, "Missing pool id parameter"),
        _m("E", 26, "Invalid pool id %d - range is 0 - %d"),
        _m("S", 27, "Switching to pool %d:'%s'"),
        _none("S", 33, f"{name} config"),
        _none("E", 42, "Missing save filename parameter"),
        _m("E", 43, "Can't open or create save file '%s'", pre=True),
        _m("S", 44, "Configuration saved to file '%s'", pre=True),
        _m("E", 45, "Access denied to '%s' command"),
        _none("S", 46, "Privileged access OK"),
        _m("S", 47, "Enabling pool %d:'%s'"),
        _none("S", 73, "Changed pool priorities"),
        _m("E", 74, "Duplicate pool specified %d"),
        _m("S", 48, "Disabling pool %d:'%s'"),
        _m("I", 49, "Pool %d:'%s' already enabled"),
        _m("I", 50, "Pool %d:'%s' already disabled"),
        _m("E", 51, "Cannot disable last active pool %d:'%s'"),
        _none("E", 52, "Missing addpool details"),
        _m("E", 53, "Invalid addpool details '%s'", pre=True),
        _none("E", 54, "Reached maximum number of pools (%d)"),
        _m("S", 55, "Added pool %d: '%s'"),
        _m("E", 66, "Cannot remove last pool %d:'%s'"),
        _m("E", 67, "Cannot remove active pool %d:'%s'"),
        _m("S", 68, "Removed pool %d:'%s'", pre=True),
        _none("S", 60, "Notify"),
        _none("S", 69, "Device Details"),
        _none("S", 70, f"{name} stats"),
        _none("E", 71, "Missing check cmd"),
        _none("S", 72, "Check command"),
        _none("E", 75, "Missing parameter: true/false"),
        _none("E", 76, "Invalid parameter should be true or false"),
        _m("S", 77, "Failover-Only set to %s"),
        _none("S", 78, f"{name} coin"),
        _none("S", 79, "Debug settings"),
        _m("S", 80, "Identify command sent to PGA%d", feature="fpga"),
        _m("W", 81, "PGA%d does not support identify", feature="fpga"),
        _m("S", 82, "Set config '%s' to %d"),
        _m("E", 83, "Unknown config '%s'"),
    ]
    if cg:
        table.append(_m("E", 127, "Deprecated config option '%s'"))
    table += [
        _m("E", 84, "Invalid number (%d) for '%s' range is 0-9999"),
        _m("E", 121, "Invalid negative number (%d) for '%s'"),
        _m("S", 122, "Set pool '%s' to quota %d'"),
        _none("E", 85, "Missing config parameters 'name,N'"),
        _m("E", 86, "Missing config value N for '%s,N'"),
        _none("S", 87, "USB Statistics"),
        _none("I", 88, "No USB Statistics"),
        _none("E", 89, "Missing option after PGA number", feature="fpga"),
        _m("W", 90, "PGA %d does not support pgaset", feature="fpga"),
        _m("I", 91, "PGA %d set help: %s", feature="fpga"),
        _m("S", 92, "PGA %d set OK", feature="fpga"),
        _m("E", 93, "PGA %d set failed: %s", feature="fpga"),
        _none("E", 94, "Missing zero parameters"),
        _m("E", 95, "Invalid zero parameter '%s'"),
        _m("S", 96, "Zeroed %s stats with summary"),
        _m("S", 97, "Zeroed %s stats without summary"),
        _m("E", 98, "PGA%d has no device", feature="usb"),
        _m("E", 115, "ASC%d has no device", feature="usb"),
        _m("E", 99, "Invalid value for hotplug (%s) must be 0..9999"),
        _m("S", 100, "Hotplug check set to %ds"),
        _none("S", 101, "Hotplug disabled"),
        _none("W", 102, "Hotplug is not available"),
        _none("E", 103, "Missing hotplug parameter"),
        _none("E", 105, "No ASCs", feature="asic"),
        _m("S", 106, "ASC%d", feature="asic"),
        _m("E", 107, "Invalid ASC id %d - range is 0 - %d", feature="asic"),
        _m("I", 108, "ASC %d already enabled", feature="asic"),
        _m("I", 109, "ASC %d already disabled", feature="asic"),
        _m("I", 110, "ASC %d sent enable message", feature="asic"),
        _m("I", 111, "ASC %d set disable flag", feature="asic"),
        _m("E", 112, "ASC %d is not flagged WELL, cannot enable", feature="asic"),
        _m("S", 113, "Identify command sent to ASC%d", feature="asic"),
        _m("W", 114, "ASC%d does not support identify", feature="asic"),
        _none("E", 116, "Missing option after ASC number", feature="asic"),
        _m("W", 117, "ASC %d does not support ascset", feature="asic"),
        _m("I", 118, "ASC %d set help: %s", feature="asic"),
        _m("S", 119, "ASC %d set OK", feature="asic"),
        _m("E", 120, "ASC %d set failed: %s", feature="asic"),
        _none("S", 125, "LCD"),
        _none("S", 123, "Lock stats created"),
        _none("W", 124, "Lock stats not enabled"),
    ]
    return tuple(table)


_SG_TABLE: tuple[MessageSpec, ...] = (
    _m("E", 1, "Invalid GPU id %d - range is 0 - %d"),
    _m("I", 2, "GPU %d already enabled"),
    _m("I", 3, "GPU %d already disabled"),
    _m("W", 4, "GPU %d must be restarted first"),
    _m("I", 5, "GPU %d sent enable message"),
    _none("E", 6, "No GPUs"),
    _m("S", 7, "%d Pool(s)"),
    _none("E", 8, "No pools"),
    _m("S", 9, "%d GPU(s)"),
    _none("E", 10, "No GPUs"),
    _none("S", 11, "Summary"),
    _m("I", 12, "GPU %d set disable flag"),
    _m("I", 13, "GPU %d restart attempted"),
    _none("E", 14, "Invalid command"),
    _none("E", 15, "Missing device id parameter"),
    _m("S", 17, "GPU%d"),
    _none("S", 20, "GPU count"),
    _none("S", 22, "SGMiner versions"),
    _none("E", 23, "Invalid JSON"),
    _m("E", 24, "Missing JSON '%s'", "cmd"),
    _none("E", 25, "Missing pool id parameter"),
    _m("E", 26, "Invalid pool id %d - range is 0 - %d"),
    _m("S", 27, "Switching to pool %d:'%s'"),
    _none("E", 28, "Missing comma after GPU number"),
    _none("E", 29, "ADL is not available"),
    _m("E", 30, "GPU %d does not have ADL"),
    # MIN_INTENSITY_STR "8" per SPEC (sgminer-dev); nicehash/sgminer defines "4".
    _m("E", 31, "Invalid intensity (%s) - must be 'D' or range 8 - 31"),
    _m("I", 32, "GPU %d set new intensity to %s"),
    _m("E", 140, "Invalid xintensity (%s) - must be range 1 - 9999"),
    _m("I", 141, "GPU %d set new xintensity to %s"),
    _m("E", 142, "Invalid rawintensity (%s) - must be range 1 - 2147483647"),
    _m("I", 143, "GPU %d set new rawintensity to %s"),
    _none("S", 33, "sgminer config"),
    _m("E", 34, "Setting GPU %d memoryclock to (%s) reported failure"),
    _m("S", 35, "Setting GPU %d memoryclock to (%s) reported success"),
    _m("E", 36, "Setting GPU %d clock to (%s) reported failure"),
    _m("S", 37, "Setting GPU %d clock to (%s) reported success"),
    _m("E", 38, "Setting GPU %d vddc to (%s) reported failure"),
    _m("S", 39, "Setting GPU %d vddc to (%s) reported success"),
    _m("E", 40, "Setting GPU %d fan to (%s) reported failure"),
    _m("S", 41, "Setting GPU %d fan to (%s) reported success"),
    _none("E", 42, "Missing save filename parameter"),
    _m("E", 43, "Can't open or create save file '%s'", pre=True),
    _m("S", 44, "Configuration saved to file '%s'", pre=True),
    _m("E", 45, "Access denied to '%s' command"),
    _none("S", 46, "Privileged access OK"),
    _m("S", 47, "Enabling pool %d:'%s'"),
    _none("S", 73, "Changed pool priorities"),
    _m("E", 74, "Duplicate pool specified %d"),
    _m("S", 48, "Disabling pool %d:'%s'"),
    _m("I", 49, "Pool %d:'%s' already enabled"),
    _m("I", 50, "Pool %d:'%s' already disabled"),
    _none("E", 52, "Missing addpool details"),
    _m("E", 53, "Invalid addpool details '%s'", pre=True),
    _none("E", 54, "Reached maximum number of pools (%d)"),
    _m("S", 55, "Added pool '%s'", pre=True),
    _m("E", 66, "Cannot remove last pool %d:'%s'"),
    _m("E", 67, "Cannot remove active pool %d:'%s'"),
    _m("S", 68, "Removed pool %d:'%s'", pre=True),
    _none("S", 60, "Notify"),
    _none("S", 69, "Device Details"),
    _none("S", 70, "sgminer stats"),
    _none("E", 71, "Missing check cmd"),
    _none("S", 72, "Check command"),
    _none("E", 75, "Missing parameter: true/false"),
    _none("E", 76, "Invalid parameter should be true or false"),
    _m("S", 77, "Failover-Only set to %s"),
    _none("S", 78, "sgminer coin"),
    _none("S", 79, "Debug settings"),
    _m("S", 82, "Set config '%s' to %d"),
    _m("E", 83, "Unknown config '%s'"),
    _m("E", 84, "Invalid number (%d) for '%s' range is 0-9999"),
    _m("E", 121, "Invalid negative number (%d) for '%s'"),
    _m("S", 122, "Set pool '%s' to quota %d'"),
    _none("E", 85, "Missing config parameters 'name,N'"),
    _m("E", 86, "Missing config value N for '%s,N'"),
    _none("I", 88, "No USB Statistics"),
    _none("E", 94, "Missing zero parameters"),
    _m("E", 95, "Invalid zero parameter '%s'"),
    _m("S", 96, "Zeroed %s stats with summary"),
    _m("S", 97, "Zeroed %s stats without summary"),
    _none("S", 123, "Lock stats created"),
    _none("W", 124, "Lock stats not enabled"),
    _m("S", 125, "Multipool strategy changed to '%s'"),
    _none("E", 126, "Missing multipool strategy"),
    _none("E", 127, "Invalid multipool strategy %d"),
    _none("E", 128, "Missing rotate interval"),
    _m("S", 129, "%d Profile(s)"),
    _none("E", 130, "No profiles"),
    _m("E", 131, "Profile '%s' already exists"),
    _none("E", 132, "Missing addprofile details"),
    _m("S", 133, "Added profile '%s'"),
    _m("E", 134, "Profile name missing"),
    _m("E", 135, "Profile '%s' doesn't exist"),
    _m("E", 136, "Profile '%s' is the default profile"),
    _m("E", 137, "Profile '%s' is used by a pool"),
    _m("S", 138, "Removed pool %d:'%s'"),
    _m("S", 139, "Changed pool %d to profile '%s'"),
    _m("S", MSG_BYE, "%s"),
)

_BFG_TABLE: tuple[MessageSpec, ...] = (
    _m("E", 1, "Invalid GPU id %d - range is 0 - %d", feature="opencl"),
    _m("I", 2, "GPU %d already enabled", feature="opencl"),
    _m("I", 3, "GPU %d already disabled", feature="opencl"),
    _m("W", 4, "GPU %d must be restarted first", feature="opencl"),
    _m("I", 5, "GPU %d sent enable message", feature="opencl"),
    _none("E", 6, "No GPUs"),
    _m("S", 7, "%d Pool(s)"),
    _none("E", 8, "No pools"),
    _m("S", 9, "%d PGA(s)"),
    _none("E", 10, "No PGAs"),
    _none("S", 11, "Summary"),
    _m("I", 12, "GPU %d set disable flag", feature="opencl"),
    _m("I", 13, "GPU %d restart attempted", feature="opencl"),
    _none("E", 14, "Invalid command"),
    _none("E", 15, "Missing device id parameter"),
    _m("S", 17, "GPU%d", feature="opencl"),
    _none("E", 56, "No PGAs"),
    _m("S", 57, "PGA%d"),
    _m("E", 58, "Invalid PGA id %d - range is 0 - %d"),
    _m("I", 61, "PGA %d already enabled"),
    _m("I", 62, "PGA %d already disabled"),
    _m("I", 63, "PGA %d sent enable message"),
    _m("I", 64, "PGA %d set disable flag"),
    _m("E", 65, "PGA %d is not flagged WELL, cannot enable"),
    _none("E", 16, "No CPUs", feature="cpumining"),
    _m("S", 18, "CPU%d", feature="cpumining"),
    _m("E", 19, "Invalid CPU id %d - range is 0 - %d", feature="cpumining"),
    _m("I", 98, "CPU %d already enabled", feature="cpumining"),
    _m("I", 99, "CPU %d already disabled", feature="cpumining"),
    _m("W", 100, "CPU %d must be restarted first", feature="cpumining"),
    _m("I", 101, "CPU %d sent enable message", feature="cpumining"),
    _m("I", 102, "CPU %d set disable flag", feature="cpumining"),
    _m("I", 103, "CPU %d restart attempted", feature="cpumining"),
    _none("S", 20, "GPU count"),
    _none("S", 59, "PGA count"),
    _none("S", 21, "CPU count"),
    _none("S", 22, "BFGMiner versions"),
    _none("E", 23, "Invalid JSON"),
    _m("E", 24, "Missing JSON '%s'", "cmd"),
    _none("E", 25, "Missing pool id parameter"),
    _m("E", 26, "Invalid pool id %d - range is 0 - %d"),
    _m("S", 27, "Switching to pool %d:'%s'"),
    _none("E", 28, "Missing comma after GPU number"),
    _none("E", 29, "ADL is not available"),
    _m("E", 30, "GPU %d does not have ADL"),
    _m("E", 31, "Invalid intensity (%s) - must be 'D' or range -10 - 31"),
    _m("I", 32, "GPU %d set new intensity to %s"),
    _none("S", 33, "BFGMiner config"),
    _m("E", 34, "Setting GPU %d memoryclock to (%s) reported failure", feature="opencl"),
    _m("S", 35, "Setting GPU %d memoryclock to (%s) reported success", feature="opencl"),
    _m("E", 36, "Setting GPU %d clock to (%s) reported failure", feature="opencl"),
    _m("S", 37, "Setting GPU %d clock to (%s) reported success", feature="opencl"),
    _m("E", 38, "Setting GPU %d vddc to (%s) reported failure", feature="opencl"),
    _m("S", 39, "Setting GPU %d vddc to (%s) reported success", feature="opencl"),
    _m("E", 40, "Setting GPU %d fan to (%s) reported failure", feature="opencl"),
    _m("S", 41, "Setting GPU %d fan to (%s) reported success", feature="opencl"),
    _none("E", 42, "Missing save filename parameter"),
    _m("E", 43, "Can't open or create save file '%s'", pre=True),
    _m("S", 44, "Configuration saved to file '%s'", pre=True),
    _m("E", 45, "Access denied to '%s' command"),
    _none("S", 46, "Privileged access OK"),
    _m("S", 47, "Enabling pool %d:'%s'"),
    _none("S", 73, "Changed pool priorities"),
    _m("E", 74, "Duplicate pool specified %d"),
    _m("S", 48, "Disabling pool %d:'%s'"),
    _m("I", 49, "Pool %d:'%s' already enabled"),
    _m("I", 50, "Pool %d:'%s' already disabled"),
    _m("E", 51, "Cannot disable last active pool %d:'%s'"),
    _none("E", 52, "Missing addpool details"),
    _m("E", 53, "Invalid addpool details '%s'", pre=True),
    _none("E", 54, "Reached maximum number of pools (%d)"),
    _m("S", 55, "Added pool '%s'", pre=True),
    _m("E", 66, "Cannot remove last pool %d:'%s'"),
    _m("E", 67, "Cannot remove active pool %d:'%s'"),
    _m("S", 68, "Removed pool %d:'%s'", pre=True),
    _none("S", 60, "Notify"),
    _none("S", 69, "Device Details"),
    _none("S", 70, "BFGMiner stats"),
    _none("E", 71, "Missing check cmd"),
    _none("S", 72, "Check command"),
    _none("E", 75, "Missing parameter: true/false"),
    _none("E", 76, "Invalid parameter should be true or false"),
    _m("S", 77, "Failover-Only set to %s"),
    _none("S", 78, "BFGMiner coin"),
    _none("S", 79, "Debug settings"),
    _m("S", 80, "Identify command sent to PGA%d"),
    _m("W", 81, "PGA%d does not support identify"),
    _m("S", 82, "Set config '%s' to %d"),
    _m("E", 83, "Unknown config '%s'"),
    _m("E", 84, "Invalid number (%d) for '%s' range is 0-9999"),
    _m("E", 121, "Invalid negative number (%d) for '%s'"),
    _m("S", 122, "Set pool '%s' to quota %d'"),
    _none("E", 85, "Missing config parameters 'name,N'"),
    _m("E", 86, "Missing config value N for '%s,N'"),
    _none("E", 89, "Missing option after PGA number"),
    _m("W", 90, "PGA %d does not support pgaset"),
    _m("I", 91, "PGA %d set help: %s"),
    _m("S", 92, "PGA %d set OK"),
    _m("S", 92 | BFG_USE_ALTMSG, "PGA %d set OK: %s"),
    _m("E", 93, "PGA %d set failed: %s"),
    _none("E", 94, "Missing zero parameters"),
    _m("E", 95, "Invalid zero parameter '%s'"),
    _m("S", 96, "Zeroed %s stats with summary"),
    _m("S", 97, "Zeroed %s stats without summary"),
    _m("S", 0x100, "Added %d new device(s)"),
    _m("S", MSG_BYE, "%s"),
    # Listed in SPEC.md 9.2 from a 2021 bfgminer HEAD; absent from c6e7c912.
    _m("E", 0x102, "Invalid strategy for '%s'", feature="spec-only"),
    _m("E", 0x103, "Failed to set port (%d) for '%s'", feature="spec-only"),
)

_DEFAULT_FEATURES: dict[Personality, frozenset[str]] = {
    # A typical cg 4.11.1 ASIC build (e.g. --enable-icarus/--enable-avalon*): USB, no FPGA.
    "cgminer": frozenset({"asic", "usb"}),
    # Antminer bmminer: USE_BITMAIN (ASIC), no FPGA, no USB.
    "bmminer": frozenset({"asic"}),
    "sgminer": frozenset(),
    # bfgminer 5.x defaults: OpenCL and CPU mining disabled at configure time.
    "bfgminer": frozenset(),
}

_BASE_TABLES: dict[Personality, tuple[MessageSpec, ...]] = {
    "cgminer": _cg_family("cgminer"),
    "bmminer": _cg_family("bmminer"),
    "sgminer": _SG_TABLE,
    "bfgminer": _BFG_TABLE,
}


def default_features(personality: Personality) -> frozenset[str]:
    """The build options assumed when ``features`` is not given."""
    return _DEFAULT_FEATURES[personality]


def message_table(
    personality: Personality, features: Iterable[str] | None = None
) -> tuple[MessageSpec, ...]:
    """``codes[]`` of ``personality`` for a build with ``features``, in C table order."""
    feats = _DEFAULT_FEATURES[personality] if features is None else frozenset(features)
    devs, nodevs = _cg_devs(feats)
    table: list[MessageSpec] = []
    for spec in _BASE_TABLES[personality]:
        if spec.feature is not None and spec.feature not in feats:
            continue
        if spec.template == "<DEVS>":
            spec = spec._replace(template=devs)
        elif spec.template == "<NODEVS>":
            spec = spec._replace(template=nodevs)
        table.append(spec)
    return tuple(table)


def lookup_message(
    personality: Personality, code: int, features: Iterable[str] | None = None
) -> MessageSpec | None:
    """First ``codes[]`` entry for ``code`` (``None``: ``message()`` falls back to F)."""
    for spec in message_table(personality, features):
        if spec.code == code:
            return spec
    return None


def _c_int(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"%d needs an int, got {value!r}")
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def _c_str(value: object) -> str:
    if value is None:
        return "(null)"  # glibc printf("%s", NULL)
    if isinstance(value, bool):
        return "true" if value else "false"  # PARAM_BOOL: paramid ? TRUESTR : FALSESTR
    if not isinstance(value, str):
        raise TypeError(f"%s needs a str, got {value!r}")
    nul = value.find("\x00")
    return value if nul < 0 else value[:nul]


def _fill(spec: MessageSpec, params: tuple[object, ...], form: Form) -> str:
    """``sprintf(buf, codes[i].description, ...)`` for one entry."""
    if spec.kind == "none":
        return spec.template
    if spec.kind == "cmd":
        return spec.template.replace("%s", "command", 1)
    args = iter(params)

    def substitute(match: re.Match[str]) -> str:
        value = next(args)
        if match.group() == "%d":
            return str(_c_int(value))
        text = _c_str(value)
        return escape(text, form) if spec.pre_escaped and value is not None else text

    return _PLACEHOLDER.sub(substitute, spec.template)


def _cut_bytes(text: str, limit: int) -> str:
    raw = text.encode("utf-8", "surrogateescape")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", "surrogateescape")


def status_fields(
    personality: Personality,
    code: int,
    *params: object,
    when: int,
    description: str | None,
    form: Form,
    features: Iterable[str] | None = None,
) -> list[Field]:
    """The STATUS object ``message()`` would emit for ``code``.

    ``params`` fill the template's ``%d``/``%s`` in order (``None`` for ``%s``
    prints ``(null)``, a ``bool`` prints ``true``/``false``).  ``form`` is
    needed because some parameters are escaped for the reply form before they
    are formatted into ``Msg`` (see module docstring).  ``description`` is the
    ``--api-description`` (default ``PACKAGE_STRING``, e.g. ``cgminer 4.11.1``).
    """
    spec = lookup_message(personality, code, features)
    shown = code & ~BFG_USE_ALTMSG if personality == "bfgminer" else code
    if spec is None:
        return [
            Field("STATUS", ApiType.STRING, "F"),
            Field("When", ApiType.TIME, when),
            Field("Code", ApiType.INT, -1),
            Field("Msg", ApiType.ESCAPE, str(_c_int(shown))),
            Field("Description", ApiType.ESCAPE, description),
        ]
    if len(params) != spec.nparams:
        raise ValueError(
            f"{personality} code {code} ({spec.template!r}) takes {spec.nparams} "
            f"parameter(s), got {len(params)}"
        )
    msg = _fill(spec, params, form)
    if personality == "cgminer" and spec.kind != "none":
        msg = _cut_bytes(msg, _CG_LIMSIZ)
    fields = [
        Field("STATUS", ApiType.STRING, spec.severity),
        Field("When", ApiType.TIME, when),
        Field("Code", ApiType.INT, shown),
        Field("Msg", ApiType.ESCAPE, msg),
    ]
    if not (personality == "cgminer" and code == MSG_INVCMD):
        fields.append(Field("Description", ApiType.ESCAPE, description))
    return fields
