"""MinerApi sans IO: every command of every personality, in both forms, as SPEC gives it.

No sockets: requests go straight into `MinerApi.handle()` with a fixed clock, and every
reply is decoded with cgapi's own decoder (and validated with the reply models where the
command has one), so the fake and the client are held to the same reading of the wire.

Expected codes, severities and Msg texts are written out literally from SPEC §9 and the
miners' `api.c` (cgminer 4.11.1, sgminer 5.x, bfgminer 5.x); they are not derived from
the renderer's tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pytest

from cgapi.commands import COMMANDS
from cgapi.commands.results import convert
from cgapi.protocol import MultiReply, Reply, decode_reply
from cgapi.testing.access import AccessControl
from cgapi.testing.api import MinerApi, commands_of
from cgapi.testing.state import MinerState

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from cgapi.testing._render.types import Personality
    from cgapi.testing.state import DeviceKind, PoolSpec

Form = Literal["text", "json"]

WHEN = 1_700_000_000
W_CLIENT = "127.0.0.1"
R_CLIENT = "10.0.0.2"
ALLOW = "W:127.0.0.1,R:10.0.0.0/8"
FORMS: tuple[Form, ...] = ("text", "json")
PERSONALITIES: tuple[Personality, ...] = ("cgminer", "sgminer", "bfgminer", "bmminer")

# A rig per personality that has every kind of device its commands address.
RIG_DEVICES: dict[Personality, tuple[DeviceKind, ...]] = {
    "cgminer": ("ASC", "ASC", "PGA"),
    "bmminer": ("ASC", "ASC", "ASC"),
    "sgminer": ("GPU", "GPU"),
    "bfgminer": ("PGA", "GPU", "CPU"),
}
RIG_FEATURES: dict[Personality, frozenset[str]] = {
    "cgminer": frozenset({"asic", "fpga", "usb"}),
    "bmminer": frozenset({"asic"}),
    "sgminer": frozenset(),
    "bfgminer": frozenset({"opencl", "cpumining"}),
}
POOL0 = "stratum+tcp://pool.example.com:3333"
POOL1 = "stratum+tcp://backup.example.com:3333"
NEW_POOL = "stratum+tcp://new.example.com:3333"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = WHEN) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_api(
    personality: Personality,
    *,
    devices: Sequence[DeviceKind] | None = None,
    pools: Sequence[PoolSpec | tuple[str, str, str] | str] | None = None,
    features: Iterable[str] | None = None,
    allow: str | None = ALLOW,
    groups: str | None = None,
    network: bool = False,
    save_dir: Path | None = None,
    seed: int = 7,
    clock: Clock | None = None,
) -> MinerApi:
    """A MinerApi wired like FakeMiner wires it, on a hand-moved clock."""
    feats = RIG_FEATURES[personality] if features is None else frozenset(features)
    state = MinerState.create(
        personality,
        devices=RIG_DEVICES[personality] if devices is None else devices,
        pools=pools,
        seed=seed,
        clock=clock or Clock(),
    )
    commands = commands_of(personality, feats)
    access = AccessControl(
        commands,
        frozenset(name for name in commands if COMMANDS[name].privileged),
        allow=allow,
        groups=groups,
        network=network,
        ipv6=personality == "cgminer",
    )
    return MinerApi(state, access=access, features=feats, save_dir=save_dir)


def request(command: str, param: str | None = None, form: Form = "text") -> bytes:
    """Request bytes as a client writes them (no escaping: raw parameter)."""
    if form == "text":
        return (command if param is None else f"{command}|{param}").encode()
    body: dict[str, str] = {"command": command}
    if param is not None:
        body["parameter"] = param
    return json.dumps(body, separators=(",", ":")).encode()


def ask(
    api: MinerApi,
    command: str,
    param: str | None = None,
    form: Form = "text",
    *,
    client: str = W_CLIENT,
) -> bytes:
    return api.handle(request(command, param, form), client).reply


def single(raw: bytes) -> Reply:
    """Decode a single-command reply (and check the NUL terminator)."""
    assert raw.endswith(b"\x00") and raw.count(b"\x00") == 1
    reply = decode_reply(raw)
    assert isinstance(reply, Reply)
    return reply


def multi(raw: bytes) -> MultiReply:
    reply = decode_reply(raw)
    assert isinstance(reply, MultiReply)
    return reply


# ---------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Case:
    """One request and what SPEC says the reply carries."""

    command: str
    param: str | None
    severity: str
    code: int
    msg: str
    json_key: str | None = None
    text_heads: frozenset[str] = frozenset()
    """Section names the text decoder reports: the bare label or the records' index field."""
    valid_json: bool = True

    @property
    def request_id(self) -> str:
        return self.command if self.param is None else f"{self.command}|{self.param}"


