"""Validate raw text frames against a schema: typed values out, every failing row kept with its reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data import codes, series
from data.schemas import Column, RowRule, Schema
from geo.regions import RETIRED_CODES


class SchemaError(ValueError):
    """The columns of a file do not match the table's contract; nothing is loaded."""


@dataclass(frozen=True)
class Validated:
    clean: pd.DataFrame  # typed, schema columns, rows that passed; index = position in the raw frame
    errors: pd.DataFrame  # one row per (row position, column, reason): pos, column, value, reason


def _norm_header(name: str) -> str:
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def map_columns(schema: Schema, columns: list[str], *, source: str) -> dict[str, str]:
    """Map file headers to schema columns (by name or alias, case-insensitive); raise on missing ones."""
    by_norm: dict[str, str] = {}
    for col in schema.columns:
        by_norm[_norm_header(col.name)] = col.name
        for alias in col.aliases:
            by_norm[_norm_header(alias)] = col.name
    mapping: dict[str, str] = {}
    duplicated: list[str] = []
    for header in columns:
        target = by_norm.get(_norm_header(header))
        if target is None:
            continue
        if target in mapping.values():
            duplicated.append(header)
            continue
        mapping[header] = target
    if duplicated:
        raise SchemaError(f"{source}: column(s) {', '.join(duplicated)} repeat a column already present")
    present = set(mapping.values())
    missing = [c.name for c in schema.columns if c.required and c.name not in present]
    if missing:
        raise SchemaError(
            f"{source}: missing required column(s) {', '.join(missing)} for table {schema.table}; "
            f"found columns: {', '.join(map(str, columns)) or '(none)'}; "
            f"expected: {', '.join(c.name for c in schema.columns)}"
        )
    return mapping


# --- parsing by kind: each returns (typed values, bad mask, reason) --------------------------

Parsed = tuple[pd.Series, pd.Series, str]

_TRUE = {"true", "1", "yes", "y", "t", "да", "д", "иә", "ия", "+"}
_FALSE = {"false", "0", "no", "n", "f", "нет", "н", "жоқ", "-"}


def _numeric_text(s: pd.Series) -> pd.Series:
    # "1 234,5" (thin/no-break spaces and a decimal comma) -> "1234.5"; plain numbers skip the regex.
    if s.str.fullmatch(r"-?\d*\.?\d*").all():
        return s
    cleaned = s.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    return cleaned.str.replace(",", ".", regex=False)


def _parse_int(s: pd.Series, col: Column) -> Parsed:
    """Whole numbers within [min, max]; the per-row reason comes from _int_reasons."""
    num = pd.to_numeric(_numeric_text(s), errors="coerce")
    bad = num.isna() | (num != np.floor(num))
    lo = 0 if col.min is None else col.min
    bad |= num < lo
    if col.max is not None:
        bad |= num > col.max
    bad = bad.fillna(True).astype(bool)
    return num.where(~bad).round().astype("Int64"), bad, ""


def _parse_float(s: pd.Series, col: Column) -> Parsed:
    num = pd.to_numeric(_numeric_text(s), errors="coerce")
    bad = num.isna() | ~np.isfinite(num.fillna(0))
    return num.astype("Float64"), bad, "not a number"


