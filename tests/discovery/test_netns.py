"""A real cross-host probe: rigs in two network namespaces, discovery from a third.

Four namespaces made for the test (and deleted after it): one holds a bridge, three are
"hosts" joined to it by veth pairs, on 198.18.77.0/24 (a benchmarking range). Nothing is
created in the root namespace, so nothing can reach the real LAN. Needs root and iproute2.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

HELPER = Path(__file__).with_name("netns_helper.py")
SUBNET = "198.18.77"
MCAST_PORT = 4028


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


@pytest.fixture
def namespaces() -> Iterator[dict[str, str]]:
    if not sys.platform.startswith("linux") or shutil.which("ip") is None:
        pytest.skip("network namespaces need Linux and iproute2")
    if os.geteuid() != 0:
        pytest.skip("creating network namespaces needs root")
    tag = uuid.uuid4().hex[:8]
    names = {role: f"cgapi-{role}-{tag}" for role in ("br", "a", "b", "c")}
    created: list[str] = []
    try:
        for name in names.values():
            ip("netns", "add", name)
            created.append(name)
        bridge = names["br"]
        ip("-n", bridge, "link", "add", "br0", "type", "bridge")
        ip("-n", bridge, "link", "set", "br0", "up")
        for index, role in enumerate(("a", "b", "c"), start=1):
            host = names[role]
            ip("-n", host, "link", "add", "eth0", "type", "veth", "peer", "name", f"p{role}")
            ip("-n", host, "link", "set", f"p{role}", "netns", bridge)
            ip("-n", bridge, "link", "set", f"p{role}", "master", "br0", "up")
            ip("-n", host, "addr", "add", f"{SUBNET}.{index}/24", "dev", "eth0")
            ip("-n", host, "link", "set", "eth0", "up")
            ip("-n", host, "link", "set", "lo", "up")
        ip("-n", names["b"], "addr", "add", f"{SUBNET}.12/24", "dev", "eth0")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        for name in created:
            subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
        stderr = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"cannot build the namespaces: {stderr.decode(errors='replace').strip()}")
    try:
        yield names
    finally:
        for name in created:
            subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)


def in_namespace(namespace: str, *args: str) -> list[str]:
    return ["ip", "netns", "exec", namespace, sys.executable, str(HELPER), *args]


def test_discovery_across_namespaces(namespaces: dict[str, str]) -> None:
    allow = f"R:{SUBNET}.0/24"
    rigs = {
        "a": ["--rig", f"cgminer@{SUBNET}.1@rack-a-1"],
        "b": ["--rig", f"sgminer@{SUBNET}.2@", "--rig", f"bfgminer@{SUBNET}.12@b-12"],
    }
    responders: list[subprocess.Popen[str]] = []
    try:
        for role, specs in rigs.items():
            command = in_namespace(
                namespaces[role], "respond", "--port", str(MCAST_PORT), "--allow", allow, *specs
            )
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            responders.append(process)
        for process in responders:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
        time.sleep(1.2)  # like long-running miners: each waits in recvfrom now
        found = json.loads(discover_from(namespaces["c"], "--interface", f"{SUBNET}.3"))
        assert found == [
            {
                "host": f"{SUBNET}.1",
                "port": 4028,
                "description": "rack-a-1",
                "code": "FTW",
                "api": "3.7",
            },
            {"host": f"{SUBNET}.2", "port": 4028, "description": "", "code": "FTW", "api": "4.0"},
            {
                "host": f"{SUBNET}.12",
                "port": 4028,
                "description": "b-12",
                "code": "FTW",
                "api": "3.1",
            },
        ]
        # Without an interface the namespace's routes choose it: none yet, a clear error...
        unrouted = run_helper(namespaces["c"], "discover", "--port", str(MCAST_PORT))
        assert unrouted.returncode != 0
        assert "DiscoveryError: cannot send the probe" in unrouted.stderr
        # ... then eth0, once multicast is routed there.
        ip("-n", namespaces["c"], "route", "add", "224.0.0.0/4", "dev", "eth0")
        routed = json.loads(discover_from(namespaces["c"], "--retries", "2", "--expect", "3"))
        assert [rig["host"] for rig in routed] == [f"{SUBNET}.1", f"{SUBNET}.2", f"{SUBNET}.12"]
    finally:
        for process in responders:
            if process.stdin is not None:
                process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            if process.stdout is not None:
                process.stdout.close()


def run_helper(namespace: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        in_namespace(namespace, *args), capture_output=True, text=True, timeout=30, check=False
    )


def discover_from(namespace: str, *args: str) -> str:
    result = run_helper(namespace, "discover", "--port", str(MCAST_PORT), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout
