"""Hostile player text: what a player types reaches the others in the room
exactly as typed, through the real command handler and the game's cmdsets.
Inline functions (`$space(2000000000)`), format braces (`{x}`) and Evennia
markup (`|r`) are text, nothing big is allocated and nobody sees a traceback."""

import re
import resource
import tracemalloc
from contextlib import contextmanager

from django.conf import settings

from evennia.commands.cmdset import CmdSet
from evennia.commands.command import Command
from evennia.server import inputfuncs
from evennia.utils.ansi import parse_ansi, strip_mxp
from evennia.utils.create import create_channel
from evennia.utils.test_resources import EvenniaTest
from evennia.utils.text2html import parse_html
from twisted.logger import formatEvent, globalLogPublisher

from game import command_errors

from game.player_text import escape_player_text
from game.typeclasses.characters import Character

PAYLOADS = [
    "$space(2000000000)",
    "$random(1,9)",
    "{x}",
    "{0}",
    "{{",
    "}",
    "|r|[bred on blue|n",
    "$you()",
    "$You() $conj(smile) at {you}",
    "$pad($space(2000000000), 3)$upper({x}$random(1, 2))",
    "\\$you() {{0}} ||r",
    "%s %(x)s {!r} {0.__class__}",
    "$space(999)" * 300,
    "|lcquit|ltfree gold|le |luhttp://x|ltsite|le",
    "back\\slash \\\\ and |/ |- tokens",
]
# a line no longer than the server's input limit, full of functions and braces
HUGE = ("{x}$space(2000000000)|r" * 200)[:3900]


def as_read(payload: str) -> str:
    """A payload as the others read it: itself, with an invisible word joiner
    inside every `|l` (so no client turns it into a clickable link)."""
    return payload.replace("|l", "|\u2060l")


# Parsed, this builds a 50 MB string per listener; as text it takes a few bytes.
SPACE_50MB = "$space(50000000)"
MEMORY_CEILING = 20 * 1024 * 1024
# Parsed, $space(2000000000) takes 2 GB per listener: while these tests run, the
# process may grow by this much at most, so a regression fails with MemoryError
# instead of exhausting the machine.
ADDRESS_SPACE_HEADROOM = 2 * 1024**3


@contextmanager
def heard(*listeners, render=True):
    """What each listener is sent, as read on a client without colour (or
    as sent, `render=False`): a spy that records every message and passes
    it on to the listener's real `msg`."""
    texts = {obj: [] for obj in listeners}
    for obj in listeners:
        real_msg = obj.msg

        def spy(text=None, *args, _obj=obj, _real=real_msg, **kwargs):
            raw = text[0] if isinstance(text, tuple) else text
            if raw is not None:
                texts[_obj].append(parse_ansi(str(raw), strip_ansi=True) if render else str(raw))
            return _real(text, *args, **kwargs)

        obj.msg = spy
    try:
        yield texts
    finally:
        for obj in listeners:
            del obj.msg


