"""Static files the app serves itself (server.enableStaticServing): Leaflet copied from the xstatic-leaflet package."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images")


class AssetError(RuntimeError):
    """A static asset cannot be provided."""


def leaflet_source() -> Path:
    try:
        import xstatic.pkg.leaflet as xleaflet
    except ModuleNotFoundError:
        raise AssetError("the xstatic-leaflet package is not installed; run `pip install -e .`") from None
    return Path(xleaflet.BASE_DIR)


def ensure_leaflet(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet into static/leaflet/ unless the same version is already there; returns that directory."""
    import xstatic.pkg.leaflet as xleaflet

    source = leaflet_source()
    target = static_dir / "leaflet"
    stamp = target / "VERSION"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == xleaflet.VERSION and (target / "leaflet.js").is_file():
        return target
    tmp = static_dir / f".leaflet.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in LEAFLET_FILES:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, tmp / name)
        elif src.is_file():
            shutil.copy2(src, tmp / name)
        else:
            raise AssetError(f"{src} is missing from the xstatic-leaflet package")
    (tmp / "VERSION").write_text(xleaflet.VERSION, encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    try:
        tmp.rename(target)
    except OSError:  # another app process copied it at the same moment
        shutil.rmtree(tmp, ignore_errors=True)
        if not (target / "leaflet.js").is_file():
            raise AssetError(f"could not copy Leaflet into {target}") from None
    return target
