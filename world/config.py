"""Load and validate the simulation parameters (content/simulation/tera.json).

`load_config(path=None)` returns a `SimConfig`; validation is by hand (no
pydantic in world/) and raises `ConfigError` naming the offending key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .enums import FACTIONS, MACRO_KINDS, RESOURCES, ROLES, SOCIAL_KINDS

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "content/simulation/tera.json"
MAX_REGIONS = 64


class ConfigError(ValueError):
    """The simulation config is malformed; the message says where."""


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    biome: str
    neighbours: tuple[str, ...]
    controller: str
    weights: dict


@dataclass(frozen=True)
class SimConfig:
    """Validated parameters; `raw` is the JSON document it came from."""

    world: str
    regions: tuple[Region, ...]
    roles: tuple[str, ...]
    factions: tuple[str, ...]
    resources: tuple[str, ...]
    presets: dict
    ticks_per_day: int
    days_per_season: int
    biomes: dict
    role_params: dict
    faction_params: dict
    resource_params: dict
    fsm: dict
    combat: dict
    population: dict
    reputation: dict
    epochs: tuple[dict, ...]
    seasons: tuple[dict, ...]
    macro_events: dict
    social: dict
    events: dict
    names: dict
    raw: dict = field(repr=False, compare=False)

    @property
    def region_ids(self) -> list[str]:
        return [r.id for r in self.regions]

    def region_index(self, region_id: str) -> int:
        ids = self.region_ids
        if region_id not in ids:
            raise ValueError(f"unknown region {region_id!r}; known regions: {', '.join(ids)}")
        return ids.index(region_id)

    def to_json(self) -> str:
        return json.dumps(self.raw, sort_keys=True)

    def with_overrides(self, **changes) -> "SimConfig":
        """A new validated config with top-level JSON keys replaced (tests, tools)."""
        raw = json.loads(self.to_json())
        raw.update(changes)
        return config_from_dict(raw)


def _need(doc: dict, key: str, kind, where: str):
    if key not in doc:
        raise ConfigError(f"{where}: missing key {key!r}")
    value = doc[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigError(f"{where}.{key}: expected {getattr(kind, '__name__', kind)}, got {type(value).__name__}")
    return value


def _prob(doc: dict, key: str, where: str) -> float:
    value = _need(doc, key, float, where)
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{where}.{key}: probability must be within [0, 1], got {value}")
    return value


def _nonneg(doc: dict, key: str, kind, where: str):
    value = _need(doc, key, kind, where)
    if value < 0:
        raise ConfigError(f"{where}.{key}: must be >= 0, got {value}")
    return value


def _exact_keys(doc: dict, expected, where: str) -> None:
    missing = [k for k in expected if k not in doc]
    extra = [k for k in doc if k not in expected]
    if missing or extra:
        raise ConfigError(f"{where}: expected keys {list(expected)}; missing {missing}, unknown {extra}")


def _subset(doc: dict, allowed, where: str) -> None:
    bad = [k for k in doc if k not in allowed]
    if bad:
        raise ConfigError(f"{where}: unknown keys {bad}; allowed {list(allowed)}")


def _validate_regions(doc: dict, biomes: dict) -> tuple[Region, ...]:
    items = _need(doc, "regions", list, "config")
    if not 1 <= len(items) <= MAX_REGIONS:
        raise ConfigError(f"config.regions: need 1..{MAX_REGIONS} regions, got {len(items)}")
    ids = [_need(r, "id", str, f"regions[{i}]") for i, r in enumerate(items)]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"config.regions: duplicate region ids in {ids}")
    regions = []
    for i, r in enumerate(items):
        where = f"regions[{r['id']}]"
        biome = _need(r, "biome", str, where)
        if biome not in biomes:
            raise ConfigError(f"{where}.biome: unknown biome {biome!r}")
        neighbours = _need(r, "neighbours", list, where)
        for n in neighbours:
            if n not in ids or n == r["id"]:
                raise ConfigError(f"{where}.neighbours: {n!r} is not another region id")
        controller = _need(r, "controller", str, where)
        if controller not in FACTIONS:
            raise ConfigError(f"{where}.controller: unknown faction {controller!r}")
        weights = _need(r, "weights", dict, where)
        _subset(weights, ROLES, f"{where}.weights")
        for role in weights:
            _nonneg(weights, role, float, f"{where}.weights")
        regions.append(Region(r["id"], _need(r, "name", str, where), biome, tuple(neighbours), controller, weights))
    for r in regions:
        for n in r.neighbours:
            if r.id not in regions[ids.index(n)].neighbours:
                raise ConfigError(f"regions: adjacency must be symmetric ({r.id} -> {n} but not back)")
    for role in ROLES:
        if not any(r.weights.get(role, 0) > 0 for r in regions):
            raise ConfigError(f"regions: no region has a positive weight for role {role!r}")
    return tuple(regions)


def config_from_dict(doc: dict) -> SimConfig:
    """Validate a parsed JSON document and build a `SimConfig`."""
    if not isinstance(doc, dict):
        raise ConfigError("config: top level must be an object")
    resources = _need(doc, "resources", dict, "config")
    _exact_keys(resources, RESOURCES, "config.resources")
    for k in RESOURCES:
        if _need(resources[k], "base_price", int, f"resources.{k}") < 1:
            raise ConfigError(f"resources.{k}.base_price: must be >= 1")
    biomes = _need(doc, "biomes", dict, "config")
    for b, spec in biomes.items():
        _subset(_need(spec, "yield", dict, f"biomes.{b}"), RESOURCES, f"biomes.{b}.yield")
        for k in spec["yield"]:
            _nonneg(spec["yield"], k, float, f"biomes.{b}.yield")
        _prob(spec, "discovery", f"biomes.{b}")
        _prob(spec, "hazard", f"biomes.{b}")
    regions = _validate_regions(doc, biomes)
    factions = _need(doc, "factions", dict, "config")
    _exact_keys(factions, FACTIONS, "config.factions")
    for f in FACTIONS:
        _prob(factions[f], "tariff", f"factions.{f}")
    roles = _need(doc, "roles", dict, "config")
    _exact_keys(roles, ROLES, "config.roles")
    for name in ROLES:
        spec, where = roles[name], f"roles.{name}"
        if _need(spec, "faction", str, where) not in FACTIONS:
            raise ConfigError(f"{where}.faction: unknown faction {spec['faction']!r}")
        _prob(spec, "share", where)
        for key in ("carry_cap", "gather_rate"):
            if not 1 <= _need(spec, key, int, where) <= 255:
                raise ConfigError(f"{where}.{key}: must be within 1..255")
        _nonneg(spec, "starting_purse", int, where)
        _subset(_need(spec, "prefers", dict, where), RESOURCES, f"{where}.prefers")
    if abs(sum(roles[r]["share"] for r in ROLES) - 1.0) > 1e-6:
        raise ConfigError("roles: shares must sum to 1")
    presets = _need(doc, "presets", dict, "config")
    for name, n in presets.items():
        if not isinstance(n, int) or n < 1:
            raise ConfigError(f"presets.{name}: must be a positive integer")
    tpd = _need(doc, "ticks_per_day", int, "config")
    if tpd < 3 or tpd % 3:
        raise ConfigError("config.ticks_per_day: must be a positive multiple of 3 (three epochs)")
    dps = _need(doc, "days_per_season", int, "config")
    if dps < 1:
        raise ConfigError("config.days_per_season: must be >= 1")
    fsm = _need(doc, "fsm", dict, "config")
    for key in ("idle_to_explore", "discovery_curious_bonus", "trade_to_hunt", "aggressive_hunt_bonus",
                "explore_move", "curious_move_bonus", "merchant_deal", "sell_early"):
        _prob(fsm, key, "fsm")
    for key in ("idle_ticks", "gather_max_ticks", "trade_max_ticks", "poor_wealth", "hurt_health",
                "recovered_health", "rest_heal", "stamina_cost"):
        _nonneg(fsm, key, int, "fsm")
    if not fsm["hurt_health"] < fsm["recovered_health"] <= 100:
        raise ConfigError("fsm: need hurt_health < recovered_health <= 100")
    combat = _need(doc, "combat", dict, "config")
    for key in ("raid_chance", "cautious_avoid_bonus", "aggressive_raid_bonus", "max_attacked_chance",
                "bandit_win", "guard_penalty", "loot_fraction", "defend_chance"):
        _prob(combat, key, "combat")
    for key in ("damage", "hazard_damage"):
        _nonneg(combat, key, int, "combat")
    population = _need(doc, "population", dict, "config")
    for key in ("birth_chance", "market_consumption_per_tick", "treasury_upkeep", "market_ref_per_agent", "yield_scale",
                "exchange_pull", "money_elasticity"):
        _prob(population, key, "population")
    for key in ("upkeep", "stock_days", "wealth_cap", "treasury_seed_per_agent"):
        _nonneg(population, key, int, "population")
    if not 1 <= population["wealth_cap"] < 2**31:
        raise ConfigError("population.wealth_cap: must fit int32")
    reputation = _need(doc, "reputation", dict, "config")
    for key in ("noted", "renowned", "legendary", "infamous", "trade_fame", "discovery_fame", "raid_fame",
                "defend_fame"):
        _nonneg(reputation, key, int, "reputation")
    _prob(reputation, "daily_decay", "reputation")
    if not reputation["noted"] < reputation["renowned"] < reputation["legendary"] < 30000:
        raise ConfigError("reputation: need noted < renowned < legendary < 30000")
    epochs = _need(doc, "epochs", list, "config")
    if len(epochs) != 3:
        raise ConfigError("config.epochs: exactly three epochs (Daybreak, Highsun, Nightfall)")
    for i, e in enumerate(epochs):
        _need(e, "name", str, f"epochs[{i}]")
        _nonneg(e, "trade", float, f"epochs[{i}]")
        _nonneg(e, "bandit", float, f"epochs[{i}]")
    seasons = _need(doc, "seasons", list, "config")
    if len(seasons) != 3:
        raise ConfigError("config.seasons: exactly three seasons")
    for i, s in enumerate(seasons):
        where = f"seasons[{i}]"
        _need(s, "name", str, where)
        _exact_keys(_need(s, "yield", dict, where), list(biomes), f"{where}.yield")
        _exact_keys(_need(s, "event_odds", dict, where), MACRO_KINDS, f"{where}.event_odds")
    macro = _need(doc, "macro_events", dict, "config")
    _exact_keys(macro, MACRO_KINDS, "config.macro_events")
    ids = [r.id for r in regions]
    for kind, spec in macro.items():
        where = f"macro_events.{kind}"
        for rid in _need(spec, "regions", list, where):
            if rid not in ids:
                raise ConfigError(f"{where}.regions: unknown region {rid!r}")
        if _need(spec, "duration_ticks", int, where) < 1:
            raise ConfigError(f"{where}.duration_ticks: must be >= 1")
        _prob(spec, "daily_odds", where)
        _need(spec, "label", str, where)
    extra_keys = {"drought": ("yield",), "invasion": ("bandit_raid", "bandit_births"), "market_crash": ("price",),
                  "pilgrimage_boon": ("heal", "stability"), "relic_rush": ("relic_yield", "discovery")}
    for kind, keys in extra_keys.items():
        for key in keys:
            _nonneg(macro[kind], key, float, f"macro_events.{kind}")
    _prob(macro["market_crash"], "treasury_burn", "macro_events.market_crash")
    social = _need(doc, "social", dict, "config")
    _exact_keys(social, ("daily_odds",) + SOCIAL_KINDS, "config.social")
    _prob(social, "daily_odds", "social")
    for kind in SOCIAL_KINDS:
        spec = social[kind]
        if _need(spec, "faction", str, f"social.{kind}") not in FACTIONS:
            raise ConfigError(f"social.{kind}.faction: unknown faction")
        _need(spec, "alignment", int, f"social.{kind}")
        _need(spec, "stability", int, f"social.{kind}")
        _need(spec, "text", str, f"social.{kind}")
    events = _need(doc, "events", dict, "config")
    if not 1 <= _need(events, "per_kind_per_region", int, "events") <= 16:
        raise ConfigError("events.per_kind_per_region: must be within 1..16")
    names = _need(doc, "names", dict, "config")
    for part in ("first", "middle", "last"):
        table = _need(names, part, list, "names")
        if not table or not all(isinstance(s, str) for s in table):
            raise ConfigError(f"names.{part}: need a non-empty list of strings")
    return SimConfig(
        world=_need(doc, "world", str, "config"), regions=regions, roles=ROLES, factions=FACTIONS,
        resources=RESOURCES, presets=dict(presets), ticks_per_day=tpd, days_per_season=dps, biomes=biomes,
        role_params=roles, faction_params=factions, resource_params=resources, fsm=fsm, combat=combat,
        population=population, reputation=reputation, epochs=tuple(epochs), seasons=tuple(seasons),
        macro_events=macro, social=social, events=events, names=names, raw=doc,
    )


def load_config(path=None) -> SimConfig:
    """Read and validate the simulation config (default: content/simulation/tera.json)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"simulation config not found: {path}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: invalid JSON ({exc})") from None
    return config_from_dict(doc)
