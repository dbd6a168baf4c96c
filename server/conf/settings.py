"""
Evennia settings for the living TERA world.

Everything a deployment changes comes from environment variables, so the same
file serves `make run`, the test suite's private servers and production:

  MUD_PORT_BASE      first port of the block (telnet = base, web = base+1,
                     websocket = base+2, internal web = base+5, AMP = base+6);
                     default 4000.
  MUD_RUNTIME_DIR    where the database, live content library and simulation
                     snapshots live; default server/runtime.
  MUD_WORLD_DIR      shipped base world; default content/worlds/tera. The live
                     world is built from the content library, whose first commit
                     copies it (a changed one is committed as "Upgrade base world").
  MUD_LIBRARY_DIR    the content library (git repo); default <runtime>/library.
  DATABASE_URL       postgres://user@host:port/name switches from SQLite to PostgreSQL.
  REDIS_URL          switches the Celery broker and result store to Redis.
  MUD_LLM_BASE_URL / MUD_LLM_MODEL / MUD_LLM_API_KEY
                     switch the enrich stage to an OpenAI-compatible server.
  MUD_METRICS_PORT   port of the Prometheus /metrics listener; default base+3,
                     0 turns it off.
  MUD_METRICS_INTERFACE  where it listens; default 127.0.0.1.
  MUD_METRICS_ALLOW  comma-separated networks (CIDR) besides loopback that may
                     scrape it, e.g. 10.0.0.0/8; default none.
  MUD_API_READ_RATE  rate limit of the REST API's reads, per account (all
                     anonymous callers share one); default 120/min.
  MUD_TCP_NODELAY    0 turns TCP_NODELAY off on telnet, websocket and the
                     portal-server link (only to measure the difference).
  MUD_DUMMYRUNNER    lookers|players readies a throwaway benchmark server for
                     Evennia's dummyrunner bots (never on a real game).
  MUD_TRACEMALLOC    seconds: trace the server's allocations and report the
                     sites that grow to <runtime>/memory/tracemalloc.txt this
                     often (a diagnostic: it slows the server); default off.
"""

import ipaddress
import os
from urllib.parse import unquote, urlparse

from evennia.settings_default import *  # noqa: F401,F403

SERVERNAME = "TERA"
GAME_SLOGAN = "A living world that grows while you play"

######################################################################
# Ports and runtime paths
######################################################################

PORT_BASE = int(os.environ.get("MUD_PORT_BASE", "4000"))
TELNET_PORTS = [PORT_BASE]
WEBSERVER_PORTS = [(PORT_BASE + 1, PORT_BASE + 5)]
WEBSOCKET_CLIENT_PORT = PORT_BASE + 2
AMP_PORT = PORT_BASE + 6
TELNET_INTERFACES = [os.environ.get("MUD_INTERFACE", "0.0.0.0")]
WEBSERVER_INTERFACES = TELNET_INTERFACES
WEBSOCKET_CLIENT_INTERFACE = TELNET_INTERFACES[0]

RUNTIME_DIR = os.path.abspath(
    os.environ.get("MUD_RUNTIME_DIR", os.path.join(GAME_DIR, "server", "runtime"))
)
WORLD_CONTENT_DIR = os.path.abspath(
    os.environ.get("MUD_WORLD_DIR", os.path.join(GAME_DIR, "content", "worlds", "tera"))
)
LIBRARY_DIR = os.path.abspath(os.environ.get("MUD_LIBRARY_DIR") or os.path.join(RUNTIME_DIR, "library"))
LOG_DIR = os.path.join(RUNTIME_DIR, "logs")
SERVER_LOG_FILE = os.path.join(LOG_DIR, "server.log")
PORTAL_LOG_FILE = os.path.join(LOG_DIR, "portal.log")
HTTP_LOG_FILE = os.path.join(LOG_DIR, "http_requests.log")
LOCKWARNING_LOG_FILE = os.path.join(LOG_DIR, "lockwarnings.log")
os.makedirs(LOG_DIR, exist_ok=True)

######################################################################
# Database: SQLite by default, PostgreSQL with DATABASE_URL
######################################################################

_database_url = os.environ.get("DATABASE_URL", "")
if _database_url.startswith(("postgres://", "postgresql://")):
    _db = urlparse(_database_url)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(_db.path.lstrip("/")) or "evennia",
            "USER": unquote(_db.username or ""),
            "PASSWORD": unquote(_db.password or ""),
            "HOST": _db.hostname or "127.0.0.1",
            "PORT": str(_db.port or 5432),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(RUNTIME_DIR, "evennia.db3"),
            # rollback journal, never a write-ahead log: `evennia start` opens the
            # database, starts the server and exits, and its last close would delete
            # the -wal and -shm files under the running server ("disk I/O error" in
            # every thread but the first); this also turns a WAL file back
            "OPTIONS": {"init_command": "PRAGMA journal_mode=DELETE"},
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
        }
    }

