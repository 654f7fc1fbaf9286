"""Translation table (kk, ru, en) merged from every dashboard/locales/*.json, and per-language number formats."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANG = "kk"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANG_NAMES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

# Thousands are grouped with a no-break space in every language (SI style); kk and ru write a decimal comma.
THOUSANDS = "\u00a0"
DECIMAL: dict[str, str] = {"kk": ",", "ru": ",", "en": "."}


class TranslationError(KeyError):
    """A key is missing from the translation table, or a locale file is malformed."""

    def __str__(self) -> str:
        return str(self.args[0])


def _check_entry(key: str, entry: object, path: Path) -> dict[str, str]:
    if not isinstance(entry, dict):
        raise TranslationError(f"{path.name}: key {key!r} must map to an object with kk, ru, en; got {type(entry).__name__}")
    missing = [lang for lang in LANGS if not isinstance(entry.get(lang), str) or not entry[lang].strip()]
    if missing:
        raise TranslationError(f"{path.name}: key {key!r} lacks a text for {', '.join(missing)}")
    return {lang: entry[lang] for lang in LANGS}


def load_table(directory: Path = LOCALES_DIR) -> dict[str, dict[str, str]]:
    """Merge all locale files; a key defined in two files is an error (helpers own separate files)."""
    table: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise TranslationError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(entries, dict):
            raise TranslationError(f"{path}: expected an object mapping key -> {{kk, ru, en}}")
        for key, entry in entries.items():
            if key.startswith("_"):  # "_comment" entries
                continue
            if key in table:
                raise TranslationError(f"key {key!r} is defined in both {origin[key]} and {path.name}")
            table[key] = _check_entry(key, entry, path)
            origin[key] = path.name
    return table


@cache
def _table() -> Mapping[str, Mapping[str, str]]:
    return load_table()


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def has(key: str) -> bool:
    return key in _table()


def t(key: str, lang: str, **fmt: object) -> str:
    """The text of `key` in `lang`, with {placeholders} filled from `fmt`."""
    try:
        text = _table()[key][normalise_lang(lang)]
    except KeyError:
        raise TranslationError(f"no translation for key {key!r}; add it to a file in {LOCALES_DIR}") from None
    return text.format(**fmt) if fmt else text


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def fmt_number(value: object, lang: str, *, decimals: int = 0, missing: str = "–") -> str:
    """2449.5 -> '2 449,5' (kk, ru) or '2 449.5' (en); -3 -> '−3'; NaN/None -> `missing`."""
    if _is_missing(value):
        return missing
    text = f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]
    if text in ("-0", "-0." + "0" * decimals):
        text = text[1:]
    # a typographic minus (U+2212), as in print
    return text.replace(",", THOUSANDS).replace(".", DECIMAL[normalise_lang(lang)]).replace("-", "\u2212")


def fmt_percent(share: object, lang: str, *, decimals: int = 1, missing: str = "–") -> str:
    """A share 0..1 as a percentage: 0.32 -> '32,0 %' (kk, ru) or '32.0%' (en)."""
    if _is_missing(share):
        return missing
    number = fmt_number(float(share) * 100, lang, decimals=decimals)  # type: ignore[arg-type]
    return f"{number}%" if normalise_lang(lang) == "en" else f"{number}\u00a0%"


def fmt_signed(value: object, lang: str, *, decimals: int = 1, suffix: str = "") -> str:
    """A change with its sign: '+12,5 %', '−3'."""
    if _is_missing(value):
        return "–"
    v = float(value)  # type: ignore[arg-type]
    body = fmt_number(abs(v), lang, decimals=decimals)
    sign = "+" if v > 0 else ("−" if v < 0 else "")
    return f"{sign}{body}{suffix}"


def vega_locale(lang: str) -> dict[str, object]:
    """A Vega-Lite `config.locale` giving charts the same number format as the tables."""
    return {
        "number": {
            "decimal": DECIMAL[normalise_lang(lang)],
            "thousands": THOUSANDS,
            "grouping": [3],
            "currency": ["", "\u00a0₸"],
        }
    }
