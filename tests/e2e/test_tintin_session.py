"""One session through a real tintin++ (Debian's, installed by `make test`):
it negotiates NAWS, TTYPE and MSSP its own way, creates an account, connects,
looks, says something, reads the window size the server holds for it and
quits, driven by a tintin script on a pseudo-terminal of a known size."""

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import termios
import time

TINTIN = os.environ.get("MUD_TINTIN") or shutil.which("tt++", path=f"{os.environ.get('PATH', '')}:/usr/games")
COLUMNS, ROWS = 132, 43

SCRIPT = """\
#config {{LOG}} {{PLAIN}}
#event {{SESSION CONNECTED}} {{#log overwrite {{{log}}}}}
#event {{SESSION DISCONNECTED}} {{#end}}
#action {{New account:}} {{#unaction {{New account:}}; create {name} tintin-secret-pw}}
#action {{[Y]/N}} {{#unaction {{[Y]/N}}; y}}
#action {{was created}} {{#unaction {{was created}}; connect {name} tintin-secret-pw}}
#action {{You become {name}}} {{#unaction {{You become {name}}}; look; say Hello from tintin; options}}
#action {{SCREENWIDTH}} {{#unaction {{SCREENWIDTH}}; quit}}
#session tera 127.0.0.1 {port}
"""


def run_tintin(script, cwd, timeout: float = 60) -> tuple[int, str]:
    """tt++ on a pseudo-terminal of COLUMNS x ROWS; its exit code and screen output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    # a terminal always has a TERM (CI may run with none); tt++ names itself in TTYPE only with one
    proc = subprocess.Popen([TINTIN, "-G", str(script)], cwd=cwd, stdin=slave, stdout=slave,
                            stderr=slave, start_new_session=True, env=dict(os.environ, TERM="xterm-256color"))
    os.close(slave)
    screen = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    screen += os.read(master, 65536)
                except OSError:  # the terminal closed as tt++ ended
                    break
        proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return proc.returncode, screen.decode(errors="replace")


def test_a_tintin_session_creates_connects_looks_says_and_quits(game_server, tmp_path):
    assert TINTIN, "tintin++ not found: `python -m game.launcher test-deps` installs it (or set MUD_TINTIN)"
    log = tmp_path / "session.log"
    script = tmp_path / "play.tin"
    script.write_text(SCRIPT.format(log=log, name="tintinner", port=game_server.telnet_port))
    portal_before = len(game_server.log("portal.log"))

    code, screen = run_tintin(script, tmp_path)

    session = log.read_text(errors="replace") if log.exists() else ""
    assert code == 0, f"tt++ did not end by itself; screen:\n{screen[-3000:]}"
    assert "Welcome to TERA" in session
    assert "A new account 'tintinner' was created" in session
    assert session.count("Village Square") >= 2  # after connecting, and the `look`
    assert 'You say, "Hello from tintin"' in session
    assert re.search(rf"SCREENWIDTH\s*\|\s*{COLUMNS}\b", session)  # its NAWS report arrived
    assert re.search(rf"SCREENHEIGHT\s*\|\s*{ROWS}\b", session)
    assert "Hope to see you again" in session
    assert "Traceback" not in game_server.log("portal.log")[portal_before:]
