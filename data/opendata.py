"""The open-data bundle: the public tables as CSV + JSON, the regions as GeoJSON, a Frictionless datapackage.json.

`enbek publish` writes it next to the parquet files the public app reads (docs/open-data.md):

    <public dir>/opendata/datapackage.json        Data Package v1 ("data-package" profile), every schema inside
    <public dir>/opendata/data/<table>.csv|.json  one CSV and one JSON file per public table, same rows
    <public dir>/opendata/geo/regions-<basis>.geojson
    <public dir>/opendata.zip                     the same files in one archive (the app's download button)

Only the disclosure-controlled tables of osh.public (and the region reference) go in; a column is written only when
FIELDS describes it, so a column added to a public table is never published without a description, and the
identifying columns (osh.public.FORBIDDEN_COLUMNS) are refused outright. Every path inside the bundle is relative,
so the directory can be copied and served as static files. The output is a function of its inputs: the same
tables, boundaries and `created` give the same bytes (rows in key order, fixed number formatting, fixed zip stamps).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from data import series as series_registry
from geo.regions import codes_for_basis, region

if TYPE_CHECKING:
    import geopandas as gpd

    from osh.public import PublicData

BUNDLE_DIR = "opendata"
ARCHIVE = "opendata.zip"
DESCRIPTOR = "datapackage.json"
PACKAGE_NAME = "qauipsiz-enbek-osh-barometer"
# The tables' licence. The ministry may choose another open licence: change it here and in docs/open-data.md.
LICENSE: dict[str, str] = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
# Geometry is written with 6 decimals (about 0.1 m): enough for region outlines, and stable bytes.
COORD_DECIMALS = 6
# A fixed stamp for every zip entry, so the archive's bytes depend only on the files.
_ZIP_STAMP = (1980, 1, 1, 0, 0, 0)
# Table Schema's lexical forms of the infinities (a ratio's bound can be unbounded); JSON has no number for them.
_INF = {math.inf: "INF", -math.inf: "-INF"}
_FORMULA_START = frozenset("=+@\t\r")
# Text the project writes itself (data/official.py transcribes the Concept, e.g. a note "= 0.44 per 1000"): not checked.
_OWN_TEXT = frozenset({("official", "note")})

FieldType = Literal["string", "integer", "number"]


class OpenDataError(RuntimeError):
    """The bundle cannot be written as asked; the message names the table, column and row."""


@dataclass(frozen=True)
class Field:
    type: FieldType
    titles: Mapping[str, str]  # en, kk, ru
    description: str  # English; the kk/ru titles say what the column is, the description how it is defined
    constraints: Mapping[str, Any] | None = None


def _f(type_: FieldType, en: str, kk: str, ru: str, description: str, **constraints: Any) -> Field:
    return Field(type_, {"en": en, "kk": kk, "ru": ru}, description, constraints or None)


def _indicator_fields() -> dict[str, Field]:
    """The indicator columns: names and units from the registry (osh/registry.py), the one place they live."""
    from osh.registry import INDICATORS

    out: dict[str, Field] = {}
    for ind in INDICATORS.values():
        kind: FieldType = "number" if ind.kind in ("rate", "share", "ratio") else "integer"
        unit = ind.unit_text("en")
        if ind.kind == "share":
            unit = f"share 0..1 ({unit} / 100)"
        out[ind.id] = _f(kind, ind.name("en"), ind.name("kk"), ind.name("ru"), f"{ind.name('en')}, {unit}.")
        if ind.interval:
            lo, hi = ind.interval
            out[lo] = _f("number", f"{ind.name('en')}, lower 95 % bound", f"{ind.name('kk')}, 95 % аралықтың төменгі шегі",
                         f"{ind.name('ru')}, нижняя граница 95 % интервала",
                         f"Lower bound of the exact 95 % Poisson confidence interval of {ind.id}.")
            out[hi] = _f("number", f"{ind.name('en')}, upper 95 % bound", f"{ind.name('kk')}, 95 % аралықтың жоғарғы шегі",
                         f"{ind.name('ru')}, верхняя граница 95 % интервала",
                         f"Upper bound of the exact 95 % Poisson confidence interval of {ind.id}.")
    return out


def _measure_fields() -> dict[str, Field]:
    """The OSH-measure aggregate columns (osh.public.protect_measures): names and units from the registry too."""
    from osh.registry import MEASURE_INDICATORS

    out: dict[str, Field] = {}
    for ind in MEASURE_INDICATORS.values():
        kind: FieldType = "integer" if ind.kind == "count" else "number"
        unit = ind.unit_text("en")
        if ind.kind == "share":
            unit = f"share 0..1 ({unit} / 100)"
        out[ind.id] = _f(kind, ind.name("en"), ind.name("kk"), ind.name("ru"),
                         f"{ind.name('en')}, {unit}; over the enterprises that reported OSH measures for the year.")
    return out


_SERIES_TEXT = ("Official series the figures belong to: bns = Bureau of National Statistics, mlsp = Ministry of Labour "
                "and Social Protection (labour inspectorate). The two count different things: never add or compare "
                "figures of two series.")
_COMMON: dict[str, Field] = {
    "year": _f("integer", "Year", "Жыл", "Год", "Calendar year of the figures."),
    "basis": _f("string", "Territorial basis", "Аумақтық негіз", "Территориальная основа",
                "current: the 20 regions since June 2022; harmonised: 17 units, with Abai, Zhetisu and Ulytau merged "
                "back into East Kazakhstan, Almaty Region and Karaganda, comparable across the 2022 split.",
                enum=["current", "harmonised"]),
    "series": _f("string", "Official series", "Ресми қатар", "Официальный ряд", _SERIES_TEXT),
    "region": _f("string", "Region (KATO)", "Өңір (ҚАТО)", "Регион (КАТО)",
                 "Two-digit KATO code of the region (= ISO 3166-2:KZ numeric code), kept as text; KZ = the whole country.",
                 pattern=r"KZ|\d{2}"),
    "section": _f("string", "OKED section", "ЭҚЖЖ секциясы", "Секция ОКЭД",
                  "Section of the classifier of economic activities OKED (NACE Rev.2 based), A-U; ALL = all sections.",
                  pattern=r"[A-U]|ALL"),
    "enterprises": _f("integer", "Enterprises", "Кәсіпорындар", "Предприятия", "Active enterprises in the register."),
    "nonfatal": _f("integer", "Non-fatal injured", "Өліммен аяқталмаған жарақат алғандар", "Пострадавшие без смертельного исхода",
                   "Injured minus fatal."),
    "covered": _f("integer", "Units published", "Жарияланған бірліктер", "Опубликованные единицы",
                  "Where a total could not be derived: how many of the finer units it needs were published."),
    "cover_of": _f("integer", "Units needed", "Қажетті бірліктер", "Необходимые единицы",
                   "Where a total could not be derived: how many finer units the total needs."),
    "includes": _f("string", "Includes regions", "Құрамындағы өңірлер", "Включает регионы",
                   "KATO codes (comma-separated) of regions created in June 2022 whose territory this row covers."),
    "unit": _f("string", "Unit", "Өлшем бірлігі", "Единица измерения", "Unit of the value."),
}
_STATUS = ("Status", "Мәртебе", "Статус")
_TABLE_FIELDS: dict[str, dict[str, Field]] = {
    "indicators": {
        "status": _f("string", *_STATUS, "ok = published; confidential = withheld by disclosure control (values empty); "
                     "no_data = no source for the cell; not_existing = the region did not exist yet in that year.",
                     enum=["ok", "confidential", "no_data", "not_existing"]),
    },
    "diseases": {
        "cause_group": _f("string", "Cause group", "Себептер тобы", "Группа причин",
                          "Cause of the occupational disease, as grouped by the Safe Labour Concept.",
                          enum=["industrial_aerosols", "functional_overload", "physical", "chemical", "biological"]),
        "cases": _f("integer", "Cases", "Жағдайлар", "Случаи", "Occupational disease cases."),
        "status": _f("string", *_STATUS, "ok = published; confidential = withheld by disclosure control (cases empty).",
                     enum=["ok", "confidential"]),
    },
    "targets": {
        "indicator": _f("string", "Target indicator", "Нысаналы көрсеткіш", "Целевой индикатор",
                        "Target indicator of the Safe Labour Concept 2024-2030 (section 6)."),
        "plan": _f("number", "Plan", "Жоспар", "План", "Planned value (the Concept's; straight line between 2022 and 2030 "
                   "where it gives only those two)."),
        "actual": _f("number", "Actual", "Нақты мәні", "Фактическое значение", "Actual value, from the indicator table."),
        "gap": _f("number", "Difference from plan", "Жоспардан ауытқу", "Отклонение от плана", "actual - plan."),
        "actual_self": _f("number", "Self-assessment only, counted separately", "Тек өзін-өзі бағалау, бөлек есептеледі",
                          "Только самооценка, учитывается отдельно",
                          "Risk-assessment coverage only: the share of enterprises (%) whose only assessment is the "
                          "employer's express self-assessment; shown beside actual, never added to it, and not used "
                          "for gap or status. Empty for the other indicators."),
        "status": _f("string", *_STATUS, "on_track, at_risk (misses by at most 10 % or within the 95 % interval), "
                     "off_track, no_data, not_yet (a year after the latest data).",
                     enum=["on_track", "at_risk", "off_track", "no_data", "not_yet"]),
        "direction": _f("string", "Direction", "Бағыт", "Направление", "down = lower is better; up = higher is better.",
                        enum=["down", "up"]),
    },
    "official": {
        "figure": _f("string", "Figure", "Көрсеткіш", "Показатель", "Name of the official figure."),
        "year": _f("integer", "Year", "Жыл", "Год", "Year of the figure; empty when the text gives none."),
        "scope": _f("string", "Scope", "Қамту аясы", "Охват", "KZ, a region code, an OKED section or a country."),
        "value": _f("number", "Value", "Мәні", "Значение", "The value as printed in the source."),
        "source": _f("string", "Source", "Дереккөз", "Источник",
                     "Line of the Safe Labour Concept's text that prints the figure (seed/<file>:<line>)."),
        "note": _f("string", "Note", "Ескертпе", "Примечание", "What the source says about the figure."),
    },
    "gap": {
        "dimension": _f("string", "Breakdown", "Бөлініс", "Разрез", "region or sector.", enum=["region", "sector"]),
        "measure": _f("string", "Measure", "Өлшем", "Показатель", "Indicator column the units are ranked by."),
        "units": _f("integer", "Units ranked", "Саралған бірліктер", "Ранжированные единицы",
                    "Units (regions or sections) with a published rate."),
        "worst": _f("string", "Worst fifth", "Ең нашар бестен бір", "Худшая пятая часть",
                    "Codes (comma-separated) of the units in the fifth of the workers with the highest rates."),
        "best": _f("string", "Best fifth", "Ең жақсы бестен бір", "Лучшая пятая часть",
                   "Codes (comma-separated) of the units in the fifth of the workers with the lowest rates."),
        "worst_rate": _f("number", "Rate of the worst fifth", "Ең нашар бестен бірдің көрсеткіші", "Показатель худшей пятой части",
                         "Pooled rate of the worst fifth."),
        "best_rate": _f("number", "Rate of the best fifth", "Ең жақсы бестен бірдің көрсеткіші", "Показатель лучшей пятой части",
                        "Pooled rate of the best fifth."),
        "ratio": _f("number", "Gap (worst / best)", "Алшақтық (ең нашар / ең жақсы)", "Разрыв (худшие / лучшие)",
                    "worst_rate / best_rate."),
        "ratio_lo": _f("number", "Gap, lower 95 % bound", "Алшақтық, 95 % аралықтың төменгі шегі",
                       "Разрыв, нижняя граница 95 % интервала", "Lower bound of the exact 95 % interval of the ratio."),
        "ratio_hi": _f("number", "Gap, upper 95 % bound", "Алшақтық, 95 % аралықтың жоғарғы шегі",
                       "Разрыв, верхняя граница 95 % интервала", "Upper bound of the exact 95 % interval of the ratio."),
        "status": _f("string", *_STATUS, "ok = a gap could be computed; no_data = too few units or injured.",
                     enum=["ok", "no_data"]),
    },
    "measures": {
        "status": _f("string", *_STATUS, "ok = published; confidential = withheld by disclosure control (fewer than 5 "
                     "reporting enterprises, one of them with over 85 % of the workers, or hidden so that such a cell "
                     "cannot be derived; values empty); no_data = no report; not_existing = the region did not exist yet.",
                     enum=["ok", "confidential", "no_data", "not_existing"]),
    },
    "regions": {
        "region": _f("string", "Region (KATO)", "Өңір (ҚАТО)", "Регион (КАТО)",
                     "Two-digit KATO code of the region (= ISO 3166-2:KZ numeric code), kept as text.", pattern=r"\d{2}"),
        "iso": _f("string", "ISO 3166-2 code", "ISO 3166-2 коды", "Код ISO 3166-2", "KZ-<KATO code>."),
        "name_kk": _f("string", "Name in Kazakh", "Қазақша атауы", "Название на казахском", "Region name in Kazakh."),
        "name_ru": _f("string", "Name in Russian", "Орысша атауы", "Название на русском", "Region name in Russian."),
        "name_en": _f("string", "Name in English", "Ағылшынша атауы", "Название на английском", "Region name in English."),
        "kind": _f("string", "Kind", "Түрі", "Тип", "oblast (region) or city of republican significance.",
                   enum=["oblast", "city"]),
        "parent": _f("string", "Split from", "Бөлініп шыққан өңір", "Выделен из",
                     "KATO code of the region it was split from in June 2022 (current basis); empty otherwise."),
    },
}

# Table -> primary key (the rows are unique on it and sorted by it).
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "indicators": ("year", "basis", "series", "region", "section"),
    "diseases": ("year", "series", "region", "cause_group"),
    "targets": ("indicator", "year", "region", "series"),
    "official": ("figure", "year", "scope"),  # year is empty for undated figures (never all three)
    "gap": ("year", "series", "dimension", "measure"),
    "measures": ("year", "region", "section"),  # margins only: every region over ALL sections, every section over KZ
    "regions": ("basis", "region"),
}
TABLE_TITLES: dict[str, dict[str, str]] = {
    "indicators": {"en": "Indicators by year, region and OKED section", "kk": "Көрсеткіштер: жыл, өңір және ЭҚЖЖ секциясы бойынша",
                   "ru": "Показатели по годам, регионам и секциям ОКЭД"},
    "diseases": {"en": "Occupational disease cases by cause group", "kk": "Кәсіптік ауру жағдайлары себептер тобы бойынша",
                 "ru": "Случаи профзаболеваний по группам причин"},
    "targets": {"en": "Targets of the Safe Labour Concept: plan and actual",
                "kk": "Қауіпсіз еңбек тұжырымдамасының нысаналы көрсеткіштері: жоспар мен нақты",
                "ru": "Целевые индикаторы Концепции безопасного труда: план и факт"},
    "official": {"en": "Official figures of the Safe Labour Concept", "kk": "Қауіпсіз еңбек тұжырымдамасының ресми деректері",
                 "ru": "Официальные данные Концепции безопасного труда"},
    "gap": {"en": "Gap between the high- and low-risk fifths", "kk": "Жоғары және төмен тәуекелді бестен бірлер арасындағы алшақтық",
            "ru": "Разрыв между пятыми частями с высоким и низким риском"},
    "measures": {"en": "OSH measures of the reporting enterprises by region and by OKED section",
                 "kk": "Есеп берген кәсіпорындардың еңбекті қорғау шаралары өңірлер және ЭҚЖЖ секциялары бойынша",
                 "ru": "Меры охраны труда отчитавшихся предприятий по регионам и секциям ОКЭД"},
    "regions": {"en": "Regions (KATO codes and names)", "kk": "Өңірлер (ҚАТО кодтары мен атаулары)", "ru": "Регионы (коды КАТО и названия)"},
}
GEO_TITLES: dict[str, dict[str, str]] = {
    "current": {"en": "Region boundaries, 20 regions (since June 2022)", "kk": "Өңірлердің шекаралары, 20 өңір (2022 жылғы маусымнан бастап)",
                "ru": "Границы регионов, 20 регионов (с июня 2022 года)"},
    "harmonised": {"en": "Region boundaries, 17 units (before June 2022)", "kk": "Өңірлердің шекаралары, 17 бірлік (2022 жылғы маусымға дейін)",
                   "ru": "Границы регионов, 17 единиц (до июня 2022 года)"},
}
PACKAGE_TITLES: dict[str, str] = {
    "en": "Qauipsiz Enbek: OSH Barometer of Kazakhstan, open data",
    "kk": "Қауіпсіз еңбек: Қазақстанның еңбекті қорғау барометрі, ашық деректер",
    "ru": "Қауіпсіз еңбек: барометр охраны труда Казахстана, открытые данные",
}
DEMO_TITLES: dict[str, str] = {
    "en": "DEMO DATA: a synthetic country, not official statistics",
    "kk": "ДЕМО ДЕРЕКТЕР: жасанды ел, ресми статистика емес",
    "ru": "ДЕМО-ДАННЫЕ: синтетическая страна, не официальная статистика",
}
CONCEPT_SOURCE: dict[str, str] = {
    "title": "Safe Labour Concept of the Republic of Kazakhstan for 2024-2030 (Ministry of Labour and Social Protection "
             "of the Population); figures cited by line in the official table's source column",
}
SERIES_SOURCES: dict[str, dict[str, str]] = {
    "bns": {"title": "Bureau of National Statistics, Agency for Strategic Planning and Reforms: annual report on "
                     "work-related injuries and occupational diseases (series bns)", "path": "https://stat.gov.kz"},
    "mlsp": {"title": "Ministry of Labour and Social Protection of the Population, labour inspectorate: accidents "
                      "investigated at enterprises (series mlsp)", "path": "https://www.gov.kz/memleket/entities/enbek"},
}
AMCHARTS_LICENSE: dict[str, str] = {"name": "amCharts-free-linkware", "path": "geo/LICENSE-amcharts.md",
                                    "title": "amCharts free linkware licence (attribution: amcharts.com)"}


def field_spec(table: str, column: str) -> Field:
    """The description of one column of one table; OpenDataError when there is none (never published undescribed)."""
    spec = (_TABLE_FIELDS.get(table, {}).get(column) or _COMMON.get(column) or _indicator_fields().get(column)
            or _measure_fields().get(column))
    if spec is None:
        raise OpenDataError(
            f"public table {table!r}, column {column!r} has no description in data/opendata.py; describe it (type, "
            "kk/ru/en title, English description) before it can be published"
        )
    return spec


# --- the frames ----------------------------------------------------------------------------------------------


def regions_table() -> pd.DataFrame:
    """The region reference of both bases: code, ISO code, names kk/ru/en, kind, parent (current basis only)."""
    rows = []
    for basis in ("current", "harmonised"):
        for code in codes_for_basis(basis):
            r = region(code)
            rows.append({"basis": basis, "region": code, "iso": r.iso, "name_kk": r.kk, "name_ru": r.ru,
                         "name_en": r.en, "kind": r.kind, "parent": (r.parent or "") if basis == "current" else ""})
    return pd.DataFrame(rows)


def public_tables(data: PublicData) -> dict[str, pd.DataFrame]:
    """table name -> frame, the tables the bundle holds, in the order of the descriptor."""
    from osh.public import TABLES

    frames = {name: getattr(data, name) for name in TABLES}
    frames["regions"] = regions_table()
    return frames


def _check_identifying(table: str, columns: Sequence[str]) -> None:
    from osh.public import FORBIDDEN_COLUMNS

    bad = sorted(FORBIDDEN_COLUMNS & set(columns))
    if bad:
        raise OpenDataError(f"public table {table!r} has identifying column(s) {', '.join(bad)}: not published")


def _typed(table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Field]]:
    """The frame in key order with every column converted to its declared type (integers as Int64, numbers as
    float, strings as object with None for missing); a value that does not fit names its row and column."""
    _check_identifying(table, list(frame.columns))
    fields = [field_spec(table, c) for c in frame.columns]
    out = {}
    for column, spec in zip(frame.columns, fields, strict=True):
        values = frame[column]
        if spec.type == "string":
            text = pd.Series([None if _missing(v) or str(v) == "" else str(v) for v in values.tolist()],
                             index=frame.index, dtype=object)
            # A series id can come from a user's file (data.series keeps unknown names); a spreadsheet would run
            # a cell starting with these as a formula, and open data is not altered to defuse it: refuse.
            risky = text.map(lambda v: v is not None and v[:1] in _FORMULA_START)
            if (table, column) not in _OWN_TEXT and risky.any():
                pos = int(risky.to_numpy().nonzero()[0][0])
                raise OpenDataError(f"public table {table!r}, row {pos + 1}, column {column!r}: {text.iloc[pos]!r} "
                                    "starts like a spreadsheet formula; fix the source value")
            out[column] = text
            continue
        numbers = pd.to_numeric(values.astype(object).where(values.notna(), None), errors="coerce")
        bad = numbers.isna() & values.notna() & (values.astype(str) != "")
        if spec.type == "integer":
            # counts summed in floating point (harmonised totals) carry noise like 23.000000000000004: a count is an
            # integer when it is one to 1e-9 relative; anything further off is a real fraction and refused
            finite = numbers.where(numbers.abs() != math.inf)
            off = (finite - finite.round()).abs() > 1e-9 * finite.abs().clip(lower=1.0)
            bad |= numbers.notna() & (finite.isna() | off)
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            shown = values.iloc[pos]
            shown = shown.item() if hasattr(shown, "item") else shown  # 2.5, not np.float64(2.5)
            raise OpenDataError(f"public table {table!r}, row {pos + 1}, column {column!r}: {shown!r} "
                                f"is not {'an integer' if spec.type == 'integer' else 'a number'}")
        out[column] = numbers.round().astype("Int64") if spec.type == "integer" else numbers.astype(float)
    typed = pd.DataFrame(out, index=frame.index)
    key = [c for c in PRIMARY_KEYS[table] if c in typed.columns]
    typed = typed.sort_values(key, kind="mergesort", na_position="first").reset_index(drop=True)
    dup = typed.duplicated(key, keep=False)
    if dup.any():
        pos = int(dup.to_numpy().nonzero()[0][0])
        raise OpenDataError(f"public table {table!r}: primary key {', '.join(key)} repeats "
                            f"({', '.join(str(typed[k].iloc[pos]) for k in key)})")
    return typed, fields


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _cell_text(value: Any, kind: FieldType) -> str:
    if _missing(value):
        return ""
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        number = float(value)
        return _INF.get(number, repr(number))
    return str(value)


def _cell_json(value: Any, kind: FieldType) -> Any:
    if _missing(value):
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        number = float(value)
        return _INF.get(number, number)
    return str(value)


def _csv_bytes(frame: pd.DataFrame, fields: Sequence[Field]) -> bytes:
    """UTF-8 CSV without BOM, '\\n' line ends, minimal quoting; missing = empty cell; numbers unquoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    kinds = [f.type for f in fields]
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_cell_text(v, k) for v, k in zip(row, kinds, strict=True)])
    return buffer.getvalue().encode("utf-8")


