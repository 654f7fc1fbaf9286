"""The self-check inbox: one-time codes (stored as salted hashes), append-only submissions, and the import reader.

Who writes what:
- `enbek self-check codes` (official side) issues one random code per BIN for mailing and writes only
  salted PBKDF2 hashes of them to `<inbox>/codes/*.jsonl`.
- The public self-check page appends each accepted submission as one JSON line to
  `<inbox>/submissions.jsonl` (O_APPEND under an flock, mode 0600), after checking the BIN, the code,
  the per-BIN limits and the answers. Each line carries the SHA-256 of the line before it, so a line
  changed or removed later breaks the chain.
- `enbek load self_assessments INBOX` reads the inbox back (read_inbox): every line is checked again
  (chain, code issued for that BIN and not expired, code not used before, answers valid, the stored
  profile equal to the one recomputed from the answers) and goes through data.loader like any table.
Plain codes are never stored: not in the codes files, not in submissions, not in the store.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from data import settings
from data.auth import LockedOut, LockoutStore, UsersFileError
from data.codes import is_valid_bin
from geo.regions import UnknownRegionError, region
from osh.selfcheck import scoring
from osh.selfcheck.content import SCREENING

if TYPE_CHECKING:
    from data.loader import LoadReport
    from data.store import Store

Clock = Callable[[], datetime]

SUBMISSIONS = "submissions.jsonl"
HEAD = "submissions.head.json"  # line count and hash of the last line: catches an edited last line or cut-off tail
CODES_DIR = "codes"
ATTEMPTS = "attempts.json"
GENESIS = "0" * 64
FORMAT_VERSION = 1
# Crockford base32 without I, L, O, U: 12 symbols = 60 random bits, typed by hand from a letter.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
PBKDF2_ITERATIONS = 20_000  # slows an offline search of a stolen codes file; still ~10 ms per check
MAX_LINE_BYTES = 16_384  # one submission: ~25 answers and the profile take about 2 KB
MAX_INBOX_BYTES = 50 * 1024 * 1024  # beyond this the inbox refuses new lines until it is imported and rotated
MAX_PER_BIN_PER_DAY = 3
CODE_ATTEMPTS = 5  # wrong codes per BIN before the BIN is locked for CODE_LOCK_MINUTES
CODE_LOCK_MINUTES = 60.0
DEFAULT_VALID_DAYS = 180


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- errors (messages are safe to show to the employer; the page translates them by class) -----------------


class IntakeError(ValueError):
    """A submission cannot be accepted; `reason` is a stable key the page translates."""

    reason = "invalid"


class InvalidBin(IntakeError):
    reason = "bin"


class InvalidCode(IntakeError):
    reason = "code"


class CodeAlreadyUsed(IntakeError):
    reason = "used"


class RateLimited(IntakeError):
    reason = "rate"


class InboxFull(IntakeError):
    reason = "full"


class NotEligible(IntakeError):
    reason = "screening"


class InboxError(RuntimeError):
    """The inbox or a codes file cannot be read or written (message names the file and line)."""


# --- codes -------------------------------------------------------------------------------------------------


def inbox_dir() -> Path:
    return settings.get_path("ENBEK_INBOX_DIR")


def generate_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(text: str) -> str:
    """What a person types: case, spaces and hyphens ignored, O read as 0 and I/L as 1 (Crockford)."""
    cleaned = "".join(ch for ch in str(text).upper() if ch not in " -\t")
    return cleaned.translate(str.maketrans("OIL", "011"))


def _code_hash(*, code: str, bin: str, salt: bytes, iterations: int) -> str:
    # The BIN is part of the hashed text: a code is good for its own BIN only.
    return hashlib.pbkdf2_hmac("sha256", f"{bin}:{normalise_code(code)}".encode(), salt, iterations).hex()


@dataclass(frozen=True)
class CodeRecord:
    code_id: str
    bin: str
    region: str
    salt: str  # hex
    hash: str  # hex PBKDF2-HMAC-SHA256 of "BIN:CODE"
    iterations: int
    issued: str  # ISO date
    expires: str  # ISO date, last valid day

    def matches(self, code: str) -> bool:
        candidate = _code_hash(code=code, bin=self.bin, salt=bytes.fromhex(self.salt), iterations=self.iterations)
        return hmac.compare_digest(candidate, self.hash)


@dataclass(frozen=True)
class IssuedCode:
    bin: str
    code: str  # the plain code: printed on the letter, never stored
    code_id: str
    region: str
    expires: date


def region_of(value: str) -> str:
    """A 2-digit region code or a 9-digit KATO -> the 2-digit region code (raises UnknownRegionError)."""
    text = str(value).strip()
    if not (text.isdigit() and len(text) in (2, 9)):
        raise UnknownRegionError(f"region {value!r}: expected a 2-digit region code or a 9-digit KATO code")
    return region(text[:2]).code


def issue_codes(
    *,
    bins: Iterable[str],
    region_code: str,
    inbox: Path,
    valid_days: int = DEFAULT_VALID_DAYS,
    iterations: int = PBKDF2_ITERATIONS,
    clock: Clock = utc_now,
) -> list[IssuedCode]:
    """One new code per BIN (BINs must be valid; duplicates get one code); only hashes are written to the inbox."""
    reg = region_of(region_code)
    if valid_days < 1:
        raise ValueError(f"valid_days must be >= 1, got {valid_days}")
    wanted = list(dict.fromkeys(str(b).strip() for b in bins))
    bad = [b for b in wanted if not is_valid_bin(b)]
    if bad:
        raise InvalidBin(f"not valid BINs (12 digits with a check digit): {', '.join(bad[:10])}" + (" ..." if len(bad) > 10 else ""))
    now = clock()
    expires = now.date() + timedelta(days=valid_days)
    issued: list[IssuedCode] = []
    lines: list[str] = []
    for b in wanted:
        code = generate_code()
        salt = secrets.token_bytes(16)
        record = CodeRecord(
            code_id=uuid.uuid4().hex, bin=b, region=reg, salt=salt.hex(),
            hash=_code_hash(code=code, bin=b, salt=salt, iterations=iterations), iterations=iterations,
            issued=now.date().isoformat(), expires=expires.isoformat(),
        )
        lines.append(json.dumps(record.__dict__, sort_keys=True))
        issued.append(IssuedCode(b, code, record.code_id, reg, expires))
    folder = Path(inbox) / CODES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{reg}-{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}.jsonl"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return issued


class CodeBook:
    """All code records of an inbox, by BIN and by id."""

    def __init__(self, inbox: Path) -> None:
        self.by_id: dict[str, CodeRecord] = {}
        self.by_bin: dict[str, list[CodeRecord]] = {}
        folder = Path(inbox) / CODES_DIR
        for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    raw = json.loads(line)
                    record = CodeRecord(**{k: raw[k] for k in CodeRecord.__dataclass_fields__})
                    int(record.iterations)
                    bytes.fromhex(record.salt)
                except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                    raise InboxError(f"{path} line {number}: not a code record ({exc})") from None
                self.by_id[record.code_id] = record
                self.by_bin.setdefault(record.bin, []).append(record)

    def verify(self, *, bin: str, code: str, on: date) -> CodeRecord:
        """The record of a valid, unexpired code for this BIN; InvalidCode otherwise (same message either way)."""
        for record in self.by_bin.get(bin, []):
            if record.matches(code) and on <= date.fromisoformat(record.expires):
                return record
        raise InvalidCode("the BIN and code do not match an issued, unexpired code")


# --- the append-only submissions file ----------------------------------------------------------------------


def _line_hash(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


@contextlib.contextmanager
def _locked_append(path: Path) -> Iterator[int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise InboxError(f"cannot open inbox {path} (ENBEK_INBOX_DIR): {exc}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read_lines(path: Path) -> list[bytes]:
    try:
        return path.read_bytes().splitlines()
    except FileNotFoundError:
        return []


@dataclass(frozen=True)
class Receipt:
    submission_id: str
    received_at: str
    line: int


class Inbox:
    """Accepts submissions from the public page: BIN and code checked, limits kept, the line appended."""

    def __init__(
        self,
        directory: Path,
        *,
        clock: Clock = utc_now,
        max_line_bytes: int = MAX_LINE_BYTES,
        max_inbox_bytes: int = MAX_INBOX_BYTES,
        per_bin_per_day: int = MAX_PER_BIN_PER_DAY,
        code_attempts: int = CODE_ATTEMPTS,
        lock_minutes: float = CODE_LOCK_MINUTES,
    ) -> None:
        self.directory = Path(directory)
        self.path = self.directory / SUBMISSIONS
        self.clock = clock
        self.max_line_bytes = max_line_bytes
        self.max_inbox_bytes = max_inbox_bytes
        self.per_bin_per_day = per_bin_per_day
        self.lockout = LockoutStore(self.directory / ATTEMPTS, attempts=code_attempts, minutes=lock_minutes, clock=clock)

    def _entries(self) -> list[dict[str, Any]]:
        out = []
        for raw in _read_lines(self.path):
            with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError):
                entry = json.loads(raw)
                if isinstance(entry, dict):
                    out.append(entry)
        return out

    def _check_daily_limit(self, entries: list[dict[str, Any]], *, bin: str, since: datetime) -> None:
        recent = sum(1 for e in entries if e.get("bin") == bin and _parse_ts(e.get("received_at")) >= since)
        if recent >= self.per_bin_per_day:
            raise RateLimited(f"BIN {bin} has sent {recent} self-assessments in the last 24 hours; the limit is {self.per_bin_per_day}")

    def submit(
        self,
        *,
        bin: str,
        code: str,
        tool_id: str,
        lang: str,
        employees: int,
        screening: Mapping[str, bool],
        answers: Mapping[str, str],
    ) -> Receipt:
        """Check everything, then append one line. Raises an IntakeError subclass saying what is wrong."""
        bin = str(bin).strip()
        if not is_valid_bin(bin):
            raise InvalidBin(f"BIN {bin!r} must be 12 digits with a valid check digit")
        try:
            self.lockout.check(bin)
        except LockedOut as exc:
            raise RateLimited(f"too many wrong codes for BIN {bin}; try again after {exc.until.strftime('%H:%M')} UTC") from None
        except UsersFileError as exc:  # a corrupted attempts file fails closed
            raise InboxError(str(exc)) from None
        now = self.clock()
        if lang not in ("kk", "ru", "en"):
            raise IntakeError(f"language {lang!r}: expected kk, ru or en")
        try:
            result = scoring.screen(answers=screening, employees=employees)
        except scoring.SelfCheckError as exc:
            raise IntakeError(str(exc)) from None
        if not result.eligible:
            raise NotEligible(f"the express procedure does not apply ({', '.join(result.reasons)}); use the full risk assessment")
        try:
            assessment = scoring.assess(tool_id=tool_id, answers=answers, employees=employees, assessed_on=now.date())
        except scoring.SelfCheckError as exc:
            raise IntakeError(str(exc)) from None
        day_ago = now - timedelta(days=1)
        self._check_daily_limit(self._entries(), bin=bin, since=day_ago)  # before the costly code check
        try:
            record = CodeBook(self.directory).verify(bin=bin, code=code, on=now.date())
        except InvalidCode:
            # Wrong codes are counted per BIN in a file (data.auth.LockoutStore), so a restart is no unlock.
            until = self.lockout.failure(bin)
            if until is not None:
                raise RateLimited(f"too many wrong codes for BIN {bin}; try again after {until.strftime('%H:%M')} UTC") from None
            raise
        self.lockout.success(bin)
        entry: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "submission_id": uuid.uuid4().hex,
            "received_at": now.astimezone(UTC).isoformat(timespec="seconds"),
            "bin": bin,
            "region": record.region,
            "code_id": record.code_id,
            "tool": tool_id,
            "lang": lang,
            "employees": int(employees),
            "screening": {k: bool(v) for k, v in screening.items()},
            "answers": dict(assessment.answers),
            "profile": assessment.record(),
        }
        with _locked_append(self.path) as fd:
            lines = _read_lines(self.path)  # under the lock: what parallel requests appended is seen here
            seen_entries: list[dict[str, Any]] = []
            for raw in lines:
                with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError):
                    seen = json.loads(raw)
                    if isinstance(seen, dict):
                        seen_entries.append(seen)
            for seen in seen_entries:
                if seen.get("code_id") == record.code_id:
                    raise CodeAlreadyUsed(f"this one-time code was already used on {str(seen.get('received_at', ''))[:10]}")
            self._check_daily_limit(seen_entries, bin=bin, since=day_ago)
            entry["prev"] = _line_hash(lines[-1]) if lines else GENESIS
            line = (json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
            if len(line) > self.max_line_bytes:
                raise IntakeError(f"the submission is {len(line)} bytes; the limit is {self.max_line_bytes}")
            size = os.fstat(fd).st_size
            if size + len(line) > self.max_inbox_bytes:
                raise InboxFull(f"the inbox {self.path} is full ({size} bytes); it must be imported and rotated")
            try:
                os.write(fd, line)
                os.fsync(fd)
                _write_head(self.directory / HEAD, lines=len(lines) + 1, last=_line_hash(line))
            except OSError as exc:
                raise InboxError(f"cannot write inbox {self.path}: {exc}") from exc
        return Receipt(entry["submission_id"], entry["received_at"], len(lines) + 1)


def _write_head(path: Path, *, lines: int, last: str) -> None:
    """Atomically replace the head record (written under the inbox lock, after the line)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"lines": lines, "last": last}))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _read_head(path: Path) -> tuple[int, str] | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return int(raw["lines"]), str(raw["last"])
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InboxError(f"{path}: not a head record ({exc}); the inbox cannot be checked") from None


