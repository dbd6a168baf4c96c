"""A newcomer's first `make run` on a fresh clone with nothing cached (no numba
cache, no database, no runtime folder): the launcher compiles the simulation
before the server starts, says "up" only once the game answers a login, a new
player can then create an account and look (the real PBKDF2 hashes made and
checked in a thread, never on the reactor), and Ctrl-C stops everything; the
second run reuses it all, and its web threads read the database too."""

import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from game.passwords import REACTOR_WARNING
from game.telnet_client import TelnetClient
from game.private_server import REPO, free_port_base

UP = re.compile(r"TERA is up after ([0-9.]+) s")


def fresh_clone(dest: Path) -> None:
    """The checkout's files as a clone of them would have them: tracked and
    new files, none of the ignored ones (virtualenv, caches, runtime)."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file() and not source.is_symlink():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            target.chmod(source.stat().st_mode & 0o777)


def read_until_up(proc: subprocess.Popen, timeout: float) -> list[str]:
    """Wait for the launcher's "up" line (or its exit, or the timeout); returns
    its output lines, a list that goes on filling until the launcher exits."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not UP.search("".join(lines)) and reader.is_alive():
        time.sleep(0.5)
    return lines


@pytest.fixture
def clone(tmp_path):
    root = tmp_path / "clone"
    fresh_clone(root)
    assert not list(root.glob("world/**/*.nbi")), "the clone must start with no numba cache"
    yield root
    subprocess.run([sys.executable, "-m", "game.launcher", "stop"], cwd=root, timeout=120,
                   env=clone_env(root), capture_output=True)


def clone_env(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MUD_RUNTIME_DIR", "DJANGO_SETTINGS_MODULE", "MUD_ADMIN_USER", "MUD_ADMIN_PASSWORD")}
    env.update(MUD_PORT_BASE=str(free_port_base()), MUD_INTERFACE="127.0.0.1", PYTHONUNBUFFERED="1")
    return env


def test_first_run_on_a_fresh_clone_ends_in_a_playable_game(clone):
    env = clone_env(clone)
    port = int(env["MUD_PORT_BASE"])
    launcher = subprocess.Popen([sys.executable, "-m", "game.launcher", "run"], cwd=clone, env=env, text=True,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        lines = read_until_up(launcher, timeout=420)
        output = "".join(lines)
        assert UP.search(output), f"the launcher never said up:\n{output}"
        assert "Preparing the simulation kernels" in output and "kernels ready" in output
        assert "Admin account created" in output
        assert "Create a superuser below" not in output, "Evennia's prompt text, though nothing is asked"

        player = TelnetClient("127.0.0.1", port)
        player.expect("create <username>")
        player.command("create newcomer first-run-pw", r"\[Y\]/N")
        player.command("y", "A new account 'newcomer' was created")
        player.command("connect newcomer wrong-pw", "Username and/or password is incorrect")
        assert "Village Square" in player.command("connect newcomer first-run-pw", r"Exits:[^\n]*\n")
        assert "Village Square" in player.command("look", r"Exits:[^\n]*\n")
        player.close()

        runtime = clone / "server" / "runtime"
        assert stat.S_IMODE(runtime.stat().st_mode) == 0o700
        for secret in (runtime / "admin-credentials.txt", runtime / "evennia.db3",
                       clone / "server" / "conf" / "secret_settings.py"):
            assert stat.S_IMODE(secret.stat().st_mode) & 0o077 == 0, f"{secret} is readable by others"
        server_log = (runtime / "logs" / "server.log").read_text()
        assert "Another twistd server is running" not in server_log
        assert REACTOR_WARNING not in server_log  # creating, a wrong password, connecting: hashed in a thread
        assert "Simulation live" in server_log
    finally:
        launcher.send_signal(signal.SIGINT)  # Ctrl-C
        launcher.wait(timeout=120)
    assert launcher.returncode == 0, "".join(lines)
    print(f"first run up after {UP.search(output).group(1)} s")
    assert not [p for p in ("server.pid", "portal.pid") if (clone / "server" / p).exists()
                and Path(f"/proc/{(clone / 'server' / p).read_text().strip()}").exists()]

    # the second `make run` reuses everything; every thread of the server shares one
    # healthy database (the web pool's, too: a deleted -wal once broke all but the first)
    launcher = subprocess.Popen([sys.executable, "-m", "game.launcher", "run"], cwd=clone, env=env, text=True,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        lines = read_until_up(launcher, timeout=300)
        output = "".join(lines)
        assert UP.search(output) and "Admin account created" not in output, output
        user, password = (runtime / "admin-credentials.txt").read_text().split("\n")[0].split(":", 1)
        web = f"http://127.0.0.1:{port + 1}"
        for _ in range(3):  # several requests: the web pool's threads each open their own connection
            assert httpx.get(f"{web}/api/director", auth=(user, password), timeout=30).status_code == 200
        player = TelnetClient("127.0.0.1", port)
        player.expect("create <username>")
        assert "Village Square" in player.command("connect newcomer first-run-pw", r"Exits:[^\n]*\n")
        player.close()
        assert REACTOR_WARNING not in (runtime / "logs" / "server.log").read_text()
    finally:
        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=120)
    assert launcher.returncode == 0, "".join(lines)
    print(f"second run up after {UP.search(output).group(1)} s")