def _json_bytes(frame: pd.DataFrame, fields: Sequence[Field]) -> bytes:
    """A JSON array of one object per row (keys in column order), one row per line; missing = null."""
    kinds = [f.type for f in fields]
    columns = list(frame.columns)
    lines = [
        json.dumps({c: _cell_json(v, k) for c, v, k in zip(columns, row, kinds, strict=True)}, ensure_ascii=False,
                   allow_nan=False)
        for row in frame.itertuples(index=False, name=None)
    ]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


def _round_coords(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)):
        if coords and isinstance(coords[0], (int, float)):
            return [round(float(c), COORD_DECIMALS) for c in coords]
        return [_round_coords(c) for c in coords]
    return coords


def _geojson_bytes(boundaries: gpd.GeoDataFrame, *, basis: str) -> bytes:
    """The regions of one basis as a GeoJSON FeatureCollection (EPSG:4326): properties region (KATO code, text),
    iso, name_kk, name_ru, name_en; features in code order, one per line."""
    import shapely.geometry

    from geo.boundaries import boundaries_for_basis

    layer = boundaries_for_basis(boundaries.to_crs("EPSG:4326"), basis=basis)
    by_code = dict(zip(layer["kato"].astype(str), layer.geometry, strict=True))
    expected = list(codes_for_basis(basis))  # type: ignore[arg-type]
    missing = [c for c in expected if c not in by_code]
    if missing:
        raise OpenDataError(f"the region boundaries lack the {basis} code(s) {', '.join(missing)}")
    features = []
    for code in expected:
        r = region(code)
        geometry = shapely.geometry.mapping(by_code[code])
        features.append(json.dumps({
            "type": "Feature",
            "properties": {"region": code, "iso": r.iso, "name_kk": r.kk, "name_ru": r.ru, "name_en": r.en},
            "geometry": {"type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"])},
        }, ensure_ascii=False, allow_nan=False))
    head = '{"type": "FeatureCollection", "features": [\n'
    return (head + ",\n".join(features) + "\n]}\n").encode("utf-8")


