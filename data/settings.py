"""One settings registry: every knob has a name, a default and a help text; ENBEK_* variables override."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


# The README's settings table is checked against this tuple by tests/unit/test_settings.py.
SETTINGS: tuple[Setting, ...] = (
    Setting("ENBEK_DATA_DIR", "var", "Directory for the store, rejects reports, users and the audit log "
                                     "(relative paths are resolved from the working directory)."),
    Setting("ENBEK_STORE", "{ENBEK_DATA_DIR}/enbek.duckdb", "Store of the enterprise-level data: path of the "
                                                            "embedded DuckDB file, or a postgresql:// URL of "
                                                            "the PostgreSQL/PostGIS store (docs/deployment.md)."),
    Setting("ENBEK_BOUNDARIES", "geo/boundaries/kz_regions.geojson", "Region boundary file (any OGR-readable "
                                                                     "file with a KATO code column); default "
                                                                     "is the embedded amCharts-derived layer."),
    Setting("ENBEK_DISTRICT_BOUNDARIES", "", "Optional district file (any OGR-readable file with a KATO "
                                             "district code of 4, 6 or 9 digits and the names name_kk, "
                                             "name_ru, name_en): names the district of each enterprise in the "
                                             "inspection plan and draws district outlines on a region's map; "
                                             "empty = the plan shows the district's KATO code and no outlines "
                                             "are drawn."),
    Setting("ENBEK_MODE", "official", "Deployment mode: 'official' (login, enterprise map) or 'public' (barometer only, reads ENBEK_PUBLIC_DIR)."),
    Setting("ENBEK_PUBLIC_DIR", "{ENBEK_DATA_DIR}/public", "Directory of disclosure-controlled public tables written by 'enbek publish'."),
    Setting("ENBEK_USERS_FILE", "{ENBEK_DATA_DIR}/users.toml", "Users of the official app with salted password hashes."),
    Setting("ENBEK_AUDIT_LOG", "{ENBEK_DATA_DIR}/audit.log", "Append-only audit log of enterprise views and downloads."),
    Setting("ENBEK_AUDIT_SYSLOG", "", "Forward every audit event to syslog as well: empty = off, 'local' = "
                                      "/dev/log, a Unix socket path, or HOST:PORT (UDP); if forwarding fails "
                                      "the page stops as when the log cannot be written."),
    Setting("ENBEK_SESSION_MINUTES", "30", "Idle minutes after which an official session expires."),
    Setting("ENBEK_CLOSED_TAB_SECONDS", "30", "Seconds a signed-in tab's connection must stay gone before its session "
                                              "is ended and logged as a closed tab."),
    Setting("ENBEK_LOCKOUT_ATTEMPTS", "5", "Failed logins after which a user is locked out."),
    Setting("ENBEK_LOCKOUT_MINUTES", "15", "Minutes a locked-out user must wait."),
    Setting("ENBEK_MAP_POINT_LIMIT", "50000", "Largest number of enterprises drawn as individual points; above it the map shows aggregates."),
    Setting("ENBEK_TILES", "", "Optional basemap tile URL template; empty means no basemap (works offline)."),
    Setting("ENBEK_LANG", "kk", "Default interface language: kk, ru or en."),
    Setting("ENBEK_DEMO_SEED", "2024", "Seed of the demo-data generator."),
    Setting("ENBEK_DEMO_SCALE", "1.0", "Fraction of the national scale the demo generator builds (1.0 = about 400 000 enterprises)."),
    Setting("ENBEK_RISK_CONFIG", "osh/risk_model.toml", "Weights and thresholds of the integral risk model."),
    Setting("ENBEK_DESK_CHECKS", "osh/desk_checks.toml", "Rules, thresholds and texts (kk/ru/en) of the desk checks that compare sources."),
    Setting("ENBEK_SERIES", "bns", "Official count series shown by default (bns = statistics bureau, mlsp = "
                                   "labour inspectorate); figures of two series are never mixed."),
    Setting("ENBEK_RECORDS_SERIES", "mlsp", "Series that the store's record-level accidents and disease cases "
                                            "belong to, unless the store names one (the demo build does)."),
    Setting("ENBEK_INBOX_DIR", "{ENBEK_DATA_DIR}/inbox", "Self-check inbox: hashes of one-time codes (written "
                                                         "by 'enbek self-check codes') and the append-only "
                                                         "submissions of the public self-check page; give the "
                                                         "public app only this directory and the published one."),
    Setting("ENBEK_AUTH", "password", "How official users log in: 'password' (users file with argon2 hashes) "
                                      "or 'oidc' (Streamlit st.login, configured in .streamlit/secrets.toml; "
                                      "the users file maps the e-mail claim to role and regions)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class SettingError(ValueError):
    """A setting has a value that cannot be used."""


def get(name: str) -> str:
    """The setting's value: the environment variable if set, else the default, with {OTHER} expanded."""
    try:
        setting = _BY_NAME[name]
    except KeyError:
        raise SettingError(f"unknown setting {name!r}; known: {', '.join(_BY_NAME)}") from None
    raw = os.environ.get(name, setting.default)
    return raw.format(**{other: get(other) for other in _BY_NAME if "{" + other + "}" in raw})


def get_int(name: str) -> int:
    value = get(name)
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number") from None


def get_float(name: str) -> float:
    value = get(name)
    try:
        return float(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a number") from None


def _from_environment(name: str) -> bool:
    """Whether the value of a setting (or of a setting its default refers to) was given by the environment."""
    if name in os.environ:
        return True
    default = _BY_NAME[name].default
    return any(_from_environment(other) for other in _BY_NAME if "{" + other + "}" in default)


def get_path(name: str) -> Path:
    """A path setting: relative values given in the environment resolve from the working directory,
    relative defaults from the project root (so the app finds its files wherever it is started)."""
    value = get(name)
    if not value:
        raise SettingError(f"{name} is not set")
    path = Path(value).expanduser()
    if path.is_absolute():
        return path
    return (Path.cwd() if _from_environment(name) else PROJECT_ROOT) / path


def data_dir() -> Path:
    return get_path("ENBEK_DATA_DIR")


def store_path() -> Path:
    return get_path("ENBEK_STORE")


def boundaries_path() -> Path:
    return get_path("ENBEK_BOUNDARIES")


def mode() -> str:
    value = get("ENBEK_MODE")
    if value not in ("official", "public"):
        raise SettingError(f"ENBEK_MODE={value!r}: expected 'official' or 'public'")
    return value
