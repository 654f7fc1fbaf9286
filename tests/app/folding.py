"""Opening the folded expanders of a page under AppTest: the text alternatives of charts and maps (and the
Overview's official figures) are built and sent only while open (dashboard.render.folded)."""

from __future__ import annotations

from typing import Any

from dashboard.render import FOLDED_PREFIX


def unfold(at: Any) -> Any:
    """Open every folded expander the last run drew and run again; returns the AppTest. A page without one fails:
    a test that meant to read a text alternative would otherwise read nothing."""
    keys = [k for k in at.session_state if k.startswith(FOLDED_PREFIX)]
    assert keys, "the page has no folded expander"
    for key in keys:
        at.session_state[key] = True
    return at.run()