def ok(command: str, param: str | None, code: int, msg: str, severity: str = "S") -> Case:
    return Case(command, param, severity, code, msg)


def report(
    command: str, param: str | None, code: int, msg: str, key: str, *heads: str, sev: str = "S"
) -> Case:
    return Case(command, param, sev, code, msg, key, frozenset(heads or (key,)))


def _pool_cases(added: str) -> list[Case]:
    return [
        report("pools", None, 7, "2 Pool(s)", "POOLS", "POOL"),
        ok("switchpool", "1", 27, f"Switching to pool 1:'{POOL1}'"),
        ok("addpool", f"{NEW_POOL},w,x", 55, added),
        ok("poolpriority", "1,0", 73, "Changed pool priorities"),
        ok("poolquota", "1,5", 122, f"Set pool '{POOL1}' to quota 5'"),
        ok("enablepool", "1", 49, f"Pool 1:'{POOL1}' already enabled", "I"),
        ok("disablepool", "1", 48, f"Disabling pool 1:'{POOL1}'"),
        ok("removepool", "1", 68, f"Removed pool 1:'{POOL1}'"),
        ok("save", "x.conf", 44, "Configuration saved to file 'x.conf'"),
        ok("privileged", None, 46, "Privileged access OK"),
        report("check", "summary", 72, "Check command", "CHECK"),
        report("debug", None, 79, "Debug settings", "DEBUG"),
        report("summary", None, 11, "Summary", "SUMMARY"),
        report("notify", None, 60, "Notify", "NOTIFY"),
    ]


CG_CASES = [
    *_pool_cases(f"Added pool 2: '{NEW_POOL}'"),
    report("version", None, 22, "CGMiner versions", "VERSION"),
    report("config", None, 33, "CGMiner config", "CONFIG"),
    report("devs", None, 9, "2 ASC(s) - 1 PGA(s)", "DEVS", "ASC", "PGA"),
    report("edevs", None, 9, "2 ASC(s) - 1 PGA(s)", "DEVS", "ASC", "PGA"),
    report("pga", "0", 57, "PGA0", "PGA"),
    ok("pgaenable", "0", 61, "PGA 0 already enabled", "I"),
    ok("pgadisable", "0", 64, "PGA 0 set disable flag", "I"),
    ok("pgaidentify", "0", 80, "Identify command sent to PGA0"),
    report("pgacount", None, 59, "PGA count", "PGAS"),
    ok("pgaset", "0,fan,50", 92, "PGA 0 set OK"),
    report("asc", "1", 106, "ASC1", "ASC"),
    ok("ascenable", "1", 108, "ASC 1 already enabled", "I"),
    ok("ascdisable", "1", 111, "ASC 1 set disable flag", "I"),
    ok("ascidentify", "0", 113, "Identify command sent to ASC0"),
    report("asccount", None, 104, "ASC count", "ASCS"),
    ok("ascset", "0,fan,50", 119, "ASC 0 set OK"),
    report("devdetails", None, 69, "Device Details", "DEVDETAILS"),
    report("stats", None, 70, "CGMiner stats", "STATS"),
    report("estats", None, 70, "CGMiner stats", "STATS"),
    report("dbgstats", None, -1, "126", "STATS", sev="F"),
    ok("failover-only", "true", 127, "Deprecated config option 'true'", "E"),
    report("coin", None, 78, "CGMiner coin", "COIN"),
    ok("setconfig", "queue,1", 83, "Unknown config 'queue,1'", "E"),
    ok("usbstats", None, 88, "No USB Statistics", "I"),
    ok("zero", "all,false", 97, "Zeroed All stats without summary"),
    ok("hotplug", "0", 101, "Hotplug disabled"),
    report("lcd", None, 125, "LCD", "LCD"),
    ok("lockstats", None, 124, "Lock stats not enabled", "W"),
]

