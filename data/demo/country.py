"""Generate the demo country: every input table, seeded and calibrated exactly to the official figures.

How the calibration is exact although counts are random (documented in docs/demo-data.md):
1. Enterprises, their size, activity and place are drawn; workers per region are then fixed by
   resizing each region's large enterprises, and the employment table (the denominators) is the
   enterprises' workforce scaled to each year's national total.
2. For 2022, target counts per region and per activity follow from the official rates and the
   generated denominators (e.g. Karaganda injured = 1.2 x workers / 1000, rounded); regions and
   activities without an official figure share the rest in proportion to a prior rate matrix.
   Non-fatal and fatal matrices (region x activity) are fitted to those margins by iterative
   proportional fitting and rounded with the margins kept exact (controlled rounding).
   Other years draw a multinomial over the fitted 2022 rates with the year's national total: the statistics
   bureau's published count where one exists (data/published/), else the path in data/demo/params.py.
3. Each cell's count is shared among its enterprises as a multinomial with weights
   workers x size effect x latent risk (x reporting propensity for non-fatal injuries): that is a
   Poisson process conditioned on the cell total, so small firms are noisy and the risk model has
   real signal, while every published total is hit exactly.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from data.codes import DISEASE_CAUSES, OKED_SECTIONS, SECTION_CODES
from data.demo import params as P  # noqa: N812 - the parameter sheet, read as P.NAME
from data.demo.conceal import plant
from geo.regions import REGION_CODES, SPLIT_YEAR, SPLITS

_R = len(REGION_CODES)
_REGION_INDEX = {code: i for i, code in enumerate(REGION_CODES)}
_SECTION_INDEX = {code: i for i, code in enumerate(SECTION_CODES)}
_PSEUDO_INDEX = {code: i for i, code in enumerate(P.PSEUDO)}
_SIZE_NAMES = np.array(["micro", "small", "medium", "large"])


class DemoError(RuntimeError):
    """The demo country cannot be generated with the requested parameters."""


@dataclass(frozen=True)
class DemoCountry:
    """The generated input tables (columns exactly as data.schemas) and the hidden truth."""

    seed: int
    scale: float
    enterprises: pd.DataFrame
    workplace_assessments: pd.DataFrame
    accidents: pd.DataFrame
    occupational_diseases: pd.DataFrame
    employment: pd.DataFrame
    inspections: pd.DataFrame
    insurance: pd.DataFrame
    osh_measures: pd.DataFrame
    truth: pd.DataFrame  # bin, latent_risk, expected_injuries_5y, expected_fatal_5y, desk_truth, desk_lookalike

    def tables(self) -> dict[str, pd.DataFrame]:
        """Input tables in loading order (references first)."""
        return {
            "enterprises": self.enterprises,
            "workplace_assessments": self.workplace_assessments,
            "accidents": self.accidents,
            "occupational_diseases": self.occupational_diseases,
            "employment": self.employment,
            "inspections": self.inspections,
            "insurance": self.insurance,
            "osh_measures": self.osh_measures,
        }


def _rng(seed: int, step: str) -> np.random.Generator:
    # One independent stream per step, so changing one step does not reshuffle the others.
    return np.random.default_rng([seed, *map(ord, step)])


def _weights(mapping: Mapping[str, float], keys: tuple[str, ...], default: float = 0.0) -> np.ndarray:
    return np.array([float(mapping.get(k, default)) for k in keys])


# --- integer helpers ------------------------------------------------------------------------------


def round_to_total(values: np.ndarray, total: int) -> np.ndarray:
    """Non-negative integers proportional to `values` that add up to `total` (largest remainder)."""
    values = np.clip(np.asarray(values, dtype=float), 0, None)
    if total <= 0 or values.sum() <= 0:
        return np.zeros(values.shape, dtype=np.int64)
    exact = values / values.sum() * total
    out = np.floor(exact).astype(np.int64)
    short = int(total - out.sum())
    if short > 0:
        order = np.argsort(-(exact - out), kind="stable")
        out[order[:short]] += 1
    return out


def ipf(prior: np.ndarray, rows: np.ndarray, cols: np.ndarray, *, iterations: int = 500) -> np.ndarray:
    """Iterative proportional fitting of a non-negative matrix to row and column totals."""
    m = prior.astype(float).copy()
    for _ in range(iterations):
        rs = m.sum(axis=1)
        m *= np.divide(rows, rs, out=np.zeros_like(rs), where=rs > 0)[:, None]
        cs = m.sum(axis=0)
        m *= np.divide(cols, cs, out=np.zeros_like(cs), where=cs > 0)[None, :]
        if np.abs(m.sum(axis=1) - rows).max() < 1e-6:
            break
    return m


def capped_ipf(prior: np.ndarray, rows: np.ndarray, cols: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """IPF in which no cell exceeds `cap`: cells that would are pinned at the cap and the rest refitted."""
    pinned = np.zeros(prior.shape, dtype=bool)
    fit = ipf(prior, rows, cols)
    for _ in range(50):
        over = ~pinned & (fit > cap)
        if not over.any():
            break
        pinned |= over
        fixed = np.where(pinned, cap, 0.0)
        free_fit = ipf(np.where(pinned, 0.0, prior), np.maximum(rows - fixed.sum(axis=1), 0),
                       np.maximum(cols - fixed.sum(axis=0), 0))
        fit = fixed + free_fit
    return fit


def controlled_round(m: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Round a real matrix to integers whose row and column sums are exactly `rows` and `cols`.
    Cells get floor(m); the remaining units go to the largest fractions where both the row and the
    column still lack units, then (rarely) wherever they fit, only in cells allowed by m > 0 if possible."""
    out = np.floor(m).astype(np.int64)
    need_r = rows.astype(np.int64) - out.sum(axis=1)
    need_c = cols.astype(np.int64) - out.sum(axis=0)
    frac = m - out
    for flat in np.argsort(-frac, axis=None, kind="stable"):
        i, j = divmod(int(flat), m.shape[1])
        if frac[i, j] <= 0:
            break
        if need_r[i] > 0 and need_c[j] > 0:
            out[i, j] += 1
            need_r[i] -= 1
            need_c[j] -= 1
    # an unreachable fit (infeasible margins at tiny scales) can overshoot: take units back first
    for axis_need, other_need, axis in ((need_r, need_c, 0), (need_c, need_r, 1)):
        for a in np.flatnonzero(axis_need < 0):
            while axis_need[a] < 0:
                line = out[a] if axis == 0 else out[:, a]
                b = int(np.argmax(line))
                if axis == 0:
                    out[a, b] -= 1
                else:
                    out[b, a] -= 1
                axis_need[a] += 1
                other_need[b] += 1
    allowed = m > 0
    while need_r.any():
        i = int(np.flatnonzero(need_r > 0)[0])
        wanted = np.flatnonzero(need_c > 0)
        fits = wanted[allowed[i, wanted]]
        if len(fits):
            j = int(fits[0])
            out[i, j] += 1
        else:
            # shift one unit along a path (i, k) +1, (i2, k) -1, (i2, j) +1
            path = next((p for p in (_shift_path(out, allowed, i, int(c)) for c in wanted) if p is not None), None)
            j = int(wanted[0])
            if path is not None:
                k, i2, j = path
                out[i, k] += 1
                out[i2, k] -= 1
                out[i2, j] += 1
            else:
                # a tiny country: keep the row total and let one column total give way
                out[i, int(np.argmax(np.where(allowed[i], m[i], -1)))] += 1
        need_r[i] -= 1
        need_c[j] -= 1
    return out


