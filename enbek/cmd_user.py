"""`enbek user add|list|disable|demo`: manage the users of the official app (ENBEK_USERS_FILE)."""

from __future__ import annotations

import argparse
import sys

from enbek.cli import CommandError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="add a user or reset their role, regions and password")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["ministry", "akimat", "assessor"],
                     help="assessor: an accredited organisation that may only upload workplace_assessments")
    add.add_argument(
        "--region", action="append", default=[], metavar="CODE",
        help="2-digit region code an akimat user may see (repeat for several, e.g. --region 35 --region 62)",
    )
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.add_argument(
        "--oidc-only", action="store_true",
        help="no password: the user signs in through OIDC (ENBEK_AUTH=oidc); USERNAME is their e-mail claim",
    )
    sub.add_parser("list", help="list users (never their hashes)")
    disable = sub.add_parser("disable", help="disable a user; their open sessions end on the next page run")
    disable.add_argument("username")
    audit = sub.add_parser("audit", help="check the audit log's hash chain and show its latest events")
    audit.add_argument("--tail", type=int, default=20, metavar="N", help="show the last N events (default 20; 0 = none)")
    audit.add_argument("--user", default=None, help="only events of this user")
    sub.add_parser(
        "demo",
        help="create a demo ministry user and a demo akimat user (Karaganda, 35) if there are no users yet",
    )


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("--password-stdin: stdin gave an empty password")
        return password
    if not sys.stdin.isatty():
        raise CommandError("no terminal to ask for the password; pipe it in with --password-stdin")
    import getpass

    first = getpass.getpass(f"Password for {args.username}: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise CommandError("the two passwords differ; nothing was changed")
    return first


def run(args: argparse.Namespace) -> int:
    from data import auth, settings

    path = settings.get_path("ENBEK_USERS_FILE")
    try:
        if args.action == "add":
            # Check name, role and regions before asking for a password that would then be wasted.
            auth.validate_user(username=auth.normalise_username(args.username), role=args.role, regions=args.region)
            record = auth.add_user(
                path=path, username=args.username, role=args.role, regions=args.region,
                password=None if args.oidc_only else _read_password(args),
            )
            where = ", ".join(record.regions) if record.regions else "whole country"
            print(f"user {record.username}: role {record.role} ({where}) saved in {path}")
        elif args.action == "list":
            users = auth.UsersFile(path).load()
            if not users:
                print(f"no users in {path}")
            for user in sorted(users.values(), key=lambda u: u.username):
                where = ",".join(user.regions) if user.regions else "KZ"
                state = "disabled" if user.disabled else ("oidc-only" if not user.password_hash else "active")
                print(f"{user.username:<32} {user.role:<9} {where:<12} {state}")
        elif args.action == "disable":
            record = auth.disable_user(path=path, username=args.username)
            print(f"user {record.username} disabled")
        elif args.action == "demo":
            return _demo(path)
        elif args.action == "audit":
            return _audit(tail=args.tail, user=args.user)
    except auth.UsersFileError as exc:
        raise CommandError(str(exc)) from None
    return 0


def _demo(path: object) -> int:
    from pathlib import Path

    from data import auth, settings

    if settings.mode() == "public":
        print("ENBEK_MODE=public: the public app has no login; no demo users needed")
        return 0
    credentials = settings.data_dir() / auth.DEMO_CREDENTIALS_FILE
    created = auth.ensure_demo_users(path=Path(str(path)), credentials_path=credentials)
    if not created:
        users = auth.UsersFile(Path(str(path))).load()
        demo = [name for name in users if name in (auth.DEMO_MINISTRY_USER, auth.DEMO_AKIMAT_USER)]
        hint = f"; demo credentials were written to {credentials} on first start" if demo and credentials.exists() else ""
        print(f"users file {path} already has {len(users)} user(s){hint}")
        return 0
    print("DEMO users created (demo data only - never use these accounts with real data):")
    for c in created:
        where = f"region {', '.join(c.regions)}" if c.regions else "whole country"
        print(f"  {c.username:<16} password: {c.password}   ({c.role}, {where})")
    print(f"These credentials are also in {credentials} (readable by you only).")
    return 0


def _audit(*, tail: int, user: str | None) -> int:
    from collections import deque

    from data.audit import AuditError, audit_log

    log = audit_log()
    try:
        count = log.verify()
        wanted = (e for e in log.events() if user is None or e.user == user)
        last = deque(wanted, maxlen=max(tail, 0))
    except AuditError as exc:
        raise CommandError(str(exc)) from None
    for e in last:
        detail = " ".join(f"{k}={v}" for k, v in sorted(e.detail.items()))
        print(f"{e.ts}  {e.user:<24} {e.action:<15} {e.object:<16} {detail}".rstrip())
    anchor = log.anchor()
    if anchor is not None and anchor.rebuilt:
        print(f"note: the anchor {log.anchor_path} was re-made on {anchor.rebuilt} from the {anchor.rebuilt_lines} lines the log "
              "held then; lines removed before that cannot be detected from this host")
    print(f"audit log {log.path}: {count} events, hash chain intact, none removed from the end (anchor {log.anchor_path})")
    return 0
