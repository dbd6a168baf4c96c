"""The ASCII map renderer (pure function, no server)."""

from game.maps import Cell, render_map


def grid(exits_of):
    return {(x, y): Cell(" ", frozenset(exits_of(x, y))) for x in range(3) for y in range(3)}


def test_grid_with_diagonals_and_centre():
    def exits(x, y):
        out = set()
        if x < 2:
            out.add("east")
        if y < 2:
            out.add("north")
        if (x, y) == (0, 0):
            out.add("northeast")
        if (x, y) == (2, 0):
            out.add("northwest")
        return out

    assert render_map((1, 1), grid(exits), radius=1) == (
        "[ ]-[ ]-[ ]\n"
        " |   |   |\n"
        "[ ]-[@]-[ ]\n"
        " | / | \\ |\n"
        "[ ]-[ ]-[ ]"
    )


def test_crossing_diagonals_make_an_x():
    cells = {(0, 0): Cell(" ", frozenset({"northeast"})), (1, 0): Cell(" ", frozenset({"northwest"})),
             (0, 1): Cell(), (1, 1): Cell()}
    assert render_map((0, 0), cells, radius=1).splitlines()[1] == "   X"


def test_rooms_outside_radius_are_left_out():
    cells = {(0, 0): Cell(), (5, 0): Cell()}
    assert render_map((0, 0), cells, radius=2) == "[@]"
