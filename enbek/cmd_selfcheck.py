"""`enbek self-check codes`: issue one-time codes for the public self-check page (hashes to the inbox, plain codes for mailing)."""

from __future__ import annotations

import argparse
import csv
import io
import os
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    codes = sub.add_parser("codes", help="issue one one-time code per BIN of a region, for mailing",
                           description="Write the plain codes to --out (for the letters) and only their salted hashes to the inbox.")
    codes.add_argument("--region", required=True, help="region of the issuing akimat: 2-digit code or 9-digit KATO")
    codes.add_argument("--bins", required=True, type=Path, help="text or CSV file: one BIN per line (first column; a header line is skipped)")
    codes.add_argument("--out", required=True, type=Path, help="CSV to write bin, code, expires (mode 0600; must not exist)")
    codes.add_argument("--inbox", type=Path, default=None, help="inbox directory (default: ENBEK_INBOX_DIR)")
    codes.add_argument("--valid-days", type=int, default=180, help="days the codes stay valid (default 180)")
    rotate = sub.add_parser("rotate", help="move the imported submissions aside so a new inbox chain starts",
                            description="Run after 'enbek load self_assessments INBOX' has loaded the inbox.")
    rotate.add_argument("--inbox", type=Path, default=None, help="inbox directory (default: ENBEK_INBOX_DIR)")


def read_bins(path: Path) -> list[str]:
    """BINs from the first column; a header line is skipped; invalid values are refused naming their line."""
    from data.codes import is_valid_bin
    from enbek.cli import CommandError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        text = path.read_bytes().decode("cp1251", errors="replace")
    bins: list[str] = []
    bad: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = next(csv.reader(io.StringIO(line.replace(";", ",").replace("\t", ","))), [])
        value = cells[0].strip() if cells else ""
        if not value:
            continue
        if number == 1 and not value.isdigit():
            continue  # header
        if value.isdigit() and len(value) in (10, 11):
            value = value.zfill(12)  # a spreadsheet dropped the leading zeros
        if is_valid_bin(value):
            bins.append(value)
        else:
            bad.append(f"line {number}: {value!r}")
    if bad:
        raise CommandError(f"{path}: not valid BINs (12 digits with a check digit), no codes issued: " + "; ".join(bad[:10])
                           + (f"; and {len(bad) - 10} more" if len(bad) > 10 else ""))
    if not bins:
        raise CommandError(f"{path}: no BINs found")
    return bins


def run(args: argparse.Namespace) -> int:
    if args.action == "rotate":
        return _rotate(args)
    return _codes(args)


def _rotate(args: argparse.Namespace) -> int:
    from data.inbox import InboxError, inbox_dir, rotate_inbox
    from enbek.cli import CommandError

    inbox = args.inbox or inbox_dir()
    try:
        moved = rotate_inbox(inbox)
    except InboxError as exc:
        raise CommandError(str(exc)) from None
    print(f"{inbox}: nothing to rotate" if moved is None else f"submissions moved to {moved}; new submissions start a new chain")
    return 0


def _codes(args: argparse.Namespace) -> int:
    from data.inbox import InvalidBin, inbox_dir, issue_codes, region_of
    from enbek.cli import CommandError
    from geo.regions import UnknownRegionError, region_name

    try:
        region = region_of(args.region)
    except UnknownRegionError as exc:
        raise CommandError(str(exc)) from None
    if args.out.exists():
        raise CommandError(f"{args.out} exists; codes are secret and never overwritten — choose a new file")
    if args.valid_days < 1:
        raise CommandError(f"--valid-days must be >= 1, got {args.valid_days}")
    bins = read_bins(args.bins)
    inbox = args.inbox or inbox_dir()
    try:
        issued = issue_codes(bins=bins, region_code=region, inbox=inbox, valid_days=args.valid_days)
    except InvalidBin as exc:
        raise CommandError(str(exc)) from None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["bin", "code", "expires", "region"])
        for item in issued:
            writer.writerow([item.bin, item.code, item.expires.isoformat(), item.region])
    print(f"issued {len(issued)} one-time codes for {region_name(region, 'en')} ({region}), valid until {issued[0].expires}")
    print(f"hashes: {inbox}/codes/ (copy this directory to the public host's ENBEK_INBOX_DIR)")
    print(f"plain codes for the letters: {args.out} (mode 0600; delete it after mailing)")
    return 0
