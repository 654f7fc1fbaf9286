"""`enbek publish`: compute the disclosure-controlled public tables and write them (parquet + meta.json) and the
open-data bundle (CSV, JSON, GeoJSON, datapackage.json; docs/open-data.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from data.opendata import Bundle
    from osh.public import PublicData


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, help="output directory (default: ENBEK_PUBLIC_DIR)")
    parser.add_argument("--store", default=None, help="store path or postgresql:// URL (default: ENBEK_STORE)")
    parser.add_argument(
        "--series", default=None,
        help="series the pages show first: bns (statistics bureau) or mlsp (labour ministry); every series in the store is published",
    )


def run(args: argparse.Namespace) -> int:
    from data import settings
    from enbek.cli import CommandError, open_existing_store
    from osh.indicators import IndicatorError
    from osh.public import PublicDataError, build_public_data, write_public_data

    out = args.out or settings.get_path("ENBEK_PUBLIC_DIR")
    store = open_existing_store(args.store, read_only=True)
    with store:
        try:
            data = build_public_data(store, default_series=args.series)
        except (IndicatorError, PublicDataError) as exc:
            raise CommandError(str(exc)) from exc
    bundle = _write_open_data(data, out_dir=out)
    # the bundle first: when the app sees the new meta.json, the bundle beside it is already the new one
    write_public_data(data, out_dir=out)
    ind = data.indicators
    conf = int((ind["status"] == "confidential").sum())
    print(
        f"public tables written to {out}: {len(ind)} indicator rows ({conf} confidential, "
        f"{int((ind['status'] == 'no_data').sum())} no data), {len(data.diseases)} disease rows, "
        f"{len(data.targets)} target rows, {len(data.official)} official figures, {len(data.measures)} OSH-measure rows "
        f"({int((data.measures['status'] == 'confidential').sum())} confidential); years {data.meta.get('years', '')}; "
        f"series {data.meta.get('series', '')} (shown first: {data.meta.get('default_series', '')})"
    )
    print(f"open-data bundle version {bundle.version} written to {bundle.directory} ({len(bundle.files)} files) "
          f"and {bundle.archive}")
    return 0


def _write_open_data(data: PublicData, *, out_dir: Path) -> Bundle:
    """The bundle with the regions of the boundary file the maps use (ENBEK_BOUNDARIES); `created` is the
    publication's own timestamp, so the bundle and meta.json say the same."""
    from data import settings
    from data.opendata import OpenDataError, write_bundle
    from enbek.cli import CommandError
    from geo.boundaries import EMBEDDED_LAYER, BoundaryError, load_boundaries

    path = settings.boundaries_path()
    try:
        boundaries = load_boundaries(path)
        return write_bundle(data, out_dir=out_dir, boundaries=boundaries, created=data.meta.get("built_at", ""),
                            embedded_boundaries=Path(path).resolve() == EMBEDDED_LAYER.resolve())
    except (BoundaryError, OpenDataError) as exc:
        raise CommandError(f"open-data bundle not written: {exc}") from exc
