"""Password hashes worked out in a thread are what the hasher answers on the
reactor: once each, not after they expire, and a hash the hasher still has to
make on the reactor thread is logged."""

import threading
from unittest import mock

from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.test import SimpleTestCase

from game import passwords

HASHER = "game.passwords.ThreadedPBKDF2PasswordHasher"


def in_a_thread(func, *args):
    out = []
    thread = threading.Thread(target=lambda: out.append(func(*args)))
    thread.start()
    thread.join()
    return out[0]


class ThreadedHasherTest(SimpleTestCase):
    def setUp(self):
        self.hasher = passwords.ThreadedPBKDF2PasswordHasher()
        self.encoded = make_password("sun-and-moon", hasher="pbkdf2_sha256")

    def test_a_check_made_in_a_thread_is_answered_without_hashing_once(self):
        self.assertTrue(in_a_thread(passwords.check_ahead, "sun-and-moon", self.encoded))
        with mock.patch.object(PBKDF2PasswordHasher, "verify", return_value="hashed") as pbkdf2:
            self.assertIs(self.hasher.verify("sun-and-moon", self.encoded), True)
            pbkdf2.assert_not_called()
            self.assertEqual(self.hasher.verify("sun-and-moon", self.encoded), "hashed")  # used once

    def test_a_wrong_password_checked_in_a_thread_stays_wrong(self):
        self.assertFalse(in_a_thread(passwords.check_ahead, "moon-and-sun", self.encoded))
        with mock.patch.object(PBKDF2PasswordHasher, "verify") as pbkdf2:
            self.assertIs(self.hasher.verify("moon-and-sun", self.encoded), False)
            pbkdf2.assert_not_called()

    def test_a_hash_made_in_a_thread_is_the_new_accounts_and_verifies(self):
        made = in_a_thread(passwords.hash_ahead, "new-account-pw")
        with mock.patch.object(PBKDF2PasswordHasher, "encode") as pbkdf2:
            self.assertEqual(make_password("new-account-pw"), made)
            pbkdf2.assert_not_called()
        self.assertTrue(check_password("new-account-pw", made))
        self.assertFalse(check_password("another-pw", made))
        self.assertNotEqual(make_password("new-account-pw"), made)  # used once: a fresh salt after

    def test_outcomes_expire(self):
        self.assertTrue(in_a_thread(passwords.check_ahead, "sun-and-moon", self.encoded))
        later = passwords.time.monotonic() + passwords.KEEP_S + 1
        with (mock.patch.object(passwords.time, "monotonic", return_value=later),
              mock.patch.object(PBKDF2PasswordHasher, "verify", return_value="hashed")):
            self.assertEqual(self.hasher.verify("sun-and-moon", self.encoded), "hashed")

    def test_a_hash_made_on_the_reactor_thread_is_logged(self):
        with (mock.patch.object(passwords.threadable, "isInIOThread", return_value=True),
              mock.patch.object(passwords.logger, "log_warn") as warn):
            self.assertTrue(self.hasher.verify("sun-and-moon", self.encoded))
        self.assertIn(passwords.REACTOR_WARNING, warn.call_args[0][0])
        with mock.patch.object(passwords.logger, "log_warn") as warn:  # a thread (a web request): no warning
            self.assertTrue(in_a_thread(self.hasher.verify, "sun-and-moon", self.encoded))
        warn.assert_not_called()

    def test_the_game_checks_and_makes_its_pbkdf2_hashes_with_it(self):
        from django.conf import settings
        from django.contrib.auth.hashers import get_hasher, identify_hasher

        self.assertEqual(settings.PASSWORD_HASHERS[0], HASHER)
        self.assertIsInstance(identify_hasher(self.encoded), passwords.ThreadedPBKDF2PasswordHasher)
        self.assertIsInstance(get_hasher("pbkdf2_sha256"), passwords.ThreadedPBKDF2PasswordHasher)
