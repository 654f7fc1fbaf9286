"""The ministerial briefing pack: public tables (and, officially, the inspection list) in, one PDF out."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from data.codes import DISEASE_CAUSES
from geo.regions import REGION_CODES, UnknownRegionError, region, region_of_kato
from layers import static_maps
from layers.briefing_text import MISSING, fmt_number, fmt_percent, section_name, tr
from layers.numbers import as_number, fmt_target, fmt_value
from layers.numbers import change_text as numbers_change_text
from osh.reasons import render_all
from osh.registry import HEADLINE as REGISTRY_HEADLINE
from osh.registry import INDICATORS, TARGET_SERIES, TARGETS, in_series

if TYPE_CHECKING:
    import geopandas as gpd

    from data.scope import Scope
    from data.store import Store

NATIONAL = "KZ"
ALL = "ALL"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
KEY_INDICATOR = "injury_rate_1000"
TOP_SECTORS = 10
TOP_ENTERPRISES = 20
# Page keys in order; "inspections" only in the official edition.
PAGES: tuple[str, ...] = ("headline", "map", "trends", "sectors", "diseases", "inspections", "sources")


class BriefingError(ValueError):
    """The briefing cannot be built as asked (unknown year or region, data outside the scope...)."""


class PublicTables(Protocol):
    """What the briefing reads: osh.public.PublicData (CONTRACTS.md section 1) or anything shaped like it."""

    @property
    def indicators(self) -> pd.DataFrame: ...
    @property
    def diseases(self) -> pd.DataFrame: ...
    @property
    def targets(self) -> pd.DataFrame: ...
    @property
    def official(self) -> pd.DataFrame: ...
    @property
    def meta(self) -> Mapping[str, str]: ...


# --- indicator facts: the registry (osh/registry.py), formats: layers/numbers.py ----------------------------

HEADLINE: tuple[str, ...] = REGISTRY_HEADLINE
# trend panels: each indicator that a Concept target tracks, with that target drawn as its dashed line
TREND_PANELS: tuple[tuple[str, str], ...] = tuple((i.id, i.target) for i in INDICATORS.values() if i.target)
STATUS_COLOURS: dict[str, str] = {
    "on_track": "#1b7837", "at_risk": "#b35806", "off_track": "#c51b7d", "no_data": "#666666", "not_yet": "#666666",
}


def fmt_indicator(indicator: str, value: object, lang: str) -> str:
    """A value of an indicator as the dashboard shows it: '0,44', '12,3 %', '10,9:1', '2 449' (no data: the word)."""
    return fmt_value(indicator, value, lang)


def fmt_target_value(target: str, value: object, lang: str) -> str:
    return fmt_target(target, value, lang)


def change_text(indicator: str, value: object, previous: object, lang: str) -> str:
    """The change on the previous year by the registry's one rule (osh.registry.change), as the cards print it."""
    return numbers_change_text(indicator, value, previous, lang, missing=MISSING)


def _ind_label(indicator: str, lang: str) -> str:
    """'Injury rate, per 1 000 workers': a rate's name carries its unit (the table has no unit column)."""
    spec = INDICATORS[indicator]
    return f"{spec.name(lang)}, {spec.unit_text(lang)}" if spec.kind in ("rate", "ratio") else spec.name(lang)


def short_region_name(code: str, lang: str) -> str:
    """'Қарағанды', 'Карагандинская', 'Karaganda' — without 'облысы' / 'область' / 'Region' / 'city'."""
    r = region(code)
    name = r.name(lang)
    for part in (" облысы", " қаласы", " область", "область ", "город ", " Region"):
        name = name.replace(part, "")
    name = name.strip()
    if r.kind == "city" and lang == "kk":
        return f"{name} қ."  # Almaty city and Almaty region share the bare name
    if r.kind == "city" and lang == "ru":
        return f"г. {name}"
    return name


def _wrap_label(text: str, *, width: int = 12) -> str:
    if len(text) <= width:
        return text
    cuts = [i for i, ch in enumerate(text) if ch in " -"]
    if not cuts:
        return text
    cut = min(cuts, key=lambda i: abs(i - len(text) / 2))
    return text[: cut + 1].rstrip() + "\n" + text[cut + 1:].lstrip() if text[cut] == " " else text[: cut + 1] + "\n" + text[cut + 1:]


# --- facts: what the pages show, computed once -------------------------------------------------------------


@dataclass(frozen=True)
class HeadlineRow:
    indicator: str
    value: float
    previous: float
    country: float
    status: str  # "ok" | "confidential" | "no_data"
    value_text: str
    previous_text: str
    change_text: str
    country_text: str


@dataclass(frozen=True)
class Briefing:
    """The rendered pack: PDF bytes, the page keys in order and the headline figures as printed."""

    pdf: bytes
    pages: tuple[str, ...]
    headline: tuple[HeadlineRow, ...]
    filename: str


def _current(indicators: pd.DataFrame) -> pd.DataFrame:
    if "basis" in indicators.columns:
        return indicators[indicators["basis"] == "current"]
    return indicators


def _row(table: pd.DataFrame, *, year: int, area: str, section: str = ALL) -> pd.Series | None:
    hit = table[(table["year"] == year) & (table["region"] == area) & (table["section"] == section)]
    return None if hit.empty else hit.iloc[0]


def _value(row: pd.Series | None, column: str) -> float:
    if row is None or str(row.get("status", "ok")) != "ok" or column not in row.index:
        return float("nan")
    v = row[column]
    return float(v) if v is not None and not pd.isna(v) else float("nan")


def headline_rows(public: PublicTables, *, year: int, lang: str, region_code: str | None = None) -> tuple[HeadlineRow, ...]:
    """The headline figures of `year` for the country or one region, with the previous year and the country."""
    table = _current(public.indicators)
    area = region_code or NATIONAL
    now = _row(table, year=year, area=area)
    prev = _row(table, year=year - 1, area=area)
    nat = _row(table, year=year, area=NATIONAL)
    status = "no_data" if now is None else str(now.get("status", "ok"))
    rows = []
    for ind in HEADLINE:
        v, p, c = _value(now, ind), _value(prev, ind), _value(nat, ind)
        value_text = fmt_indicator(ind, v, lang)
        if status in ("confidential", "not_existing"):
            value_text = tr(status, lang)
        elif status == "no_data" and now is not None:
            value_text = _no_data_text(now, lang)
        elif ind == "hidden_ratio" and status == "ok" and math.isnan(v):
            value_text = tr("no_ratio", lang)
        rows.append(HeadlineRow(
            indicator=ind, value=v, previous=p, country=c, status=status, value_text=value_text,
            previous_text=fmt_indicator(ind, p, lang), change_text=change_text(ind, v, p, lang),
            country_text=fmt_indicator(ind, c, lang),
        ))
    return tuple(rows)