BM_CASES = [
    *_pool_cases(f"Added pool 2: '{NEW_POOL}'"),
    report("version", None, 22, "BMMiner versions", "VERSION"),
    report("config", None, 33, "BMMiner config", "CONFIG"),
    report("devs", None, 9, "3 ASC(s)", "DEVS", "ASC"),
    report("edevs", None, 9, "3 ASC(s)", "DEVS", "ASC"),
    report("pgacount", None, 59, "PGA count", "PGAS"),
    report("asc", "1", 106, "ASC1", "ASC"),
    ok("ascenable", "1", 108, "ASC 1 already enabled", "I"),
    ok("ascdisable", "1", 111, "ASC 1 set disable flag", "I"),
    ok("ascidentify", "0", 113, "Identify command sent to ASC0"),
    report("asccount", None, 104, "ASC count", "ASCS"),
    ok("ascset", "0,fan,50", 119, "ASC 0 set OK"),
    report("devdetails", None, 69, "Device Details", "DEVDETAILS"),
    # The version object heads STATS with no comma after it: `}{` (invalid JSON).
    Case("stats", None, "S", 70, "BMMiner stats", "STATS", frozenset({"STATS"}), False),
    report("estats", None, 70, "BMMiner stats", "STATS"),
    ok("failover-only", "true", 77, "Failover-Only set to true"),
    report("coin", None, 78, "BMMiner coin", "COIN"),
    ok("setconfig", "queue,1", 82, "Set config 'queue' to 1"),
    ok("usbstats", None, 88, "No USB Statistics", "I"),
    ok("zero", "all,false", 97, "Zeroed All stats without summary"),
    ok("hotplug", "0", 102, "Hotplug is not available", "W"),
    report("lcd", None, 125, "LCD", "LCD"),
    ok("lockstats", None, 124, "Lock stats not enabled", "W"),
]

SG_CASES = [
    *_pool_cases(f"Added pool '{NEW_POOL}'"),
    report("version", None, 22, "SGMiner versions", "VERSION"),
    report("config", None, 33, "sgminer config", "CONFIG"),
    report("devs", None, 9, "2 GPU(s)", "DEVS", "GPU"),
    ok("profiles", None, 130, "No profiles", "E"),
    report("gpu", "1", 17, "GPU1", "GPU"),
    ok("gpuenable", "0", 2, "GPU 0 already enabled", "I"),
    ok("gpudisable", "0", 12, "GPU 0 set disable flag", "I"),
    ok("gpurestart", "0", 13, "GPU 0 restart attempted", "I"),
    report("gpucount", None, 20, "GPU count", "GPUS"),
    ok("changestrategy", "1", 125, "Multipool strategy changed to 'Round Robin'"),
    ok("changepoolprofile", "0,p1", 130, "No profiles", "E"),
    ok("addprofile", "p1:scrypt", 133, "Added profile 'p1'"),
    ok("removeprofile", "p1", 130, "No profiles", "E"),
    ok("gpuintensity", "0,10", 32, "GPU 0 set new intensity to 10", "I"),
    ok("gpuxintensity", "0,100", 141, "GPU 0 set new xintensity to 100", "I"),
    ok("gpurawintensity", "0,1000", 143, "GPU 0 set new rawintensity to 1000", "I"),
    ok("gpumem", "0,1200", 35, "Setting GPU 0 memoryclock to (1200) reported success"),
    ok("gpuengine", "0,1000", 37, "Setting GPU 0 clock to (1000) reported success"),
    ok("gpufan", "0,80", 41, "Setting GPU 0 fan to (80) reported success"),
    ok("gpuvddc", "0,1.1", 39, "Setting GPU 0 vddc to (1.1) reported success"),
    ok("quit", None, 257, "BYE"),
    ok("restart", None, 257, "RESTART"),
    report("devdetails", None, 69, "Device Details", "DEVDETAILS"),
    report("stats", None, 70, "sgminer stats", "STATS"),
    ok("failover-only", "true", 77, "Failover-Only set to true"),
    report("coin", None, 78, "sgminer coin", "COIN"),
    ok("setconfig", "queue,1", 82, "Set config 'queue' to 1"),
    ok("zero", "bestshare,true", 96, "Zeroed BestShare stats with summary"),
    ok("lockstats", None, 124, "Lock stats not enabled", "W"),
]