def rotate_inbox(directory: Path, *, clock: Clock = utc_now) -> Path | None:
    """Move submissions.jsonl (and its head) aside as imported-<UTC time>.jsonl, under the intake's lock, so the
    next submissions start a new chain; returns the new path, or None when there was nothing to rotate."""
    directory = Path(directory)
    path = directory / SUBMISSIONS
    if not path.exists():
        return None
    stamp = clock().strftime("%Y%m%dT%H%M%S")
    target = directory / f"imported-{stamp}.jsonl"
    if target.exists():
        raise InboxError(f"{target} exists; rotate again in a second")
    with _locked_append(path):
        os.replace(path, target)
        head = directory / HEAD
        if head.exists():
            os.replace(head, directory / f"imported-{stamp}.head.json")
    return target


def _parse_ts(value: object) -> datetime:
    try:
        ts = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


# --- reading the inbox back for import -----------------------------------------------------------------------


COLUMNS: tuple[str, ...] = (
    "submission_id", "submitted_on", "bin", "region", "code_id", "tool", "lang", "employees",
    "harmfulness_class", "danger_class", "equipment_class", "ppe_provision_pct", "morbidity_class",
    "compliance_pct", "measures", "answers",
)
_PROFILE = ("harmfulness_class", "danger_class", "equipment_class", "ppe_provision_pct", "morbidity_class",
            "compliance_pct", "measures")


