"""Identifier rules: BIN/IIN check digit, KATO codes, OKED (NACE Rev.2 based) sections and divisions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.regions import REGION_CODES, RETIRED_CODES

# --- BIN / IIN -------------------------------------------------------------------------------

_W1 = np.arange(1, 12)
_W2 = np.array([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])


def bin_check_digit(first11: str) -> int | None:
    """The control digit of a 12-digit BIN/IIN from its first 11 digits, or None if none exists."""
    if len(first11) != 11 or not first11.isdigit():
        raise ValueError(f"expected 11 digits, got {first11!r}")
    digits = np.array([int(c) for c in first11])
    check = int(digits @ _W1) % 11
    if check == 10:
        check = int(digits @ _W2) % 11
        if check == 10:
            return None
    return check


def is_valid_bin(value: str) -> bool:
    return bool(valid_bins(pd.Series([value])).iloc[0])


def valid_bins(values: pd.Series) -> pd.Series:
    """Vectorised: 12 digits whose last digit is the control digit of the first 11."""
    s = values.astype("string").fillna("")
    ok = s.str.fullmatch(r"\d{12}").fillna(False).to_numpy(dtype=bool)
    result = np.zeros(len(s), dtype=bool)
    if ok.any():
        digits = np.frombuffer("".join(s[ok].tolist()).encode("ascii"), dtype=np.uint8).reshape(-1, 12) - 48
        body = digits[:, :11].astype(np.int64)
        check = (body @ _W1) % 11
        second = (body @ _W2) % 11
        check = np.where(check == 10, second, check)
        result[ok] = (check != 10) & (check == digits[:, 11])
    return pd.Series(result, index=values.index)


def make_bin(first11: str) -> str | None:
    """Complete 11 digits into a valid BIN, or None if those digits admit no control digit."""
    check = bin_check_digit(first11)
    return None if check is None else first11 + str(check)


# --- KATO ------------------------------------------------------------------------------------

KNOWN_PREFIXES = frozenset(REGION_CODES) | frozenset(RETIRED_CODES)


def valid_katos(values: pd.Series) -> pd.Series:
    """Nine digits whose two-digit prefix is a current region (or a retired, mapped one)."""
    s = values.astype("string").fillna("")
    return (s.str.fullmatch(r"\d{9}").fillna(False) & s.str[:2].isin(KNOWN_PREFIXES)).astype(bool)


def valid_region_codes(values: pd.Series) -> pd.Series:
    """A two-digit region code or a nine-digit KATO code with a known prefix."""
    s = values.astype("string").fillna("")
    return ((s.str.fullmatch(r"\d{2}|\d{9}").fillna(False)) & s.str[:2].isin(KNOWN_PREFIXES)).astype(bool)


# --- OKED ------------------------------------------------------------------------------------

# section -> (first division, last division); NACE Rev.2 divisions that exist within each range.
OKED_SECTIONS: dict[str, tuple[int, ...]] = {
    "A": (1, 2, 3),
    "B": (5, 6, 7, 8, 9),
    "C": tuple(range(10, 34)),
    "D": (35,),
    "E": (36, 37, 38, 39),
    "F": (41, 42, 43),
    "G": (45, 46, 47),
    "H": (49, 50, 51, 52, 53),
    "I": (55, 56),
    "J": (58, 59, 60, 61, 62, 63),
    "K": (64, 65, 66),
    "L": (68,),
    "M": (69, 70, 71, 72, 73, 74, 75),
    "N": (77, 78, 79, 80, 81, 82),
    "O": (84,),
    "P": (85,),
    "Q": (86, 87, 88),
    "R": (90, 91, 92, 93),
    "S": (94, 95, 96),
    "T": (97, 98),
    "U": (99,),
}
SECTION_CODES: tuple[str, ...] = tuple(OKED_SECTIONS)
DIVISION_TO_SECTION: dict[str, str] = {
    f"{d:02d}": section for section, divisions in OKED_SECTIONS.items() for d in divisions
}

# OKED codes are written 2 digits (division), NN.N (group), NN.NN (class) or NN.NN.N (sub-class);
# the dots are often dropped in exports, so 2-5 bare digits are accepted too.
_OKED_PATTERN = r"\d{2}(?:\.\d(?:\d(?:\.\d)?)?)?|\d{2,5}"


def normalise_oked(values: pd.Series) -> pd.Series:
    """OKED codes in the dotted form NN.NN.N (as far as they go); invalid ones unchanged."""
    s = values.astype("string").str.strip()
    digits = s.str.replace(".", "", regex=False)
    bare = s.str.fullmatch(r"\d{2,5}").fillna(False)
    dotted = digits.str[:2] + (digits.str[2:3].where(digits.str.len() > 2, "").radd(".").where(digits.str.len() > 2, "")) \
        + digits.str[3:4] + digits.str[4:5].radd(".").where(digits.str.len() > 4, "")
    return s.where(~bare, dotted)


def valid_okeds(values: pd.Series) -> pd.Series:
    """A well-formed OKED code whose division exists (the full 5-digit classifier is not bundled)."""
    s = values.astype("string").fillna("").str.strip()
    form = s.str.fullmatch(_OKED_PATTERN).fillna(False)
    return (form & s.str[:2].isin(DIVISION_TO_SECTION.keys())).astype(bool)


def section_of_oked(values: pd.Series) -> pd.Series:
    return values.astype("string").str[:2].map(DIVISION_TO_SECTION)


def valid_sections(values: pd.Series) -> pd.Series:
    return values.astype("string").isin(SECTION_CODES).fillna(False).astype(bool)


# Size classes of the Entrepreneurial Code by average number of employees.
SIZE_CLASSES: tuple[str, ...] = ("micro", "small", "medium", "large")
SIZE_LIMITS = (15, 100, 250)  # micro <= 15, small <= 100, medium <= 250, large above


def size_class_of(employees: pd.Series) -> pd.Series:
    bins = [-1, *SIZE_LIMITS, np.inf]
    return pd.cut(employees.astype(float), bins=bins, labels=list(SIZE_CLASSES)).astype("string")


# The five cause groups of occupational disease used by the Concept.
DISEASE_CAUSES: tuple[str, ...] = (
    "industrial_aerosols",
    "functional_overload",
    "physical",
    "chemical",
    "biological",
)

# Harmfulness classes of working conditions (hygienic classification); 3.x and 4 are harmful/hazardous.
HARMFULNESS_CLASSES: tuple[str, ...] = ("1", "2", "3.1", "3.2", "3.3", "3.4", "4")
HARMFUL_FROM = "3.1"
