"""Benchmark: join 500 000 synthetic enterprises to the embedded region layer (median of several runs)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from geo.boundaries import load_boundaries
from geo.join import locate_enterprises

POINTS = 500_000
RUNS = 5
SEED = 2024


def synthetic_enterprises(boundaries, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Random points inside Kazakhstan with the KATO code of the region they fall in; 20 % without
    coordinates, 1 % declaring a neighbouring region, 0.2 % with an unknown code."""
    minx, miny, maxx, maxy = boundaries.total_bounds
    codes = boundaries["kato"].to_numpy()
    geoms = boundaries.geometry.to_numpy()
    shapely.prepare(geoms)
    lon = np.empty(0)
    lat = np.empty(0)
    region = np.empty(0, dtype=object)
    while lon.size < n:
        x = rng.uniform(minx, maxx, n)
        y = rng.uniform(miny, maxy, n)
        r = np.full(n, None, dtype=object)
        for code, geom in zip(codes, geoms, strict=True):
            r[shapely.intersects_xy(geom, x, y)] = code
        keep = r != None  # noqa: E711 - elementwise comparison on an object array
        lon, lat, region = np.r_[lon, x[keep]], np.r_[lat, y[keep]], np.r_[region, r[keep]]
    lon, lat, region = lon[:n], lat[:n], region[:n]
    kato = np.array([f"{c}1010000" for c in region], dtype=object)
    wrong = rng.random(n) < 0.01
    kato[wrong] = rng.choice(codes, wrong.sum()) + "0000000"
    unknown = rng.random(n) < 0.002
    kato[unknown] = "990000000"
    missing = rng.random(n) < 0.20
    lon[missing] = np.nan
    lat[missing] = np.nan
    bins = np.char.zfill(np.arange(n).astype(str), 12)
    return pd.DataFrame({"bin": bins, "kato": kato, "lat": lat, "lon": lon})


def main() -> None:
    boundaries = load_boundaries()
    rng = np.random.default_rng(SEED)
    enterprises = synthetic_enterprises(boundaries, POINTS, rng)
    locate_enterprises(enterprises.head(1000), boundaries=boundaries)  # warm the gazetteer cache
    times = []
    result = None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = locate_enterprises(enterprises, boundaries=boundaries)
        times.append(time.perf_counter() - start)
    assert result is not None
    counts = result.counts()
    assert counts["rows"] == POINTS
    print(f"runs: {', '.join(f'{t:.3f}' for t in times)} s")
    print("counts: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    print(f"geo join_s={statistics.median(times):.3f} points={POINTS}")


if __name__ == "__main__":
    main()
