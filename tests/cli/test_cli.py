"""The `cgapi` command line: exit codes, one-line errors, --json output, subcommands."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from cgapi.cli import main
from cgapi.cli.app import EXIT_MINER_ERROR, EXIT_UNREACHABLE, EXIT_USAGE

if TYPE_CHECKING:
    from collections.abc import Callable

    from cgapi.testing import FakeMiner


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_query_json(fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, fake_miner.address, "version", "--json")
    assert status == 0
    assert json.loads(out) == {"CGMiner": "4.11.1", "API": "3.7"}


def test_query_table_and_text_form(
    fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, fake_miner.address, "summary", "--text")
    assert status == 0
    assert "MHS av" in out
    assert fake_miner.requests[-1].data == b"summary"


def test_query_with_parameters(fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, fake_miner.address, "switchpool", "1", "--json")
    assert status == 0
    assert json.loads(out)["Code"] == 27
    assert fake_miner.state.current_index == 1


def test_host_and_port_option(fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, fake_miner.host, "pools", "--port", str(fake_miner.port), "--json")
    assert status == 0
    assert [p["POOL"] for p in json.loads(out)] == [0, 1]


def test_unreachable_is_one_line_and_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, f"127.0.0.1:{free_port()}", "summary", "--timeout", "1")
    assert status == EXIT_UNREACHABLE
    assert out == ""
    assert err.startswith("cgapi: ") and err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.fake_miner("cgminer", devices=[])
def test_miner_error_exit_1(fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, fake_miner.address, "devs")
    assert status == EXIT_MINER_ERROR
    assert "No ASCs/PGAs" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["gpufan", "x", "80"],  # not a number
        ["switchpool", "1", "2"],  # too many
        ["failover-only", "maybe"],  # not a bool
        ["switchpool", "1", "--read-only"],  # refused before sending
        ["summary", "--timeout", "0"],
    ],
)
def test_usage_errors_exit_2(
    fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    status, _, err = run(capsys, fake_miner.address, *argv)
    assert status == EXIT_USAGE
    assert "Traceback" not in err
    assert len(fake_miner.requests) == 0


def test_argparse_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    assert main(["scan"]) == EXIT_USAGE
    assert main(["fan", "h", "zero", "80"]) == EXIT_USAGE
    capsys.readouterr()


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "Subcommands" in capsys.readouterr().out


@pytest.mark.fake_miner("cgminer", devices=[])
def test_joined_commands(fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, fake_miner.address, "summary+devs+pools", "--json")
    assert status == 0
    data = json.loads(out)
    assert list(data) == ["summary", "devs", "pools"]
    assert "No ASCs/PGAs" in data["devs"]["error"]
    assert len(data["pools"]) == 2
    status, out, _ = run(capsys, fake_miner.address, "summary+pools")
    assert status == 0 and "POOL" in out
    status, _, err = run(capsys, fake_miner.address, "summary+bogus")
    assert status == EXIT_USAGE and "bogus" in err


def test_vendor_command_outside_the_table(
    fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, fake_miner.address, "estatsx")
    assert status == EXIT_MINER_ERROR
    assert "Invalid command" in err


@pytest.mark.fake_miner("sgminer", devices=["GPU", "GPU"])
def test_pools_switch_and_fan(fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "pools", "switch", fake_miner.address, "1")[0] == 0
    assert fake_miner.state.current_index == 1
    assert run(capsys, "fan", fake_miner.address, "1", "70", "--json")[0] == 0
    assert fake_miner.state.devices[1].fan_percent == 70
    status, out, _ = run(capsys, "pools", "list", fake_miner.address, "--json")
    assert status == 0
    assert len(json.loads(out)) == 2


def test_scan_json(
    fake_miner_factory: Callable[..., FakeMiner], capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    for n, personality in enumerate(["cgminer", "sgminer", "bfgminer"]):
        fake_miner_factory(personality, host=f"127.61.0.{n + 1}", port=port, allow="R:0/0")
    status, out, _ = run(capsys, "scan", "127.61.0.0/29", "--port", str(port), "--json")
    assert status == 0
    found = json.loads(out)
    assert [(h["host"], h["software"]) for h in found] == [
        ("127.61.0.1", "cgminer"),
        ("127.61.0.2", "sgminer"),
        ("127.61.0.3", "bfgminer"),
    ]


def test_scan_bad_target_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "scan", "10.0.0.300")
    assert status == EXIT_USAGE
    assert "10.0.0.300" in err


def test_watch_once(fake_miner: FakeMiner, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "watch", fake_miner.address, "--count", "1", "--json")
    assert status == 0
    (rig,) = json.loads(out)
    assert rig["ok"] is True and rig["devices"] == 2


def test_demo_runs(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "demo", "--base", "127.78.0.1")
    assert status == 0
    assert "what changed" in out


def test_fake_miner_command_runs_in_the_foreground_until_quit() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cgapi", "fake-miner", "--personality", "sgminer",
         "--port", str(port), "--allow", "W:127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        reply = b""
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                    sock.sendall(b"quit")
                    reply = sock.recv(4096)
                break
            except OSError:
                time.sleep(0.1)
        assert b"Code=257" in reply and b"BYE" in reply
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        process.stderr.close()


def test_export_serves_metrics(fake_miner: FakeMiner) -> None:
    import urllib.request

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cgapi", "export", "--listen", f"127.0.0.1:{port}",
         "--targets", fake_miner.host, "--port", str(fake_miner.port), "--interval", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        text = ""
        while time.monotonic() < deadline and "hashrate" not in text:
            try:
                url = f"http://127.0.0.1:{port}/metrics"
                with urllib.request.urlopen(url, timeout=2) as response:
                    text = response.read().decode()
            except OSError:
                time.sleep(0.2)
        assert "cgminer_up" in text
        assert f'{fake_miner.address}"' in text
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        process.stderr.close()


def test_export_needs_targets(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "export")
    assert status == EXIT_USAGE
    assert "--targets or --discover" in err
