"""`enbek publish`: compute the disclosure-controlled public tables and write them (parquet + meta.json)."""

from __future__ import annotations

import argparse
from pathlib import Path


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
    write_public_data(data, out_dir=out)
    ind = data.indicators
    conf = int((ind["status"] == "confidential").sum())
    print(
        f"public tables written to {out}: {len(ind)} indicator rows ({conf} confidential, "
        f"{int((ind['status'] == 'no_data').sum())} no data), {len(data.diseases)} disease rows, "
        f"{len(data.targets)} target rows, {len(data.official)} official figures; years {data.meta.get('years', '')}; "
        f"series {data.meta.get('series', '')} (shown first: {data.meta.get('default_series', '')})"
    )
    return 0
