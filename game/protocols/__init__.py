"""Our portal/server network protocol classes, set in server/conf/settings.py
through Evennia's `*_PROTOCOL_CLASS` settings: telnet (window-size reports
that never drop a client), websocket and both ends of the portal-server AMP
link, all with TCP_NODELAY (`MUD_TCP_NODELAY`, on by default)."""
