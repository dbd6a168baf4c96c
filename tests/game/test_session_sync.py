"""A session coming back from the reload after a world snapshot restore,
against Evennia's test database: one whose character the restored database
lacks stays logged in, out of character, and is told; one whose account it
lacks is told and logged out (the portal then closes it); neither breaks the
sync, which Evennia's own at_sync would (its lookup of the puppet raises)."""

import evennia
from evennia.utils.create import create_object
from evennia.utils.test_resources import BaseEvenniaTest

from game.sessions import TimedServerSession


class SessionSyncAfterRestore(BaseEvenniaTest):
    def synced(self, **data) -> TimedServerSession:
        session = TimedServerSession()
        session.init_session("telnet", ("127.0.0.1", 4000), evennia.SESSION_HANDLER)
        session.load_sync_data({"sessid": 99, **data})
        session.account = evennia.AccountDB.objects.get_account_from_uid(session.uid) if session.uid else None
        evennia.SESSION_HANDLER[99] = session
        try:
            session.at_sync()
        finally:  # gone before the test's accounts are deleted (that disconnects their sessions)
            evennia.SESSION_HANDLER.pop(99, None)
        return session

    def told(self) -> str:
        return " ".join(str(call) for call in evennia.SESSION_HANDLER.data_out.mock_calls)

    def test_a_character_the_restored_world_lacks(self):
        gone = create_object("game.typeclasses.characters.Character", key="Later", location=self.room1)
        gone_id = gone.id
        gone.delete()
        session = self.synced(logged_in=True, uid=self.account.id, uname=self.account.username, puid=gone_id)
        self.assertTrue(session.logged_in)
        self.assertIsNone(session.puid)
        self.assertIsNone(session.puppet)
        self.assertIn("Your character is not in the restored world", self.told())

    def test_an_account_the_restored_world_lacks(self):
        session = self.synced(logged_in=True, uid=987654, uname="latecomer", puid=self.char1.id)
        self.assertFalse(session.logged_in)
        self.assertIsNone(session.account)
        self.assertIsNone(session.puid)

    def test_an_ordinary_reload_keeps_the_puppet(self):
        session = self.synced(logged_in=True, uid=self.account.id, uname=self.account.username, puid=self.char1.id)
        self.assertEqual(session.puppet, self.char1)
        self.assertNotIn("restored world", self.told())
