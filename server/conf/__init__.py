"""Evennia server configuration: settings, start/stop hooks and the connection screen."""
