"""The lock files pin every dependency of pyproject.toml at a version its specifier allows, the same pin in both
files, so that a dependency added or raised without `make lock` fails here rather than at install time."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return {canonicalize_name(m.group(1)): m.group(2) for m in PIN.finditer(text)}


def unpinned(requirements: list[str], locked: dict[str, str]) -> list[str]:
    """Requirements the lock does not satisfy: missing, or pinned outside the specifier."""
    bad = []
    for line in requirements:
        req = Requirement(line)
        version = locked.get(canonicalize_name(req.name))
        if version is None:
            bad.append(f"{req.name}: not in the lock")
        elif not req.specifier.contains(version, prereleases=True):
            bad.append(f"{req.name}: locked {version}, pyproject asks {req.specifier}")
    return bad


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        ("requirements-dev.lock", [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["dev"]]),
    ],
)
def test_lock_satisfies_pyproject(lock: str, requirements: list[str]) -> None:
    assert unpinned(requirements, pins(lock)) == [], f"{lock} is stale: run `make lock`"


def test_every_pin_has_hashes_and_both_locks_agree() -> None:
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1])
        for block in blocks:
            if PIN.match(block):
                assert "--hash=sha256:" in block, f"{lock}: {block.splitlines()[0]} has no hash"
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_a_stale_lock_is_named() -> None:
    assert unpinned(["pandas>=3,<4", "psycopg>=3.1"], {"pandas": "2.2.3"}) == [
        "pandas: locked 2.2.3, pyproject asks <4,>=3",
        "psycopg: not in the lock",
    ]
