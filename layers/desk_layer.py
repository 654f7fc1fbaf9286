"""Map layer of the desk checks: enterprises whose sources disagree, coloured by how many rules fire.

Pure: the desk-check list (osh.desk_checks.desk_list) in, a pydeck layer and its legend classes out. Drawn with
layers.deck.build_deck like the enterprise map, so it can sit over the same outlines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk

from layers.deck import DeckError

LAYER_ID = "desk-checks"
REQUIRED: tuple[str, ...] = ("bin", "name", "lat", "lon", "n_rules", "priority", "rules")


@dataclass(frozen=True)
class DeskClass:
    key: str  # i18n suffix: one rule, two rules, three or more
    min_rules: int
    colour: str


CLASSES: tuple[DeskClass, ...] = (
    DeskClass("one", 1, "#fdae61"),
    DeskClass("two", 2, "#f46d43"),
    DeskClass("three_plus", 3, "#a50026"),
)


def _rgb(hex_colour: str) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)]


def class_codes(n_rules: pd.Series) -> np.ndarray:
    """0, 1 or 2: the index into CLASSES of each enterprise's rule count (vectorised)."""
    bounds = np.array([c.min_rules for c in CLASSES[1:]])
    return np.searchsorted(bounds, n_rules.to_numpy(dtype=float), side="right")


def desk_layer(frame: pd.DataFrame, *, name_chars: int = 40) -> pdk.Layer:
    """Flagged enterprises with coordinates as points (b BIN, m name, r rules, n count, c colour); those with
    more rules are drawn last, on top. Enterprises without coordinates are left out (the list shows them)."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise DeckError(f"desk-check points need column(s) {', '.join(missing)}")
    located = frame[frame["lat"].notna() & frame["lon"].notna()]
    codes = class_codes(located["n_rules"])
    order = np.argsort(codes, kind="stable")
    located = located.iloc[order]
    palette = [[*_rgb(c.colour), 220] for c in CLASSES]  # plain lists: pydeck serialises them as JSON arrays
    data = pd.DataFrame({
        "b": located["bin"].astype(str).to_numpy(),
        "m": located["name"].astype(str).str.slice(0, name_chars).to_numpy(),
        "r": located["rules"].astype(str).to_numpy(),
        "n": located["n_rules"].astype(int).to_numpy(),
        "p": [[round(float(lo), 4), round(float(la), 4)] for la, lo in zip(located["lat"], located["lon"], strict=True)],
        "c": [palette[int(k)] for k in codes[order]],
    })
    return pdk.Layer("ScatterplotLayer", data=data, id=LAYER_ID, get_position="p", get_fill_color="c", get_radius=500,
                     radius_min_pixels=3, radius_max_pixels=11, stroked=True, get_line_color=[255, 255, 255],
                     line_width_min_pixels=0.6, pickable=True, auto_highlight=True)