def _targets_for(public: PublicTables, area: str) -> pd.DataFrame:
    t = public.targets
    if t is None or t.empty:
        return pd.DataFrame(columns=["indicator", "year", "region", "plan", "actual", "status"])
    own = t[t["region"].astype(str) == area]
    return own if len(own) else t[t["region"].astype(str) == NATIONAL]


def _label_of(series: str, lang: str) -> str:
    from data.series import label

    return label(series, lang)


def _series_line(ctx: _Ctx, st: dict[str, Any]) -> Any:
    """'Data series: BNS (…)' under every table and chart page heading: one series per pack."""
    from reportlab.platypus import Paragraph

    return Paragraph(_esc(tr("series_line", ctx.lang, series=ctx.series_label)), st["small"])


def _no_data_text(row: Any, lang: str) -> str:
    """'no data', with the coverage when the table says how many finer units were published."""
    covered, cover_of = (getattr(row, "covered", None), getattr(row, "cover_of", None)) if not isinstance(row, pd.Series) \
        else (row.get("covered"), row.get("cover_of"))
    n, of = as_number(covered), as_number(cover_of)
    if n is None or of is None:
        return tr("no_data", lang)
    unit = "regions" if int(of) in (17, 20) else ("sectors" if int(of) == 21 else "parts")
    return f"{tr('no_data', lang)} ({tr(f'covered_{unit}', lang, covered=int(n), cover_of=int(of))})"


def _region_label(row: Any, lang: str) -> str:
    """A region's short name with what a pre-2022 parent row includes: 'East Kazakhstan (incl. Abai)'."""
    name = short_region_name(str(row.region), lang)
    includes = getattr(row, "includes", None)
    if includes is None or (not isinstance(includes, str) and bool(pd.isna(includes))) or not str(includes).strip():
        return name
    children = ", ".join(short_region_name(c.strip(), lang) for c in str(includes).split(",") if c.strip())
    return f"{name} ({tr('includes', lang, regions=children)})"


@dataclass(frozen=True)
class _OneSeries:
    """The public tables of one series: what every page of the pack reads (targets: the Concept's series)."""

    indicators: pd.DataFrame
    diseases: pd.DataFrame
    targets: pd.DataFrame
    official: pd.DataFrame
    meta: Mapping[str, str]
    gap: pd.DataFrame = field(default_factory=pd.DataFrame)  # osh.gap of the series (layers/briefing_gap.py)


def available_series(public: PublicTables) -> tuple[str, ...]:
    """The series ids of the indicator table; a table published before series existed holds one series: the
    default it was published with (meta.json), else ENBEK_SERIES."""
    from data.series import default_series

    if "series" not in public.indicators.columns:
        return (str(public.meta.get("default_series") or default_series()),)
    return tuple(sorted(set(public.indicators["series"].dropna().astype(str))))


def resolve_series(public: PublicTables, series: str | None) -> str:
    """The series of the pack: the one asked for, else meta.json's default_series, else ENBEK_SERIES. A series
    the tables do not hold is refused (never silently replaced by another)."""
    from data.series import default_series, normalise

    present = available_series(public)
    if series is not None:
        chosen = normalise(series)
        if chosen not in present:
            raise BriefingError(f"--series {series!r}: the public tables hold the series {', '.join(present)}")
        return chosen
    for candidate in (public.meta.get("default_series"), default_series()):
        if candidate and str(candidate) in present:
            return str(candidate)
    return present[0]


def one_series(public: PublicTables, series: str) -> _OneSeries:
    return _OneSeries(indicators=in_series(public.indicators, series), diseases=in_series(public.diseases, series),
                      targets=in_series(public.targets, TARGET_SERIES), official=public.official, meta=public.meta,
                      gap=in_series(_gap_of(public), series))


def _gap_of(public: PublicTables) -> pd.DataFrame:
    """The public gap table (osh.public writes it; older published directories and test doubles may lack it)."""
    found = getattr(public, "gap", None)
    return found if isinstance(found, pd.DataFrame) else pd.DataFrame({"series": pd.Series(dtype="str")})


# --- PDF machinery ----------------------------------------------------------------------------------------