def _shift_path(out: np.ndarray, allowed: np.ndarray, i: int, j: int) -> tuple[int, int, int] | None:
    for k in np.flatnonzero(allowed[i]):
        donors = np.flatnonzero((out[:, k] > 0) & allowed[:, j])
        donors = donors[donors != i]
        if len(donors):
            return int(k), int(donors[0]), j
    return None


def fit_margins(prior: np.ndarray, fixed_rows: dict[int, int], fixed_cols: dict[int, int], total: int,
                *, free_row_weights: np.ndarray | None = None, free_col_weights: np.ndarray | None = None) -> np.ndarray:
    """An integer matrix near `prior` with the given fixed row/column totals and grand total; free
    rows/columns share the rest in proportion to their prior sums (or the given weights)."""
    rows = _margin(prior.sum(axis=1) if free_row_weights is None else free_row_weights, fixed_rows, total, "row")
    cols = _margin(prior.sum(axis=0) if free_col_weights is None else free_col_weights, fixed_cols, total, "column")
    return controlled_round(ipf(prior, rows.astype(float), cols.astype(float)), rows, cols)


def _margin(weights: np.ndarray, fixed: dict[int, int], total: int, what: str) -> np.ndarray:
    out = np.zeros(len(weights), dtype=np.int64)
    for i, v in fixed.items():
        out[i] = v
    rest = total - int(out.sum())
    free = np.array([i not in fixed for i in range(len(weights))])
    if rest < 0:
        raise DemoError(f"fixed {what} totals ({int(out.sum())}) exceed the national total {total}")
    out[free] = round_to_total(weights[free], rest)
    return out


# --- the country ------------------------------------------------------------------------------------


def _count(value: float, scale: float) -> int:
    return round(value * scale)


def generate(*, seed: int, scale: float = 1.0) -> DemoCountry:
    """The demo country for a seed at a fraction of the national scale (1.0 = ~400 000 enterprises)."""
    if not 0.001 <= scale <= 2.0:
        raise DemoError(f"scale must be between 0.001 and 2.0, got {scale}")
    ent = _enterprises(seed, scale)
    employment, workers = _employment(seed, scale, ent)
    victims, expected = _accidents_people(seed, scale, ent, workers, employment)
    accidents = _accident_records(seed, ent, victims)
    harmful = _harmful(seed, scale, employment)
    employment = employment.merge(harmful, on=["year", "region", "oked_section"], how="left")
    # other years grow the 2022 pattern with noise; a row never holds more harmful workers than workers
    employment["harmful_conditions"] = np.minimum(
        employment["harmful_conditions"].fillna(0).to_numpy(), employment["employees"].to_numpy()
    ).astype("int64")
    ent = _enterprise_harmful(seed, ent, employment)
    diseases = _diseases(seed, scale, ent)
    insurance = _insurance(seed, ent)
    assessments = _assessments(seed, ent)
    inspections = _inspections(seed, scale, ent)
    # the desk checks' planted truth (data/demo/conceal.py): withheld or lowered assessments, lapsed contracts
    planted = plant(seed=seed, years=P.YEARS, ent=ent, assessments=assessments, insurance=insurance,
                    accidents=accidents, diseases=diseases)
    assessments, insurance = planted.workplace_assessments, planted.insurance
    truth = pd.DataFrame(
        {
            "bin": ent["bin"].to_numpy(),
            "latent_risk": ent["latent"].to_numpy(),
            "expected_injuries_5y": expected[:, 0],
            "expected_fatal_5y": expected[:, 1],
        }
    ).merge(planted.truth, on="bin", how="left", validate="one_to_one")
    enterprises = ent[["bin", "name", "kato", "oked", "employees", "lat", "lon", "size_class", "active", "harmful_workers"]]
    employment = employment[["year", "region", "oked_section", "employees", "harmful_conditions"]]
    return DemoCountry(seed, scale, enterprises.reset_index(drop=True), assessments, accidents, diseases,
                       employment.reset_index(drop=True), inspections, insurance, planted.osh_measures, truth)


# --- enterprises --------------------------------------------------------------------------------------


