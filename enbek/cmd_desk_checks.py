"""`enbek desk-checks`: the desk-check list of a region (enterprises whose sources disagree) as CSV or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", required=True, metavar="KATO",
                        help="2-digit region code or 9-digit KATO code, or KZ for the whole country")
    parser.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default csv)")
    parser.add_argument("--lang", choices=("kk", "ru", "en"), default="en",
                        help="language of the rule names and evidence (default en)")
    parser.add_argument("--year", type=int, default=None, help="the checked year (default: the scored year)")
    parser.add_argument("--store", type=Path, default=None, help="store path (default: ENBEK_STORE)")
    parser.add_argument("--user", default=None, help="limit to this user's regions (users file)")
    parser.add_argument("--out", type=Path, default=None, help="write to this file instead of standard output")


def run(args: argparse.Namespace) -> int:
    from data import exports
    from data.audit import AuditError, audit_log
    from data.scope import ScopeError
    from enbek.cli import CommandError, cli_identity, open_existing_store
    from geo.regions import UnknownRegionError, region, region_of_kato
    from osh import desk_checks
    from osh.enterprises import RiskTableMissing

    code = str(args.region).strip().upper()
    try:
        area = None if code == "KZ" else (region_of_kato(code) if len(code) in (2, 9) and code.isdigit() else region(code).code)
    except UnknownRegionError as exc:
        raise CommandError(f"--region {args.region!r}: {exc}") from None
    scope, user = cli_identity(args.user)
    store = open_existing_store(args.store)
    try:
        frame = desk_checks.desk_list(store, scope=scope, region=area, lang=args.lang, year=args.year)
    except ScopeError as exc:
        raise CommandError(str(exc)) from exc
    except (RiskTableMissing, desk_checks.DeskCheckConfigError) as exc:
        raise CommandError(str(exc)) from exc
    finally:
        store.close()
    name = f"desk_checks_{area or 'KZ'}"
    try:  # an enterprise-level list leaves the store only with a line in the audit log
        audit_log().record(user=user, action="download_list", object=f"{name}.{args.format}",
                           detail={"region": area or "KZ", "rows": len(frame), "file": str(args.out or "-")})
    except AuditError as exc:
        raise CommandError(f"not written: the audit log refused the event ({exc})") from exc
    if args.format == "csv":
        data = exports.csv_bytes(frame)
    else:
        data = exports.safe_frame(frame).to_json(orient="records", force_ascii=False, indent=1).encode("utf-8")
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(data)
        print(f"{args.out}: {len(frame)} enterprises flagged in {area or 'KZ'}", file=sys.stderr)
    return 0