@cache
def register_fonts() -> tuple[str, str]:
    """Embed matplotlib's DejaVu Sans (Cyrillic and the Kazakh letters ә ғ қ ң ө ұ ү һ і) in reportlab."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(static_maps.font_path())))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(static_maps.font_path(bold=True))))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT, FONT_BOLD


@dataclass(frozen=True)
class _Ctx:
    lang: str
    year: int
    area: str  # "KZ" or a region code
    area_name: str
    official: bool
    demo: bool
    meta: Mapping[str, str]
    generated_on: date
    series: str = TARGET_SERIES  # the one series of every table and chart of the pack
    series_label: str = ""


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11, textColor=colors.HexColor("#1a1a1a"))
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=9, textColor=colors.HexColor("#444444")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "cell_small": ParagraphStyle("cell_small", parent=base, fontSize=6.6, leading=8),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=14, textColor=colors.HexColor("#333333")),
        "area": ParagraphStyle("area", parent=base, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=6),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=6,
                             textColor=colors.HexColor("#0b3d66")),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=8, spaceAfter=4,
                             textColor=colors.HexColor("#0b3d66")),
        "banner": ParagraphStyle("banner", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13,
                                 textColor=colors.white, alignment=1),
    }


def _esc(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: Sequence[Sequence[Any]], *, widths: Sequence[float], st: dict[str, Any], header_rows: int = 1,
           align_right_from: int = 1, extra: Sequence[tuple[Any, ...]] = (), small: bool = False,
           header_size: float | None = None) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    style = st["cell_small"] if small else st["cell"]
    bold = style.clone("bold", fontName=FONT_BOLD)
    if header_size is not None:
        bold = bold.clone("bold_small", fontSize=header_size, leading=header_size + 1.6)
    data = [[c if not isinstance(c, str) else Paragraph(_esc(c), bold if r < header_rows else style) for c in row]
            for r, row in enumerate(rows)]
    table = Table(data, colWidths=list(widths), repeatRows=header_rows)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, colors.HexColor("#0b3d66")),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eef3f7")),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands.extend(extra)
    table.setStyle(TableStyle(commands))
    # numbers right-aligned: paragraphs carry their own alignment
    for row in data[header_rows:]:
        for i, cell in enumerate(row):
            if i >= align_right_from and isinstance(cell, Paragraph):
                cell.style = cell.style.clone(f"r{i}", alignment=2)
    for row in data[:header_rows]:
        for i, cell in enumerate(row):
            if i >= align_right_from and isinstance(cell, Paragraph):
                cell.style = cell.style.clone(f"hr{i}", alignment=2)
    return table


def _image(png: bytes, *, width_mm: float) -> Any:
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    width = width_mm * mm
    return Image(io.BytesIO(png), width=width, height=width * h / w)


# --- pages --------------------------------------------------------------------------------------------------


def _page_headline(public: PublicTables, ctx: _Ctx, st: dict[str, Any], rows: tuple[HeadlineRow, ...]) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    lang, year = ctx.lang, ctx.year
    out: list[Any] = [
        Paragraph(_esc(tr("title", lang)), st["title"]),
        Paragraph(_esc(tr("subtitle", lang)), st["subtitle"]),
        Paragraph(_esc(f"{ctx.area_name} · {tr('year', lang, year=year)}"), st["area"]),
        Paragraph(_esc(tr("official_edition" if ctx.official else "public_edition", lang)), st["small"]),
        Spacer(1, 3 * mm),
    ]
    if ctx.demo:
        banner = Table([[Paragraph(_esc(tr("demo_banner", lang)), st["banner"])]], colWidths=[180 * mm])
        banner.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#b2182b")),
                                    ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        out += [banner, Spacer(1, 3 * mm)]
    out.append(Paragraph(_esc(tr("h_headline", lang, year=year)), st["h1"]))
    out.append(_series_line(ctx, st))
    regional = ctx.area != NATIONAL
    header = [tr("col_indicator", lang), str(year), str(year - 1), tr("col_change", lang)]
    widths = [78 * mm, 26 * mm, 26 * mm, 24 * mm]
    if regional:
        header.append(tr("col_country", lang, year=year))
        widths = [66 * mm, 24 * mm, 24 * mm, 24 * mm, 28 * mm]
    table_rows: list[list[str]] = [header]
    for r in rows:
        line = [_ind_label(r.indicator, lang), r.value_text, r.previous_text, r.change_text]
        if regional:
            line.append(r.country_text)
        table_rows.append(line)
    out.append(_table(table_rows, widths=widths, st=st))
    out.append(Spacer(1, 2 * mm))
    ci_row = _row(_current(public.indicators), year=year, area=ctx.area)
    lo, hi = _value(ci_row, "injury_rate_1000_lo"), _value(ci_row, "injury_rate_1000_hi")
    if math.isfinite(lo) and math.isfinite(hi):
        out.append(Paragraph(_esc(f"{tr('ind.injury_rate_1000', lang)}: {tr('col_ci', lang)} "
                                  f"{fmt_indicator('injury_rate_1000', lo, lang)} – {fmt_indicator('injury_rate_1000', hi, lang)}"),
                             st["small"]))
    official = _official_row(public, lang, st)
    if official is not None:
        out.append(Paragraph(_esc(tr("h_official", lang)), st["h2"]))
        out.append(official)
    out.append(Paragraph(_esc(tr("h_targets", lang)), st["h2"]))
    out.append(Paragraph(_esc(tr("targets_basis", lang, series=_label_of(TARGET_SERIES, lang))), st["small"]))
    targets = _targets_for(public, ctx.area)
    this_year = targets[targets["year"].astype(int) == year]
    if this_year.empty:
        out.append(Paragraph(_esc(tr("no_targets", lang)), st["base"]))
        return out
    plan_2030 = targets[targets["year"].astype(int) == 2030].set_index("indicator")["plan"]
    trows: list[list[str]] = [[tr("col_indicator", lang), tr("col_plan", lang, year=year), tr("col_actual", lang),
                               tr("col_status", lang), tr("col_plan", lang, year=2030)]]
    extra: list[tuple[Any, ...]] = []
    order = {k: i for i, k in enumerate(TARGETS)}
    this_year = this_year.assign(_o=this_year["indicator"].map(order).fillna(99)).sort_values("_o")
    for i, t in enumerate(this_year.itertuples(index=False), start=1):
        ind = str(t.indicator)
        key = f"tgt.{ind}"
        name = tr(key, lang) if key in _target_keys() else ind
        status = str(t.status)
        trows.append([name, fmt_target_value(ind, t.plan, lang), fmt_target_value(ind, t.actual, lang),
                      tr(f"status.{status}", lang) if f"status.{status}" in _target_keys() else status,
                      fmt_target_value(ind, plan_2030.get(ind, np.nan), lang)])
        extra.append(("TEXTCOLOR", (3, i), (3, i), colors.HexColor(STATUS_COLOURS.get(status, "#000000"))))
    table = _table(trows, widths=[74 * mm, 24 * mm, 24 * mm, 34 * mm, 24 * mm], st=st)
    for i, t in enumerate(this_year.itertuples(index=False), start=1):
        cell = table._cellvalues[i][3]
        cell.style = cell.style.clone(f"st{i}", textColor=colors.HexColor(STATUS_COLOURS.get(str(t.status), "#000000")),
                                      fontName=FONT_BOLD)
    out.append(table)
    # target 1 counts accredited assessments; self-assessments are a second number beside it (osh.targets.SEPARATE)
    if "actual_self" in this_year.columns:
        for t in this_year[this_year["actual_self"].notna() & this_year["actual"].notna()].itertuples(index=False):
            ind = str(t.indicator)
            out.append(Paragraph(_esc(tr("targets_self", lang, acc=fmt_target_value(ind, t.actual, lang),
                                         self=fmt_target_value(ind, t.actual_self, lang))), st["small"]))
    if ctx.area != NATIONAL and (public.targets["region"].astype(str) == ctx.area).sum() == 0:
        out.append(Paragraph(_esc(tr("country", lang)), st["small"]))
    return out


# official figure (data.official) -> the indicator whose format it takes; shares in the Concept are in percent
OFFICIAL_HEADLINE: tuple[tuple[str, str, float], ...] = (
    ("injured", "injured", 1.0), ("fatal", "fatal", 1.0), ("injury_rate_1000", "injury_rate_1000", 1.0),
    ("fatal_rate_1000", "fatal_rate_1000", 1.0), ("hidden_ratio", "hidden_ratio", 1.0),
    ("disease_cases", "disease_cases", 1.0), ("insured_share", "insured_share", 0.01),
)


def _official_row(public: PublicTables, lang: str, st: dict[str, Any]) -> Any | None:
    """The Concept's 2022 national figures beside the pack's own: the yardstick a minister knows."""
    from reportlab.lib.units import mm

    o = public.official
    if o is None or o.empty:
        return None
    o = o[(o["scope"].astype(str) == NATIONAL) & (pd.to_numeric(o["year"], errors="coerce") == 2022)]
    values = {str(f): float(v) for f, v in zip(o["figure"], o["value"], strict=True)}
    cells = [(ind, values[fig] * factor) for fig, ind, factor in OFFICIAL_HEADLINE if fig in values]
    if not cells:
        return None
    header = [tr(f"ind.{ind}", lang) for ind, _ in cells]
    row = [fmt_indicator(ind, v, lang) for ind, v in cells]
    width = 180 / len(cells)
    return _table([header, row], widths=[width * mm] * len(cells), st=st, small=True, align_right_from=0)


@cache
def _target_keys() -> frozenset[str]:
    from layers.briefing_text import text_keys

    return frozenset(text_keys())


def _region_frame(public: PublicTables, *, year: int, column: str) -> pd.DataFrame:
    table = _current(public.indicators)
    frame = table[(table["year"] == year) & (table["section"] == ALL) & (table["region"].isin(REGION_CODES))]
    return frame.assign(region=frame["region"].astype(str), value=frame[column].astype(float).where(frame["status"] == "ok"))


def _page_map(public: PublicTables, ctx: _Ctx, st: dict[str, Any], boundaries: gpd.GeoDataFrame | None,
              attribution: str) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    lang, year = ctx.lang, ctx.year
    ind = KEY_INDICATOR
    name = _ind_label(ind, lang)
    out: list[Any] = [Paragraph(_esc(tr("h_map", lang, indicator=name, year=year)), st["h1"]), _series_line(ctx, st)]
    frame = _region_frame(public, year=year, column=ind)
    highlight = ctx.area if ctx.area != NATIONAL else None
    if boundaries is not None:
        labels = {c: _wrap_label(short_region_name(c, lang)) for c in REGION_CODES}
        png = static_maps.choropleth_png(
            boundaries=boundaries,
            frame=frame[["region", "value", "status"]],
            labels=labels,
            text=static_maps.MapText(unit=tr("unit.per_1000", lang), confidential=tr("map_legend_conf", lang),
                                     no_data=tr("map_legend_nodata", lang), attribution=attribution,
                                     not_existing=tr("map_legend_not_existing", lang)),
            fmt=lambda v: fmt_number(v, lang, decimals=2),
            highlight=highlight,
            height_in=4.5,
        )
        out.append(_image(png, width_mm=180))
    else:
        out.append(Paragraph(_esc(tr("map_unavailable", lang)), st["base"]))
    out.append(Paragraph(_esc(tr("h_ranking", lang)), st["h2"]))
    out.append(_ranking_table(frame, ctx, st, indicator=ind, highlight=highlight))
    out.append(Spacer(1, 1))
    out.append(Paragraph(_esc(tr("ranking_note", lang, indicator=name)), st["small"]))
    return out


def _ranking_table(frame: pd.DataFrame, ctx: _Ctx, st: dict[str, Any], *, indicator: str, highlight: str | None) -> Any:
    """The 20 regions ranked, highest first, in two side-by-side halves (rank, region, value, 95 % interval);
    confidential and no-data regions last with their status word."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    lang = ctx.lang
    ok = frame[frame["status"] == "ok"].sort_values(["value", "region"], ascending=[False, True])
    rest = frame[frame["status"] != "ok"].sort_values("region")
    lines: list[tuple[str, str, str, str, bool]] = []
    for i, r in enumerate(ok.itertuples(index=False), start=1):
        lo, hi = getattr(r, f"{indicator}_lo"), getattr(r, f"{indicator}_hi")
        ci = f"{fmt_indicator(indicator, lo, lang)} – {fmt_indicator(indicator, hi, lang)}"
        lines.append((str(i), _region_label(r, lang), fmt_indicator(indicator, r.value, lang), ci, r.region == highlight))
    for r in rest.itertuples(index=False):
        word = tr(str(r.status), lang) if r.status in ("confidential", "not_existing") else _no_data_text(r, lang)
        lines.append(("", _region_label(r, lang), word, "", r.region == highlight))
    half = (len(lines) + 1) // 2
    header = [tr("col_rank", lang), tr("col_region", lang), tr("col_value", lang, year=ctx.year), tr("col_ci_short", lang)]
    widths = [7 * mm, 33 * mm, 16 * mm, 29 * mm]
    tables = []
    for part in (lines[:half], lines[half:]):
        rows = [header] + [list(line[:4]) for line in part]
        extra: list[tuple[Any, ...]] = [("BACKGROUND", (0, k), (-1, k), colors.HexColor("#fdebc8"))
                                        for k, line in enumerate(part, start=1) if line[4]]
        # a status word ("no data", "confidential") spans the value and interval columns
        extra += [("SPAN", (2, k), (3, k)) for k, line in enumerate(part, start=1) if not line[0]]
        t = _table(rows, widths=widths, st=st, small=True, align_right_from=2, extra=extra)
        for k, line in enumerate(part, start=1):
            if line[4]:
                for cell in t._cellvalues[k]:
                    cell.style = cell.style.clone(f"hl{k}", fontName=FONT_BOLD)
        tables.append(t)
    outer = Table([tables], colWidths=[90 * mm, 90 * mm])
    outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    return outer


