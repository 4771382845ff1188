"""`--api-allow` and `--api-groups` as the miners parse and apply them (SPEC §7).

* `--api-allow "W:127.0.0.1,R:10.0.0.0/8"`: comma-separated `[G:]IP[/prefix]`
  entries, first match wins and fixes the client's group.  An undefined group
  letter silently becomes R; `0/0` matches everyone; short IPv4 addresses are
  padded with `.0`; invalid entries are skipped.  A client that matches no entry
  is accepted and then closed with zero bytes.
* Without `--api-allow`: only 127.0.0.1 (and ::1 for cgminer), or everyone with
  `--api-network`; all in group R, so nobody can use privileged commands.
* `--api-groups "P:switchpool:enablepool:*"`: group letters other than R/W with
  their commands; `*` adds every non-privileged command.  R is every
  non-privileged command, W is everything.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

__all__ = ("AccessConfigError", "AccessControl", "AllowEntry", "parse_allow", "parse_groups")

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AccessConfigError(ValueError):
    """An `--api-allow` or `--api-groups` setting the miner would refuse at startup."""


@dataclass(frozen=True)
class AllowEntry:
    """One valid `--api-allow` entry."""

    group: str
    network: _Network


def _parse_network(text: str, *, ipv6: bool) -> _Network | None:
    address, _, prefix_text = text.partition("/")
    if address.startswith("["):
        if not ipv6 or not address.endswith("]"):
            return None
        address = address[1:-1]
    if address == "0" and prefix_text == "0":
        return ipaddress.ip_network("0.0.0.0/0")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parts = address.split(".")
        if not 1 <= len(parts) < 4 or not all(p.isdigit() for p in parts):
            return None
        try:  # cg pads short IPv4 addresses with .0 ("10.0.0/24").
            parsed = ipaddress.ip_address(".".join(parts + ["0"] * (4 - len(parts))))
        except ValueError:
            return None
    if parsed.version == 6 and not ipv6:
        return None
    if prefix_text:
        if not prefix_text.isdigit():
            return None
        prefix = int(prefix_text)
        if not 1 <= prefix <= parsed.max_prefixlen:
            return None
    else:
        prefix = parsed.max_prefixlen
    return ipaddress.ip_network(f"{parsed}/{prefix}", strict=False)


def parse_allow(
    text: str, defined_groups: Collection[str] = ("R", "W"), *, ipv6: bool = True
) -> list[AllowEntry]:
    """The valid entries of an `--api-allow` value, in order (invalid ones are skipped)."""
    entries: list[AllowEntry] = []
    for raw in text.split(","):
        item = raw.lstrip(" \t")
        if not item:
            continue
        group = "R"
        if len(item) > 1 and item[1] == ":" and item[0].isalpha():
            letter = item[0].upper()
            group = letter if letter in defined_groups else "R"
            item = item[2:]
        network = _parse_network(item, ipv6=ipv6)
        if network is not None:
            entries.append(AllowEntry(group, network))
    return entries


def parse_groups(
    text: str, commands: Collection[str], privileged: Collection[str]
) -> dict[str, frozenset[str]]:
    """`--api-groups`: letter -> allowed commands.  Raises `AccessConfigError` like startup."""
    by_lower = {name.lower(): name for name in commands}
    groups: dict[str, frozenset[str]] = {}
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        letter, _, rest = item.partition(":")
        letter = letter.upper()
        if len(letter) != 1 or not "A" <= letter <= "Z":
            raise AccessConfigError(f"API invalid group name {letter!r}")
        if letter in ("R", "W"):
            raise AccessConfigError(f"API group name can't be '{letter}'")
        if letter in groups:
            raise AccessConfigError(f"API duplicate group name '{letter}'")
        allowed: set[str] = set()
        for name in rest.split(":"):
            if not name:
                continue
            if name == "*":
                allowed.update(c for c in commands if c not in privileged)
                continue
            command = by_lower.get(name.lower())
            if command is None:
                raise AccessConfigError(f"API unknown command {name!r} in group '{letter}'")
            allowed.add(command)
        groups[letter] = frozenset(allowed)
    return groups


@dataclass
class AccessControl:
    """Who may connect and which commands each client's group may use."""

    commands: frozenset[str]
    privileged: frozenset[str]
    allow: str | None = None
    groups: str | None = None
    network: bool = False
    ipv6: bool = True
    """cgminer accepts IPv6 entries and ::1; sgminer and bfgminer are IPv4 only."""
    _entries: list[AllowEntry] = field(init=False, default_factory=list)
    _groups: dict[str, frozenset[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._groups = parse_groups(self.groups or "", self.commands, self.privileged)
        if self.allow is not None:
            defined = {"R", "W", *self._groups}
            self._entries = parse_allow(self.allow, defined, ipv6=self.ipv6)
            if not self._entries:
                raise AccessConfigError(f"no valid --api-allow entry in {self.allow!r}")

    def group_of(self, address: str) -> str | None:
        """The client's group letter, or None when the address may not connect."""
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            return None
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if self.allow is None:
            if self.network:
                return "R"
            local = {ipaddress.ip_address("127.0.0.1")}
            if self.ipv6:
                local.add(ipaddress.ip_address("::1"))
            return "R" if ip in local else None
        for entry in self._entries:
            everyone = entry.network.prefixlen == 0  # 0/0 matches IPv6 clients too
            if everyone or (ip.version == entry.network.version and ip in entry.network):
                return entry.group
        return None

    def may_use(self, group: str, command: str) -> bool:
        """Whether a client of `group` may run the (recognised) `command`."""
        if group == "W":
            return True
        if group == "R":
            return command not in self.privileged
        return command in self._groups.get(group, frozenset())

    def allowed_commands(self, group: str) -> Iterable[str]:
        """Every command `group` may run."""
        return sorted(c for c in self.commands if self.may_use(group, c))
