"""Models of a world's base content: world header, zones with rooms and exits,
factions, NPC archetypes and item templates."""

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from .common import (
    Biome,
    ContentId,
    Direction,
    ItemKind,
    Name,
    Rarity,
    Role,
    Slot,
    Strict,
    Text,
    single_line,
    tag_field,
)

Tag = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]


class Exit(Strict):
    """A way out of a room. Its way back must exist unless `one_way`."""

    direction: Direction
    to: ContentId = Field(description="content id of the destination room")
    name: Name | None = Field(None, description="shown name; defaults to the direction")
    one_way: bool = False


class Coordinates(Strict):
    x: int = Field(ge=-1000, le=1000)
    y: int = Field(ge=-1000, le=1000)
    z: int = Field(0, ge=-20, le=20)


class Placement(Strict):
    """An item template or NPC archetype placed in a room at build time."""

    template: ContentId
    count: int = Field(1, ge=1, le=20)


class Room(Strict):
    id: ContentId
    name: Name
    desc: Text
    coords: Coordinates
    exits: list[Exit] = Field(default_factory=list, max_length=10)
    items: list[Placement] = Field(default_factory=list, max_length=20)
    npcs: list[Placement] = Field(default_factory=list, max_length=10)
    tags: list[Tag] = tag_field("e.g. 'edge' for a growth point at the world's border")

    @model_validator(mode="after")
    def _one_exit_per_direction(self):
        seen = [e.direction for e in self.exits]
        dupes = sorted({d.value for d in seen if seen.count(d) > 1})
        if dupes:
            raise ValueError(f"room {self.id} has more than one exit {', '.join(dupes)}")
        return self


class Zone(Strict):
    """A region of the map with one biome; the simulation's region has the same id."""

    id: ContentId
    name: Name
    biome: Biome
    desc: Text
    faction: ContentId = Field(description="faction holding most sway here")
    rooms: list[Room] = Field(min_length=1, max_length=500)


class Faction(Strict):
    id: ContentId
    name: Name
    desc: Text
    home_biomes: list[Biome] = Field(min_length=1)
    reputation: Name = Field(description="what its reputation measures, e.g. infamy")


class Stats(Strict):
    health: int = Field(ge=1, le=10000)
    attack: int = Field(ge=0, le=1000)
    defense: int = Field(ge=0, le=1000)


class Archetype(Strict):
    """A kind of NPC: the look and numbers an NPC object is spawned with."""

    id: ContentId
    role: Role
    name: Name
    desc: Text
    faction: ContentId
    stats: Stats
    threat: int = Field(ge=0, le=10, description="0 harmless .. 10 deadly")
    barks: list[Annotated[str, Field(min_length=1, max_length=200), AfterValidator(single_line)]] = Field(
        default_factory=list, max_length=20
    )


TableName = Annotated[str, Field(pattern=r"^(stock|loot)\.[a-z][a-z0-9_]*$", max_length=80)]


def table_problem(table: str, regions) -> str | None:
    """Why `table` names no stock table (`stock.<region>`) nor loot table
    (`loot.<role>`) of a world with `regions`; None when it names one."""
    kind, _, name = table.partition(".")
    if kind == "stock" and name not in regions:
        return f"no region {name} for the stock table {table}"
    if kind == "loot" and name not in {role.value for role in Role}:
        return f"no role {name} for the loot table {table}"
    return None


class ItemTemplate(Strict):
    id: ContentId
    kind: ItemKind
    name: Name
    desc: Text
    rarity: Rarity = Rarity.common
    slot: Slot | None = None
    power: int = Field(0, ge=0, le=1000, description="attack for weapons, defense for armor")
    value: int = Field(ge=0, le=1_000_000, description="price in coins")
    weight: float = Field(1.0, ge=0, le=1000)
    table: TableName | None = Field(None, description="a stock table `stock.<region>` (the region's merchants sell "
                                    "it) or a loot table `loot.<role>` (slain NPCs of that role may drop it); a patch's "
                                    "item goes there instead of its region's first room")

    @model_validator(mode="after")
    def _slot_matches_kind(self):
        wanted = {ItemKind.weapon: Slot.weapon, ItemKind.armor: Slot.armor}.get(self.kind)
        if self.slot != wanted:
            raise ValueError(
                f"item {self.id}: kind {self.kind.value} needs slot "
                f"{wanted.value if wanted else 'null'}"
            )
        return self


class WorldHeader(Strict):
    """`world.json`: what a world is called and where players start."""

    id: ContentId
    name: Name
    desc: Text
    start_room: ContentId
    seed: int = Field(ge=0, le=2**63 - 1)


class FactionList(Strict):
    factions: list[Faction] = Field(min_length=1)


class ArchetypeList(Strict):
    archetypes: list[Archetype] = Field(min_length=1)


class ItemList(Strict):
    items: list[ItemTemplate] = Field(min_length=1)
