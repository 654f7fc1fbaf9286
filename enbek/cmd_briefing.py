"""`enbek briefing`: render the ministerial briefing pack (kk, ru or en) as one PDF."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="the year of the figures, e.g. 2024")
    parser.add_argument("--lang", choices=("kk", "ru", "en"), default=None, help="language (default: ENBEK_LANG)")
    parser.add_argument("--region", default=None, metavar="KATO",
                        help="a region pack: 2-digit region code or 9-digit KATO code (default: the national pack)")
    parser.add_argument("--series", default=None, metavar="ID",
                        help="the one series of every table and chart, e.g. bns or mlsp (default: the published "
                             "default_series, else ENBEK_SERIES); the targets are always tracked on bns")
    parser.add_argument("--public-dir", type=Path, default=None,
                        help="published public tables (default in public mode: ENBEK_PUBLIC_DIR; in official mode the "
                             "tables are built from the store unless this is given)")
    parser.add_argument("--store", default=None, help="store path or postgresql:// URL in official mode (default: ENBEK_STORE)")
    parser.add_argument("--user", default=None,
                        help="official mode: limit the inspection-list page to this user's regions (users file)")
    parser.add_argument("--no-enterprises", action="store_true",
                        help="official mode: leave out the inspection-list page (public content only)")
    parser.add_argument("--out", type=Path, required=True, help="the PDF file to write")


def run(args: argparse.Namespace) -> int:
    import time

    from data import settings
    from enbek.cli import CommandError, cli_identity
    from layers.briefing import BriefingError, build_briefing, normalise_region

    started = time.perf_counter()
    lang = args.lang or settings.get("ENBEK_LANG")
    if lang not in ("kk", "ru", "en"):
        raise CommandError(f"ENBEK_LANG={lang!r}: expected kk, ru or en (or pass --lang)")
    mode = settings.mode()
    store = None
    scope = None
    user = None
    if mode == "public":
        if args.store is not None or args.user is not None:
            raise CommandError("ENBEK_MODE=public: the public pack reads only the published directory; "
                               "--store and --user are for the official mode")
    else:
        from data.store import StoreError, open_store, resolve_location, store_exists

        path = resolve_location(args.store)
        if args.public_dir is None or not args.no_enterprises:
            if not store_exists(path):
                raise CommandError(f"no store at {path}; run 'enbek build-demo', or pass --public-dir DIR --no-enterprises")
            try:
                store = open_store(path, read_only=True)
            except StoreError as exc:
                raise CommandError(str(exc)) from exc
        if not args.no_enterprises:
            scope, user = cli_identity(args.user)
    from osh.enterprises import RiskTableMissing
    from osh.public import PublicDataError

    try:
        briefing = build_briefing(year=args.year, lang=lang, region_code=args.region, series=args.series, mode=mode,
                                  public_dir=args.public_dir, store=store, scope=scope)
    except (BriefingError, PublicDataError) as exc:
        raise CommandError(str(exc)) from exc
    except RiskTableMissing as exc:
        raise CommandError(f"{exc}; or pass --no-enterprises for the pack without the inspection list") from exc
    finally:
        if store is not None:
            store.close()
    if "inspections" in briefing.pages and user is not None:
        from data.audit import AuditError, audit_log

        try:
            audit_log().record(user=user, action="download_list", object="briefing_inspection_list",
                               detail={"year": args.year, "lang": lang, "region": normalise_region(args.region) or "KZ",
                                       "file": str(args.out)})
        except AuditError as exc:
            raise CommandError(f"not written: the audit log refused the event ({exc})") from exc
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(briefing.pdf)
    print(f"{args.out}: {len(briefing.pages)} pages ({', '.join(briefing.pages)}), {len(briefing.pdf) // 1024} KiB, "
          f"{time.perf_counter() - started:.1f} s")
    return 0
