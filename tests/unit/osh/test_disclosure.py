"""Disclosure control: primary rules, secondary suppression checked by independent linear algebra, public tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from osh import disclosure, public
from tests.unit.osh.conftest import bins, put, tiny_country


def _determined(suppressed: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Independent check by rank: which suppressed cells of an extended table (last row/col = totals) are
    fixed by the published cells? Unknown x_k is determined iff adding e_k does not raise the rank of the
    system of row and column equations restricted to the unknowns."""
    rows, cols = suppressed.shape
    unknown = list(zip(*np.nonzero(suppressed), strict=True))
    if not unknown:
        return np.zeros_like(suppressed)
    index = {cell: k for k, cell in enumerate(unknown)}
    eqs = []
    for i in range(rows):  # row i: sum of interior cells - row total = 0
        eq = np.zeros(len(unknown))
        for j in range(cols):
            if (i, j) in index:
                eq[index[(i, j)]] = -1.0 if j == cols - 1 else 1.0
        eqs.append(eq)
    for j in range(cols):
        eq = np.zeros(len(unknown))
        for i in range(rows):
            if (i, j) in index:
                eq[index[(i, j)]] = -1.0 if i == rows - 1 else 1.0
        eqs.append(eq)
    a = np.array(eqs)
    rank = np.linalg.matrix_rank(a)
    out = np.zeros_like(suppressed)
    for cell, k in index.items():
        e = np.zeros((1, len(unknown)))
        e[0, k] = 1.0
        out[cell] = np.linalg.matrix_rank(np.vstack([a, e])) == rank
    return out


def _extend(interior: np.ndarray) -> np.ndarray:
    r, c = interior.shape
    ext = np.zeros((r + 1, c + 1))
    ext[:r, :c] = interior
    ext[r, :c] = interior.sum(axis=0)
    ext[:r, c] = interior.sum(axis=1)
    ext[r, c] = interior.sum()
    return ext


def test_primary_rules():
    ent = np.array([0, 1, 2, 3, 10, 10])
    workers = np.array([0, 50, 50, 50, 1000, 1000])
    largest = np.array([0, 50, 30, 20, 860, 850])
    assert disclosure.primary(ent, workers, largest).tolist() == [False, True, True, False, True, False]
    # unknown enterprise counts (published aggregates) are not suppressed
    assert not disclosure.primary(np.array([np.nan]), np.array([100.0]), np.array([np.nan]))[0]


def test_single_suppression_is_recoverable_and_fixed():
    ext = _extend(np.array([[5.0, 6, 7], [8, 9, 10], [11, 12, 13]]))
    s = np.zeros(ext.shape, dtype=bool)
    s[0, 0] = True
    assert _determined(s, ext)[0, 0]
    fixed = disclosure.secondary(s, disclosure.extended_cost(ext), np.zeros(ext.shape, dtype=bool))
    assert fixed[0, 0]
    assert fixed.sum() >= 4  # at least a 2 x 2 cycle
    assert not _determined(fixed, ext).any()


def test_bridge_between_two_cycles_is_found():
    # two separate 2x2 cycles joined by one suppressed cell: that cell is recoverable
    s = np.zeros((5, 5), dtype=bool)
    s[0, 0] = s[0, 1] = s[1, 0] = s[1, 1] = True
    s[2, 2] = s[2, 3] = s[3, 2] = s[3, 3] = True
    s[1, 2] = True
    assert disclosure.bridges(s)[1, 2]
    assert disclosure.bridges(s).sum() == 1
    assert _determined(s, np.ones((5, 5)))[1, 2]


@settings(max_examples=60, deadline=None)
@given(
    ent=arrays(np.int64, st.tuples(st.integers(2, 6), st.integers(2, 6)), elements=st.integers(0, 8)),
    seed=st.integers(0, 10_000),
)
def test_suppression_never_leaves_a_cell_recoverable(ent, seed):
    rng = np.random.default_rng(seed)
    workers = np.where(ent > 0, rng.integers(1, 500, ent.shape) * np.maximum(ent, 1), 0).astype(float)
    largest = np.where(ent > 0, workers * rng.uniform(0.2, 1.0, ent.shape), 0.0)
    largest = np.where(ent == 1, workers, largest)
    e_ext, w_ext = _extend(ent.astype(float)), _extend(workers)
    l_ext = np.zeros_like(w_ext)
    l_ext[:-1, :-1] = largest
    l_ext[-1, :-1] = largest.max(axis=0)
    l_ext[:-1, -1] = largest.max(axis=1)
    l_ext[-1, -1] = largest.max()
    suppressed, empty = disclosure.protect_table(e_ext, w_ext, l_ext)
    prim = disclosure.primary(e_ext, w_ext, l_ext) & ~empty
    assert (suppressed >= prim).all(), "every primary cell is suppressed"
    assert not (suppressed & empty).any(), "empty cells are never used"
    assert not _determined(suppressed, w_ext).any(), "no suppressed cell follows from the published ones"


# --- the public tables ----------------------------------------------------------------------------------


