"""Boots a private real Evennia server (portal + server processes) for the
end-to-end tests and the network benchmark: its own game folder of symlinks to
this checkout, its own ports and a fresh database, so it never touches a
developer's running game. On SQLite the first server of a process runs
`evennia migrate`; later ones start from a copy of that freshly migrated
database (migrating costs 15-30 s a boot)."""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from game.launcher import start_evennia

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LINKED = ("game", "world", "generation", "content")
ADMIN = ("admin", "admin-e2e-password")
_migrated: list[Path] = []  # this process's freshly migrated SQLite database, once made


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped by its parent, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def ports_free(base: int, count: int = 7) -> bool:
    for port in range(base, base + count):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return False
    return True


def free_port_base() -> int:
    for base in range(20000 + (os.getpid() % 500) * 20, 60000, 20):
        if ports_free(base):
            return base
    raise RuntimeError("no free block of 7 ports on 127.0.0.1")


class GameServer:
    """A running server; `telnet_port`, `web_port`, `websocket_port`, `metrics_port`, `root`."""

    def __init__(self, extra_env: dict | None = None, prefix: str = "tera-e2e-"):
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        for name in LINKED:
            (self.root / name).symlink_to(REPO / name)
        (self.root / "server").mkdir()
        (self.root / "server" / "conf").symlink_to(REPO / "server" / "conf")
        self.base = free_port_base()
        self.telnet_port, self.web_port, self.websocket_port = self.base, self.base + 1, self.base + 2
        self.metrics_port = self.base + 3
        self.runtime = self.root / "runtime"
        self.env = dict(
            os.environ,
            PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            MUD_PORT_BASE=str(self.base),
            MUD_INTERFACE="127.0.0.1",
            MUD_RUNTIME_DIR=str(self.runtime),
            MUD_CREATION_THROTTLE_LIMIT="1000",
            MUD_LOGIN_THROTTLE_LIMIT="1000",
            MUD_MAX_CONNECTION_RATE="1000",
            MUD_SIM_AGENTS="20000",
            MUD_SIM_NEWS_INTERVAL="1",
            MUD_API_READ_RATE="100000/min",
            MUD_FAST_PASSWORD_HASH="1",
            EVENNIA_SUPERUSER_USERNAME=ADMIN[0],
            EVENNIA_SUPERUSER_PASSWORD=ADMIN[1],
        )
        self.env.update(extra_env or {})
        self.env.pop("DJANGO_SETTINGS_MODULE", None)

    def evennia(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "evennia"), *args], cwd=self.root, env=self.env, timeout=timeout,
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
        )

    def start(self, timeout: float = 300) -> "GameServer":
        """Migrate, start and wait until the world is built and the simulation
        live; a server that does not come up is stopped (no portal left behind)."""
        try:
            return self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def migrate(self) -> None:
        """A freshly migrated database with the admin account: this process's
        first one made by `evennia migrate`, later ones copied from it."""
        database = self.runtime / "evennia.db3"
        on_sqlite = not self.env.get("DATABASE_URL")
        if on_sqlite and _migrated:
            self.runtime.mkdir(mode=0o700, exist_ok=True)
            shutil.copyfile(_migrated[0], database)
            return
        result = self.evennia("migrate", "--no-input")
        if result.returncode != 0:
            raise RuntimeError(f"evennia migrate failed:\n{result.stdout}\n{result.stderr}")
        if on_sqlite:
            template = Path(tempfile.mkdtemp(prefix="tera-migrated-")) / "evennia.db3"
            shutil.copyfile(database, template)
            atexit.register(shutil.rmtree, template.parent, True)
            _migrated.append(template)

    def _start(self, timeout: float) -> "GameServer":
        self.migrate()
        start_evennia(lambda: self.evennia("start"), self.root / "server", self.base + 6)
        deadline = time.monotonic() + timeout
        while ports_free(self.telnet_port, 1) or ports_free(self.web_port, 1) or ports_free(self.websocket_port, 1):
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not open its ports; log:\n{self.log_tail()}")
            time.sleep(0.5)
        # a fresh database: Evennia's initial setup restarts the server once; the
        # restarted server builds the world
        self.wait_for_log("World TERA built", timeout)
        self.wait_for_log("Simulation live", timeout)
        return self

    def start_worker(self) -> subprocess.Popen:
        """A real generation worker on the embedded broker, sharing the server's
        runtime folder (the one already running, when there is one)."""
        running = getattr(self, "worker", None)
        if running is not None and running.poll() is None:
            return running
        self.worker = subprocess.Popen(
            [str(BIN / "celery"), "-A", "generation.celery_app", "worker", "--pool=solo", "--loglevel=INFO"],
            cwd=self.root, env=self.env, stdin=subprocess.DEVNULL,
            stdout=open(self.runtime / "worker.log", "ab"), stderr=subprocess.STDOUT,
        )
        return self.worker

    def log(self, name: str = "server.log") -> str:
        """A log of runtime/logs/ (server.log, portal.log, ...) as text; "" before it exists."""
        path = self.runtime / "logs" / name
        return path.read_text(errors="replace") if path.exists() else ""

    def log_tail(self, n: int = 60) -> str:
        return "\n".join(self.log().splitlines()[-n:])

    def wait_for_log(self, text: str, timeout: float = 60, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while self.log().count(text) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{text!r} not in server log:\n{self.log_tail()}")
            time.sleep(0.3)

    def stop(self) -> None:
        """Stop the worker, server and portal (SIGTERM: twistd stops its reactor
        and runs Evennia's stop hooks; `evennia stop` would poll for some 10 s
        more), SIGKILL whatever is left after 15 s, and delete the folder."""
        worker = getattr(self, "worker", None)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        pids = []
        for pidfile in ("server.pid", "portal.pid"):
            try:
                pids.append(int((self.root / "server" / pidfile).read_text().strip()))
            except (OSError, ValueError):
                pass
        for pid, sig in [(pid, signal.SIGTERM) for pid in pids] + [(pid, signal.SIGKILL) for pid in pids]:
            deadline = time.monotonic() + 15
            try:
                os.kill(pid, sig)
                while time.monotonic() < deadline and _alive(pid):
                    time.sleep(0.1)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
