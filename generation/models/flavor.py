"""Flavor models: the only fields an enricher (procedural or LLM) may write.
Lists that pair with payload lists (quest steps, block rooms) must have the
same length; `flavor_json_schema` pins that length for the LLM."""

from typing import Annotated

from pydantic import AfterValidator, Field

from .common import Name, Strict, single_line

Desc = Annotated[str, Field(min_length=1, max_length=600)]
Line = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(single_line)]
Step = Annotated[str, Field(min_length=1, max_length=400)]


class NpcFlavor(Strict):
    name: Name
    desc: Desc
    barks: list[Line] = Field(min_length=1, max_length=5)


class ItemFlavor(Strict):
    name: Name
    desc: Desc


class QuestFlavor(Strict):
    title: Name
    intro: Desc
    outro: Desc
    steps: list[Step] = Field(min_length=1, max_length=8, description="one text per quest node, same order")


class RoomFlavor(Strict):
    name: Name
    desc: Desc


class RoomBlockFlavor(Strict):
    name: Name
    rooms: list[RoomFlavor] = Field(min_length=1, max_length=16, description="one per block room, same order")


class EventFlavor(Strict):
    title: Name
    text: Desc
