"""asyncio telnet clients that negotiate as real MUD clients do (tintin++):
they accept NAWS, TTYPE and MSSP, refuse the rest (MCCP included, so the text
stays plain), can send their answers in any order and split into any packets,
and collect the game's text. Built for tests that open hundreds of
connections at once on one event loop."""

import asyncio
import re
import socket

from game.telnet_client import ANSI, DO, DONT, IAC, SB, SE, WILL, WONT

NAWS, TTYPE, MSSP = 31, 24, 70
IS, SEND = 0, 1
MSSP_VAR, MSSP_VAL = 1, 2
# what tintin++ 2.02 answers to TTYPE SEND, in turn (MTTS: ANSI, VT100, UTF-8, 256 colours, ...)
TINTIN_TTYPES = ("TINTIN++", "XTERM-256COLOR", "MTTS 2825")


def escape_iac(data: bytes) -> bytes:
    return data.replace(bytes([IAC]), bytes([IAC, IAC]))


def naws_report(width: int, height: int) -> bytes:
    """IAC SB NAWS w w h h IAC SE: 9 bytes, unless a size byte is 255 and gets doubled."""
    size = escape_iac(width.to_bytes(2, "big") + height.to_bytes(2, "big"))
    return bytes([IAC, SB, NAWS]) + size + bytes([IAC, SE])


def ttype_answer(name: str) -> bytes:
    return bytes([IAC, SB, TTYPE, IS]) + name.encode() + bytes([IAC, SE])


def subnegotiation_end(data: bytes, start: int) -> int:
    """Index of the IAC SE closing a subnegotiation whose body starts at `start`; -1 if not yet here."""
    i = start
    while i + 1 < len(data):
        if data[i] == IAC:
            if data[i + 1] == SE:
                return i
            i += 2  # IAC IAC: an escaped 255
        else:
            i += 1
    return -1


def option(verb: int, opt: int) -> bytes:
    return bytes([IAC, verb, opt])


class MudClient:
    """One connection. With `tintin=True` it answers DO NAWS with WILL NAWS and
    then the size as a packet of its own, DO TTYPE with WILL TTYPE and each TTYPE
    SEND with the next of `ttypes` (each answer cut in two at `ttype_split` when
    given), and WILL MSSP with DO MSSP. With `tintin=False` it leaves NAWS, TTYPE
    and MSSP to the test (see `send_packets`) and still answers TTYPE SEND."""

    def __init__(self, reader, writer, *, tintin: bool = True, size=(120, 40),
                 ttypes=TINTIN_TTYPES, ttype_split: int | None = None, gap: float = 0.01):
        self.reader, self.writer = reader, writer
        self.tintin, self.size, self.ttypes = tintin, size, list(ttypes)
        self.ttype_split, self.gap = ttype_split, gap
        self.pending = b""
        self.text = ""
        self.mssp: dict[str, list[str]] = {}
        self.closed = False

    @classmethod
    async def connect(cls, host: str, port: int, **kwargs) -> "MudClient":
        reader, writer = await asyncio.open_connection(host, port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer, **kwargs)

    async def send_packets(self, packets: list[bytes]) -> None:
        """Each piece as its own TCP packet: written, flushed, then a short pause."""
        for packet in packets:
            self.writer.write(packet)
            await self.writer.drain()
            await asyncio.sleep(self.gap)

    async def send(self, line: str) -> None:
        await self.send_packets([line.encode() + b"\r\n"])

    async def _answer(self, verb: int, opt: int) -> None:
        if verb == DO and opt == NAWS and self.tintin:
            await self.send_packets([option(WILL, NAWS), naws_report(*self.size)])
        elif verb == DO and opt == TTYPE and self.tintin:
            await self.send_packets([option(WILL, TTYPE)])
        elif verb == WILL and opt == MSSP and self.tintin:
            await self.send_packets([option(DO, MSSP)])
        elif opt in (NAWS, TTYPE, MSSP):
            return  # the test sends these answers itself
        elif verb == DO:
            await self.send_packets([option(WONT, opt)])
        elif verb == WILL:
            await self.send_packets([option(DONT, opt)])

    async def _subnegotiation(self, body: bytes) -> None:
        body = body.replace(bytes([IAC, IAC]), bytes([IAC]))
        if body[:2] == bytes([TTYPE, SEND]) and self.ttypes:
            answer = ttype_answer(self.ttypes.pop(0))
            cut = self.ttype_split
            await self.send_packets([answer[:cut], answer[cut:]] if cut else [answer])
        elif body[:1] == bytes([MSSP]):
            for entry in body[1:].split(bytes([MSSP_VAR]))[1:]:
                name, *values = entry.split(bytes([MSSP_VAL]))
                self.mssp.setdefault(name.decode(), []).extend(v.decode() for v in values)

    async def _feed(self, data: bytes) -> None:
        """Parse complete telnet sequences; an incomplete one waits for the next read."""
        data = self.pending + data
        out = bytearray()
        i = 0
        while i < len(data):
            if data[i] != IAC:
                out.append(data[i])
                i += 1
                continue
            if i + 1 >= len(data):
                break
            cmd = data[i + 1]
            if cmd in (DO, DONT, WILL, WONT):
                if i + 2 >= len(data):
                    break
                await self._answer(cmd, data[i + 2])
                i += 3
            elif cmd == SB:
                end = subnegotiation_end(data, i + 2)
                if end < 0:
                    break
                await self._subnegotiation(data[i + 2:end])
                i = end + 2
            elif cmd == IAC:
                out.append(IAC)
                i += 2
            else:
                i += 2
        self.pending = data[i:]
        self.text += ANSI.sub("", out.decode("utf-8", errors="replace")).replace("\r", "")

    async def receive(self, timeout: float = 30.0) -> None:
        """Read and handle one chunk of whatever the server sent."""
        data = await asyncio.wait_for(self.reader.read(65536), timeout)
        if not data:
            self.closed = True
            raise ConnectionError(f"closed; got:\n{self.text[-1500:]}")
        await self._feed(data)

    async def expect(self, pattern: str, timeout: float = 30.0) -> str:
        """Read until `pattern` shows up in the text; consume and return the text up to it."""
        regex = re.compile(pattern, re.S)

        deadline = asyncio.get_running_loop().time() + timeout
        while not (match := regex.search(self.text)):
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise TimeoutError(f"no {pattern!r} in {timeout} s; got:\n{self.text[-1500:]}")
            await self.receive(left)
        seen, self.text = self.text[: match.end()], self.text[match.end():]
        return seen

    async def command(self, line: str, pattern: str, timeout: float = 30.0) -> str:
        self.text = ""
        await self.send(line)
        return await self.expect(pattern, timeout)

    async def close(self) -> None:
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except OSError:
            pass
