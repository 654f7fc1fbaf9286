"""Number formats shared by the dashboard and the briefing pack, so a figure reads the same on screen and paper.

kk and ru write a decimal comma, en a decimal point; thousands are grouped with a narrow no-break space
(U+202F, the thin space of typeset numbers) in every language; a negative number takes the typographic minus
(U+2212). A missing value (None, NaN, pandas' NA, ±inf) is the localised "no data" unless the caller asks for another mark.
Anything else that is not a number is a programming error and raises NumberFormatError naming the value.
"""

from __future__ import annotations

import math

import pandas as pd

from osh.registry import TARGETS, Change, Indicator, change, indicator

LANGS: tuple[str, ...] = ("kk", "ru", "en")
THOUSANDS = "\u202f"
DECIMAL: dict[str, str] = {"kk": ",", "ru": ",", "en": "."}
MINUS = "\u2212"
NBSP = "\u00a0"

# The few words the formats themselves need, kk / ru / en.
WORDS: dict[str, dict[str, str]] = {
    "no_data": {"kk": "деректер жоқ", "ru": "нет данных", "en": "no data"},
    "pp": {"kk": "п.т.", "ru": "п.п.", "en": "pp"},
}


class NumberFormatError(ValueError):
    """A value that is neither a number nor missing was given to a number format."""


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def word(key: str, lang: str) -> str:
    return WORDS[key][_lang(lang)]


def no_data(lang: str) -> str:
    """The localised 'no data'."""
    return word("no_data", lang)


def as_number(value: object) -> float | None:
    """A finite float, None for a missing value; NumberFormatError for text or objects."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str | bytes):
        raise NumberFormatError(f"cannot format {value!r} as a number (a text, not a number)")
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NumberFormatError(f"cannot format {value!r} ({type(value).__name__}) as a number") from None
    return v if math.isfinite(v) else None


def _missing(lang: str, missing: str | None) -> str:
    return no_data(lang) if missing is None else missing


def fmt_number(value: object, lang: str, *, decimals: int = 0, missing: str | None = None) -> str:
    """2449.5 -> '2 449,5' (kk, ru) or '2 449.5' (en); -3 -> '−3'; None/NaN -> 'no data' (or `missing`)."""
    v = as_number(value)
    if v is None:
        return _missing(lang, missing)
    text = f"{v:,.{decimals}f}"
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]  # -0.00 is 0.00
    return text.replace(",", THOUSANDS).replace(".", DECIMAL[_lang(lang)]).replace("-", MINUS)


def percent_sign(lang: str) -> str:
    return "%" if _lang(lang) == "en" else f"{NBSP}%"


def fmt_percent(share: object, lang: str, *, decimals: int = 1, missing: str | None = None) -> str:
    """A share 0..1 as a percentage: 0.32 -> '32,0 %' (kk, ru) or '32.0%' (en)."""
    v = as_number(share)
    if v is None:
        return _missing(lang, missing)
    return fmt_number(v * 100, lang, decimals=decimals) + percent_sign(lang)


def fmt_signed(value: object, lang: str, *, decimals: int = 1, suffix: str = "", missing: str | None = None) -> str:
    """A change with its sign: '+12,5 %', '−3'; zero has no sign."""
    v = as_number(value)
    if v is None:
        return _missing(lang, missing)
    body = fmt_number(abs(v), lang, decimals=decimals)
    zero = not any(ch in "123456789" for ch in body)
    sign = "" if zero else ("+" if v > 0 else MINUS)
    return f"{sign}{body}{suffix}"


def fmt_value(ind: Indicator | str, value: object, lang: str, *, missing: str | None = None) -> str:
    """A value of an indicator as every page prints it: '0,44', '12,3 %', '10,9:1', '2 449'."""
    spec = indicator(ind) if isinstance(ind, str) else ind
    if spec.kind == "share":
        return fmt_percent(value, lang, decimals=spec.decimals, missing=missing)
    text = fmt_number(value, lang, decimals=spec.decimals, missing=missing)
    return f"{text}:1" if spec.kind == "ratio" and as_number(value) is not None else text


def fmt_target(target_id: str, value: object, lang: str, *, missing: str | None = None) -> str:
    """A plan or actual of a Concept target in the target's own unit (percent values are 0..100)."""
    spec = TARGETS.get(target_id)
    decimals, kind = (spec.decimals, spec.kind) if spec is not None else (2, "rate")
    text = fmt_number(value, lang, decimals=decimals, missing=missing)
    if as_number(value) is None:
        return text
    if kind == "ratio":
        return f"{text}:1"
    if kind == "percent":
        return text + percent_sign(lang)
    return text


def fmt_change(c: Change | None, lang: str, *, missing: str | None = None) -> str:
    """A Change (osh.registry.change) as text: '+9,2 %' (relative), '+1,2 п.т.' (share), '+1,0' (ratio)."""
    if c is None:
        return _missing(lang, missing)
    ind = indicator(c.indicator)  # an indicator of either public table (osh.registry)
    if c.mode == "relative":
        return fmt_signed(c.delta, lang, decimals=1, suffix=percent_sign(lang))
    if ind.kind == "share":
        return fmt_signed(c.delta, lang, decimals=1, suffix=f"{NBSP}{word('pp', lang)}")
    return fmt_signed(c.delta, lang, decimals=ind.decimals)


def change_text(indicator_id: str, value: object, previous: object, lang: str, *, missing: str | None = None) -> str:
    """The change from `previous` to `value` by the registry's one rule, as the cards and the PDF print it."""
    return fmt_change(change(indicator_id, value=value, previous=previous), lang, missing=missing)


def change_unit(indicator_id: str, lang: str) -> str:
    """The unit of a change of this indicator: '%', 'pp' or the indicator's own unit (ratio points)."""
    ind = indicator(indicator_id)
    if ind.change_mode() == "relative":
        return "%"
    return word("pp", lang) if ind.kind == "share" else ind.unit_text(lang)


def d3_format(ind: Indicator) -> str:
    """The Vega / d3 number format of an indicator's shown values."""
    return f",.{ind.decimals}f"


def vega_locale(lang: str) -> dict[str, object]:
    """A Vega-Lite `config.locale` giving charts the same number format as the tables."""
    return {
        "number": {
            "decimal": DECIMAL[_lang(lang)],
            "thousands": THOUSANDS,
            "grouping": [3],
            "currency": ["", f"{NBSP}₸"],
        }
    }
