"""Shared vocabulary of content: enums, id patterns and the strict base model."""

from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

ContentId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", min_length=2, max_length=80),
]


def single_line(text: str) -> str:
    """Names and one-line texts (barks) refuse line breaks of any kind."""
    if any(c in text for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        raise ValueError("must be a single line (no line breaks)")
    return text


Name = Annotated[str, StringConstraints(min_length=1, max_length=80), AfterValidator(single_line)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class Strict(BaseModel):
    """Base of every content model: unknown keys are errors, values are checked."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Biome(str, Enum):
    forest = "forest"
    plains = "plains"
    desert = "desert"
    village = "village"
    market = "market"


class Role(str, Enum):
    merchant = "merchant"
    bandit = "bandit"
    farmer = "farmer"
    priest = "priest"
    explorer = "explorer"
    hunter = "hunter"


class ItemKind(str, Enum):
    weapon = "weapon"
    armor = "armor"
    herb = "herb"
    timber = "timber"
    mineral = "mineral"
    relic = "relic"
    currency = "currency"
    consumable = "consumable"


class Rarity(str, Enum):
    common = "common"
    uncommon = "uncommon"
    rare = "rare"
    epic = "epic"
    legendary = "legendary"


class Slot(str, Enum):
    weapon = "weapon"
    armor = "armor"


class Direction(str, Enum):
    north = "north"
    south = "south"
    east = "east"
    west = "west"
    northeast = "northeast"
    northwest = "northwest"
    southeast = "southeast"
    southwest = "southwest"
    up = "up"
    down = "down"


# Grid step (dx, dy, dz) of each direction; y grows to the north.
DIRECTION_DELTA: dict[Direction, tuple[int, int, int]] = {
    Direction.north: (0, 1, 0),
    Direction.south: (0, -1, 0),
    Direction.east: (1, 0, 0),
    Direction.west: (-1, 0, 0),
    Direction.northeast: (1, 1, 0),
    Direction.northwest: (-1, 1, 0),
    Direction.southeast: (1, -1, 0),
    Direction.southwest: (-1, -1, 0),
    Direction.up: (0, 0, 1),
    Direction.down: (0, 0, -1),
}

DIRECTION_ALIASES: dict[Direction, str] = {
    Direction.north: "n",
    Direction.south: "s",
    Direction.east: "e",
    Direction.west: "w",
    Direction.northeast: "ne",
    Direction.northwest: "nw",
    Direction.southeast: "se",
    Direction.southwest: "sw",
    Direction.up: "u",
    Direction.down: "d",
}

OPPOSITE: dict[Direction, Direction] = {
    d: next(o for o, (ox, oy, oz) in DIRECTION_DELTA.items() if (ox, oy, oz) == (-dx, -dy, -dz))
    for d, (dx, dy, dz) in DIRECTION_DELTA.items()
}


def tag_field(description: str):
    """A list of short lowercase tags."""
    return Field(default_factory=list, description=description, max_length=16)
