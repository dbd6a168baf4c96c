"""ASCII map of the rooms around a position, drawn from grid coordinates.

Pure function of what it is given, so it tests without a server."""

import textwrap
from dataclasses import dataclass

# column/row offsets of the connector drawn for each planar direction
_CONNECTORS = {
    "east": (3, 0, "-"),
    "north": (1, -1, "|"),
    "northeast": (3, -1, "/"),
    "northwest": (-1, -1, "\\"),
}


@dataclass(frozen=True)
class Cell:
    """A room on the map: its marker and the planar directions it has exits to."""

    marker: str = " "
    exits: frozenset = frozenset()


def render_map(center: tuple[int, int], cells: dict[tuple[int, int], Cell], radius: int = 3) -> str:
    """Rows of `[x]` rooms joined by - | / \\ ; `center` is drawn with @."""
    cx, cy = center
    # connectors that would point past the window's edge fall off the canvas
    width = (2 * radius + 1) * 4 - 1
    height = (2 * radius + 1) * 2 - 1
    canvas = [[" "] * width for _ in range(height)]

    def put(col: int, row: int, ch: str) -> None:
        if 0 <= row < height and 0 <= col < width:
            old = canvas[row][col]
            canvas[row][col] = "X" if {old, ch} == {"/", "\\"} else ch

    for (x, y), cell in cells.items():
        i, j = x - cx + radius, cy - y + radius
        if not (0 <= i <= 2 * radius and 0 <= j <= 2 * radius):
            continue
        col, row = 4 * i, 2 * j
        marker = "@" if (x, y) == center else cell.marker
        for k, ch in enumerate(f"[{marker}]"):
            put(col + k, row, ch)
        for direction, (dc, dr, ch) in _CONNECTORS.items():
            if direction in cell.exits:
                put(col + dc, row + dr, ch)
    return textwrap.dedent("\n".join("".join(r).rstrip() for r in canvas)).strip("\n")
