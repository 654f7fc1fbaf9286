"""`enbek build-boundaries`: rebuild the embedded region layer from the pinned amCharts npm tarball."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="where the npm tarball is kept (default: .boundaries-cache/ in the project)")
    parser.add_argument("--out-dir", type=Path, default=None,
                        help="where to write kz_regions.geojson, LICENSE and the metrics file (default: geo/boundaries/)")
    parser.add_argument("--no-gazetteer", action="store_true",
                        help="do not re-assign the settlement gazetteer to regions against the new layer "
                             "(implied by --out-dir)")


def run(args: argparse.Namespace) -> int:
    from enbek.cli import CommandError
    from geo import build

    kwargs: dict[str, Path] = {}
    if args.cache_dir is not None:
        kwargs["cache_dir"] = args.cache_dir
    if args.out_dir is not None:
        kwargs["out_dir"] = args.out_dir
    try:
        # the gazetteer extract belongs to the embedded layer: refresh it only when that layer is rebuilt
        update = not args.no_gazetteer and args.out_dir is None
        result = build.build_boundaries(update_gazetteer=update, **kwargs)
    except build.BuildError as exc:
        raise CommandError(str(exc)) from exc
    print(f"wrote {result.layer} ({result.bytes} bytes, {result.vertices} vertices, sha256 {result.sha256})")
    print(f"max border displacement {result.max_displacement_deg:.4f}° (limit {build.MAX_DISPLACEMENT_DEG}°)")
    print(f"licence {result.license}; metrics {result.metrics}")
    for code, area in result.areas_km2.items():
        print(f"  {code}  {area:12,.0f} km²")
    return 0
