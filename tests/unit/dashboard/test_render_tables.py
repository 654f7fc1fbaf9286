"""How a barometer table is shown: a grid (one line per cell) for short cells, a static table whose cells wrap for
sentences or for more columns than a page-wide grid holds at 1440 px; a static table's Markdown is neutralised."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.render import GRID_ROOM_PX, PROSE_CHARS, is_prose, markdown_safe
from dashboard.views import Table


def _table(display: pd.DataFrame, **kw: object) -> Table:
    return Table("k", "title", display, display, **kw)  # type: ignore[arg-type]


def test_short_cells_stay_a_grid_and_a_sentence_makes_a_static_table() -> None:
    short = pd.DataFrame({"Region": ["Karaganda Region", "Pavlodar Region"], "Value": ["1,28", "0,88"]})
    assert not is_prose(_table(short))
    sentence = "x" * (PROSE_CHARS + 1)
    assert is_prose(_table(short.assign(Note=["", sentence])))
    assert not is_prose(_table(short.assign(Note=["", "x" * PROSE_CHARS])))


def test_too_many_columns_for_a_page_wide_grid_make_a_static_table() -> None:
    # 30 columns of "12,34": each one line, but together wider than a page-wide grid at 1440 px
    wide = pd.DataFrame({f"c{i:02d}": ["12,34"] for i in range(30)})
    assert is_prose(_table(wide))
    assert not is_prose(_table(wide.iloc[:, :5]))
    assert GRID_ROOM_PX < 1000  # the main column of a 1440 px page (sidebar open) is 980 px


def test_the_table_can_say_what_it_is() -> None:
    short = pd.DataFrame({"a": ["1"]})
    assert is_prose(_table(short, prose=True))
    assert not is_prose(_table(short.assign(b=["x" * 99]), prose=False))
    assert not is_prose(_table(pd.DataFrame({"a": pd.Series([], dtype=object)})))


@pytest.mark.parametrize("text", ["**bold**", "[link](http://x)", ":red[red]", "$x^2$", "a_b_c", "<b>x</b>",
                                  "a | b", "~~gone~~", "`code`", "# heading", "back\\slash", ":material/home:", "1. item", "- dash", "+ plus"])
def test_a_static_table_shows_markdown_as_written(text: str) -> None:
    """st.table reads cells and headers as Markdown: every formatting character is escaped (no unescaped one is
    left; a leading list marker is escaped too, an icon name broken by an invisible word joiner), taking the
    escapes and joiners off gives the text back, numbers are left alone. (Seen rendered literally in Chromium.)"""
    frame = markdown_safe(pd.DataFrame({f"h {text}": [text, 12.5]}))
    cell, number = frame.iloc[0, 0], frame.iloc[1, 0]
    assert number == 12.5
    assert re.sub(r"\\(.)", r"\1", cell).replace("\u2060", "") == text
    assert re.sub(r"\\(.)", r"\1", frame.columns[0]).replace("\u2060", "") == f"h {text}"
    assert not re.match(r"\s*(\d+[.)]|[-+] )", cell), "no list marker is left at the start"
    assert ":material/" not in cell
    bare = re.sub(r"\\.", "", cell)  # what is left once the escaped pairs are taken out
    assert not set(bare) & set("*[]:$_<>|~`#\\"), (text, cell)
