"""Evennia's builder commands whose lock strings its own command parser
doubles (`cmd: perm(...)` with a space, or a bare `perm(...)`, both get a
`cmd:all()` put in front), which logs a lock warning every time a cmdset is
built; the same commands with their locks written the way the parser reads."""

from evennia.commands.default import building, system


class CmdTunnel(building.CmdTunnel):
    __doc__ = building.CmdTunnel.__doc__
    locks = "cmd:perm(tunnel) or perm(Builder)"


class CmdLock(building.CmdLock):
    __doc__ = building.CmdLock.__doc__
    locks = "cmd:perm(locks) or perm(Builder)"


class CmdTasks(system.CmdTasks):
    __doc__ = system.CmdTasks.__doc__
    locks = "cmd:perm(Developer)"
