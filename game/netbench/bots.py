"""Evennia's dummyrunner settings module for TERA (`DUMMYRUNNER_SETTINGS_MODULE`
when `MUD_DUMMYRUNNER` names a profile): bots that play as ordinary players
do. They create an account (answering the game's [Y]/N question) and connect;
then "lookers" look around (Evennia's own "looker" profile, without its
builder commands) and "players" also walk, talk, check their inventory and
read help. No bot uses Evennia's builder actions (dig, create, py), so they
need no special permissions and leave the world as it was. Each bot acts on
average every 2 s, as Evennia's defaults do."""

import random

from django.conf import settings

TIMESTEP = 1.0
CHANCE_OF_ACTION = 0.5
CHANCE_OF_LOGIN = 1.0  # every bot logs in at once instead of trickling in
TELNET_PORT = None  # the server's first telnet port
PROFILE = settings.DUMMYRUNNER_BOTS
DIRECTIONS = ("north", "south", "east", "west")
SAYINGS = ("Well met!", "Fine weather for the road.", "Anyone seen the merchant?")


def credentials(client) -> tuple[str, str]:
    return f"{PROFILE}{client.cid}", f"bot-secret-{client.cid}"


def c_login(client):
    # the bots send on a timer without reading replies: on a busy server the first
    # `connect` can overtake the account's creation, so a second one follows (a
    # logged-in bot just hears that `connect` is not a command there)
    name, password = credentials(client)
    return (f"create {name} {password}", "y", f"connect {name} {password}", "look", f"connect {name} {password}")


def c_logout(client):
    return ("quit",)


def c_looks(client):
    return ("look",)


def c_walks(client):
    return (random.choice(DIRECTIONS),)


def c_says(client):
    return (f"say {random.choice(SAYINGS)}",)


def c_inventory(client):
    return ("inventory",)


def c_help(client):
    return ("help",)


PROFILES = {
    "lookers": (c_login, c_logout, (1.0, c_looks)),
    "players": (c_login, c_logout, (0.4, c_looks), (0.3, c_walks), (0.1, c_says), (0.1, c_inventory), (0.1, c_help)),
}
ACTIONS = PROFILES[PROFILE]