BFG_CASES = [
    *_pool_cases(f"Added pool '{NEW_POOL}'"),
    report("version", None, 22, "BFGMiner versions", "VERSION"),
    report("config", None, 33, "BFGMiner config", "CONFIG"),
    report("devs", None, 9, "3 PGA(s)", "DEVS", "PGA"),
    report("procs", None, 9, "3 PGA(s)", "DEVS", "PGA"),
    report("devscan", None, 256, "Added 0 new device(s)", "DEVS"),
    # bfg answers `gpu`/`cpu` with a devs record that starts `PGA=<device index>`.
    report("gpu", "0", 17, "GPU0", "GPU", "PGA"),
    ok("gpuenable", "0", 2, "GPU 0 already enabled", "I"),
    ok("gpudisable", "0", 12, "GPU 0 set disable flag", "I"),
    ok("gpurestart", "0", 13, "GPU 0 restart attempted", "I"),
    report("pga", "2", 57, "PGA2", "PGA"),
    ok("pgaenable", "0", 61, "PGA 0 already enabled", "I"),
    ok("pgadisable", "0", 64, "PGA 0 set disable flag", "I"),
    ok("pgarestart", "0", 257, "(null)"),
    ok("pgaidentify", "0", 80, "Identify command sent to PGA0"),
    report("proc", "1", 57, "PGA1", "PGA"),
    ok("procenable", "0", 61, "PGA 0 already enabled", "I"),
    ok("procdisable", "0", 64, "PGA 0 set disable flag", "I"),
    ok("procidentify", "0", 80, "Identify command sent to PGA0"),
    report("cpu", "0", 18, "CPU0", "CPU", "PGA"),
    ok("cpuenable", "0", 98, "CPU 0 already enabled", "I"),
    ok("cpudisable", "0", 102, "CPU 0 set disable flag", "I"),
    ok("cpurestart", "0", 103, "CPU 0 restart attempted", "I"),
    report("gpucount", None, 20, "GPU count", "GPUS"),
    report("pgacount", None, 59, "PGA count", "PGAS"),
    report("proccount", None, 59, "PGA count", "PGAS"),
    report("cpucount", None, 21, "CPU count", "CPUS"),
    ok("gpuintensity", "0,10", 32, "GPU 0 set new intensity to 10", "I"),
    ok("gpumem", "0,1200", 29, "ADL is not available", "E"),
    ok("gpuengine", "0,1000", 29, "ADL is not available", "E"),
    ok("gpufan", "0,80", 29, "ADL is not available", "E"),
    ok("gpuvddc", "0,1.1", 29, "ADL is not available", "E"),
    ok("quit", None, 257, "BYE"),
    ok("restart", None, 257, "RESTART"),
    report("procnotify", None, 60, "Notify", "NOTIFY"),
    # bfg devdetails answers under DEVS; its records still start DEVDETAILS=n.
    report("devdetails", None, 69, "Device Details", "DEVS", "DEVDETAILS"),
    report("procdetails", None, 69, "Device Details", "DEVS", "DEVDETAILS"),
    report("stats", None, 70, "BFGMiner stats", "STATS"),
    ok("failover-only", "true", 77, "Failover-Only set to true"),
    report("coin", None, 78, "BFGMiner coin", "COIN"),
    ok("setconfig", "queue,1", 82, "Set config 'queue' to 1"),
    ok("pgaset", "0,fan,50", 92, "PGA 0 set OK"),
    ok("procset", "0,fan,50", 92, "PGA 0 set OK"),
    ok("zero", "all,true", 96, "Zeroed All stats with summary"),
]

CASES: dict[Personality, list[Case]] = {
    "cgminer": CG_CASES,
    "bmminer": BM_CASES,
    "sgminer": SG_CASES,
    "bfgminer": BFG_CASES,
}
# cgminer and bmminer quit/restart send no STATUS at all (tested below).
SHUTDOWN_RAW = {"cgminer", "bmminer"}


def _table_params() -> list[object]:
    params = []
    for personality, cases in CASES.items():
        for case in cases:
            for form in FORMS:
                case_id = f"{personality}-{form}-{case.request_id}"
                params.append(pytest.param(personality, form, case, id=case_id))
    return params


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_the_table_covers_every_command(personality: Personality) -> None:
    covered = {case.command for case in CASES[personality]}
    if personality in SHUTDOWN_RAW:
        covered |= {"quit", "restart"}
    assert covered == commands_of(personality, RIG_FEATURES[personality])