def _with_small_cells(store) -> None:
    """The tiny country plus two power plants in Astana: cell 71/D has 2 enterprises -> confidential."""
    tiny_country(store)
    extra = bins(2, start=90_000_000)
    put(
        store,
        "enterprises",
        pd.DataFrame({"bin": extra, "name": ["Plant 1", "Plant 2"], "kato": "711010000", "oked": "35.11", "employees": [40, 900], "active": True}),
    )


def test_public_tables_are_disclosure_controlled(tmp_store, tmp_path: Path):
    _with_small_cells(tmp_store)
    data = public.build_public_data(tmp_store)
    ind = data.indicators
    assert list(ind.columns) == list(public.INDICATOR_COLUMNS)
    for name in public.TABLES:
        frame = getattr(data, name)
        assert not {"bin", "name", "lat", "lon"} & set(frame.columns), name
    cur22 = ind[(ind["basis"] == "current") & (ind["year"] == 2022)].set_index(["region", "section"])
    levels = set(zip(cur22.index.get_level_values(0) == "KZ", cur22.index.get_level_values(1) == "ALL", strict=True))
    assert levels == {(True, True), (False, True), (True, False), (False, False)}
    # the grid is complete: absent cells are explicit "no data", not missing rows and not zero
    assert len(cur22) == 21 * 22
    assert cur22.loc[("35", "A"), "status"] == "no_data"
    assert np.isnan(cur22.loc[("35", "A"), "injured"])
    conf = cur22[cur22["status"] == "confidential"]
    assert conf[list(public.VALUE_COLUMNS)].isna().all().all()
    # independent check: rebuild the region x section table of workers and confirm no hidden cell follows
    regions = sorted(set(cur22.index.get_level_values(0)) - {"KZ"})
    sections = sorted(set(cur22.index.get_level_values(1)) - {"ALL"})
    mask = np.zeros((len(regions) + 1, len(sections) + 1), dtype=bool)
    for i, r in enumerate([*regions, "KZ"]):
        for j, s in enumerate([*sections, "ALL"]):
            if (r, s) in cur22.index:
                mask[i, j] = cur22.loc[(r, s), "status"] == "confidential"
    assert mask.sum() >= 4
    assert not _determined(mask, np.ones(mask.shape)).any()
    # harmonised: 62 merges into 35; a harmonised cell is confidential iff a part of it is
    har22 = ind[(ind["basis"] == "harmonised") & (ind["year"] == 2022)].set_index(["region", "section"])
    assert "62" not in set(har22.index.get_level_values(0))
    for s in sections:
        parts = [cur22.loc[(r, s), "status"] for r in ("35", "62") if (r, s) in cur22.index]
        if (("35", s)) in har22.index:
            assert (har22.loc[("35", s), "status"] == "confidential") == ("confidential" in parts)
    # write / read round trip
    out = tmp_path / "public"
    public.write_public_data(data, out_dir=out)
    back = public.read_public_data(directory=out)
    pd.testing.assert_frame_equal(back.indicators, data.indicators, check_dtype=False)
    assert back.meta["years"] == "2020-2022"
    assert back.meta["dataset"] == "real"


def test_read_public_names_what_is_missing(tmp_path: Path):
    missing = r"missing indicators.parquet, diseases.parquet, targets.parquet, official.parquet, gap.parquet, measures.parquet, meta.json"
    with pytest.raises(public.PublicDataError, match=missing):
        public.read_public_data(directory=tmp_path)


def test_identifying_columns_are_refused():
    frame = pd.DataFrame({"bin": ["1"]})
    data = public.PublicData(indicators=frame, diseases=frame, targets=frame, official=frame)
    with pytest.raises(public.PublicDataError, match="public table indicators has identifying columns bin"):
        public.check_public(data)


def test_disease_cells_from_one_or_two_enterprises_are_hidden():
    rows = []
    for region, counts in {"35": (30, 20, 10, 5, 1), "63": (25, 15, 8, 4, 2), "71": (3, 2, 0, 0, 0)}.items():
        for cause, cases in zip(("industrial_aerosols", "functional_overload", "physical", "chemical", "biological"), counts, strict=True):
            if cases:
                rows.append({"year": 2022, "region": region, "cause_group": cause, "cases": float(cases), "enterprises": 1.0 if cases <= 2 else 5.0})
    frame = pd.DataFrame(rows)
    nat = frame.groupby(["year", "cause_group"], as_index=False)[["cases", "enterprises"]].sum().assign(region="KZ")
    out = public.protect_diseases(pd.concat([frame, nat], ignore_index=True))
    status = out.set_index(["region", "cause_group"])["status"]
    assert status[("35", "biological")] == "confidential"
    assert status[("71", "functional_overload")] == "confidential"
    assert out.loc[out["status"] == "confidential", "cases"].isna().all()
    # independent check with the region totals known (they are published in the indicator table)
    regions, causes = ["35", "63", "71", "KZ"], sorted(set(frame["cause_group"]))
    mask = np.zeros((len(regions), len(causes) + 1), dtype=bool)
    for i, r in enumerate(regions):
        for j, c in enumerate(causes):
            mask[i, j] = status.get((r, c), "ok") == "confidential"
    assert not _determined(mask, np.ones(mask.shape)).any()
