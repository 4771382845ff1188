"""Fake rigs served from a separate process, so the bench process measures only the client.

`python -m bench._server --n N --shape healthy|realistic --base B --port P` starts a
`FakeFleet`, switches the faults of the realistic shape on, prints `ready` and serves until
its stdin closes. `spawn_fleet()` and `spawn_miner()` start such processes from a bench
and `stop()` ends them (by PID, terminate then kill).
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import anyio

if TYPE_CHECKING:
    from collections.abc import Mapping

BASE = "127.20.0.1"
PORT = 4028

FAULT_KINDS = ("never_reply", "close_without_reply", "refused")


def fault_of(i: int, shape: str) -> str | None:
    """The fault of rig `i` in a shape: 10% of the realistic rigs, a third of each kind."""
    if shape != "realistic" or i % 10 != 5:
        return None
    return FAULT_KINDS[(i // 10) % 3]


def without_devices(i: int, shape: str) -> bool:
    """Whether rig `i` has no devices (10% of the realistic rigs)."""
    return shape == "realistic" and i % 10 == 1


async def _serve(n: int, shape: str, base: str, port: int) -> None:
    from cgapi.testing import FakeFleet

    def configure(i: int) -> Mapping[str, Any]:
        return {"devices": []} if without_devices(i, shape) else {}

    personality = "mixed" if shape == "realistic" else "cgminer"
    fleet = FakeFleet(
        n, personality, base=base, port=port, allow="W:127.0.0.0/8", configure=configure
    )
    async with fleet:
        for i, miner in enumerate(fleet):
            fault = fault_of(i, shape)
            if fault == "never_reply":
                miner.faults.never_reply = True
            elif fault == "close_without_reply":
                miner.faults.close_without_reply = True
            elif fault == "refused":
                await miner.stop_listening()
        print("ready", flush=True)
        await anyio.to_thread.run_sync(sys.stdin.read, abandon_on_cancel=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench._server")
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--shape", choices=("healthy", "realistic"), default="healthy")
    parser.add_argument("--base", default=BASE)
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()
    anyio.run(_serve, args.n, args.shape, args.base, args.port)


# --- client side -----------------------------------------------------------------------------


def spawn_fleet(n: int, shape: str, base: str = BASE, port: int = PORT) -> subprocess.Popen[str]:
    """Start a fake fleet in its own process; return once every rig listens."""
    command = [sys.executable, "-m", "bench._server", "--n", str(n), "--shape", shape]
    command += ["--base", base, "--port", str(port)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # bounded: the server prints or exits
        if line.strip() != "ready":
            raise RuntimeError(f"fake fleet did not start (exit {process.poll()})")
    except BaseException:
        stop(process)
        raise
    return process


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn_miner(port: int) -> subprocess.Popen[bytes]:
    """Start `cgapi fake-miner` on 127.0.0.1:port; return once it accepts connections."""
    command = [sys.executable, "-m", "cgapi", "fake-miner", "--port", str(port)]
    command += ["--allow", "W:127.0.0.1"]
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(200):  # up to 20 s
            if process.poll() is not None:
                raise RuntimeError(f"fake miner exited with {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                    sock.sendall(b'{"command":"version"}')
                    while sock.recv(65536):
                        pass
                return process
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("fake miner did not start listening")
    except BaseException:
        stop(process)
        raise


def stop(process: subprocess.Popen[Any]) -> None:
    """End a process this bench started (its PID only): close stdin, terminate, kill."""
    if process.stdin is not None:
        try:
            process.stdin.close()
        except OSError:
            pass
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


if __name__ == "__main__":
    main()
