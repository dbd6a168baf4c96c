"""Character commands: score (coins, health, level, equipment power, reputation), reputation, and
heal (a priest's care for a fee, game/healing.py)."""

from evennia.commands.default.muxcommand import MuxCommand

from game import coins, combat, healing, reputation, wear
from game.coins import MoneyError
from game.simulation_bridge import service


class CmdScore(MuxCommand):
    """
    show your coins, health, level, equipment and standing

    Usage:
      score
      stats
    """

    key = "score"
    aliases = ["stats"]
    locks = "cmd:all()"
    arg_regex = r"$"
    help_category = "general"

    def func(self):
        c = self.caller
        coins.open_purse(c)  # in case the ledger was not running yet at login
        tiers = {f: reputation.tier(c, f) for f in reputation.standing(c)}
        best = [f"{f}: {tier}" for f, tier in tiers.items() if tier != "Unknown"]
        worn = ", ".join(f"{o.key} {wear.condition(o)}%" for o in wear.worn(c))
        self.caller.msg("\n".join([
            f"|w{c.key}|n, level {combat.level(c)} ({int(c.db.xp or 0)} xp)",
            f"Health: {combat.health(c)}/{combat.max_health(c)}",
            f"Coins: {coins.coins(c)}",
            f"Equipment power: attack +{c.equipment.attack}, defense +{c.equipment.defense}"
            + (f" (worn: {worn}; `repair` at a merchant)" if worn else ""),
            "Reputation: " + (", ".join(best) if best else "Unknown to every faction"),
        ]))


class CmdReputation(MuxCommand):
    """
    show your fame and infamy with each faction

    Usage:
      reputation
      rep
    """

    key = "reputation"
    aliases = ["rep"]
    locks = "cmd:all()"
    arg_regex = r"$"
    help_category = "general"

    def func(self):
        rows = ["Faction               fame infamy  standing"]
        for faction, s in reputation.standing(self.caller).items():
            rows.append(f"{faction:<21}{s['fame']:>5}{s['infamy']:>7}  {reputation.tier_of(s['fame'], s['infamy'])}")
        self.caller.msg("\n".join(rows))


class CmdHeal(MuxCommand):
    """
    ask a priest here to tend your wounds, for a fee

    Usage:
      heal

    Heals you to full health. The fee grows with your wounds.
    """

    key = "heal"
    locks = "cmd:all()"
    arg_regex = r"$"
    help_category = "general"

    def func(self):
        c = self.caller
        priest = healing.priest_in(c.location)
        running = service()
        if priest is None:
            c.msg("There is no priest here to tend you. Temples keep them.")
            return
        missing = combat.max_health(c) - combat.health(c)
        if missing <= 0:
            c.msg(f"{priest.key} smiles: \"You are whole already.\"")
            return
        if running is None:
            c.msg(f"{priest.key} is at prayer; come back shortly.")
            return
        coins.open_purse(c)
        fee = healing.fee(running.sim, missing)
        try:
            coins.debit(c, "fee", fee)
        except MoneyError as err:
            c.msg(f"{priest.key} asks {fee} coins for the herbs and the prayers. {err}")
            return
        c.db.hp = combat.max_health(c)
        c.msg(f"{priest.key} tends your wounds; you feel whole again ({c.db.hp}/{c.db.hp}). "
              f"The temple takes {fee} coins; you have {coins.coins(c)} coins.")