# --- the descriptor ------------------------------------------------------------------------------------------


def _field_descriptor(name: str, spec: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": spec.type, "title": spec.titles["en"], "description": spec.description,
                           # custom properties (allowed by Table Schema): the column's name in Kazakh and Russian
                           "title_kk": spec.titles["kk"], "title_ru": spec.titles["ru"]}
    constraints: dict[str, Any] = dict(spec.constraints or {})
    if constraints:
        out["constraints"] = constraints
    return out


def _series_descriptor(series_ids: Sequence[str]) -> list[dict[str, str]]:
    out = []
    for sid in series_ids:
        s = series_registry.get(sid)
        out.append({"id": sid, "label_kk": s.name("kk"), "label_ru": s.name("ru"), "label_en": s.name("en"),
                    "definition_kk": s.describe("kk"), "definition_ru": s.describe("ru"),
                    "definition_en": s.describe("en")})
    return out


def descriptor(
    data: PublicData, *, tables: Mapping[str, tuple[pd.DataFrame, list[Field]]], geo: Sequence[str],
    created: str, embedded_boundaries: bool,
) -> dict[str, Any]:
    """The datapackage.json of the bundle: Data Package v1 ("data-package" profile, so the GeoJSON resources may
    sit beside the tabular ones), with custom properties for the kk/ru titles, the series and the store's meta."""
    meta = data.meta
    version = str(meta.get("store_version", "")) or "0"
    series_ids = [s for s in str(meta.get("series", "")).split(",") if s]
    demo = meta.get("dataset") == "demo"
    resources: list[dict[str, Any]] = []
    for name, (frame, fields) in tables.items():
        schema = {
            "fields": [_field_descriptor(c, f) for c, f in zip(frame.columns, fields, strict=True)],
            "primaryKey": [c for c in PRIMARY_KEYS[name] if c in frame.columns],
            "missingValues": [""],
        }
        titles = TABLE_TITLES[name]
        resources.append({
            "name": name, "path": f"data/{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "title": titles["en"], "title_kk": titles["kk"], "title_ru": titles["ru"],
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "schema": schema,
        })
        # The JSON copy is a plain data resource: reading JSON as a table needs frictionless' optional json extra,
        # and its schema is the CSV resource's (custom property `schemaOf`), so it is not repeated.
        resources.append({
            "name": f"{name}-json", "path": f"data/{name}.json", "profile": "data-resource", "format": "json",
            "mediatype": "application/json", "encoding": "utf-8",
            "title": titles["en"] + " (JSON)", "title_kk": titles["kk"] + " (JSON)", "title_ru": titles["ru"] + " (JSON)",
            "description": f"The rows of data/{name}.csv as a JSON array of objects with the fields of resource "
                           f"'{name}' (numbers as JSON numbers, codes as strings, missing = null).",
            "schemaOf": name,
        })
    for basis in geo:
        titles = GEO_TITLES[basis]
        resource: dict[str, Any] = {
            "name": f"regions-{basis}-geojson", "path": f"geo/regions-{basis}.geojson", "profile": "data-resource",
            "format": "geojson", "mediatype": "application/geo+json", "encoding": "utf-8",
            "title": titles["en"], "title_kk": titles["kk"], "title_ru": titles["ru"],
            "description": "GeoJSON FeatureCollection, EPSG:4326; properties: region (KATO code, text), iso, "
                           "name_kk, name_ru, name_en.",
        }
        if embedded_boundaries:
            resource["licenses"] = [AMCHARTS_LICENSE]
            resource["sources"] = [{"title": "amCharts geodata (amcharts.com), simplified", "path": "https://www.amcharts.com/"}]
        resources.append(resource)
    sources = [dict(CONCEPT_SOURCE)] + [SERIES_SOURCES[s] for s in series_ids if s in SERIES_SOURCES]
    if demo:
        sources.append({"title": "Synthetic demo country generated by the project's seeded generator (data/demo), "
                                 "calibrated to the Concept's figures"})
    title = PACKAGE_TITLES["en"] + (f" ({DEMO_TITLES['en']})" if demo else "")
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "id": f"{PACKAGE_NAME}-{version}",
        "title": title,
        "title_kk": PACKAGE_TITLES["kk"] + (f" ({DEMO_TITLES['kk']})" if demo else ""),
        "title_ru": PACKAGE_TITLES["ru"] + (f" ({DEMO_TITLES['ru']})" if demo else ""),
        "description": (
            "Disclosure-controlled public tables of the occupational-safety barometer of Kazakhstan: injuries, "
            "deaths, occupational diseases and their rates by year, region (KATO) and economic activity (OKED), the "
            "Safe Labour Concept's targets and official figures. No enterprise-level data. Cells withheld by "
            "disclosure control are empty with status 'confidential'. Figures of the two official series (bns, "
            "mlsp) are never to be added up."
        ),
        "version": version,
        "created": created,
        "keywords": ["occupational safety", "work injuries", "occupational diseases", "Kazakhstan", "KATO", "OKED"],
        "licenses": [LICENSE],
        "sources": sources,
        # custom properties: what the store says about the data, and the series labels (data/series.py)
        "dataset": str(meta.get("dataset", "")),
        "data_as_of": str(meta.get("data_as_of", "")),
        "years": str(meta.get("years", "")),
        "default_series": str(meta.get("default_series", "")),
        "series": _series_descriptor(series_ids),
        "resources": resources,
    }