class HostileTextTest(EvenniaTest):
    """Char2 / TestAccount2 is a plain player; Char / TestAccount is staff."""

    character_typeclass = Character
    account_typeclass = "game.typeclasses.accounts.Account"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.address_space_limit = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (size + ADDRESS_SPACE_HEADROOM, cls.address_space_limit[1]))

    @classmethod
    def tearDownClass(cls):
        resource.setrlimit(resource.RLIMIT_AS, cls.address_space_limit)
        super().tearDownClass()

    def run_as(self, actor, line):
        """`line` through the real command handler."""
        actor.execute_cmd(line, session=self.session if actor is self.account else None)

    def test_nothing_big_is_allocated(self):
        channel = create_channel("hostile")
        channel.connect(self.account2)
        for payload in (SPACE_50MB, f"$pad({SPACE_50MB}, 3) {{x}}", SPACE_50MB * 50, HUGE):
            for actor, command in ((self.char2, "say"), (self.char2, "emote"), (self.char2, "whisper Char ="),
                                   (self.account2, "page TestAccount ="), (self.account2, "channel hostile =")):
                tracemalloc.start()
                try:
                    self.run_as(actor, f"{command} {payload}")
                    peak = tracemalloc.get_traced_memory()[1]
                finally:
                    tracemalloc.stop()
                self.assertLess(peak, MEMORY_CEILING, f"{command} {payload[:40]!r} allocated {peak} bytes")
        channel.delete()

    def test_say_arrives_literally(self):
        for payload in PAYLOADS + [HUGE]:
            with heard(self.char1, self.char2) as texts:
                self.run_as(self.char2, f"say {payload}")
            self.assertEqual(texts[self.char1], [f'Char2 says, "{as_read(payload)}"'])
            self.assertEqual(texts[self.char2], [f'You say, "{as_read(payload)}"'])

    def test_say_aliases_arrive_literally(self):
        with heard(self.char1) as texts:
            self.run_as(self.char2, "'$you() {x}")
            self.run_as(self.char2, '"{0} |r')
        self.assertEqual(texts[self.char1], ['Char2 says, "$you() {x}"', 'Char2 says, "{0} |r"'])

    def test_emote_and_pose_arrive_literally(self):
        for command in ("emote", "pose", ":"):
            for payload in PAYLOADS + [HUGE]:
                with heard(self.char1, self.char2) as texts:
                    self.run_as(self.char2, f"{command} {payload}")
                self.assertEqual(texts[self.char1], [f"Char2 {as_read(payload)}"], command)
                self.assertEqual(texts[self.char2], [f"Char2 {as_read(payload)}"], command)

    def test_pose_keeps_its_possessive_form(self):
        with heard(self.char1) as texts:
            self.run_as(self.char2, "pose's {x} sword glows $random(1,9)")
        self.assertEqual(texts[self.char1], ["Char2's {x} sword glows $random(1,9)"])

    def test_whisper_arrives_literally(self):
        for payload in PAYLOADS + [HUGE]:
            with heard(self.char1, self.char2) as texts:
                self.run_as(self.char2, f"whisper Char = {payload}")
            self.assertEqual(texts[self.char1], [f'Char2 whispers: "{as_read(payload)}"'])
            self.assertEqual(texts[self.char2], [f'You whisper to Char, "{as_read(payload)}"'])

    def test_page_arrives_literally_and_stays_literal_in_the_history(self):
        for payload in PAYLOADS + [HUGE]:
            with heard(self.account) as texts:
                self.run_as(self.account2, f"page TestAccount = {payload}")
            self.assertEqual(texts[self.account], [f"Account TestAccount2 pages: {as_read(payload)}"])
        with heard(self.account2) as texts:
            self.run_as(self.account2, "page/last")
        self.assertEqual(texts[self.account2], [f"You last paged TestAccount:{as_read(HUGE)}"])

    def test_channel_message_arrives_literally(self):
        channel = create_channel("hostile")
        channel.send_to_online_only = False  # TestAccount2 has no session here
        for account in (self.account, self.account2):
            channel.connect(account)
        for payload in PAYLOADS + [HUGE]:
            with heard(self.account) as texts:
                self.run_as(self.account2, f"channel hostile = {payload}")
            self.assertEqual(texts[self.account], [f"[hostile] TestAccount2: {as_read(payload)}"])
        channel.delete()

    def test_setdesc_shows_literally_to_onlookers(self):
        payload = "|rA tall $space(2000000000) figure {x} {{0}} \\o/"
        self.run_as(self.char2, f"setdesc {payload}")
        with heard(self.char1) as texts:
            self.run_as(self.char1, "look Char2")
        self.assertIn(payload, texts[self.char1][0])

    def test_webclient_text_input_takes_the_same_path(self):
        """The web client sends ["text", [line], {}]; Evennia's `text` inputfunc
        runs it through nicks and the command handler like a telnet line (Evennia
        strips incoming MXP link markup first), and the web client renders it as
        HTML: no link, no tag, the same letters."""
        self.session.puppet = self.char1
        for payload in PAYLOADS + ["<script>alert(1)</script>", "|l|lcx|ltc|leook|ltgo|le"]:
            with heard(self.char2, render=False) as sent:
                inputfuncs.text(self.session, f"emote {payload}")
            (raw,) = sent[self.char2]
            self.assertEqual(parse_ansi(raw, strip_ansi=True), f"Char {as_read(strip_mxp(payload))}")
            html = parse_html(raw)
            self.assertNotIn("mxplink", html)  # a clickable command
            self.assertNotIn("<script", html)

    def test_control_characters_and_line_breaks_never_reach_others(self):
        with heard(self.char1) as texts:
            self.run_as(self.char2, "say a\x1b[2J\x1b]0;pwned\x07b\x00c\rd\ne\u202ef")
        self.assertEqual(texts[self.char1], ['Char2 says, "abc d ef"'])

    def test_character_names_cannot_hold_markup(self):
        for name in ("$you()", "{x}", "|rRed", "Bad\x1bName"):
            character, errors = Character.create(name, account=self.account2)
            self.assertIsNone(character, name)
            self.assertIn("cannot contain", " ".join(errors))
        character, errors = Character.create("Plain Name", account=self.account2)
        self.assertEqual(errors, [])
        character.delete()


