"""The network benchmark (`python -m game.netbench`, run by `make bench`):
`look` round trips over real telnet against private servers it starts, quiet
and under load (Evennia's dummyrunner bots plus a 1M-agent simulation), with
TCP_NODELAY on and, as the reference, off."""