# --- writing -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bundle:
    directory: Path
    archive: Path
    version: str
    files: tuple[str, ...]  # paths relative to `directory`


def bundle_files(
    data: PublicData, *, boundaries: gpd.GeoDataFrame | None, created: str, embedded_boundaries: bool = False,
) -> dict[str, bytes]:
    """Relative path -> bytes of every file of the bundle (the descriptor last). Pure: nothing is written."""
    from osh.public import check_public

    try:
        stamp = datetime.fromisoformat(created)
    except ValueError:
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        raise OpenDataError(f"created={created!r}: expected an ISO 8601 date and time with its UTC offset, "
                            "e.g. 2025-01-02T03:04:05+00:00 (the publication's built_at)")
    check_public(data)
    tables = {name: _typed(name, frame) for name, frame in public_tables(data).items()}
    files: dict[str, bytes] = {}
    for name, (frame, fields) in tables.items():
        files[f"data/{name}.csv"] = _csv_bytes(frame, fields)
        files[f"data/{name}.json"] = _json_bytes(frame, fields)
    geo: list[str] = []
    if boundaries is not None:
        for basis in ("current", "harmonised"):
            files[f"geo/regions-{basis}.geojson"] = _geojson_bytes(boundaries, basis=basis)
            geo.append(basis)
        if embedded_boundaries:
            from geo.boundaries import EMBEDDED_LICENSE

            files[AMCHARTS_LICENSE["path"]] = EMBEDDED_LICENSE.read_bytes()
    desc = descriptor(data, tables=tables, geo=geo, created=created, embedded_boundaries=embedded_boundaries)
    for resource in desc["resources"]:
        # size and checksum: a consumer (and frictionless) can tell a truncated or altered copy
        content = files[resource["path"]]
        resource["bytes"] = len(content)
        resource["hash"] = f"sha256:{hashlib.sha256(content).hexdigest()}"
    files[DESCRIPTOR] = (json.dumps(desc, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")
    return files


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """The bundle as one zip archive (entries sorted, fixed stamps and permissions: same files, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{BUNDLE_DIR}/{path}", date_time=_ZIP_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path], compresslevel=6)
    return buffer.getvalue()


def write_bundle(
    data: PublicData, *, out_dir: Path, boundaries: gpd.GeoDataFrame | None, created: str,
    embedded_boundaries: bool = False,
) -> Bundle:
    """Write <out_dir>/opendata/ and <out_dir>/opendata.zip. The directory is built beside the old one and swapped
    in by two renames, so a reader sees the old or the new bundle (or, for an instant, none), never a mix."""
    out_dir = Path(out_dir)
    files = bundle_files(data, boundaries=boundaries, created=created, embedded_boundaries=embedded_boundaries)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / BUNDLE_DIR
    tmp = out_dir / f".{BUNDLE_DIR}.{os.getpid()}.tmp"
    old = out_dir / f".{BUNDLE_DIR}.{os.getpid()}.old"
    for leftover in (tmp, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    for path, content in files.items():
        dest = tmp / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(content)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    if old.exists():
        shutil.rmtree(old)
    archive_tmp = out_dir / f".{ARCHIVE}.{os.getpid()}.tmp"
    archive_tmp.write_bytes(zip_bytes(files))
    archive_tmp.replace(out_dir / ARCHIVE)
    version = str(data.meta.get("store_version", "")) or "0"
    return Bundle(target, out_dir / ARCHIVE, version, tuple(sorted(files)))


@dataclass(frozen=True)
class BundleInfo:
    archive: Path
    version: str
    created: str


def bundle_info(public_dir: Path) -> BundleInfo | None:
    """The published bundle's zip, version and creation time, or None when `enbek publish` has not written one."""
    public_dir = Path(public_dir)
    archive = public_dir / ARCHIVE
    try:
        desc = json.loads((public_dir / BUNDLE_DIR / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if not archive.is_file() or not isinstance(desc, dict):
        return None
    return BundleInfo(archive, str(desc.get("version", "")), str(desc.get("created", "")))


__all__ = [
    "ARCHIVE",
    "BUNDLE_DIR",
    "DESCRIPTOR",
    "PRIMARY_KEYS",
    "Bundle",
    "BundleInfo",
    "Field",
    "OpenDataError",
    "bundle_files",
    "bundle_info",
    "field_spec",
    "public_tables",
    "regions_table",
    "write_bundle",
    "zip_bytes",
]