@pytest.mark.parametrize(("personality", "form", "case"), _table_params())
def test_command_reply(personality: Personality, form: Form, case: Case, tmp_path: Path) -> None:
    api = make_api(personality, save_dir=tmp_path)
    handled = api.handle(request(case.command, case.param, form), W_CLIENT)
    reply = single(handled.reply)
    status = reply.status
    assert (status.severity, status.code, status.msg) == (case.severity, case.code, case.msg)
    assert status.when == WHEN
    assert status.description == MinerApiDescriptions[personality]
    assert len(reply.statuses) == 1
    expected = {case.json_key} if form == "json" and case.json_key else set(case.text_heads)
    if case.json_key is None:
        expected = set()
    assert set(reply.sections) == expected
    if form == "json" and case.valid_json:
        json.loads(handled.reply[:-1])
    spec = COMMANDS[case.command]
    if not status.is_error and spec.result not in ("status", "shutdown"):
        convert(spec, reply)  # the client's models accept what the fake sends
    assert handled.action == {"quit": "quit", "restart": "restart"}.get(case.command)


MinerApiDescriptions: dict[Personality, str] = {
    "cgminer": "cgminer 4.11.1",
    "sgminer": "sgminer 5.1.1",
    "bfgminer": "bfgminer 5.5.0",
    "bmminer": "bmminer 1.0.0",
}


@pytest.mark.parametrize("personality", PERSONALITIES)
@pytest.mark.parametrize("case", ["version", "summary", "pools", "devs", "stats", "config"])
def test_text_and_json_carry_the_same_fields(personality: Personality, case: str) -> None:
    """Field names, order and record count agree between the two forms."""
    text = single(ask(make_api(personality), case, None, "text"))
    js = single(ask(make_api(personality), case, None, "json"))
    assert [list(r) for r in text.records] == [list(r) for r in js.records]
    for text_record, json_record in zip(text.records, js.records, strict=True):
        for name, value in json_record.items():
            if isinstance(value, bool):
                assert text_record[name] == str(value).lower()
            elif isinstance(value, (int, float)):
                assert float(text_record[name]) == pytest.approx(value)
            else:
                assert text_record[name] == value


# ---------------------------------------------------------------------------- shutdown


@pytest.mark.parametrize("personality", sorted(SHUTDOWN_RAW))
@pytest.mark.parametrize(
    ("command", "form", "raw"),
    [
        ("quit", "text", b"BYE\x00"),
        ("quit", "json", b'{"STATUS":"BYE","id":1}\x00'),
        ("restart", "text", b"RESTART\x00"),
        ("restart", "json", b'{"STATUS":"RESTART","id":1}\x00'),
    ],
)
def test_cgminer_quit_and_restart_have_no_status_section(
    personality: Personality, command: str, form: Form, raw: bytes
) -> None:
    handled = make_api(personality).handle(request(command, None, form), W_CLIENT)
    assert handled.reply == raw
    assert handled.action == command
    reply = single(handled.reply)
    assert reply.status.msg == command.upper().replace("QUIT", "BYE")
    assert reply.status.code is None


@pytest.mark.parametrize("personality", ["sgminer", "bfgminer"])
def test_sg_bfg_quit_is_a_normal_status_257(personality: Personality) -> None:
    raw = ask(make_api(personality), "quit")
    assert raw.startswith(b"STATUS=S,When=1700000000,Code=257,Msg=BYE,Description=")


def test_bfg_pgarestart_prints_the_bye_template_with_null() -> None:
    raw = ask(make_api("bfgminer"), "pgarestart", "0", "json")
    assert b'"Code":257,"Msg":"(null)"' in raw


def test_setconfig_without_parameter_crashes_cgminer() -> None:
    handled = make_api("cgminer").handle(b"setconfig", W_CLIENT)
    assert handled == type(handled)(b"", "crash")


def test_addprofile_without_parameter_crashes_sgminer() -> None:
    handled = make_api("sgminer").handle(b"addprofile", W_CLIENT)
    assert (handled.reply, handled.action) == (b"", "crash")


# ---------------------------------------------------------------------------- error paths