def _parse_date(s: pd.Series, col: Column) -> Parsed:
    iso = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    iso_time = pd.to_datetime(s.str[:19], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    dotted = pd.to_datetime(s, format="%d.%m.%Y", errors="coerce")
    slashed = pd.to_datetime(s, format="%d/%m/%Y", errors="coerce")
    value = iso.fillna(iso_time).fillna(dotted).fillna(slashed)
    today = pd.Timestamp(dt.date.today()) + pd.Timedelta(days=1)
    bad = value.isna() | (value < pd.Timestamp("1990-01-01")) | (value > today)
    return value.dt.date.where(~bad), bad, "not a date (YYYY-MM-DD or DD.MM.YYYY) between 1990 and today"


def _parse_bool(s: pd.Series, col: Column) -> Parsed:
    low = s.str.lower()
    is_true = low.isin(_TRUE)
    is_false = low.isin(_FALSE)
    bad = ~(is_true | is_false)
    return pd.Series(np.where(is_true, True, False), index=s.index, dtype="boolean").where(~bad), bad, "not true/false (1/0, yes/no, да/нет, иә/жоқ)"


def _parse_bin(s: pd.Series, col: Column) -> Parsed:
    digits = s.str.replace(r"\.0$", "", regex=True)
    # Spreadsheets drop leading zeros of BINs stored as numbers; the check digit still guards them.
    padded = digits.where(~digits.str.fullmatch(r"\d{10,11}").fillna(False), digits.str.zfill(12))
    bad = ~codes.valid_bins(padded)
    return padded.where(~bad), bad, "BIN must be 12 digits with a valid check digit"


def _parse_kato(s: pd.Series, col: Column) -> Parsed:
    bad = ~codes.valid_katos(s)
    return s.where(~bad), bad, "KATO must be 9 digits starting with a known region code"


def _parse_region(s: pd.Series, col: Column) -> Parsed:
    text = s.str.upper().str.replace(r"^KZ-", "", regex=True)
    bad = ~codes.valid_region_codes(text)
    prefix = text.str[:2].replace(RETIRED_CODES)
    return prefix.where(~bad), bad, "region must be a 2-digit region code or a 9-digit KATO code of a known region"


def _parse_oked(s: pd.Series, col: Column) -> Parsed:
    norm = codes.normalise_oked(s)
    bad = ~codes.valid_okeds(norm)
    return norm.where(~bad), bad, "OKED code unknown (expected NN, NN.N, NN.NN or NN.NN.N of an existing division)"


def _parse_section(s: pd.Series, col: Column) -> Parsed:
    up = s.str.upper()
    bad = ~codes.valid_sections(up)
    return up.where(~bad), bad, "OKED section must be one letter A-U"


def _parse_text(s: pd.Series, col: Column) -> Parsed:
    return s, pd.Series(False, index=s.index), ""


def _parse_choice(s: pd.Series, col: Column) -> Parsed:
    norm = s.str.replace(",", ".", regex=False)
    lowered = norm.str.lower()
    choices = {c.lower(): c for c in col.choices}
    value = lowered.map(choices)
    bad = value.isna()
    return value.astype("string"), bad, "must be one of " + ", ".join(col.choices)


PARSERS: dict[str, Callable[[pd.Series, Column], Parsed]] = {
    "int": _parse_int,
    "year": _parse_int,
    "float": _parse_float,
    "date": _parse_date,
    "bool": _parse_bool,
    "bin": _parse_bin,
    "kato": _parse_kato,
    "region": _parse_region,
    "oked": _parse_oked,
    "section": _parse_section,
    "text": _parse_text,
    "choice": _parse_choice,
}


def _range_check(values: pd.Series, col: Column) -> tuple[pd.Series, str]:
    if col.kind != "float" or (col.min is None and col.max is None):
        return pd.Series(False, index=values.index), ""
    lo = -np.inf if col.min is None else col.min
    hi = np.inf if col.max is None else col.max
    out = values.notna() & ((values < lo) | (values > hi))
    return out.fillna(False).astype(bool), f"must be between {lo:g} and {hi:g}"


def _row_rule(rule: RowRule, frame: pd.DataFrame) -> pd.Series:
    """True where the row breaks the rule (rules are skipped where an operand is missing)."""
    a, b = rule.columns
    if rule.name in {"fatal_le_injured", "harmful_le_employees", "osh_le_violations"}:
        if a not in frame or b not in frame:
            return pd.Series(False, index=frame.index)
        return (frame[a] > frame[b]).fillna(False).astype(bool)
    if rule.name == "group_needs_two":
        if a not in frame:
            return pd.Series(False, index=frame.index)
        return (frame[a].fillna(False).astype(bool) & (frame[b] < 2)).fillna(False).astype(bool)
    if rule.name in {"bin_or_region", "injured_or_fatal"}:
        if a not in frame and b not in frame:
            return pd.Series(True, index=frame.index)
        missing_a = frame[a].isna() if a in frame else pd.Series(True, index=frame.index)
        missing_b = frame[b].isna() if b in frame else pd.Series(True, index=frame.index)
        return (missing_a & missing_b).astype(bool)
    raise KeyError(f"unknown row rule {rule.name!r}")


def _is_in(values: pd.Series, known: Collection[str] | pa.Array) -> pd.Series:
    """Membership through Arrow's hash join: pandas' isin on strings is ~10x slower at 400 000 BINs."""
    value_set = known if isinstance(known, pa.Array) else pa.array(list(known), type=pa.string())
    as_objects = values.astype(object).where(values.notna(), None).to_numpy()
    found = pc.is_in(pa.array(as_objects, type=pa.string()), value_set=value_set)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index).fillna(False).astype(bool)


_EMPTY_DTYPES = {"int": "Int64", "year": "Int64", "float": "Float64", "bool": "boolean", "date": "object"}


