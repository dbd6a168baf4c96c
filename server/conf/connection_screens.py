"""The screen shown to a client before login."""

CONNECTION_SCREEN = """
|y==============================================================|n
 Welcome to |gTERA|n, a living world that goes on without you
 and grows while you play.

 Existing account:  |wconnect <username> <password>|n
 New account:       |wcreate <username> <password>|n

 Names with spaces go in quotes. |whelp|n lists commands;
 |wlook|n shows this screen again.
|y==============================================================|n"""