@dataclass(frozen=True)
class Err:
    personalities: tuple[Personality, ...]
    command: str
    param: str | None
    code: int
    msg: str
    severity: str = "E"
    devices: tuple[DeviceKind, ...] | None = None
    pools: tuple[str, ...] | None = None
    text_msg: str | None = None
    """The Msg a text reply decodes to, when the miner escaped it twice (NOTES 26)."""


ALL: tuple[Personality, ...] = PERSONALITIES
CGS: tuple[Personality, ...] = ("cgminer", "bmminer")
SG_BFG: tuple[Personality, ...] = ("sgminer", "bfgminer")
NOT_CG: tuple[Personality, ...] = ("sgminer", "bfgminer", "bmminer")

ERRORS = [
    # pool commands: NOPOOL, then MISPID, then INVPID (range is 0 - total-1)
    *(Err(ALL, cmd, "0", 8, "No pools", pools=()) for cmd in ("switchpool", "enablepool")),
    *(Err(ALL, cmd, None, 8, "No pools", pools=()) for cmd in ("disablepool", "removepool")),
    Err(ALL, "pools", None, 8, "No pools", pools=()),
    Err(ALL, "poolpriority", "0", 8, "No pools", pools=()),
    Err(ALL, "poolquota", "0,1", 8, "No pools", pools=()),
    *(
        Err(ALL, cmd, param, 25, "Missing pool id parameter")
        for cmd in ("switchpool", "enablepool", "disablepool", "removepool", "poolpriority")
        for param in (None, "")
    ),
    Err(ALL, "poolquota", None, 25, "Missing pool id parameter"),
    *(
        Err(ALL, cmd, "2", 26, "Invalid pool id 2 - range is 0 - 1")
        for cmd in ("switchpool", "enablepool", "disablepool", "removepool")
    ),
    Err(ALL, "switchpool", "-1", 26, "Invalid pool id -1 - range is 0 - 1"),
    Err(ALL, "switchpool", "abc", 27, f"Switching to pool 0:'{POOL0}'", "S"),  # atoi("abc")
    Err(ALL, "poolpriority", "0,5", 26, "Invalid pool id 5 - range is 0 - 1"),
    Err(ALL, "poolpriority", "1,1", 74, "Duplicate pool specified 1"),
    Err(ALL, "poolpriority", "1,", 73, "Changed pool priorities", "S"),  # trailing comma ends
    Err(ALL, "poolpriority", "1,,", 73, "Changed pool priorities", "S"),  # "" is atoi 0
    Err(ALL, "poolpriority", "0,,", 74, "Duplicate pool specified 0"),
    Err(ALL, "poolquota", "1", 86, "Missing config value N for '1,N'"),
    Err(ALL, "poolquota", "7,1", 26, "Invalid pool id 7 - range is 0 - 1"),
    Err(ALL, "poolquota", "1,-3", 121, f"Invalid negative number (-3) for '{POOL1}'"),
    Err(ALL, "enablepool", "0", 49, f"Pool 0:'{POOL0}' already enabled", "I"),
    Err(ALL, "removepool", "0", 67, f"Cannot remove active pool 0:'{POOL0}'"),
    Err(ALL, "removepool", "0", 66, f"Cannot remove last pool 0:'{POOL0}'", pools=(POOL0,)),
    Err(
        ("cgminer", "bfgminer", "bmminer"),
        "disablepool",
        "0",
        51,
        f"Cannot disable last active pool 0:'{POOL0}'",
        pools=(POOL0,),
    ),
    Err(("sgminer",), "disablepool", "0", 48, f"Disabling pool 0:'{POOL0}'", "S", pools=(POOL0,)),
    # addpool: MISPDP, INVPDP (the raw parameter, escaped into Msg)
    *(Err(ALL, "addpool", param, 52, "Missing addpool details") for param in (None, "")),
    Err(ALL, "addpool", "url", 53, "Invalid addpool details 'url'"),
    Err(
        ALL,
        "addpool",
        "url,user",
        53,
        "Invalid addpool details 'url,user'",
        text_msg="Invalid addpool details 'url\\,user'",
    ),
    Err(
        ALL,
        "addpool",
        "url,user,",
        53,
        "Invalid addpool details 'url,user,'",
        text_msg="Invalid addpool details 'url\\,user\\,'",
    ),
    Err(CGS, "addpool", "u,,p", 55, "Added pool 2: 'u'", "S"),
    Err(SG_BFG, "addpool", "u,,p", 55, "Added pool 'u'", "S"),
    # devices: none, MISID, invalid id
    Err(("cgminer",), "devs", None, 10, "No ASCs/PGAs", devices=()),
    Err(("bmminer",), "devs", None, 10, "No ASCs", devices=()),
    Err(("sgminer",), "devs", None, 10, "No GPUs", devices=()),
    Err(("bfgminer",), "devs", None, 10, "No PGAs", devices=()),
    Err(("cgminer",), "notify", None, 10, "No ASCs/PGAs", devices=()),
    Err(("cgminer",), "devdetails", None, 10, "No ASCs/PGAs", devices=()),
    Err(("cgminer",), "pga", "0", 56, "No PGAs", devices=("ASC",)),
    Err(("cgminer",), "asc", "0", 105, "No ASCs", devices=("PGA",)),
    Err(("cgminer",), "pgaenable", None, 15, "Missing device id parameter"),
    Err(("cgminer",), "pga", "1", 58, "Invalid PGA id 1 - range is 0 - 0"),
    Err(("cgminer",), "asc", "9", 107, "Invalid ASC id 9 - range is 0 - 1"),
    Err(("bmminer",), "asc", "9", 107, "Invalid ASC id 9 - range is 0 - 2"),
    Err(("sgminer",), "gpu", "2", 1, "Invalid GPU id 2 - range is 0 - 1"),
    Err(("sgminer",), "gpu", "0", 6, "No GPUs", devices=()),
    Err(("bfgminer",), "pga", "3", 58, "Invalid PGA id 3 - range is 0 - 2"),
    Err(("bfgminer",), "cpu", "1", 19, "Invalid CPU id 1 - range is 0 - 0"),
    Err(("bfgminer",), "pga", "0", 56, "No PGAs", devices=()),
    # pgaset/ascset: NON, MISID, MISOPT, then INV
    Err(("cgminer",), "pgaset", "5", 89, "Missing option after PGA number"),
    Err(("cgminer",), "pgaset", "5,", 89, "Missing option after PGA number"),
    Err(("cgminer",), "pgaset", "5,fan", 58, "Invalid PGA id 5 - range is 0 - 0"),
    Err(CGS, "ascset", "5", 116, "Missing option after ASC number"),
    Err(CGS, "ascset", "0,bogus", 120, "ASC 0 set failed: Unknown option: bogus"),
    Err(("bfgminer",), "pgaset", "0,bogus,1", 93, "PGA 0 set failed: Unknown option: bogus"),
    # GPU settings: GPUNON, MISID, MISVAL, INVGPU
    Err(("sgminer",), "gpufan", None, 15, "Missing device id parameter"),
    Err(("sgminer",), "gpufan", "0", 28, "Missing comma after GPU number"),
    Err(("sgminer",), "gpufan", "5,1", 1, "Invalid GPU id 5 - range is 0 - 1"),
    Err(("sgminer",), "gpufan", "0,101", 40, "Setting GPU 0 fan to (101) reported failure"),
    Err(("sgminer",), "gpufan", "0,1", 6, "No GPUs", devices=()),
    Err(("bfgminer",), "gpufan", None, 29, "ADL is not available"),
    Err(
        ("sgminer",),
        "gpuintensity",
        "0,40",
        31,
        "Invalid intensity (40) - must be 'D' or range 8 - 31",
    ),
    Err(("sgminer",), "gpuintensity", "0,d", 32, "GPU 0 set new intensity to D", "I"),
    Err(
        ("bfgminer",),
        "gpuintensity",
        "0,40",
        31,
        "Invalid intensity (40) - must be 'D' or range -10 - 31",
    ),
    Err(
        ("sgminer",), "gpuxintensity", "0,0", 140, "Invalid xintensity (0) - must be range 1 - 9999"
    ),
    # zero: ZERMIS, MISBOOL, ZERINV, INVBOOL
    Err(ALL, "zero", None, 94, "Missing zero parameters"),
    Err(ALL, "zero", "all", 75, "Missing parameter: true/false"),
    Err(ALL, "zero", "all,", 75, "Missing parameter: true/false"),
    Err(ALL, "zero", "what,x", 95, "Invalid zero parameter 'what'"),
    Err(ALL, "zero", "all,x", 76, "Invalid parameter should be true or false"),
    Err(ALL, "zero", "BestShare,F", 97, "Zeroed BestShare stats without summary", "S"),
    # check
    *(Err(ALL, "check", param, 71, "Missing check cmd") for param in (None, "")),
    # failover-only
    Err(("cgminer",), "failover-only", None, 127, "Deprecated config option '(null)'"),
    Err(NOT_CG, "failover-only", None, 75, "Missing parameter: true/false"),
    Err(NOT_CG, "failover-only", "x", 76, "Invalid parameter should be true or false"),
    Err(NOT_CG, "failover-only", "False", 77, "Failover-Only set to false", "S"),
    # setconfig
    Err(NOT_CG, "setconfig", None, 85, "Missing config parameters 'name,N'"),
    Err(NOT_CG, "setconfig", "queue", 86, "Missing config value N for 'queue,N'"),
    Err(
        NOT_CG, "setconfig", "queue,10000", 84, "Invalid number (10000) for 'queue' range is 0-9999"
    ),
    Err(NOT_CG, "setconfig", "bogus,1", 83, "Unknown config 'bogus'"),
    Err(NOT_CG, "setconfig", "ScanTime,30", 82, "Set config 'ScanTime' to 30", "S"),
    Err(("bfgminer",), "setconfig", "coinbase-sig,hi", 82, "Set config 'coinbase-sig' to 1", "S"),
    Err(("cgminer",), "setconfig", "", 83, "Unknown config ''"),
    # hotplug (cgminer with USB)
    Err(("cgminer",), "hotplug", None, 103, "Missing hotplug parameter"),
    Err(("cgminer",), "hotplug", "10000", 99, "Invalid value for hotplug (10000) must be 0..9999"),
    Err(("cgminer",), "hotplug", "30", 100, "Hotplug check set to 30s", "S"),
    # sgminer strategies and profiles
    Err(("sgminer",), "changestrategy", None, 126, "Missing multipool strategy"),
    Err(("sgminer",), "changestrategy", ",,", 126, "Missing multipool strategy"),
    Err(("sgminer",), "changestrategy", "9", 127, "Invalid multipool strategy %d"),
    Err(("sgminer",), "changestrategy", "2", 128, "Missing rotate interval"),
    Err(
        ("sgminer",),
        "changestrategy",
        "2,10000",
        84,
        "Invalid number (10000) for 'interval' range is 0-9999",
    ),
    Err(("sgminer",), "changestrategy", "1", 8, "No pools", pools=()),
    Err(("sgminer",), "removeprofile", None, 130, "No profiles"),
    Err(("sgminer",), "changepoolprofile", "0,x", 8, "No pools", pools=()),
    # misc
    Err(ALL, "debug", "x", 79, "Debug settings", "S"),
    Err(
        ("cgminer",),
        "save",
        "../escape.conf",
        43,
        "Can't open or create save file '../escape.conf'",
    ),
    Err(
        ("bfgminer",),
        "save",
        "../escape.conf",
        43,
        "Can't open or create save file '../escape.conf'",
    ),
    Err(
        ("sgminer",),
        "save",
        "../escape.conf",
        44,
        "Configuration saved to file '../escape.conf'",
        "S",
    ),
]


def _error_params() -> list[object]:
    params = []
    for err in ERRORS:
        for personality in err.personalities:
            for form in FORMS:
                param_id = err.command if err.param is None else f"{err.command}|{err.param}"
                params.append(
                    pytest.param(personality, form, err, id=f"{personality}-{form}-{param_id}")
                )
    return params


@pytest.mark.parametrize(("personality", "form", "err"), _error_params())
def test_error_paths(personality: Personality, form: Form, err: Err, tmp_path: Path) -> None:
    api = make_api(
        personality,
        devices=err.devices,
        pools=list(err.pools) if err.pools is not None else None,
        save_dir=tmp_path,
    )
    reply = single(ask(api, err.command, err.param, form))
    status = reply.status
    msg = err.text_msg if form == "text" and err.text_msg is not None else err.msg
    assert (status.severity, status.code, status.msg) == (err.severity, err.code, msg)
    if reply.status.is_error:
        assert not reply.sections
