"""Opening the folded expanders of a page under AppTest: the text alternatives of charts and maps (and the
Overview's official figures) are built and sent only while open (dashboard.render.folded)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from dashboard.render import FOLDED_PREFIX


def unfold(at: Any) -> Any:
    """Open every folded expander the last run drew and run again; returns the AppTest. A page without one fails:
    a test that meant to read a text alternative would otherwise read nothing."""
    keys = [k for k in at.session_state if k.startswith(FOLDED_PREFIX)]
    assert keys, "the page has no folded expander"
    for key in keys:
        at.session_state[key] = True
    return at.run()


_ESCAPED = re.compile(r"\\(.)")


def tables(at: Any) -> list[pd.DataFrame]:
    """Every table of the last run as a reader sees it, in page order: the grids' frames, and the static tables'
    (dashboard.render.is_prose) with their Markdown escapes taken off cells and headers."""
    out = []
    for node in _walk(at.main):
        if node.type == "dataframe":
            out.append(node.value)
        elif node.type == "table":
            frame = node.value.map(lambda v: _plain(v) if isinstance(v, str) else v)
            frame.columns = [_plain(str(c)) for c in node.value.columns]
            out.append(frame)
    return out


def _plain(text: str) -> str:
    """A static table's cell as the reader sees it: escapes and the word joiners of dashboard.render.markdown_safe off."""
    return _ESCAPED.sub(r"\1", text).replace("\u2060", "")


def _walk(node: Any) -> Any:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)