@dataclass(frozen=True)
class InboxBatch:
    """The inbox as raw text rows for data.loader, the line number of each row, and the problems found here."""

    frame: pd.DataFrame
    rows: pd.Series
    problems: pd.DataFrame  # pos, column, value, reason
    path: Path


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_inbox(directory: Path, *, loaded_codes: Mapping[str, str] | None = None) -> InboxBatch:
    """Every line of `<directory>/submissions.jsonl` as a row, with what is wrong with it.

    loaded_codes maps code ids already in the store to their submission ids: a code used by another
    submission in an earlier import is a replay too. The same submission seen again (same id) is left
    to the loader, which rejects repeats within the batch and replaces the stored row across imports.
    """
    directory = Path(directory)
    if directory.is_file():
        path, directory = directory, directory.parent
    else:
        path = directory / SUBMISSIONS
    if not path.exists():
        raise InboxError(f"{path}: no submissions file; expected an inbox directory written by the self-check page")
    book = CodeBook(directory)
    lines = _read_lines(path)
    rows: list[dict[str, str]] = []
    problems: list[dict[str, object]] = []
    used: dict[str, tuple[str, int]] = {}  # code_id -> (submission_id, line) of its first use in this file
    loaded = dict(loaded_codes or {})

    def problem(pos: int, column: str, value: object, reason: str) -> None:
        problems.append({"pos": pos, "column": column, "value": _text(value)[:200], "reason": reason})

    hashes = [_line_hash(raw) for raw in lines]
    # A submissions file is checked against its head record (a rotated file against the head moved with it).
    head_path = directory / HEAD if path.name == SUBMISSIONS else path.with_name(path.stem + ".head.json")
    head = _read_head(head_path)
    for pos, raw in enumerate(lines):
        row = dict.fromkeys(COLUMNS, "")
        rows.append(row)
        try:
            entry = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problem(pos, "submission_id", raw[:80].decode("utf-8", "replace"), f"not a JSON line ({exc.__class__.__name__})")
            continue
        if not isinstance(entry, dict):
            problem(pos, "submission_id", "", "not a JSON object")
            continue
        raw_profile = entry.get("profile")
        profile: dict[str, Any] = raw_profile if isinstance(raw_profile, dict) else {}
        raw_answers = entry.get("answers")
        answers: dict[str, Any] | None = raw_answers if isinstance(raw_answers, dict) else None
        received = str(entry.get("received_at", ""))
        row.update({
            "submission_id": _text(entry.get("submission_id")), "submitted_on": received[:10], "bin": _text(entry.get("bin")),
            "region": _text(entry.get("region")), "code_id": _text(entry.get("code_id")), "tool": _text(entry.get("tool")),
            "lang": _text(entry.get("lang")), "employees": _text(entry.get("employees")),
            "answers": json.dumps(answers, ensure_ascii=False, sort_keys=True) if answers is not None else "",
            **{k: _text(profile.get(k)) for k in _PROFILE},
        })
        # Tampering: the chain, then the code, then the profile recomputed from the answers.
        expected_prev = hashes[pos - 1] if pos else GENESIS
        if entry.get("prev") != expected_prev:
            problem(pos, "submission_id", row["submission_id"],
                    "hash chain broken: this line, or the line before it, was changed or removed after it was written")
            if pos:
                problem(pos - 1, "submission_id", rows[pos - 1]["submission_id"],
                        "hash chain broken at the next line: this line may have been changed after it was written")
        if entry.get("v") != FORMAT_VERSION:
            problem(pos, "submission_id", entry.get("v"), f"unknown inbox format version (expected {FORMAT_VERSION})")
        code = book.by_id.get(row["code_id"])
        if code is None:
            problem(pos, "code_id", row["code_id"], "one-time code was not issued (unknown code_id)")
        else:
            if code.bin != row["bin"]:
                problem(pos, "bin", row["bin"], "the one-time code was issued for another BIN")
            if code.region != row["region"]:
                problem(pos, "region", row["region"], f"the one-time code was issued by region {code.region}")
            if received[:10] > code.expires:
                problem(pos, "code_id", row["code_id"], f"the one-time code expired on {code.expires}")
        sid = row["submission_id"]
        first = used.get(row["code_id"])
        if row["code_id"] and first is not None and first[0] != sid:
            problem(pos, "code_id", row["code_id"], f"one-time code already used by submission {first[0]} (line {first[1]})")
        elif row["code_id"] and row["code_id"] in loaded and loaded[row["code_id"]] != sid:
            problem(pos, "code_id", row["code_id"], f"one-time code already used by submission {loaded[row['code_id']]} (already loaded)")
        if row["code_id"] and first is None:
            used[row["code_id"]] = (sid, pos + 1)
        screening = entry.get("screening")
        if not isinstance(screening, dict) or any(bool(screening.get(s.id, True)) for s in SCREENING):
            problem(pos, "submission_id", sid, "screening answers missing or send the firm to the full procedure")
        if answers is None:
            problem(pos, "answers", "", "answers missing")
            continue
        try:
            employees = int(entry.get("employees"))  # type: ignore[arg-type]
            day = date.fromisoformat(received[:10])
            recomputed = scoring.assess(tool_id=row["tool"], answers=answers, employees=employees, assessed_on=day).record()
        except (scoring.SelfCheckError, TypeError, ValueError) as exc:
            problem(pos, "answers", row["answers"][:200], f"answers do not fit the questionnaire: {exc}")
            continue
        differs = [k for k in _PROFILE if _text(recomputed[k]) != row[k]]
        if differs:
            problem(pos, differs[0], row[differs[0]],
                    f"profile does not match the answers (recomputed {differs[0]} = {_text(recomputed[differs[0]])}): changed after submission")
    if head is not None:
        count, last = head
        if len(lines) < count and lines:
            problem(len(lines) - 1, "submission_id", rows[-1]["submission_id"],
                    f"the inbox held {count} lines when last written and now ends at line {len(lines)}: lines were removed")
        elif len(lines) >= count and count and hashes[count - 1] != last:
            problem(count - 1, "submission_id", rows[count - 1]["submission_id"],
                    "the last line written by the intake was changed afterwards (head hash differs)")
        for pos in range(count, len(lines)):
            problem(pos, "submission_id", rows[pos]["submission_id"], "line appended outside the intake (not in the head record)")
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype="string") if rows else pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS})
    problem_frame = pd.DataFrame(problems, columns=["pos", "column", "value", "reason"])
    problem_frame["pos"] = problem_frame["pos"].astype("int64")
    return InboxBatch(frame=frame, rows=pd.Series(range(1, len(rows) + 1)), problems=problem_frame, path=path)


def load_inbox(store: Store, directory: Path) -> LoadReport:
    """Import an inbox into table self_assessments through data.loader (same validation and rejects report)."""
    from data.loader import load_raw
    from data.readers import RawTable

    loaded: dict[str, str] = {}
    if store.has_table("self_assessments") and store.count("self_assessments"):
        known = store.sql("SELECT code_id, submission_id FROM self_assessments")
        loaded = dict(zip(known["code_id"].astype(str), known["submission_id"].astype(str), strict=True))
    batch = read_inbox(directory, loaded_codes=loaded)
    raw = RawTable(batch.frame, batch.rows, batch.path, "jsonl")
    return load_raw(store, "self_assessments", raw, source=str(batch.path), extra_errors=batch.problems)
