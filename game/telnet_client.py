"""A small real telnet client (the launcher's login probe, benchmarks and the
end-to-end tests): a TCP socket that answers option negotiation with refusals,
strips ANSI colour and collects text."""

import re
import socket
import time

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class TelnetClient:
    def __init__(self, host: str, port: int, timeout: float = 20.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(0.2)
        self.timeout = timeout
        self.buffer = ""
        self.transcript = ""

    def _feed(self, data: bytes) -> None:
        out = bytearray()
        i = 0
        while i < len(data):
            b = data[i]
            if b != IAC:
                out.append(b)
                i += 1
                continue
            cmd = data[i + 1] if i + 1 < len(data) else None
            if cmd in (DO, DONT, WILL, WONT) and i + 2 < len(data):
                opt = data[i + 2]
                if cmd == DO:
                    self.sock.sendall(bytes([IAC, WONT, opt]))
                elif cmd == WILL:
                    self.sock.sendall(bytes([IAC, DONT, opt]))
                i += 3
            elif cmd == SB:
                end = data.find(bytes([IAC, SE]), i)
                i = len(data) if end < 0 else end + 2
            elif cmd == IAC:
                out.append(IAC)
                i += 2
            else:
                i += 2
        text = ANSI.sub("", out.decode("utf-8", errors="replace")).replace("\r", "")
        self.buffer += text
        self.transcript += text

    def pump(self) -> bool:
        """Read whatever has arrived; False when the server closed the connection."""
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return True
        if not data:
            return False
        self._feed(data)
        return True

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send(self, line: str) -> None:
        self.sock.sendall(line.encode("utf-8") + b"\r\n")

    def expect(self, pattern: str, timeout: float | None = None) -> str:
        """Wait until `pattern` (regex) shows up; return and consume text up to its end."""
        deadline = time.monotonic() + (timeout or self.timeout)
        regex = re.compile(pattern, re.S)
        while True:
            match = regex.search(self.buffer)
            if match:
                seen, self.buffer = self.buffer[: match.end()], self.buffer[match.end():]
                return seen
            if time.monotonic() > deadline or not self.pump():
                raise AssertionError(f"did not see {pattern!r}; last output:\n{self.buffer[-2000:]}")

    def command(self, line: str, pattern: str, timeout: float | None = None) -> str:
        self.buffer = ""
        self.send(line)
        return self.expect(pattern, timeout)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