######################################################################
# Where our code lives: game/ holds typeclasses, commands and web views
######################################################################

TYPECLASS_PATHS = ["game.typeclasses"] + TYPECLASS_PATHS[1:]
BASE_ACCOUNT_TYPECLASS = "game.typeclasses.accounts.Account"
BASE_OBJECT_TYPECLASS = "game.typeclasses.objects.Object"
BASE_CHARACTER_TYPECLASS = "game.typeclasses.characters.Character"
BASE_ROOM_TYPECLASS = "game.typeclasses.rooms.Room"
BASE_EXIT_TYPECLASS = "game.typeclasses.exits.Exit"
BASE_CHANNEL_TYPECLASS = "game.typeclasses.channels.Channel"
BASE_SCRIPT_TYPECLASS = "evennia.scripts.scripts.DefaultScript"
BASE_GUEST_TYPECLASS = "evennia.accounts.accounts.DefaultGuest"

CMDSET_UNLOGGEDIN = "game.commands.default_cmdsets.UnloggedinCmdSet"
CMDSET_SESSION = "game.commands.default_cmdsets.SessionCmdSet"
CMDSET_CHARACTER = "game.commands.default_cmdsets.CharacterCmdSet"
CMDSET_ACCOUNT = "game.commands.default_cmdsets.AccountCmdSet"
CMDSET_PATHS = ["game.commands", "evennia", "evennia.contrib"]

CONNECTION_SCREEN_MODULE = "server.conf.connection_screens"
AT_SERVER_STARTSTOP_MODULE = "server.conf.at_server_startstop"
AT_INITIAL_SETUP_HOOK_MODULE = "server.conf.at_server_startstop"
SERVER_SERVICES_PLUGIN_MODULES = ["game.observe_services", "game.log_retention", "game.memory_trace"]
SERVER_SESSION_CLASS = "game.sessions.TimedServerSession"
MSSP_META_MODULE = None
WEB_PLUGINS_MODULE = None
LOCK_FUNC_MODULES = ("evennia.locks.lockfuncs",)
INPUT_FUNC_MODULES = ["evennia.server.inputfuncs"]
PROTOTYPE_MODULES = ["game.prototypes"]
FILE_HELP_ENTRY_MODULES = []
FUNCPARSER_OUTGOING_MESSAGES_MODULES = ["evennia.utils.funcparser"]
FUNCPARSER_PROTOTYPE_PARSING_MODULES = ["evennia.prototypes.protfuncs"]
BASE_BATCHPROCESS_PATHS = ["evennia.contrib", "evennia.contrib.tutorials"]

ROOT_URLCONF = "game.web.urls"
STATICFILES_DIRS = [os.path.join(GAME_DIR, "game", "web", "static")]
TEMPLATES[0]["DIRS"] = [
    os.path.join(GAME_DIR, "game", "web", "templates"),
    os.path.join(GAME_DIR, "game", "web", "templates", WEBSITE_TEMPLATE),
    os.path.join(GAME_DIR, "game", "web", "templates", WEBCLIENT_TEMPLATE),
] + TEMPLATES[0]["DIRS"][3:]

######################################################################
# Network protocols (game/protocols/): TCP_NODELAY everywhere, telnet
# clients that report their window size are never dropped
######################################################################

TCP_NODELAY = os.environ.get("MUD_TCP_NODELAY", "1") != "0"
TELNET_PROTOCOL_CLASS = "game.protocols.telnet.TelnetProtocol"
WEBSOCKET_PROTOCOL_CLASS = "game.protocols.websocket.WebSocketClient"
AMP_SERVER_PROTOCOL_CLASS = "game.protocols.amp_server.AMPServerProtocol"
AMP_CLIENT_PROTOCOL_CLASS = "game.protocols.amp_client.AMPClientProtocol"
# connections each portal port queues while the portal is busy (Twisted's default is 50)
LISTEN_BACKLOG = 1024
PORTAL_SERVICES_PLUGIN_MODULES = ["game.protocols.listen_backlog"]

