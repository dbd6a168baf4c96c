"""`make run` / `make stop` / `make test` behind the scenes.

  python -m game.launcher run        set up (secret key, database, admin), start
                                     the server and a generation worker, wait
                                     for Ctrl-C, then stop them cleanly
  python -m game.launcher stop       stop a server started by `run`
  python -m game.launcher test-deps  install what the test suite needs beyond
                                     the virtualenv (Debian's chromium)

Everything runs from the repository root, which is the Evennia game directory.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

GAME_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_SETTINGS = GAME_DIR / "server" / "conf" / "secret_settings.py"


def runtime_dir() -> Path:
    path = Path(os.environ.get("MUD_RUNTIME_DIR", GAME_DIR / "server" / "runtime")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def port_base() -> int:
    return int(os.environ.get("MUD_PORT_BASE", "4000"))


def ensure_secret_settings() -> None:
    """A per-installation Django secret key, never committed."""
    if not SECRET_SETTINGS.exists():
        SECRET_SETTINGS.write_text(
            '"""Secrets of this installation (generated, untracked)."""\n\n'
            f"SECRET_KEY = {secrets.token_urlsafe(50)!r}\n"
        )
        SECRET_SETTINGS.chmod(0o600)


def admin_credentials() -> tuple[str, str]:
    """From MUD_ADMIN_USER / MUD_ADMIN_PASSWORD, else generated once and kept in
    an owner-only file under the runtime folder."""
    user, password = os.environ.get("MUD_ADMIN_USER"), os.environ.get("MUD_ADMIN_PASSWORD")
    if user and password:
        return user, password
    path = runtime_dir() / "admin-credentials.txt"
    if path.exists():
        user, password = path.read_text().split("\n")[0].split(":", 1)
        return user, password
    user, password = user or "admin", secrets.token_urlsafe(12)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"{user}:{password}\n")
    print(f"\n  Admin account created: {user} / {password}\n  (kept in {path}, readable only by you)\n")
    return user, password


def base_env() -> dict:
    """This environment with the virtualenv's programs (evennia, twistd, celery) first on PATH."""
    env = os.environ.copy()
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def evennia(*args: str, env: dict | None = None, check: bool = True, timeout: float | None = None) -> int:
    try:
        result = subprocess.run(
            [str(BIN / "evennia"), *args], cwd=GAME_DIR, env=env or base_env(), stdin=subprocess.DEVNULL,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        if check:
            sys.exit(f"evennia {' '.join(args)} did not finish within {timeout:.0f} s")
        return -1
    if check and result.returncode != 0:
        sys.exit(f"evennia {' '.join(args)} failed with exit code {result.returncode}")
    return result.returncode


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for_ports(ports: list[int], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not all(port_open(p) for p in ports):
        if time.monotonic() > deadline:
            sys.exit(f"the server did not open ports {ports} within {timeout:.0f} s; see server/logs/")
        time.sleep(0.5)


def setup() -> dict:
    """Secret key, database and admin account; returns the environment to start with."""
    ensure_secret_settings()
    user, password = admin_credentials()
    env = base_env()
    env.update(EVENNIA_SUPERUSER_USERNAME=user, EVENNIA_SUPERUSER_PASSWORD=password)
    evennia("migrate", "--no-input", env=env)
    return env


def start_worker(env: dict) -> subprocess.Popen | None:
    """One generation worker beside the server (embedded broker unless REDIS_URL)."""
    app = GAME_DIR / "generation" / "celery_app.py"
    if not app.exists():
        return None
    log = open(runtime_dir() / "worker.log", "ab")
    proc = subprocess.Popen(
        [str(BIN / "celery"), "-A", "generation.celery_app", "worker", "--concurrency=1", "--loglevel=INFO"],
        cwd=GAME_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    (runtime_dir() / "worker.pid").write_text(str(proc.pid))
    return proc


def stop_worker() -> None:
    pidfile = runtime_dir() / "worker.pid"
    if pidfile.exists():
        try:
            os.killpg(int(pidfile.read_text()), signal.SIGTERM)
        except (ProcessLookupError, ValueError, PermissionError):
            pass
        pidfile.unlink(missing_ok=True)


def run() -> None:
    base = port_base()
    started = time.monotonic()
    env = setup()
    if port_open(base):
        print(f"Port {base} is already in use: is the game already running? (`make stop` stops it)")
        return
    evennia("start", env=env)
    wait_for_ports([base, base + 1, base + 2])
    worker = start_worker(env)
    print(
        f"\n  TERA is up after {time.monotonic() - started:.1f} s.\n"
        f"    telnet:     telnet localhost {base}\n"
        f"    web client: http://localhost:{base + 1}/webclient\n"
        f"    website:    http://localhost:{base + 1}/\n"
        f"  Ctrl-C here (or `make stop` elsewhere) stops it.\n",
        flush=True,
    )
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even if started in the background
    try:
        while not stopping and port_open(base):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    print("\nStopping...", flush=True)
    stop()
    if worker is not None:
        worker.wait(timeout=30)


def running_pids() -> list[int]:
    """Live portal and server processes recorded in Evennia's pid files."""
    pids = []
    for name in ("portal.pid", "server.pid"):
        try:
            pid = int((GAME_DIR / "server" / name).read_text().strip())
            os.kill(pid, 0)
            pids.append(pid)
        except (OSError, ValueError):
            pass
    return pids


def stop() -> None:
    stop_worker()
    if not running_pids():
        return
    evennia("stop", check=False, timeout=60)
    deadline = time.monotonic() + 10
    while running_pids() and time.monotonic() < deadline:
        time.sleep(0.5)
    for pid in running_pids():  # `evennia stop` gave up: end them the hard way
        os.kill(pid, signal.SIGKILL)


def test_deps() -> None:
    """What the tests drive beyond the virtualenv, from Debian's packages: Chromium
    for the browser tests, tintin++ (/usr/games/tt++) for a real MUD client session."""
    wanted = {"chromium": "chromium", "tintin++": "tt++"}
    search = f"{os.environ.get('PATH', '')}{os.pathsep}/usr/games"
    missing = [package for package, program in wanted.items() if not shutil.which(program, path=search)]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"the tests need Debian's {' and '.join(missing)}: run `sudo apt-get install {' '.join(missing)}`")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


COMMANDS = {"run": run, "stop": stop, "test-deps": test_deps}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python -m game.launcher {{{'|'.join(COMMANDS)}}}")
    COMMANDS[sys.argv[1]]()
