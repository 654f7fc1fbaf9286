"""Translation table (kk, ru, en): every dashboard/locales/*.json plus the indicator names and units of the registry.

Number formats live in layers/numbers.py (shared with the briefing pack) and are re-exported here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from layers.numbers import DECIMAL, THOUSANDS, fmt_number, fmt_percent, fmt_signed, no_data, vega_locale
from osh.reasons import PluralError, fill, plural
from osh.registry import INDICATORS, MEASURE_INDICATORS, UNITS

__all__ = [
    "DECIMAL", "DEFAULT_LANG", "LANGS", "LANG_NAMES", "THOUSANDS", "PluralError", "TranslationError", "fmt_number",
    "fmt_percent", "fmt_signed", "has", "load_table", "no_data", "normalise_lang", "plural", "t", "vega_locale",
]

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANG = "kk"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANG_NAMES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
REGISTRY_ORIGIN = "osh/registry.py"


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


def _registry_entries() -> dict[str, dict[str, str]]:
    """`ind.<id>` and `unit.<key>` of the indicator registry: their one source, never copied into a locale file."""
    entries = {f"ind.{i.id}": dict(i.names) for i in (*INDICATORS.values(), *MEASURE_INDICATORS.values())}
    entries.update({f"unit.{key}": dict(text) for key, text in UNITS.items()})
    return entries


def load_table(directory: Path = LOCALES_DIR) -> dict[str, dict[str, str]]:
    """Merge all locale files and the registry's names; a key defined twice is an error (helpers own separate files)."""
    table: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for key, entry in _registry_entries().items():
        table[key] = _check_entry(key, entry, Path(REGISTRY_ORIGIN))
        origin[key] = REGISTRY_ORIGIN
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
    """The text of `key` in `lang`, with {placeholders} filled from `fmt` and plural choices ("{n} {n:предприятие|
    предприятия|предприятий}", osh.reasons.plural) resolved for `lang`."""
    try:
        text = _table()[key][normalise_lang(lang)]
    except KeyError:
        raise TranslationError(f"no translation for key {key!r}; add it to a file in {LOCALES_DIR}") from None
    return fill(text, normalise_lang(lang), fmt) if fmt else text