# MUD_DUMMYRUNNER=lookers|players readies a throwaway server for Evennia's
# dummyrunner bots (`evennia --dummyrunner N`, driven by the network benchmark):
# the bots of game/netbench/bots.py with that profile, a fast password hash so
# 100 of them log in at once, and no command-rate limit (a benchmark player
# sends `look` back to back).
DUMMYRUNNER_BOTS = os.environ.get("MUD_DUMMYRUNNER", "")
if DUMMYRUNNER_BOTS:
    DUMMYRUNNER_MIXIN = True
    DUMMYRUNNER_SETTINGS_MODULE = "game.netbench.bots"
    MAX_COMMAND_RATE = 100000
# MUD_FAST_PASSWORD_HASH=1 marks a throwaway server (the tests' private servers,
# benchmarks): one fast hash instead of about 0.4 s of PBKDF2 at every account
# creation, login and HTTP Basic call. Never on a real game: the database's
# hashes are then cheap to crack, and hashes made without it no longer verify.
if DUMMYRUNNER_BOTS or os.environ.get("MUD_FAST_PASSWORD_HASH") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
else:  # Django's PBKDF2, which takes a hash that `connect` or `create` had made in a thread (game.passwords)
    PASSWORD_HASHERS = [
        "game.passwords.ThreadedPBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]

######################################################################
# Game rules
######################################################################

# A huge input line is cut with a message instead of being processed.
MAX_CHAR_LIMIT = 4000
# Players never see tracebacks: a failing command shows them an apology with
# an error id that is in the log (game.command_errors; staff still see them).
IN_GAME_ERRORS = False
# Outgoing text is never run through the funcparser: player text shows
# literally only because nothing parses it after the message is composed
# (game.player_text).
FUNCPARSER_PARSE_OUTGOING_MESSAGES_ENABLED = False
IDLE_TIMEOUT = -1
# Accounts: one character per account, created and puppeted on login.
MULTISESSION_MODE = 0
AUTO_CREATE_CHARACTER_WITH_ACCOUNT = True
AUTO_PUPPET_ON_LOGIN = True
# Account creation and failed-login throttles (tests raise them through env).
CREATION_THROTTLE_LIMIT = int(os.environ.get("MUD_CREATION_THROTTLE_LIMIT", "5"))
LOGIN_THROTTLE_LIMIT = int(os.environ.get("MUD_LOGIN_THROTTLE_LIMIT", "10"))
MAX_CONNECTION_RATE = float(os.environ.get("MUD_MAX_CONNECTION_RATE", "5"))
# Commands per second a session may send (the benchmarks' probes send `look`
# back to back, faster than Evennia's 80: they raise it through env).
MAX_COMMAND_RATE = float(os.environ.get("MUD_MAX_COMMAND_RATE", MAX_COMMAND_RATE))

######################################################################
# Background simulation (world/)
######################################################################

SIM_ENABLED = os.environ.get("MUD_SIM", "1") != "0"
SIM_CONFIG = os.environ.get("MUD_SIM_CONFIG") or os.path.join(GAME_DIR, "content", "simulation", "tera.json")
# agents: a preset name of the config (tiny 50k .. huge 10M) or a number
SIM_AGENTS = os.environ.get("MUD_SIM_AGENTS", "tiny")
# numba threads for the step; 0 = every core but one (keeps one free for the reactor)
SIM_THREADS = int(os.environ.get("MUD_SIM_THREADS", "0"))
# seconds between ticks; sub-second works (the service's own timer, not a Script)
SIM_TICK_INTERVAL = float(os.environ.get("MUD_SIM_TICK", "1.0"))
# How soon the reactor gets the GIL back from the simulation's thread (seconds; Python's default is 0.005).
GIL_SWITCH_INTERVAL = float(os.environ.get("MUD_GIL_SWITCH_S", "0.001"))
SIM_SNAPSHOT_INTERVAL = float(os.environ.get("MUD_SIM_SNAPSHOT_INTERVAL", "300"))
# snapshot generations kept in RUNTIME_DIR/sim (a bad newest one falls back to the one before)
SIM_SNAPSHOT_KEEP = int(os.environ.get("MUD_SIM_SNAPSHOT_KEEP", "5"))
# automatic world snapshots (RUNTIME_DIR/snapshots: database + simulation + library commit, taken before an
# expansion and before a restore) kept; manual ones are never pruned
SNAPSHOT_KEEP = int(os.environ.get("MUD_SNAPSHOT_KEEP", "5"))
# event log (RUNTIME_DIR/events): each file rotates at this size, this many rotated files kept
SIM_EVENT_LOG_BYTES = int(os.environ.get("MUD_SIM_EVENT_LOG_BYTES", str(32 * 1024 * 1024)))
SIM_EVENT_LOG_KEEP = int(os.environ.get("MUD_SIM_EVENT_LOG_KEEP", "4"))
# LLM for NPC dialogue (game.dialogue_llm): the same OpenAI-compatible endpoint as generation;
# MUD_DIALOGUE_LLM=0 keeps dialogue procedural even when an endpoint is set
LLM_BASE_URL = os.environ.get("MUD_LLM_BASE_URL", "")
LLM_MODEL = os.environ.get("MUD_LLM_MODEL", "default")
LLM_API_KEY = os.environ.get("MUD_LLM_API_KEY", "")
DIALOGUE_LLM = os.environ.get("MUD_DIALOGUE_LLM", "1") != "0"
DIALOGUE_LLM_THREADS = int(os.environ.get("MUD_DIALOGUE_LLM_THREADS", "2"))
# seconds before a player waiting for an LLM line sees that the NPC is thinking
DIALOGUE_THINKING_S = float(os.environ.get("MUD_DIALOGUE_THINKING_S", "0.5"))
# game time: ticks in a day (three epochs: Daybreak, Highsun, Nightfall; a multiple of 3) and days in a
# season; 0 keeps the simulation config's values (360 ticks a day: a 2-minute epoch at one tick a second;
# 30 days a season: 3 hours)
SIM_TICKS_PER_DAY = int(os.environ.get("MUD_SIM_TICKS_PER_DAY", "0"))
SIM_DAYS_PER_SEASON = int(os.environ.get("MUD_SIM_DAYS_PER_SEASON", "0"))
# at most one simulation event shown per region in this many seconds
SIM_NEWS_INTERVAL = float(os.environ.get("MUD_SIM_NEWS_INTERVAL", "20"))
SIM_NPCS_PER_ROOM = int(os.environ.get("MUD_SIM_NPCS_PER_ROOM", "3"))
SIM_MAX_NPCS = int(os.environ.get("MUD_SIM_MAX_NPCS", "60"))
# points of the dashboard's charts and /api/world/history (one a tick; 3600 is an hour at one tick a second)
OBSERVE_HISTORY_POINTS = int(os.environ.get("MUD_HISTORY_POINTS", "3600"))
# allocation tracing (game.memory_trace): a report every TRACEMALLOC_S seconds (0: off), call stacks this deep
TRACEMALLOC_S = float(os.environ.get("MUD_TRACEMALLOC") or 0)
TRACEMALLOC_FRAMES = int(os.environ.get("MUD_TRACEMALLOC_FRAMES") or 5)

######################################################################
# Generation pipeline bounds (generation/runtime.py reads the same
# variables in the workers): MUD_JOB_MAX_ATTEMPTS, MUD_JOBS_KEEP_DAYS,
# MUD_JOBS_KEEP_COUNT, MUD_RESULTS_KEEP_S, MUD_DECISION_LOG_MAX_BYTES,
# MUD_DECISION_LOG_KEEP, MUD_MAINTENANCE_S, MUD_DISK_WARN_MB; and the
# logs' own: MUD_LOG_BYTES (server, portal and channel logs rotate at this
# size) and MUD_LOG_KEEP (rotated copies kept, game.log_retention and
# generation.celery_app)
######################################################################

from generation.runtime import Bounds  # noqa: E402

GENERATION_BOUNDS = Bounds.from_env()
SERVER_LOG_MAX_SIZE = PORTAL_LOG_MAX_SIZE = CHANNEL_LOG_ROTATE_SIZE = GENERATION_BOUNDS.log_max_bytes

######################################################################
# Watching the world: /metrics listener, REST API limits
######################################################################

METRICS_PORT = int(os.environ.get("MUD_METRICS_PORT", str(PORT_BASE + 3)))
METRICS_INTERFACE = os.environ.get("MUD_METRICS_INTERFACE", "127.0.0.1")
METRICS_ALLOW = [n.strip() for n in os.environ.get("MUD_METRICS_ALLOW", "").split(",") if n.strip()]
for _network in METRICS_ALLOW:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _exc:
        raise ValueError(f"MUD_METRICS_ALLOW: {_network!r} is not a network ({_exc})") from None
API_READ_RATE = os.environ.get("MUD_API_READ_RATE", "120/min")

######################################################################
# Secrets: a generated secret_settings.py (untracked) overrides the above
######################################################################

try:
    from server.conf.secret_settings import *  # noqa: F401,F403
except ImportError:
    pass
