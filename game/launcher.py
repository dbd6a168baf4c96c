"""`make run` / `make stop` / `make test` behind the scenes.

  python -m game.launcher run        set up (secret key, database, admin account,
                                     simulation kernels), start the server and a
                                     generation worker, prove a player can log in
                                     and look, wait for Ctrl-C, then stop them
  python -m game.launcher stop       stop a server started by `run`
  python -m game.launcher test-deps  install what the test suite needs beyond
                                     the virtualenv (Debian's chromium)

Everything runs from the repository root, which is the Evennia game directory.
Files the launcher and everything it starts create are the owner's only
(umask 077, a 0700 runtime folder): the database holds password hashes.
The admin's password reaches only the `migrate` that creates the account.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from game.telnet_client import TelnetClient

GAME_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_SETTINGS = GAME_DIR / "server" / "conf" / "secret_settings.py"


SECRET_ENV = ("EVENNIA_SUPERUSER_USERNAME", "EVENNIA_SUPERUSER_PASSWORD", "MUD_ADMIN_PASSWORD")
UP_TIMEOUT_S = 240.0


def runtime_dir() -> Path:
    path = Path(os.environ.get("MUD_RUNTIME_DIR", GAME_DIR / "server" / "runtime")).resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def write_secret(path: Path, text: str) -> None:
    """Create `path` readable by the owner only from its first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def port_base() -> int:
    return int(os.environ.get("MUD_PORT_BASE", "4000"))


def ensure_secret_settings() -> None:
    """A per-installation Django secret key, never committed."""
    if not SECRET_SETTINGS.exists():
        write_secret(SECRET_SETTINGS, '"""Secrets of this installation (generated, untracked)."""\n\n'
                     f"SECRET_KEY = {secrets.token_urlsafe(50)!r}\n")


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
    write_secret(path, f"{user}:{password}\n")
    print(f"\n  Admin account created: {user} / {password}\n  (kept in {path}, readable only by you)\n")
    return user, password


def base_env() -> dict:
    """This environment with the virtualenv's programs (evennia, twistd, celery)
    first on PATH, less the admin's credentials."""
    env = {k: v for k, v in os.environ.items() if k not in SECRET_ENV}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def evennia(*args: str, env: dict | None = None, check: bool = True, timeout: float | None = None,
            quiet: bool = False) -> int:
    """Run an `evennia` CLI command in the game folder; `quiet` keeps its
    output unless it fails."""
    try:
        result = subprocess.run(
            [str(BIN / "evennia"), *args], cwd=GAME_DIR, env=env or base_env(), stdin=subprocess.DEVNULL,
            timeout=timeout, capture_output=quiet, text=True,
        )
    except subprocess.TimeoutExpired:
        if check:
            sys.exit(f"evennia {' '.join(args)} did not finish within {timeout:.0f} s")
        return -1
    if check and result.returncode != 0:
        if quiet:
            print(result.stdout, result.stderr, sep="\n")
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


def setup() -> tuple[str, str]:
    """Secret key, database, admin account and compiled simulation kernels;
    returns the admin's credentials."""
    ensure_secret_settings()
    user, password = admin_credentials()
    admin_env = dict(base_env(), EVENNIA_SUPERUSER_USERNAME=user, EVENNIA_SUPERUSER_PASSWORD=password)
    evennia("migrate", "--no-input", env=admin_env)
    # a first migrate only makes tables: this creates the admin (Account #1); quiet,
    # for Evennia's "Create a superuser below" prompt text asks nothing here
    evennia("check", env=admin_env, quiet=True)
    warm_simulation()
    return user, password


def warm_simulation() -> None:
    """Compile the simulation's numba kernels into their cache before the
    server starts, so the server only loads them."""
    print("Preparing the simulation kernels (compiled once: about half a minute the first time)...", flush=True)
    done = subprocess.run([str(BIN / "python"), "-m", "world", "warm"], cwd=GAME_DIR, env=base_env(),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the simulation kernels did not compile:\n{done.stderr.strip()}")
    print(f"  kernels ready ({json.loads(done.stdout)['warm_s']:.1f} s)", flush=True)


def log_tail(lines: int = 30) -> str:
    path = runtime_dir() / "logs" / "server.log"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else "(no server log)"


def wait_until_playable(port: int, user: str, password: str, timeout: float = UP_TIMEOUT_S) -> None:
    """Wait until a telnet client gets the login screen, logs in and `look`s
    (open ports prove nothing: the portal listens while the server is down)."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            client = TelnetClient("127.0.0.1", port, timeout=15)
        except OSError as exc:
            last = str(exc)
            time.sleep(1)
            continue
        try:
            client.expect("connect <username>")
            answer = client.command(f'connect "{user}" {password}', r"Exits:[^\n]*\n|[Ii]ncorrect|[Tt]oo many")
            if "Exits:" not in answer:
                sys.exit(f"the admin account {user!r} could not log in: {answer.strip()}")
            client.command("look", r"Exits:[^\n]*\n")
            client.send("quit")
            return
        except AssertionError as exc:
            last = str(exc).splitlines()[0]
        finally:
            client.close()
        time.sleep(1)
    sys.exit(f"the game did not let a player log in within {timeout:.0f} s ({last}).\n"
             f"Last lines of {runtime_dir() / 'logs' / 'server.log'}:\n{log_tail()}")


def start_worker() -> subprocess.Popen:
    """One generation worker beside the server (embedded broker unless REDIS_URL)."""
    log = open(runtime_dir() / "worker.log", "ab")
    proc = subprocess.Popen(
        [str(BIN / "celery"), "-A", "generation.celery_app", "worker", "--concurrency=1", "--loglevel=INFO"],
        cwd=GAME_DIR, env=base_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
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
    os.umask(0o077)
    base = port_base()
    started = time.monotonic()
    if port_open(base):
        print(f"Port {base} is already in use: is the game already running? (`make stop` stops it)")
        return
    user, password = setup()
    print("Starting the server...", flush=True)
    try:
        start_evennia(lambda: evennia("start", check=False), GAME_DIR / "server", base + 6)
    except RuntimeError as exc:
        stop()
        sys.exit(str(exc))
    wait_for_ports([base, base + 1, base + 2])
    worker = start_worker()
    try:
        wait_until_playable(base, user, password)
    except SystemExit:
        stop()
        raise
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
    worker.wait(timeout=30)


def live_pid(pidfile: Path) -> int | None:
    """The pid in `pidfile` if that process is alive."""
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def running_pids() -> list[int]:
    """Live portal and server processes recorded in Evennia's pid files."""
    return [pid for name in ("portal.pid", "server.pid") if (pid := live_pid(GAME_DIR / "server" / name))]


def start_evennia(run_start, server_dir: Path, amp_port: int, attempts: int = 3, wait_s: float = 120.0) -> None:
    """Run `run_start()` (an `evennia start`) until the server process lives.
    Evennia's launcher gives a starting portal about 10 s; a portal slower to
    load (a busy machine) is left running with no server. Then, once that
    portal listens, `evennia start` again asks it for the server."""
    for _ in range(attempts):
        run_start()
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if live_pid(server_dir / "server.pid"):
                return
            if port_open(amp_port) and time.monotonic() > deadline - wait_s / 2:
                break  # the portal listens and still no server: ask again
            time.sleep(0.5)
    raise RuntimeError(f"the server did not start after {attempts} tries (its logs say why)")


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