class CmdBoom(Command):
    """A command that fails the way a bug would (test only)."""

    key = "boom"

    def func(self):
        raise ValueError("internal detail {secret} the player must not read")


class BoomCmdSet(CmdSet):
    key = "boom_test"

    def at_cmdset_creation(self):
        self.add(CmdBoom())


class CommandErrorTest(EvenniaTest):
    """A failing command, run by the real command handler with the game's
    error reporting installed (as at server init)."""

    character_typeclass = Character

    def setUp(self):
        super().setUp()
        command_errors.install()
        self.log_lines = []
        globalLogPublisher.addObserver(self.log_lines.append)
        for char in (self.char1, self.char2):
            char.cmdset.add(BoomCmdSet, persistent=False)

    def tearDown(self):
        globalLogPublisher.removeObserver(self.log_lines.append)
        super().tearDown()

    def logged(self) -> str:
        return "\n".join(formatEvent(event) for event in self.log_lines)

    def test_a_player_gets_an_apology_with_an_error_id_that_is_in_the_log(self):
        with heard(self.char2) as texts:
            self.char2.execute_cmd("boom")
        (text,) = texts[self.char2]
        self.assertNotIn("Traceback", text)
        self.assertNotIn("secret", text)
        self.assertNotIn("ValueError", text)
        error_id = re.search(r"\(error (\w+)\)", text).group(1)
        self.assertIn(f"Command error {error_id}", self.logged())
        self.assertIn("ValueError: internal detail {secret}", self.logged())

    def test_staff_hear_of_a_players_error_on_mudinfo(self):
        mudinfo = create_channel(settings.CHANNEL_MUDINFO["key"], locks=settings.CHANNEL_MUDINFO["locks"])
        mudinfo.send_to_online_only = False
        mudinfo.connect(self.account)
        with heard(self.account, self.char2) as texts:
            self.char2.execute_cmd("boom")
        error_id = re.search(r"\(error (\w+)\)", texts[self.char2][0]).group(1)
        self.assertEqual(
            texts[self.account],
            [f"[MudInfo] Command error {error_id} for Char2: ValueError: internal detail {{secret}} the player must not read"],
        )
        mudinfo.delete()

    def test_staff_see_the_traceback(self):
        with heard(self.char1) as texts:
            self.char1.execute_cmd("boom")
        (text,) = texts[self.char1]
        self.assertIn("Traceback", text)
        self.assertIn("ValueError: internal detail {secret}", text)
        self.assertIn('File "', text)
        error_id = re.search(r"\(error (\w+), logged\)", text).group(1)
        self.assertIn(f"Command error {error_id}", self.logged())

    def test_every_failure_gets_its_own_id(self):
        with heard(self.char2) as texts:
            self.char2.execute_cmd("boom")
            self.char2.execute_cmd("boom")
        ids = {re.search(r"\(error (\w+)\)", text).group(1) for text in texts[self.char2]}
        self.assertEqual(len(ids), 2)


class EscapePlayerTextTest(EvenniaTest):
    def test_renders_back_to_what_was_typed(self):
        typed = "|r$x{y}|| {{ \\ |lc"
        escaped = escape_player_text(typed)
        self.assertEqual(parse_ansi(escaped, strip_ansi=True), as_read(typed))
