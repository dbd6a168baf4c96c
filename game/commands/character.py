"""Character commands: score (coins, health, level, equipment power, reputation) and reputation."""

from evennia.commands.default.muxcommand import MuxCommand

from game import coins, combat, reputation


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
        self.caller.msg("\n".join([
            f"|w{c.key}|n, level {combat.level(c)} ({int(c.db.xp or 0)} xp)",
            f"Health: {combat.health(c)}/{combat.max_health(c)}",
            f"Coins: {coins.coins(c)}",
            f"Equipment power: attack +{c.equipment.attack}, defense +{c.equipment.defense}",
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