def _series(table: pd.DataFrame, area: str, column: str, factor: float) -> pd.DataFrame:
    f = table[(table["region"] == area) & (table["section"] == ALL)].sort_values("year")
    ok = f["status"] == "ok"
    out = pd.DataFrame({"year": f["year"].astype(int), "value": f[column].astype(float).where(ok) * factor})
    if f"{column}_lo" in f.columns:
        out["lo"] = f[f"{column}_lo"].astype(float).where(ok) * factor
        out["hi"] = f[f"{column}_hi"].astype(float).where(ok) * factor
    return out.reset_index(drop=True)


def _page_trends(public: PublicTables, ctx: _Ctx, st: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph

    lang = ctx.lang
    table = _current(public.indicators)
    table = table[table["year"] <= ctx.year]
    targets = _targets_for(public, ctx.area)
    panels = []
    for column, target in TREND_PANELS:
        spec = INDICATORS[column]
        factor = spec.scale()
        series = {ctx.area_name if ctx.area != NATIONAL else tr("country_short", lang): _series(table, ctx.area, column, factor)}
        if ctx.area != NATIONAL:
            series[tr("country_short", lang)] = _series(table, NATIONAL, column, factor)
        tgt = targets[targets["indicator"].astype(str) == target][["year", "plan"]]
        if ctx.series != TARGET_SERIES:  # the Concept's plan is drawn against its own series only
            tgt = tgt.iloc[0:0]

        def fmt(v: float, d: int = spec.decimals, k: str = spec.kind) -> str:
            text = fmt_number(v, lang, decimals=d)
            return f"{text}:1" if k == "ratio" else (f"{text}%" if k == "share" and lang == "en" else
                                                      f"{text}\u00a0%" if k == "share" else text)

        panels.append(static_maps.TrendPanel(title=tr(f"ind.{column}", lang), series=series, fmt=fmt, targets=tgt,
                                             target_label=tr("target", lang), empty_text=tr("no_data", lang)))
    png = static_maps.trends_png(panels, panel_height_in=2.45)
    years = sorted(int(y) for y in table["year"].unique())
    out: list[Any] = [Paragraph(_esc(tr("h_trends", lang)), st["h1"]), _series_line(ctx, st)]
    if years:
        out.append(Paragraph(_esc(tr("trend_years", lang, first=years[0], last=2030)), st["small"]))
    out.append(_image(png, width_mm=180))
    if ctx.area == NATIONAL:  # the gap compares regions and sectors: a national figure
        from reportlab.lib.units import mm

        from layers.briefing_gap import gap_flowables

        out += gap_flowables(getattr(public, "gap", pd.DataFrame()), lang=lang, year=ctx.year, st=st, table=_table,
                             widths=[30 * mm, 60 * mm, 40 * mm, 40 * mm])
    return out


def _page_sectors(public: PublicTables, ctx: _Ctx, st: dict[str, Any]) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    lang, year = ctx.lang, ctx.year
    table = _current(public.indicators)
    f = table[(table["year"] == year) & (table["region"] == ctx.area) & (table["section"] != ALL)]
    ok = f[f["status"] == "ok"].sort_values(["injury_rate_1000", "section"], ascending=[False, True])
    top = ok.head(TOP_SECTORS)
    conf = f[f["status"] == "confidential"].sort_values("section").head(max(0, TOP_SECTORS + 2 - len(top)))
    shown = pd.concat([top, conf], ignore_index=True)
    out: list[Any] = [Paragraph(_esc(tr("h_sectors", lang, year=year)), st["h1"]), _series_line(ctx, st),
                      Paragraph(_esc(tr("sector_note", lang, area=ctx.area_name)), st["small"])]
    if shown.empty:
        out.append(Paragraph(_esc(tr("no_data", lang)), st["base"]))
        return out
    labels = [_short_section(s, lang) for s in shown["section"]]
    hidden_plan = _plan(public, ctx.area, ("hidden_injury_ratio",), year) if ctx.series == TARGET_SERIES else float("nan")
    png = static_maps.bars_png(
        [
            static_maps.BarPanel(
                frame=pd.DataFrame(
                    {
                        "label": labels,
                        "value": shown["injury_rate_1000"].astype(float),
                        "lo": shown["injury_rate_1000_lo"].astype(float),
                        "hi": shown["injury_rate_1000_hi"].astype(float),
                        "status": shown["status"].astype(str),
                    }
                ),
                title=tr("ind.injury_rate_1000", lang),
                fmt=lambda v: fmt_number(v, lang, decimals=2),
                reference=_value(_row(table, year=year, area=ctx.area), "injury_rate_1000"),
                reference_label=ctx.area_name if ctx.area != NATIONAL else tr("country_short", lang),
                confidential=tr("map_legend_conf", lang),
                no_data=tr("map_legend_nodata", lang),
            ),
            static_maps.BarPanel(
                frame=pd.DataFrame(
                    {
                        "label": labels,
                        "value": shown["hidden_ratio"].astype(float),
                        "status": np.where(
                            (shown["status"] == "ok") & shown["hidden_ratio"].isna(),
                            "no_ratio",
                            shown["status"].astype(str),
                        ),
                    }
                ),
                title=tr("h_hidden", lang),
                fmt=lambda v: fmt_number(v, lang, decimals=1),
                reference=hidden_plan,
                reference_label=tr(
                    "target_for", lang, year=year, value=fmt_target_value("hidden_injury_ratio", hidden_plan, lang)
                ),
                confidential=tr("map_legend_conf", lang),
                no_data=tr("no_ratio", lang),
            ),
        ],
        height_in=0.27 * len(shown) + 0.9,
    )
    out.append(_image(png, width_mm=180))
    out.append(Paragraph(_esc(tr("hidden_note", lang)), st["small"]))
    out.append(Spacer(1, 2 * mm))
    rows: list[list[str]] = [[tr("col_sector", lang), tr("col_workers", lang), tr("col_injured", lang), tr("col_fatal", lang),
                              tr("col_rate", lang), tr("col_fatal_rate", lang), tr("col_hidden", lang)]]
    for s in shown.itertuples(index=False):
        if s.status != "ok":
            rows.append([section_name(str(s.section), lang), tr("confidential", lang), "", "", "", "", ""])
            continue
        ratio = fmt_indicator("hidden_ratio", s.hidden_ratio, lang)
        rows.append([section_name(str(s.section), lang), fmt_indicator("workers", s.workers, lang),
                     fmt_indicator("injured", s.injured, lang), fmt_indicator("fatal", s.fatal, lang),
                     fmt_indicator("injury_rate_1000", s.injury_rate_1000, lang),
                     fmt_indicator("fatal_rate_1000", s.fatal_rate_1000, lang),
                     ratio if as_number(s.hidden_ratio) is not None else tr("no_ratio", lang)])
    spans = [("SPAN", (1, k), (-1, k)) for k, r in enumerate(rows) if k and r[2] == ""]  # the status word spans the values
    out.append(_table(rows, widths=[50 * mm, 22 * mm, 25 * mm, 19 * mm, 20 * mm, 22 * mm, 22 * mm], st=st, small=True,
                      extra=spans))
    return out


def _short_section(code: str, lang: str) -> str:
    name = section_name(code, lang)
    return name if len(name) <= 34 else name[:33].rstrip(" ,") + "…"


def _plan(public: PublicTables, area: str, ids: Sequence[str], year: int) -> float:
    t = _targets_for(public, area)
    hit = t[t["indicator"].astype(str).isin(ids) & (t["year"].astype(int) == year)]
    return float(hit["plan"].iloc[0]) if len(hit) else float("nan")


def _page_diseases(public: PublicTables, ctx: _Ctx, st: dict[str, Any]) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    lang, year = ctx.lang, ctx.year
    out: list[Any] = [Paragraph(_esc(tr("h_diseases", lang)), st["h1"]), _series_line(ctx, st)]
    d = public.diseases
    d = d[(d["region"].astype(str) == ctx.area) & (d["year"].astype(int) <= year)]
    labels = {c: tr(f"cause.{c}", lang) for c in DISEASE_CAUSES}
    if len(d):
        frame = pd.DataFrame({"year": d["year"].astype(int), "group": d["cause_group"].astype(str),
                              "value": d["cases"].astype(float).where(d["status"] == "ok")})
        # totals from the indicator table (what the headline shows): they include the suppressed cause groups
        table = _current(public.indicators)
        area_rows = table[(table["region"] == ctx.area) & (table["section"] == ALL) & (table["status"] == "ok")]
        totals = {int(y): float(v) for y, v in zip(area_rows["year"], area_rows["disease_cases"], strict=True)
                  if not pd.isna(v)}
        png = static_maps.stacked_columns_png(frame, order=list(DISEASE_CAUSES),
                                             labels={k: _wrap_label(v, width=26) for k, v in labels.items()},
                                             title=f"{ctx.area_name}: {tr('disease_trend', lang)}",
                                             fmt=lambda v: fmt_number(v, lang), height_in=2.5, totals=totals,
                                             remainder_label=tr("map_legend_conf", lang))
        out.append(_image(png, width_mm=180))
        cur = d[d["year"].astype(int) == year]
        total = totals.get(year, float(cur.loc[cur["status"] == "ok", "cases"].sum()))
        rows: list[list[str]] = [[tr("col_cause", lang), tr("col_cases", lang), tr("col_share", lang)]]
        for c in DISEASE_CAUSES:
            hit = cur[cur["cause_group"] == c]
            if hit.empty:  # the table lists the causes with cases; a missing cause had none that year
                rows.append([labels[c], fmt_number(0, lang), fmt_percent(0.0 if total else np.nan, lang)])
                continue
            h = hit.iloc[0]
            if h["status"] != "ok":
                rows.append([labels[c], tr("confidential", lang), ""])
                continue
            cases = float(h["cases"])
            rows.append([labels[c], fmt_number(cases, lang), fmt_percent(cases / total if total else np.nan, lang)])
        rows.append([tr("total", lang), fmt_number(total, lang), fmt_percent(1.0 if total else np.nan, lang)])
        out.append(Paragraph(_esc(f"{ctx.area_name}, {year}"), st["h2"]))
        out.append(_table(rows, widths=[100 * mm, 30 * mm, 30 * mm], st=st))
    else:
        out.append(Paragraph(_esc(tr("no_data", lang)), st["base"]))
    out.append(Spacer(1, 2 * mm))
    frame = _region_frame(public, year=year, column="disease_rate_100k")
    ok = frame[frame["status"] == "ok"].sort_values(["value", "region"], ascending=[False, True])
    top = ok.head(10)
    if ctx.area != NATIONAL and ctx.area not in set(top["region"]):
        top = pd.concat([top, frame[frame["region"] == ctx.area]], ignore_index=True)
    if len(top):
        nat = _value(_row(_current(public.indicators), year=year, area=NATIONAL), "disease_rate_100k")
        png = static_maps.bars_png([static_maps.BarPanel(
            frame=pd.DataFrame({"label": [short_region_name(c, lang) for c in top["region"]], "value": top["value"],
                                "status": top["status"].astype(str), "highlight": top["region"] == ctx.area}),
            title=tr("disease_regions", lang), fmt=lambda v: fmt_number(v, lang, decimals=1), reference=nat,
            reference_label=tr("country_short", lang), confidential=tr("map_legend_conf", lang),
            no_data=tr("map_legend_nodata", lang))], height_in=0.2 * len(top) + 0.8)
        out.append(_image(png, width_mm=175))
    return out


def _page_inspections(inspections: pd.DataFrame, ctx: _Ctx, st: dict[str, Any], scope_label: str) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    lang = ctx.lang
    out: list[Any] = [Paragraph(_esc(tr("h_inspections", lang)), st["h1"]),
                      Paragraph(_esc(tr("inspections_note", lang, scope=scope_label)), st["small"])]
    if inspections.empty:
        out.append(Paragraph(_esc(tr("inspections_empty", lang)), st["base"]))
        return out
    cell = st["cell_small"]
    rows: list[list[Any]] = [[tr("col_rank", lang), tr("col_bin", lang), tr("col_enterprise", lang), tr("col_region", lang),
                              tr("col_oked", lang), tr("col_employees", lang), tr("col_injured_5y", lang),
                              tr("col_expected", lang), tr("col_score", lang), tr("col_degree", lang)]]
    for i, e in enumerate(inspections.head(TOP_ENTERPRISES).itertuples(index=False), start=1):
        injured = fmt_number(getattr(e, "injuries_5y", np.nan), lang)
        fatal = getattr(e, "fatal_5y", 0)
        if fatal is not None and not pd.isna(fatal) and int(fatal) > 0:
            injured += f" ({int(fatal)}†)"
        flags = []
        rr = getattr(e, "relative_risk", np.nan)
        if rr is not None and not pd.isna(rr):
            flags.append(tr("flag_rr", lang, rr=fmt_number(rr, lang, decimals=1)))
        if not bool(getattr(e, "insured", True)):
            flags.append(tr("flag_uninsured", lang))
        if not bool(getattr(e, "assessed", True)):
            flags.append(tr("flag_unassessed", lang))
        violations = getattr(e, "osh_violations_5y", 0)
        if violations is not None and not pd.isna(violations) and int(violations) > 0:
            flags.append(tr("flag_violations", lang, n=int(violations)))
        why = getattr(e, "reason", None)
        if isinstance(why, tuple) and why:  # osh.reasons: the plan page's and its files' sentence, in this language
            flags = [render_all(why, lang)]
        name = Paragraph(f"{_esc(e.name)}<br/><font size=5.6 color='#555555'>{_esc(' · '.join(flags))}</font>", cell)
        degree = str(getattr(e, "degree", ""))
        region_cell = Paragraph(_esc(_wrap_label(short_region_name(str(e.region), lang), width=14)).replace("\n", "<br/>"), cell)
        rows.append([str(getattr(e, "rank", i)), str(e.bin), name, region_cell,
                     str(getattr(e, "section", "")), fmt_number(getattr(e, "employees", np.nan), lang), injured,
                     fmt_number(getattr(e, "expected_injuries", np.nan), lang, decimals=1),
                     fmt_number(getattr(e, "score", np.nan), lang, decimals=1),
                     tr(f"degree.{degree}", lang) if f"degree.{degree}" in _target_keys() else degree])
    out.append(_table(rows, widths=[6 * mm, 20 * mm, 38 * mm, 22 * mm, 12 * mm, 19 * mm, 19 * mm, 15 * mm, 14 * mm, 15 * mm],
                      st=st, small=True, align_right_from=5, header_size=5.8))
    out.append(Paragraph(_esc(tr("fatal_mark", lang)), st["small"]))
    return out


def _page_sources(ctx: _Ctx, st: dict[str, Any], *, number: int, attribution: str, official_list: bool) -> list[Any]:
    from reportlab.platypus import Paragraph

    lang = ctx.lang
    m = ctx.meta
    p = [Paragraph(_esc(tr("h_sources", lang, n=number)), st["h1"]), Paragraph(_esc(tr("src_title", lang)), st["h2"])]
    p += [Paragraph("• " + _esc(tr(k, lang)), st["base"]) for k in ("src_concept", "src_public")]
    if official_list:
        p.append(Paragraph("• " + _esc(tr("src_official", lang)), st["base"]))
    p.append(Paragraph("• " + _esc(attribution), st["base"]))
    p.append(Paragraph(_esc(tr("def_title", lang)), st["h2"]))
    p += [Paragraph("• " + _esc(tr(k, lang)), st["base"]) for k in
          ("def_injury_rate", "def_fatal_rate", "def_hidden", "def_disease", "def_shares", "def_status", "def_confidential",
           "harmonised_note")]
    p.append(Paragraph(_esc(tr("data_title", lang)), st["h2"]))
    if ctx.demo:
        p.append(Paragraph(_esc(tr("demo_notice", lang)), st["base"].clone("demo", fontName=FONT_BOLD, textColor="#b2182b")))
    p.append(Paragraph(_esc(tr("real_notice", lang, dataset=m.get("dataset", "–"), years=m.get("years", "–"))), st["base"]))
    p.append(Paragraph(_esc(tr("data_dates", lang, as_of=m.get("data_as_of") or "–", built=m.get("built_at") or "–",
                               version=m.get("store_version") or "–")), st["base"]))
    p.append(Paragraph(_esc(tr("generated", lang, date=ctx.generated_on.isoformat())), st["base"]))
    return p


# --- the pack -------------------------------------------------------------------------------------------------


def normalise_region(region_code: str | None) -> str | None:
    """A 2-digit region code from a 2- or 9-digit KATO code (None stays None)."""
    if region_code is None or str(region_code).strip() in ("", NATIONAL):
        return None
    code = str(region_code).strip()
    try:
        return region_of_kato(code) if len(code) in (2, 9) and code.isdigit() else region(code).code
    except UnknownRegionError as exc:
        raise BriefingError(f"--region {code!r}: {exc}") from None


def render_briefing(
    public: PublicTables,
    *,
    year: int,
    lang: str,
    region_code: str | None = None,
    series: str | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    attribution: str = "",
    inspections: pd.DataFrame | None = None,
    inspection_scope: str = "",
    generated_on: date | None = None,
) -> Briefing:
    """Compose the pack. `inspections` (osh.enterprises.inspection_list, already scoped by the caller) adds the
    official-only enterprise page; None gives the public edition. A region pack refuses enterprise rows of any
    other region. `series`: the one series of every table and chart (default: meta.json's default_series, else
    ENBEK_SERIES); the targets are always those of the Concept's series (BNS)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, KeepInFrame, PageBreak, PageTemplate

    if lang not in ("kk", "ru", "en"):
        raise BriefingError(f"language {lang!r}: expected kk, ru or en")
    area_code = normalise_region(region_code)
    table = _current(public.indicators)
    years = sorted(int(y) for y in table["year"].unique())
    if year not in years:
        raise BriefingError(f"no indicators for {year}; the public tables hold {', '.join(map(str, years)) or 'no year'}")
    chosen = resolve_series(public, series)
    public = one_series(public, chosen)
    if inspections is not None and area_code is not None and len(inspections):
        others = sorted(set(inspections["region"].astype(str)) - {area_code})
        if others:
            raise BriefingError(f"the inspection list for region {area_code} holds enterprises of region(s) {', '.join(others)}")
    register_fonts()
    st = _styles()
    meta = dict(public.meta)
    area = area_code or NATIONAL
    ctx = _Ctx(lang=lang, year=year, area=area,
               area_name=region(area_code).name(lang) if area_code else tr("country", lang),
               official=inspections is not None, demo=meta.get("dataset", "demo") == "demo", meta=meta,
               generated_on=generated_on or date.today(), series=chosen, series_label=_label_of(chosen, lang))
    rows = headline_rows(public, year=year, lang=lang, region_code=area_code)
    sections: list[tuple[str, list[Any]]] = [
        ("headline", _page_headline(public, ctx, st, rows)),
        ("map", _page_map(public, ctx, st, boundaries, attribution)),
        ("trends", _page_trends(public, ctx, st)),
        ("sectors", _page_sectors(public, ctx, st)),
        ("diseases", _page_diseases(public, ctx, st)),
    ]
    if inspections is not None:
        sections.append(("inspections", _page_inspections(inspections, ctx, st, inspection_scope or
                                                          (ctx.area_name if area_code else tr("all_regions", lang)))))
    sections.append(("sources", _page_sources(ctx, st, number=len(sections) + 1, attribution=attribution,
                                              official_list=inspections is not None)))

    buf = io.BytesIO()
    margin = 15 * mm
    frame_h = A4[1] - 2 * margin - 8 * mm
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin + 4 * mm,
                          bottomMargin=margin + 4 * mm, title=f"{tr('title', lang)} — {ctx.area_name} — {year}",
                          author="Qauipsiz Enbek", subject=tr("subtitle", lang), invariant=1, lang=lang)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_decorate(ctx))])
    story: list[Any] = []
    for i, (_key, flow) in enumerate(sections):
        if i:
            story.append(PageBreak())
        # one section, one page: shrink rather than spill (a spilled page would break the page plan)
        story.append(KeepInFrame(doc.width, min(doc.height, frame_h), flow, mode="shrink"))
    from reportlab import rl_config

    a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary image streams: ASCII85 would add a quarter to the file for nothing
    try:
        doc.build(story)
    finally:
        rl_config.useA85 = a85
    fname = f"briefing_{area.lower()}_{year}_{lang}_{chosen}.pdf"
    return Briefing(pdf=buf.getvalue(), pages=tuple(k for k, _ in sections), headline=rows, filename=fname)


def _decorate(ctx: _Ctx) -> Callable[[Any, Any], None]:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        w, h = A4
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(15 * mm, h - 11 * mm, f"Qauipsiz Enbek · {ctx.area_name} · {ctx.year}")
        edition = tr("official_edition" if ctx.official else "public_edition", ctx.lang)
        canvas.drawRightString(w - 15 * mm, h - 11 * mm, edition)
        canvas.setStrokeColor(colors.HexColor("#0b3d66"))
        canvas.setLineWidth(0.6)
        canvas.line(15 * mm, h - 12.5 * mm, w - 15 * mm, h - 12.5 * mm)
        canvas.line(15 * mm, 13 * mm, w - 15 * mm, 13 * mm)
        as_of = ctx.meta.get("data_as_of") or "–"
        canvas.drawString(15 * mm, 9 * mm, f"{tr('page', ctx.lang, n=doc.page)} · {tr('data_as_of', ctx.lang, date=as_of)}")
        if ctx.demo:
            canvas.setFont(FONT_BOLD, 7)
            canvas.setFillColor(colors.HexColor("#b2182b"))
            canvas.drawRightString(w - 15 * mm, 9 * mm, tr("demo_banner", ctx.lang))
        canvas.restoreState()

    return draw


# --- one call for the CLI and the dashboard -----------------------------------------------------------------


def load_map_layer() -> tuple[gpd.GeoDataFrame | None, str]:
    """The region boundaries and their attribution line; (None, '') when the layer cannot be read."""
    from geo.boundaries import ATTRIBUTION, BoundaryError, load_boundaries

    try:
        return load_boundaries(), ATTRIBUTION
    except BoundaryError:
        return None, ""


def _published_for(store: Store) -> PublicTables | None:
    """The published tables (ENBEK_PUBLIC_DIR) when they were built from this very store version: reading them
    takes a fraction of a second, rebuilding them from a national store several seconds."""
    import json

    from data import settings
    from osh.public import PublicDataError, read_public_data

    directory = settings.get_path("ENBEK_PUBLIC_DIR")
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if not isinstance(meta, dict) or str(meta.get("store_version")) != str(store.version):
        return None
    try:
        return read_public_data(directory=directory)
    except PublicDataError:
        return None


def _build_public(store: Store) -> PublicTables:
    from osh.public import build_public_data

    return build_public_data(store)


def build_briefing(
    *,
    year: int,
    lang: str,
    region_code: str | None = None,
    series: str | None = None,
    mode: str | None = None,
    public_dir: Path | None = None,
    public: PublicTables | None = None,
    store: Store | None = None,
    scope: Scope | None = None,
    generated_on: date | None = None,
) -> Briefing:
    """The pack as `enbek briefing` and the dashboard button make it.

    public mode: reads only the published directory (ENBEK_PUBLIC_DIR or `public_dir`); never the store, never
    an enterprise page. official mode: public tables from `public`, `public_dir` or built from `store`; with a
    `scope` and a store, the top of the risk-based inspection list within that scope (an akimat's pack holds
    only its regions; a region outside the scope gets no enterprise page). From a store, the published directory
    is used when it was built from the same store version, otherwise the tables are built."""
    from data import settings

    mode = mode or settings.mode()
    area_code = normalise_region(region_code)
    if mode == "public":
        from osh.public import read_public_data

        data: PublicTables = public if public is not None else read_public_data(
            directory=public_dir or settings.get_path("ENBEK_PUBLIC_DIR"))
        inspections = None
        scope_label = ""
    elif mode == "official":
        if public is not None:
            data = public
        elif public_dir is not None:
            from osh.public import read_public_data

            data = read_public_data(directory=public_dir)
        elif store is not None:
            data = _published_for(store) or _build_public(store)
        else:
            raise BriefingError("official briefing needs the store or a public-data directory")
        inspections, scope_label = None, ""
        if store is not None and scope is not None and (area_code is None or scope.allows(area_code)):
            from osh.enterprises import inspection_list

            inspections = inspection_list(store, scope=scope, region=area_code, limit=TOP_ENTERPRISES)
            if area_code is None and scope.regions is not None:
                scope_label = ", ".join(short_region_name(c, lang) for c in sorted(scope.regions))
    else:
        raise BriefingError(f"mode {mode!r}: expected 'official' or 'public'")
    boundaries, attribution = load_map_layer()
    return render_briefing(data, year=year, lang=lang, region_code=area_code, series=series, boundaries=boundaries,
                           attribution=attribution, inspections=inspections, inspection_scope=scope_label,
                           generated_on=generated_on)