def _bins(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct valid BINs: YYMM of registration, 4 (legal entity), 0 (head office), serial, check digit."""
    out: list[np.ndarray] = []
    have = 0
    while have < n:
        m = int((n - have) * 1.25) + 16
        yy = rng.integers(0, 24, m) + np.where(rng.random(m) < 0.25, 95, 100)
        yy = yy % 100
        mm = rng.integers(1, 13, m)
        serial = rng.integers(0, 100_000, m)
        digits = np.column_stack(
            [yy // 10, yy % 10, mm // 10, mm % 10, np.full(m, 4), np.full(m, 0),
             serial // 10_000, serial // 1000 % 10, serial // 100 % 10, serial // 10 % 10, serial % 10]
        ).astype(np.int64)
        c1 = (digits @ np.arange(1, 12)) % 11
        c2 = (digits @ np.array([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])) % 11
        check = np.where(c1 == 10, c2, c1)
        ok = check != 10
        full = np.column_stack([digits[ok], check[ok]])
        out.append(full)
        have += len(full)
    as_text = _digits_to_text(np.concatenate(out))
    keep = np.sort(np.unique(as_text, return_index=True)[1])
    if len(keep) < n:
        extra = _bins(rng, n - len(keep) + 8)
        merged = np.concatenate([as_text[keep], extra])
        return merged[np.sort(np.unique(merged, return_index=True)[1])][:n]
    return as_text[keep][:n]


def _digits_to_text(digits: np.ndarray) -> np.ndarray:
    raw = np.ascontiguousarray(digits.astype(np.uint8) + 48).tobytes()
    return np.frombuffer(raw, dtype="S12").astype(str)


def _size_sections(rng: np.random.Generator, n: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    n_large, n_medium, n_small = (max(1, _count(v, scale)) for v in (P.LARGE, P.MEDIUM, P.SMALL))
    n_micro = n - n_large - n_medium - n_small
    if n_micro <= 0:
        raise DemoError(f"scale {scale} is too small for a country")
    size = np.repeat(np.arange(4), [n_micro, n_small, n_medium, n_large])
    small_mix = _weights(P.SECTION_MIX_SMALL, SECTION_CODES)
    large_mix = _weights(P.SECTION_MIX_LARGE, SECTION_CODES)
    mixes = [small_mix, small_mix, (small_mix / small_mix.sum() + large_mix / large_mix.sum()), large_mix]
    section = np.empty(n, dtype=np.int64)
    for k, mix in enumerate(mixes):
        idx = np.flatnonzero(size == k)
        # exact proportions, shuffled: a small country still has its few large mines and plants
        section[idx] = rng.permutation(np.repeat(np.arange(len(SECTION_CODES)), round_to_total(mix, len(idx))))
    return size, section


def _employees(rng: np.random.Generator, size: np.ndarray, section: np.ndarray) -> np.ndarray:
    n = len(size)
    emp = np.zeros(n, dtype=np.float64)
    k = np.arange(1, 16)
    pk = k ** -2.2
    micro = size == 0
    emp[micro] = rng.choice(k, size=int(micro.sum()), p=pk / pk.sum())
    small = size == 1
    emp[small] = np.floor(np.exp(rng.uniform(np.log(16), np.log(101), int(small.sum()))))
    medium = size == 2
    emp[medium] = rng.integers(101, 251, int(medium.sum()))
    large = size == 3
    factor = _weights(P.LARGE_SIZE_FACTOR, SECTION_CODES, 1.0)[section[large]]
    emp[large] = 251 + np.minimum(rng.lognormal(np.log(330), 1.0, int(large.sum())) * factor, 40_000)
    return np.round(emp).astype(np.int64)


def _divisions(rng: np.random.Generator, size: np.ndarray, section: np.ndarray) -> np.ndarray:
    div = np.empty(len(size), dtype=np.int64)
    for s_i, s in enumerate(SECTION_CODES):
        idx = np.flatnonzero(section == s_i)
        if not len(idx):
            continue
        options = np.array(OKED_SECTIONS[s])
        if s == "B":
            names = tuple(P.MINING_DIVISIONS)
            small_w = np.array([P.MINING_DIVISIONS[d][0] for d in names])
            large_w = np.array([P.MINING_DIVISIONS[d][1] for d in names])
            is_large = size[idx] >= 2
            pick = np.where(
                is_large,
                rng.choice(len(names), size=len(idx), p=large_w / large_w.sum()),
                rng.choice(len(names), size=len(idx), p=small_w / small_w.sum()),
            )
            div[idx] = np.array([int(d) for d in names])[pick]
        else:
            div[idx] = rng.choice(options, size=len(idx))
    return div


def _enterprises(seed: int, scale: float) -> pd.DataFrame:
    from geo.gazetteer import settlements

    rng = _rng(seed, "enterprises")
    n = _count(P.ENTERPRISES, scale)
    size, section = _size_sections(rng, n, scale)
    emp = _employees(rng, size, section)
    div = _divisions(rng, size, section)
    pseudo = _pseudo_of(section, div)

    # region: regional weight x activity affinity
    base = _weights(P.REGION_WORKER_SHARE, REGION_CODES) * _weights(P.REGION_ENTERPRISE_BOOST, REGION_CODES, 1.0)
    group = np.full(n, "", dtype=object)
    group[np.isin(div, [5, 7])] = "orecoal"
    group[np.isin(div, [6, 9])] = "oilgas"
    sec_letters = np.array(SECTION_CODES)[section]
    region = np.empty(n, dtype=np.int64)
    keys = np.where(group != "", group, sec_letters)
    for key in np.unique(keys):
        idx = np.flatnonzero(keys == key)
        aff = P.AFFINITY.get(str(key), {})
        w = base * _weights(aff, REGION_CODES, aff.get("*", 1.0))
        # large plants follow the affinity more strongly than small firms
        region[idx] = rng.choice(_R, size=len(idx), p=w / w.sum())

    emp = _fit_workers(region, section, size, emp, scale)

    # settlement within the region: cities hold most enterprises; mines spread to small towns
    places = settlements()
    kato = np.empty(n, dtype=object)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    place_reg = places["region"].to_numpy()
    for r_i, r in enumerate(REGION_CODES):
        idx = np.flatnonzero(region == r_i)
        if not len(idx):
            continue
        sub = places[place_reg == r].reset_index(drop=True)
        if sub.empty:
            raise DemoError(f"the gazetteer has no settlement in region {r}")
        pop = sub["population"].to_numpy(dtype=float)
        mining = group[idx] != ""
        choice = np.empty(len(idx), dtype=np.int64)
        for flag, power in ((False, 1.1), (True, 0.3)):
            sel = np.flatnonzero(mining == flag)
            w = np.maximum(pop, 500) ** power
            choice[sel] = rng.choice(len(sub), size=len(sel), p=w / w.sum())
        is_city = (sub["kind"].to_numpy() == "city")[choice]
        city_district = np.where(is_city, rng.integers(1, 5, len(idx)), 0)
        district = 10 + choice
        kato[idx] = r + _TWO_DIGITS[district] + _DIGITS[city_district] + "0000"
        spread = np.where(is_city, 0.045, 0.012)
        lat[idx], lon[idx] = _jitter_inside(
            rng, code=r, lat0=sub["lat"].to_numpy()[choice], lon0=sub["lon"].to_numpy()[choice], spread=spread
        )
    missing = rng.random(n) < P.NO_COORDINATES_SHARE
    lat[missing] = np.nan
    lon[missing] = np.nan

    latent = np.exp(rng.normal(0, P.LATENT_SIGMA, n) - P.LATENT_SIGMA**2 / 2)
    oked = _oked_codes(div, rng.integers(1, 10, n), rng.choice([0, 0, 0, 1, 2, 9], n))
    names = _names(rng, n)
    frame = pd.DataFrame(
        {
            "bin": _bins(rng, n),
            "name": names,
            "kato": kato.astype(str),
            "oked": oked,
            "employees": emp,
            "lat": np.round(lat, 5),
            "lon": np.round(lon, 5),
            "size_class": _SIZE_NAMES[_size_index(emp)],
            "active": True,
            "region": np.array(REGION_CODES)[region],
            "section": sec_letters,
            "pseudo": np.array(P.PSEUDO)[pseudo],
            "size_i": _size_index(emp),
            "latent": latent,
        }
    )
    # a stable, shuffled order so the file is not sorted by size
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


_DIGITS = np.array([str(i) for i in range(10)], dtype=object)
_TWO_DIGITS = np.array([f"{i:02d}" for i in range(100)], dtype=object)


def _jitter_inside(
    rng: np.random.Generator, *, code: str, lat0: np.ndarray, lon0: np.ndarray, spread: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Scatter enterprises around their settlement, redrawing (with a halved spread) any point the
    scatter put outside its own region (small city regions, the Caspian coast); a point still outside
    after a few tries sits at the settlement itself. Real registers have clean and dirty coordinates;
    the demo keeps its coordinates clean so the join report shows only deliberate problems."""
    from geo.join import point_regions

    boundaries = _embedded_boundaries()
    lat = lat0.copy()
    lon = lon0.copy()
    todo = np.arange(len(lat0))
    scale = spread.astype(float).copy()
    for _ in range(6):
        if not len(todo):
            break
        lat[todo] = lat0[todo] + rng.normal(0, 1, len(todo)) * scale[todo]
        lon[todo] = lon0[todo] + rng.normal(0, 1, len(todo)) * scale[todo] * 1.4
        inside = point_regions(lon[todo], lat[todo], boundaries=boundaries) == code
        todo = todo[~inside]
        scale[todo] /= 2
    lat[todo] = lat0[todo]
    lon[todo] = lon0[todo]
    return lat, lon


@functools.lru_cache(maxsize=1)
def _embedded_boundaries() -> gpd.GeoDataFrame:
    # The embedded layer, not ENBEK_BOUNDARIES: the demo country must not depend on a deployment's file.
    from geo.boundaries import EMBEDDED_LAYER, load_boundaries

    return load_boundaries(EMBEDDED_LAYER)


def _oked_codes(div: np.ndarray, group: np.ndarray, cls: np.ndarray) -> np.ndarray:
    """OKED class codes NN.GC (object array), built from lookup tables instead of per-row formatting."""
    return _TWO_DIGITS[div] + "." + _DIGITS[group] + _DIGITS[cls]


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Plausible registered names: legal form and two stems, sometimes a number."""
    a = np.array(P.NAME_WORDS_A, dtype=object)[rng.integers(0, len(P.NAME_WORDS_A), n)]
    b_words = np.array(P.NAME_WORDS_B, dtype=object)
    b_idx = rng.integers(0, len(P.NAME_WORDS_B), n)
    joined = rng.random(n) < 0.67
    b = np.where(joined, np.array([w.lower() for w in P.NAME_WORDS_B], dtype=object)[b_idx], " " + b_words[b_idx])
    form = np.array(P.NAME_FORMS, dtype=object)[rng.integers(0, len(P.NAME_FORMS), n)]
    number = rng.integers(0, 100, n)
    suffix = np.where(number >= 60, "-" + _TWO_DIGITS[number], "")
    return form + " «" + a + b + suffix + "»"


def _size_index(emp: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array([15, 100, 250]), emp, side="left")


def _pseudo_of(section: np.ndarray, div: np.ndarray) -> np.ndarray:
    names = np.array(SECTION_CODES)[section]
    pseudo = np.array([_PSEUDO_INDEX.get(s, -1) for s in names])
    b = names == "B"
    pseudo[b] = np.where(np.isin(div[b], [5, 7]), _PSEUDO_INDEX["B1"], _PSEUDO_INDEX["B2"])
    return pseudo


def _fit_workers(region: np.ndarray, section: np.ndarray, size: np.ndarray, emp: np.ndarray, scale: float) -> np.ndarray:
    """Resize the large enterprises so each region holds its share of the register-year workforce and mining and
    manufacturing hold theirs (the harmful-condition and accident figures need those denominators)."""
    share = _weights(P.REGION_WORKER_SHARE, REGION_CODES)
    region_target = share / share.sum() * P.WORKERS[P.REGISTER_YEAR] * scale
    large = size == 3
    emp = emp.astype(float)
    n_sec = len(SECTION_CODES)
    cells = region * n_sec + section
    other = np.bincount(cells[~large], weights=emp[~large], minlength=_R * n_sec).reshape(_R, n_sec)
    have = np.bincount(cells[large], weights=emp[large], minlength=_R * n_sec).reshape(_R, n_sec)
    rows = np.maximum(region_target - other.sum(axis=1), 0)
    rows = np.where(have.sum(axis=1) > 0, rows, 0)
    fixed = {_SECTION_INDEX[s]: max(0.0, v * P.WORKERS[P.REGISTER_YEAR] * scale - other[:, _SECTION_INDEX[s]].sum())
             for s, v in P.SECTION_WORKER_SHARE.items()}
    fixed = {j: v for j, v in fixed.items() if have[:, j].sum() > 0}
    rest = rows.sum() - sum(fixed.values())
    free = np.array([j not in fixed for j in range(n_sec)])
    cols = np.zeros(n_sec)
    for j, v in fixed.items():
        cols[j] = v
    free_have = have.sum(axis=0) * free
    if rest > 0 and free_have.sum() > 0:
        cols[free] = free_have[free] / free_have.sum() * rest
    else:  # pragma: no cover - only at scales too small for any large enterprise
        cols = have.sum(axis=0) / max(have.sum(), 1) * rows.sum()
    fitted = ipf(have, rows, cols)
    factor = np.divide(fitted, have, out=np.ones_like(have), where=have > 0).ravel()
    emp[large] = np.maximum(251, emp[large] * factor[cells[large]])
    return np.round(emp).astype(np.int64)


# --- employment (denominators) ------------------------------------------------------------------------


def _year_region(codes: pd.Series | np.ndarray, year: int) -> np.ndarray:
    """Region codes as published in `year`: before the 2022 split the children report as their parent."""
    arr = np.asarray(codes, dtype=object)
    if year >= SPLIT_YEAR:
        return arr
    return np.array([SPLITS.get(c, c) for c in arr], dtype=object)


def _employment(seed: int, scale: float, ent: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, np.ndarray]]:
    """Employment by year x region x section, and workers by year as region x pseudo-section matrices."""
    rng = _rng(seed, "employment")
    cell = _REGION_INDEX_ARR(ent["region"]) * len(P.PSEUDO) + _PSEUDO_ARR(ent["pseudo"])
    base = np.bincount(cell, weights=ent["employees"].to_numpy(dtype=float), minlength=_R * len(P.PSEUDO))
    base = base.reshape(_R, len(P.PSEUDO))
    total = base.sum()
    workers: dict[int, np.ndarray] = {}
    frames = []
    for year in P.YEARS:
        drift = np.exp(rng.normal(0, 0.02, base.shape))
        w = base * drift
        w = w * (P.WORKERS[year] * scale / w.sum()) if total > 0 else w
        w = np.round(w)
        workers[year] = w
        by_section = _pseudo_to_sections(w)
        regions = np.repeat(np.array(REGION_CODES, dtype=object), len(SECTION_CODES))
        frame = pd.DataFrame(
            {
                "year": year,
                "region": _year_region(regions, year),
                "oked_section": np.tile(np.array(SECTION_CODES, dtype=object), _R),
                "employees": by_section.ravel().astype(np.int64),
            }
        )
        summed = frame.groupby(["year", "region", "oked_section"], as_index=False).agg(employees=("employees", "sum"))
        frames.append(summed[summed["employees"] > 0])
    employment = pd.concat(frames, ignore_index=True)
    return employment.astype({"region": "str", "oked_section": "str"}), workers


def _REGION_INDEX_ARR(values: pd.Series) -> np.ndarray:  # noqa: N802 - reads like a lookup table
    return values.map(_REGION_INDEX).to_numpy(dtype=np.int64)


def _PSEUDO_ARR(values: pd.Series) -> np.ndarray:  # noqa: N802
    return values.map(_PSEUDO_INDEX).to_numpy(dtype=np.int64)


def _pseudo_to_sections(m: np.ndarray) -> np.ndarray:
    out = np.zeros((m.shape[0], len(SECTION_CODES)))
    for p, j in _PSEUDO_INDEX.items():
        out[:, _SECTION_INDEX[p[0]]] += m[:, j]
    return out


# --- accidents ----------------------------------------------------------------------------------------


def _quotas_2022(scale: float, workers: np.ndarray, employment: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Non-fatal and fatal counts, region x pseudo-section, hitting every 2022 figure exactly."""
    emp22 = employment[employment["year"] == P.CALIBRATION_YEAR]
    w_region = emp22.groupby("region")["employees"].sum().reindex(list(REGION_CODES), fill_value=0).to_numpy(float)
    w_section = emp22.groupby("oked_section")["employees"].sum().reindex(list(SECTION_CODES), fill_value=0).to_numpy(float)
    injured = _count(P.INJURED[2022], scale)
    fatal = _count(P.FATAL[2022], scale)
    rate = _weights(P.BASE_RATE, P.PSEUDO) / 1000
    prior = workers * rate[None, :] * _weights(P.REGION_RATE_FACTOR, REGION_CODES, 1.0)[:, None]

    # injured margins
    inj_rows = {_REGION_INDEX[r]: round(v[0] * w_region[_REGION_INDEX[r]] / 1000) for r, v in P.REGION_RATES.items()}
    b_total = round(P.SECTION_RATES["B"][0] * w_section[_SECTION_INDEX["B"]] / 1000)
    b1 = min(b_total, round(P.ORECOAL_SHARE[0] * injured))
    inj_cols = {
        _PSEUDO_INDEX["B1"]: b1,
        _PSEUDO_INDEX["B2"]: b_total - b1,
        _PSEUDO_INDEX["C"]: round(P.SECTION_RATES["C"][0] * w_section[_SECTION_INDEX["C"]] / 1000),
    }
    inj_r = _margin(prior.sum(axis=1), inj_rows, injured, "row")
    inj_c = _margin(prior.sum(axis=0), inj_cols, injured, "column")

    # fatal margins: rates where printed, hidden-injury ratios where printed, the rest pro rata
    fat_rows = {_REGION_INDEX[r]: round(v[1] * w_region[_REGION_INDEX[r]] / 1000) for r, v in P.REGION_RATES.items()}
    for r, ratio in P.REGION_RATIOS.items():
        fat_rows[_REGION_INDEX[r]] = round(inj_r[_REGION_INDEX[r]] / (ratio + 1))
    # mining's deaths follow its hidden ratio (21:1) over the whole section; ore and coal take their printed share
    fb = round(b_total / (P.SECTION_RATIOS["B"] + 1))
    fb1 = min(fb, round(P.ORECOAL_SHARE[1] * fatal))
    fat_cols = {_PSEUDO_INDEX["B1"]: fb1, _PSEUDO_INDEX["B2"]: fb - fb1}
    for s, ratio in P.SECTION_RATIOS.items():
        if s in _PSEUDO_INDEX:
            fat_cols[_PSEUDO_INDEX[s]] = round(inj_c[_PSEUDO_INDEX[s]] / (ratio + 1))
    fat_r = _margin(inj_r.astype(float), fat_rows, fatal, "row")
    fat_c = _margin(inj_c.astype(float), fat_cols, fatal, "column")
    fat_r = np.minimum(fat_r, inj_r)  # guard for tiny scales; margins are re-balanced below
    fat_c = np.minimum(fat_c, inj_c)
    fat_r, fat_c = _balance(fat_r, fat_c)

    share = _weights(P.BASE_FATAL_SHARE, P.PSEUDO, 0.08)
    f_mat = controlled_round(ipf(prior * share[None, :], fat_r.astype(float), fat_c.astype(float)), fat_r, fat_c)
    nf_r, nf_c = inj_r - fat_r, inj_c - fat_c
    nf_mat = controlled_round(ipf(prior * (1 - share)[None, :], nf_r.astype(float), nf_c.astype(float)), nf_r, nf_c)
    return nf_mat, f_mat


def _balance(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Make two integer margins add up to the same total by trimming the larger one's largest entries."""
    rows, cols = rows.copy(), cols.copy()
    while rows.sum() != cols.sum():
        bigger = rows if rows.sum() > cols.sum() else cols
        bigger[int(np.argmax(bigger))] -= 1
    return rows, cols


def _accidents_people(seed: int, scale: float, ent: pd.DataFrame, workers: dict[int, np.ndarray],
                      employment: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per injured person: year, enterprise position, fatal flag. Also expected counts per
    enterprise over the five years (injured, fatal) for the truth table."""
    rng = _rng(seed, "accidents")
    nf22, f22 = _quotas_2022(scale, workers[2022], employment)
    w22 = workers[2022]
    rate_nf = np.divide(nf22, w22, out=np.zeros_like(w22), where=w22 > 0)
    rate_f = np.divide(f22, w22, out=np.zeros_like(w22), where=w22 > 0)

    n_cells = _R * len(P.PSEUDO)
    cell = _REGION_INDEX_ARR(ent["region"]) * len(P.PSEUDO) + _PSEUDO_ARR(ent["pseudo"])
    size_i = ent["size_i"].to_numpy()
    base_w = ent["employees"].to_numpy(float) * _weights(P.SIZE_RISK, tuple(_SIZE_NAMES))[size_i] * ent["latent"].to_numpy()
    w_fatal = base_w * np.sqrt(ent["latent"].to_numpy())
    w_nonfatal = base_w * _weights(P.SIZE_REPORTING, tuple(_SIZE_NAMES))[size_i]
    expected = np.zeros((len(ent), 2))

    people = []
    for year in P.YEARS:
        if year == P.CALIBRATION_YEAR:
            q_nf, q_f = nf22.ravel(), f22.ravel()
        else:
            trend = np.exp(rng.normal(0, 0.08, w22.shape))
            p_nf = (workers[year] * rate_nf * trend).ravel()
            p_f = (workers[year] * rate_f * trend).ravel()
            total_f = _count(P.FATAL[year], scale)
            total_nf = _count(P.INJURED[year], scale) - total_f
            q_nf = rng.multinomial(total_nf, p_nf / p_nf.sum()) if p_nf.sum() > 0 else np.zeros(n_cells, np.int64)
            q_f = rng.multinomial(total_f, p_f / p_f.sum()) if p_f.sum() > 0 else np.zeros(n_cells, np.int64)
        for fatal_flag, quota, weights in ((0, q_nf, w_nonfatal), (1, q_f, w_fatal)):
            pos = _allocate(rng, cell, weights, quota, n_cells)
            cell_w = np.bincount(cell, weights=weights, minlength=n_cells)
            share = np.divide(quota[cell], cell_w[cell], out=np.zeros(len(ent)), where=cell_w[cell] > 0)
            expected[:, 0] += weights * share
            if fatal_flag:
                expected[:, 1] += weights * share
            people.append(pd.DataFrame({"year": year, "pos": pos, "fatal": fatal_flag}))
    return pd.concat(people, ignore_index=True), expected


def _allocate(rng: np.random.Generator, cell: np.ndarray, weights: np.ndarray, quota: np.ndarray,
              n_cells: int) -> np.ndarray:
    """Positions of enterprises drawing each unit of `quota[cell]` with probability proportional to weight
    within the cell (one categorical draw per unit, vectorised with a cumulative sum)."""
    order = np.argsort(cell, kind="stable")
    sorted_cell = cell[order]
    cw = np.cumsum(weights[order])
    start = np.searchsorted(sorted_cell, np.arange(n_cells), side="left")
    end = np.searchsorted(sorted_cell, np.arange(n_cells), side="right")
    lo = np.where(start > 0, cw[np.maximum(start - 1, 0)], 0.0)
    hi = np.where(end > 0, cw[np.maximum(end - 1, 0)], 0.0)
    if np.any((quota > 0) & (hi <= lo)):
        bad = int(np.flatnonzero((quota > 0) & (hi <= lo))[0])
        raise DemoError(f"no enterprise can take the {int(quota[bad])} accidents of cell {bad}")
    unit_cell = np.repeat(np.arange(n_cells), quota)
    u = lo[unit_cell] + rng.random(len(unit_cell)) * (hi[unit_cell] - lo[unit_cell])
    idx = np.searchsorted(cw, u, side="right")
    idx = np.clip(idx, start[unit_cell], end[unit_cell] - 1)
    return order[idx]


def _accident_records(seed: int, ent: pd.DataFrame, victims: pd.DataFrame) -> pd.DataFrame:
    """Turn injured people into accident acts; in industry, several victims of one enterprise and
    year sometimes share one group accident."""
    rng = _rng(seed, "accident-records")
    v = victims.sort_values(["year", "pos", "fatal"], kind="stable").reset_index(drop=True)
    key = v["year"].to_numpy() * 10_000_000 + v["pos"].to_numpy()
    same = pd.Series(key)
    rank = same.groupby(key).cumcount().to_numpy()
    size = same.map(same.value_counts()).to_numpy()
    section = ent["section"].to_numpy()[v["pos"].to_numpy()]
    industrial = np.isin(section, P.GROUP_SECTIONS)
    # one draw per enterprise-year decides whether its victims were hurt together
    draw = pd.Series(rng.random(len(v))).groupby(key).transform("first").to_numpy()
    # group accidents average about 4 victims (line 163); Karaganda's many single-victim mine
    # accidents keep its share of group accidents near the printed 13 % (line 162)
    region = ent["region"].to_numpy()[v["pos"].to_numpy()]
    p_group = np.where(region == "35", 0.12, 0.45)
    grouped = industrial & (size >= 3) & (draw < p_group)
    chunk = np.where(grouped, rank // 7, 100 + rank)
    acc_key = pd.DataFrame({"k": key, "c": chunk})
    acc_no = acc_key.groupby(["k", "c"], sort=False).ngroup().to_numpy()
    v = v.assign(acc=acc_no)
    acc = v.groupby("acc", sort=True).agg(year=("year", "first"), pos=("pos", "first"), injured=("fatal", "size"),
                                          fatal=("fatal", "sum"))
    n = len(acc)
    years = acc["year"].to_numpy()
    day = rng.integers(0, 365, n)
    dates = pd.to_datetime(years.astype(str), format="%Y") + pd.to_timedelta(day, unit="D")
    pos = acc["pos"].to_numpy()
    kato = ent["kato"].to_numpy()[pos]
    region = ent["region"].to_numpy()[pos]
    kato_year = np.array(
        [
            _pre_split_kato(k) if (y < SPLIT_YEAR and r in SPLITS) else k
            for k, r, y in zip(kato, region, years, strict=True)
        ],
        dtype=object,
    )
    seq = pd.Series(years).groupby(years).cumcount().to_numpy() + 1
    causes = np.array(P.ACCIDENT_CAUSES, dtype=object)[rng.integers(0, len(P.ACCIDENT_CAUSES), n)]
    frame = pd.DataFrame(
        {
            "accident_id": [f"N1-{y}-{s:06d}" for y, s in zip(years, seq, strict=True)],
            "date": dates.strftime("%Y-%m-%d"),
            "bin": ent["bin"].to_numpy()[pos],
            "kato": kato_year.astype(str),
            "oked": ent["oked"].to_numpy()[pos],
            "injured": acc["injured"].to_numpy().astype(np.int64),
            "fatal": acc["fatal"].to_numpy().astype(np.int64),
            "group_accident": acc["injured"].to_numpy() >= 2,
            "cause": causes,
        }
    )
    return frame.sort_values("accident_id", kind="stable").reset_index(drop=True)


def _pre_split_kato(kato: str) -> str:
    """The KATO code an enterprise of a 2022 region had before the split: the parent's prefix and a
    district number above the parent's own (children's districts were renumbered at the split)."""
    return SPLITS[kato[:2]] + f"{int(kato[2:4]) + 50:02d}" + kato[4:]


# --- harmful conditions ----------------------------------------------------------------------------


def _harmful(seed: int, scale: float, employment: pd.DataFrame) -> pd.DataFrame:
    """Workers in harmful conditions by year x region x section; 2022 fitted to the official shares."""
    emp22 = employment[employment["year"] == P.CALIBRATION_YEAR]
    w = (
        emp22.pivot_table(index="region", columns="oked_section", values="employees", aggfunc="sum")
        .reindex(index=list(REGION_CODES), columns=list(SECTION_CODES))
        .fillna(0)
        .to_numpy(float)
    )
    total = _count(P.HARMFUL_2022, scale)
    prior = w * _weights(P.HARMFUL_PRIOR, SECTION_CODES, P.HARMFUL_PRIOR_OTHER)[None, :]
    rows = {_REGION_INDEX[r]: round(s * total) for r, s in P.HARMFUL_REGION_SHARES.items()}
    cols = {_SECTION_INDEX[s]: round(v * total) for s, v in P.HARMFUL_SECTION_SHARES.items()}
    row_m = _margin(prior.sum(axis=1), rows, total, "row")
    col_m = _margin(prior.sum(axis=0), cols, total, "column")
    fitted = capped_ipf(prior, row_m.astype(float), col_m.astype(float), w)
    # the caps may leave the margins a little short: round the cells to the national total instead
    h22 = _cap(round_to_total(fitted.ravel(), total).reshape(fitted.shape), w)
    rng = _rng(seed, "harmful")
    frames = []
    for year in P.YEARS:
        if year == P.CALIBRATION_YEAR:
            hy = h22
        else:
            growth = P.HARMFUL_GROWTH ** (year - P.CALIBRATION_YEAR)
            noise = np.exp(rng.normal(0, 0.03, h22.shape))
            hy = np.round(h22 * growth * noise)
        regions = np.repeat(np.array(REGION_CODES, dtype=object), len(SECTION_CODES))
        frame = pd.DataFrame(
            {
                "year": year,
                "region": _year_region(regions, year),
                "oked_section": np.tile(np.array(SECTION_CODES, dtype=object), _R),
                "harmful_conditions": hy.ravel().astype(np.int64),
            }
        )
        frames.append(frame.groupby(["year", "region", "oked_section"], as_index=False).agg(
            harmful_conditions=("harmful_conditions", "sum")))
    return pd.concat(frames, ignore_index=True).astype({"region": "str", "oked_section": "str"})


def _cap(h: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Cap each cell at its workers and move the excess to other regions of the same section that have room."""
    h = h.copy()
    for j in range(h.shape[1]):
        excess = int(np.maximum(h[:, j] - w[:, j], 0).sum())
        if not excess:
            continue
        h[:, j] = np.minimum(h[:, j], w[:, j])
        room = np.maximum(w[:, j] - h[:, j], 0)
        add = round_to_total(room, min(excess, int(room.sum())))
        h[:, j] += np.minimum(add, room.astype(np.int64))
    return h


def _enterprise_harmful(seed: int, ent: pd.DataFrame, employment: pd.DataFrame) -> pd.DataFrame:
    """Each enterprise's harmful-condition workers: its cell's 2024 total shared by workforce x latent risk."""
    cells = employment[employment["year"] == P.YEARS[-1]].set_index(["region", "oked_section"])
    share = (cells["harmful_conditions"] / cells["employees"]).clip(0, 1)
    key = pd.MultiIndex.from_arrays([ent["region"], ent["section"]])
    cell_share = share.reindex(key).fillna(0).to_numpy()
    rng = _rng(seed, "enterprise-harmful")
    tilt = ent["latent"].to_numpy() ** 0.7 * np.exp(rng.normal(0, 0.2, len(ent)))
    tilt = tilt / tilt.mean()
    hw = np.floor(np.clip(cell_share * tilt, 0, 1) * ent["employees"].to_numpy())
    return ent.assign(harmful_workers=hw.astype(np.int64))


# --- occupational diseases ------------------------------------------------------------------------------


def _diseases(seed: int, scale: float, ent: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(seed, "diseases")
    region_share = _weights(P.DISEASE_REGION_SHARES, REGION_CODES)
    sector_factor = _weights({"B": 6.0, "C": 2.0, "D": 1.0, "H": 0.3, "F": 0.3}, SECTION_CODES, 0.02)
    weight = (ent["harmful_workers"].to_numpy(float) + 0.05 * ent["employees"].to_numpy(float)) \
        * sector_factor[ent["section"].map(_SECTION_INDEX).to_numpy()] * ent["latent"].to_numpy()
    region_i = _REGION_INDEX_ARR(ent["region"])
    causes = np.array(DISEASE_CAUSES, dtype=object)
    cause_w = np.array([P.DISEASE_CAUSE_SHARES[c] for c in DISEASE_CAUSES])
    rows = []
    for year in P.YEARS:
        total = _count(P.DISEASES[year], scale)
        if year == P.CALIBRATION_YEAR:
            by_region = round_to_total(region_share, total)
        else:
            by_region = rng.multinomial(total, region_share / region_share.sum())
        pos = _allocate(rng, region_i, weight, by_region, _R)
        cause_counts = round_to_total(cause_w, len(pos))
        cause = rng.permutation(np.repeat(causes, cause_counts))
        rows.append(pd.DataFrame({"year": year, "pos": pos, "cause_group": cause}))
    cases = pd.concat(rows, ignore_index=True)
    agg = cases.groupby(["year", "pos", "cause_group"], as_index=False).size().rename(columns={"size": "cases"})
    pos = agg["pos"].to_numpy()
    years = agg["year"].to_numpy()
    region = ent["region"].to_numpy()[pos]
    region_year = np.array([SPLITS.get(r, r) if y < SPLIT_YEAR else r for r, y in zip(region, years, strict=True)], dtype=object)
    return pd.DataFrame(
        {
            "year": years.astype(np.int64),
            "bin": ent["bin"].to_numpy()[pos],
            "region": region_year.astype(str),
            "oked": ent["oked"].to_numpy()[pos],
            "cause_group": agg["cause_group"].astype(str).to_numpy(),
            "cases": agg["cases"].to_numpy().astype(np.int64),
        }
    ).sort_values(["year", "bin", "cause_group"], kind="stable").reset_index(drop=True)


# --- insurance, assessments, inspections ----------------------------------------------------------------


def _propensity(ent: pd.DataFrame, rng: np.random.Generator, *, size_weight: float, risk_weight: float) -> np.ndarray:
    size = np.log1p(ent["employees"].to_numpy(float))
    return size_weight * size + risk_weight * np.log(ent["latent"].to_numpy()) + rng.normal(0, 1, len(ent))


def _insurance(seed: int, ent: pd.DataFrame) -> pd.DataFrame:
    """ЖОМС contracts as insurers report them: a covered row for each enterprise and year with a
    contract, and a not-covered row when a contract of the previous year lapsed. No row means no
    contract (osh counts covered rows over active enterprises); this keeps the file at ~0.8 million
    rows instead of 2 million at national scale."""
    rng = _rng(seed, "insurance")
    key = _propensity(ent, rng, size_weight=0.6, risk_weight=-0.5)
    n = len(ent)
    bins = ent["bin"].to_numpy()
    frames = []
    before = np.zeros(n, dtype=bool)
    for year in P.YEARS:
        yearly = key + rng.normal(0, 0.25, n)
        k = round(P.INSURED_SHARE[year] * n)
        covered = np.zeros(n, dtype=bool)
        covered[np.argsort(-yearly, kind="stable")[:k]] = True
        rows = covered | (before & ~covered)
        frames.append(pd.DataFrame({"bin": bins[rows], "year": year, "covered": covered[rows]}))
        before = covered
    return pd.concat(frames, ignore_index=True)


def _class_from_score(score: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    return np.searchsorted(np.array(cuts), score, side="right")


def _assessments(seed: int, ent: pd.DataFrame) -> pd.DataFrame:
    """Workplace risk assessments (the five indicators) of the enterprises assessed so far; an
    enterprise is assessed once, in the year the coverage path reaches it."""
    rng = _rng(seed, "assessments")
    n = len(ent)
    key = _propensity(ent, rng, size_weight=0.5, risk_weight=0.0)
    order = np.argsort(-key, kind="stable")
    year_of = np.zeros(n, dtype=np.int64)
    done = 0
    for year in P.YEARS:
        upto = round(P.ASSESSED_SHARE[year] * n)
        year_of[order[done:upto]] = year
        done = max(done, upto)
    assessed = np.flatnonzero(year_of > 0)
    emp = ent["employees"].to_numpy()[assessed]
    # workplaces assessed: 1 for a firm of up to 3, 4 for about 100 workers, at most 12
    m = np.clip(1 + np.floor(np.log2(np.maximum(emp, 1)) / 2).astype(np.int64), 1, 12)
    pos = np.repeat(assessed, m)
    wp_rank = np.concatenate([np.arange(k) for k in m]) if len(m) else np.zeros(0, np.int64)
    m_rep = np.repeat(m, m)
    emp_rep = np.repeat(emp, m)
    workers = emp_rep // m_rep + (wp_rank < emp_rep % m_rep)
    workers = np.maximum(workers, 1)
    z = np.log(ent["latent"].to_numpy()[pos]) / P.LATENT_SIGMA  # standardised latent risk
    section = ent["section"].to_numpy()[pos]
    industrial = np.isin(section, ("B", "C", "D", "E", "F", "H")).astype(float)
    nrow = len(pos)
    harm = _class_from_score(0.8 * z + 1.2 * industrial + rng.normal(0, 1, nrow), (-0.5, 1.0, 1.6, 2.2, 2.8, 3.4))
    danger = 1 + _class_from_score(0.8 * z + 0.8 * industrial + rng.normal(0, 1, nrow), (0.0, 1.2, 2.2))
    equipment = 1 + _class_from_score(0.7 * z + 0.5 * industrial + rng.normal(0, 1, nrow), (0.2, 1.3, 2.3))
    morbidity = 1 + _class_from_score(0.6 * z + 0.6 * industrial + rng.normal(0, 1, nrow), (0.5, 1.5, 2.5))
    ppe = np.clip(100 / (1 + np.exp(-(2.2 - 0.9 * z + rng.normal(0, 0.8, nrow)))), 0, 100) * 1.05
    ppe = np.round(np.clip(ppe, 0, 100), 1)
    years = year_of[pos]
    dates = pd.to_datetime(years.astype(str), format="%Y") + pd.to_timedelta(
        np.repeat(rng.integers(0, 365, len(assessed)), m), unit="D"
    )
    harm_names = np.array(["1", "2", "3.1", "3.2", "3.3", "3.4", "4"], dtype=object)
    return pd.DataFrame(
        {
            "assessment_id": "KTB-" + pd.Series(years).astype(str).to_numpy(dtype=object) + "-"
            + pd.Series(np.arange(1, nrow + 1)).astype(str).str.zfill(7).to_numpy(dtype=object),
            "bin": ent["bin"].to_numpy()[pos],
            "workplace": np.array(P.WORKPLACES, dtype=object)[rng.integers(0, len(P.WORKPLACES), nrow)],
            "assessment_date": dates.strftime("%Y-%m-%d"),
            "workers": workers.astype(np.int64),
            "harmfulness_class": harm_names[harm],
            "danger_class": danger.astype(np.int64),
            "equipment_class": equipment.astype(np.int64),
            "ppe_provision_pct": ppe,
            "morbidity_class": morbidity.astype(np.int64),
            "assessor": np.array(P.ASSESSORS, dtype=object)[rng.integers(0, len(P.ASSESSORS), nrow)],
        }
    ).astype({"assessment_id": "str", "bin": "str", "workplace": "str", "assessment_date": "str",
              "harmfulness_class": "str", "assessor": "str"})


def _inspections(seed: int, scale: float, ent: pd.DataFrame) -> pd.DataFrame:
    """Risk-based state inspections; the OSH share of violations follows the Concept (28 % in 2022)."""
    rng = _rng(seed, "inspections")
    n = len(ent)
    latent = ent["latent"].to_numpy()
    weight = np.log1p(ent["employees"].to_numpy(float)) * latent
    frames = []
    for year in P.YEARS:
        k = max(1, _count(P.INSPECTIONS_PER_YEAR, scale))
        pos = rng.choice(n, size=k, replace=False, p=weight / weight.sum())
        violations = rng.poisson(0.8 + 2.5 * latent[pos])
        target = round(P.OSH_VIOLATION_SHARE[year] * violations.sum())
        osh = _exact_binomial(rng, violations, target)
        days = rng.integers(0, 365, k)
        dates = pd.to_datetime(str(year), format="%Y") + pd.to_timedelta(days, unit="D")
        frames.append(
            pd.DataFrame(
                {
                    "inspection_id": [f"GIT-{year}-{i:06d}" for i in range(1, k + 1)],
                    "bin": ent["bin"].to_numpy()[pos],
                    "date": dates.strftime("%Y-%m-%d"),
                    "violations": violations.astype(np.int64),
                    "osh_violations": osh.astype(np.int64),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).astype({"inspection_id": "str", "bin": "str", "date": "str"})


def _exact_binomial(rng: np.random.Generator, trials: np.ndarray, total: int) -> np.ndarray:
    """`total` successes spread over rows without exceeding each row's trials (hypergeometric draw)."""
    units = np.repeat(np.arange(len(trials)), trials)
    if total >= len(units):
        return trials.copy()
    chosen = rng.choice(len(units), size=total, replace=False)
    return np.bincount(units[chosen], minlength=len(trials))