def validate(
    schema: Schema,
    raw: pd.DataFrame,
    *,
    source: str,
    known_refs: Mapping[str, Collection[str] | pa.Array] | None = None,
    rows: pd.Series | None = None,
) -> Validated:
    """Parse and check a frame of raw text cells. `known_refs` maps a reference target such as
    "enterprises.bin" to the identifiers that exist (in the store or in the same batch)."""
    mapping = map_columns(schema, list(raw.columns), source=source)
    text = raw.rename(columns=mapping)[list(mapping.values())]
    text = text.astype("string").fillna("").apply(lambda s: s.str.strip())
    index = text.index
    typed: dict[str, pd.Series] = {}
    problems: list[pd.DataFrame] = []

    def note(mask: pd.Series, column: str, reason: str | pd.Series) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            values = text[column][mask] if column in text else pd.Series("", index=index[mask])
            reasons = reason[mask] if isinstance(reason, pd.Series) else reason
            problems.append(pd.DataFrame({"pos": index[mask], "column": column, "value": values.to_numpy(), "reason": reasons}))

    for col in schema.columns:
        if col.name not in text:
            typed[col.name] = pd.Series(pd.NA, index=index, dtype=_EMPTY_DTYPES.get(col.kind, "string"))
            continue
        s = text[col.name]
        empty = s == ""
        values, bad, label = PARSERS[col.kind](s, col)
        reason: str | pd.Series = _int_reasons(values_raw=s, col=col) if col.kind in {"int", "year"} else label
        if col.nullable:
            bad = bad & ~empty
        else:
            note(empty, col.name, "required value is empty")
            bad = bad & ~empty
        note(bad, col.name, reason)
        rng, rng_reason = _range_check(values, col)
        note(rng & ~bad, col.name, rng_reason)
        typed[col.name] = values.where(~empty) if col.nullable else values

    clean = pd.DataFrame(typed, index=index)

    for rule in schema.row_rules:
        note(_row_rule(rule, clean), rule.columns[0], rule.reason)

    for column, target in schema.references.items():
        if known_refs is None or target not in known_refs or column not in text:
            continue
        present = clean[column].notna()
        missing = present & ~_is_in(clean[column], known_refs[target])
        note(missing, column, f"{column} not found in {target.split('.')[0]}")

    # Duplicate keys inside the batch, among rows that are otherwise valid: the first is kept,
    # later ones are rejected, naming the row they repeat.
    key = [k for k in schema.key if k in clean]
    if key:
        failed = {int(p) for frame in problems for p in frame["pos"]}
        candidates = clean[~clean.index.isin(list(failed))]
        dup = candidates.duplicated(subset=key, keep="first")
        if dup.any():
            first = candidates.index.to_series().groupby([candidates[k] for k in key], dropna=False).transform("min")
            shown = rows if rows is not None else pd.Series(range(1, len(clean) + 1), index=clean.index)
            first_row = pd.Series(shown.to_numpy()[first.to_numpy()], index=candidates.index).astype(str)
            note(dup.reindex(index, fill_value=False), key[0], ("duplicate key (" + ", ".join(key) + ") of row " + first_row).reindex(index))

    errors = (
        pd.concat(problems, ignore_index=True)
        if problems
        else pd.DataFrame({"pos": pd.Series(dtype="int64"), "column": pd.Series(dtype="str"), "value": pd.Series(dtype="str"), "reason": pd.Series(dtype="str")})
    )
    bad_pos = set(errors["pos"].tolist())
    keep = ~clean.index.isin(list(bad_pos))
    return Validated(clean=_finish(schema, clean[keep]), errors=errors.sort_values(["pos", "column"], kind="stable").reset_index(drop=True))


def _int_reasons(*, values_raw: pd.Series, col: Column) -> pd.Series:
    num = pd.to_numeric(_numeric_text(values_raw), errors="coerce")
    lo = 0 if col.min is None else col.min
    whole = num.notna() & (num == np.floor(num))
    if col.kind == "year":
        span = f"year must be a whole number between {col.min:g} and {col.max:g}"
        return pd.Series(span, index=values_raw.index)
    span = f"must be >= {lo:g}" if col.max is None else f"must be between {lo:g} and {col.max:g}"
    return pd.Series(np.where(whole, span, "not a whole number"), index=values_raw.index)


def _finish(schema: Schema, clean: pd.DataFrame) -> pd.DataFrame:
    """Fill derived defaults so stored rows are complete."""
    out = clean.copy()
    if schema.table == "enterprises":
        derived = codes.size_class_of(out["employees"].astype("float64"))
        out["size_class"] = out["size_class"].astype("string").fillna(derived)
        out["active"] = out["active"].astype("boolean").fillna(True)
    if schema.table == "accidents":
        out["group_accident"] = out["group_accident"].astype("boolean").fillna(out["injured"] >= 2)
    if schema.table in {"injury_counts", "disease_counts"}:
        # the series id, whatever name the release used for its source system (data.series)
        out["source"] = out["source"].map(series.normalise, na_action="ignore").astype("string")
    return out
