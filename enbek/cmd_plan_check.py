"""`enbek plan-check`: is every inspection-plan mark accounted for by the audit log?

The official app logs each mark (`plan_mark`) before it writes the plan file (<data dir>/inspection_plan.duckdb),
so a mark without its event was written past the app, and an event without its mark was removed past it. The
audit log's own hash chain is verified first: a trimmed or edited log cannot vouch for the plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", type=Path, default=None,
                        help="plan file (default: <ENBEK_DATA_DIR>/inspection_plan.duckdb)")


def run(args: argparse.Namespace) -> int:
    from data.audit import AuditError, audit_log
    from data.scope import Scope
    from enbek.cli import CommandError
    from osh import plan

    where = args.plan or plan.plan_path()
    if not Path(where).exists():
        raise CommandError(f"no plan file at {where}: nothing has been marked yet")
    log = audit_log()
    try:
        events = log.verify()
    except AuditError as exc:
        raise CommandError(f"audit log {log.path}: {exc}") from exc
    try:
        with plan.open_plan(Path(where)) as store:
            marks = len(plan.marks(store, scope=Scope.country()))
            problems = plan.reconcile(store, events=log.events(), scope=Scope.country())
    except plan.PlanError as exc:
        raise CommandError(str(exc)) from exc
    for row in problems.to_dict("records"):
        print(f"{row['problem']}: BIN {row['bin']} region {row['region'] or '?'} status {row['status']} "
              f"date {row['date']} user {row['user']}")
    print(f"{where}: {marks} marks, {events} audit events, {len(problems)} unaccounted", file=sys.stderr)
    return 1 if len(problems) else 0
