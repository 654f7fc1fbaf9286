"""`enbek` console script: each sub-command lives in its own module with add_arguments() and run()."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from data.scope import Scope
    from data.store import Store

# sub-command -> (module, one-line help). Each module defines
#   add_arguments(parser: argparse.ArgumentParser) -> None
#   run(args: argparse.Namespace) -> int          (the process exit code)
# Modules are imported only when their command runs, so `enbek load` does not pay for geopandas.
COMMANDS: dict[str, tuple[str, str]] = {
    "load": ("enbek.cmd_load", "validate a file and load it into the store"),
    "load-official": ("enbek.cmd_official", "load the published national series of both official systems (cited)"),
    "status": ("enbek.cmd_status", "show what is in the store"),
    "build-demo": ("enbek.cmd_demo", "generate the calibrated demo country and load it"),
    "build-boundaries": ("enbek.cmd_boundaries", "rebuild the embedded region boundary layer from the pinned npm tarball"),
    "indicators": ("enbek.cmd_indicators", "print the indicator table"),
    "publish": ("enbek.cmd_publish", "export the disclosure-controlled public tables"),
    "score": ("enbek.cmd_score", "compute the integral risk degree of every enterprise (table enterprise_risk)"),
    "user": ("enbek.cmd_user", "manage users of the official app"),
    "briefing": ("enbek.cmd_briefing", "render the ministerial briefing pack as PDF"),
    "self-check": ("enbek.cmd_selfcheck", "issue one-time codes for the employers' self-check page"),
    "plan-check": ("enbek.cmd_plan_check", "check every inspection-plan mark against the audit log (exit 1 if any is unaccounted for)"),
    "desk-checks": ("enbek.cmd_desk_checks", "list a region's enterprises whose sources disagree (desk checks, CSV/JSON)"),
}


class CommandError(Exception):
    """A command failed for a reason the user can act on; main() prints it and exits 2."""


def open_existing_store(path: Path | str | None, *, read_only: bool = True) -> Store:
    """The store at `path` (default ENBEK_STORE: a DuckDB file or a postgresql:// URL), which must already
    exist; failures become CommandError."""
    from data.store import StoreError, open_store, resolve_location, store_exists

    location = resolve_location(path)
    if not store_exists(location):
        raise CommandError(f"no store at {location}; run 'enbek build-demo' or 'enbek load TABLE FILE'")
    try:
        return open_store(location, read_only=read_only)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def cli_identity(username: str | None) -> tuple[Scope, str]:
    """Who an enterprise-level command reads as: the users file's `username` (its regions), or the whole country as
    `cli:<OS user>` when none is given (whoever can run the CLI on the host can read the store anyway)."""
    import getpass

    from data.scope import Scope

    if username is None:
        return Scope.country(), f"cli:{getpass.getuser()}"
    from data.auth import AuthError, UsersFileError, default_provider

    try:
        identity = default_provider().lookup(username=username)
    except (AuthError, UsersFileError) as exc:
        raise CommandError(f"--user {username}: {exc}") from exc
    return identity.scope, identity.user


@contextmanager
def writing_existing_store(path: Path | str | None) -> Iterator[Store]:
    """A write session on an existing store (data.store.writing: safe while the app reads it)."""
    from data.store import StoreError, resolve_location, store_exists, writing

    location = resolve_location(path)
    if not store_exists(location):
        raise CommandError(f"no store at {location}; run 'enbek build-demo' or 'enbek load TABLE FILE'")
    try:
        with writing(location) as store:
            yield store
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="enbek", description="Qauipsiz Enbek: OSH risk map and barometer of Kazakhstan")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module_name)
        importlib.import_module(module_name).add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    module = importlib.import_module(args._module)
    try:
        return int(module.run(args))
    except CommandError as exc:
        print(f"enbek {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
