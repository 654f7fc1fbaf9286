"""`enbek indicators`: print the indicator table (counts, rates, intervals, ratios, suppression flags)."""

from __future__ import annotations

import argparse
import sys

BY_CHOICES = ("national", "region", "sector", "region,sector")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, default=None, help="year to show (default: every year)")
    parser.add_argument("--by", choices=BY_CHOICES, default="national", help="breakdown (default: national)")
    parser.add_argument("--basis", choices=("current", "harmonised"), default="current", help="region basis (default: current)")
    parser.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default: csv)")
    parser.add_argument(
        "--series", default=None,
        help="official series of the counts: bns (statistics bureau) or mlsp (labour ministry); default: ENBEK_SERIES when the store has it",
    )
    parser.add_argument("--no-suppression", action="store_true", help="show cells that public tables suppress (officials only)")
    parser.add_argument("--store", default=None, help="store path or postgresql:// URL (default: ENBEK_STORE)")


def run(args: argparse.Namespace) -> int:
    from enbek.cli import CommandError, open_existing_store
    from osh import indicators as ind
    from osh.public import protect_indicators

    store = open_existing_store(args.store, read_only=True)
    with store:
        try:
            if args.no_suppression:
                table = ind.indicators(store, by=ind.LEVELS[args.by], basis=args.basis, series=args.series).drop(columns="size_class")
                table["status"] = "ok"
            else:
                # suppression needs the whole region x section table with its margins, on the current basis
                raw = ind.raw_inputs(store)
                frames = [ind.cube(store, basis="current", series=args.series, raw=raw)]
                if args.basis == "harmonised":
                    frames.append(ind.cube(store, basis="harmonised", series=args.series, raw=raw))
                import pandas as pd

                table = protect_indicators(pd.concat(frames, ignore_index=True))
                table = table[(table["basis"] == args.basis) & (ind.level_of(table) == args.by)]
        except ind.IndicatorError as exc:
            raise CommandError(str(exc)) from exc
    if args.year is not None:
        known = sorted(set(table["year"].astype(int)))
        table = table[table["year"] == args.year]
        if table.empty:
            raise CommandError(f"no data for year {args.year}; years in the store: {', '.join(map(str, known)) or 'none'}")
    columns = ["year", "basis", "series", "region", "section", *ind.VALUE_COLUMNS, "status", "covered", "cover_of", "includes"]
    table = table[columns].sort_values(["year", "region", "section"])
    if args.format == "json":
        sys.stdout.write(table.to_json(orient="records", force_ascii=False, indent=1))
        sys.stdout.write("\n")
    else:
        from data.exports import write_csv

        write_csv(table, sys.stdout, float_format="%.6g")
    return 0
