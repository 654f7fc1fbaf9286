"""The self-check inbox: one-time codes (hashes only), intake limits, tampering, replay, and the import through
data.loader with its rejects report."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from data import inbox as ib
from data.codes import make_bin
from data.inbox import (
    CodeAlreadyUsed,
    CodeBook,
    Inbox,
    InboxFull,
    IntakeError,
    InvalidBin,
    InvalidCode,
    NotEligible,
    RateLimited,
    issue_codes,
    load_inbox,
    normalise_code,
    read_inbox,
)
from data.loader import load_frame
from data.store import DuckDBStore
from geo.regions import UnknownRegionError
from osh.selfcheck.content import SCREENING, TOOLS
from osh.selfcheck.scoring import assess


def bins(n: int) -> list[str]:
    out, i = [], 1
    while len(out) < n:
        b = make_bin(f"0601014{i:04d}")
        if b is not None:
            out.append(b)
        i += 1
    return out


BIN_A, BIN_B, BIN_C = bins(3)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def office_answers(**overrides: str) -> dict[str, str]:
    return {q.id: overrides.get(q.id, "yes") for q in TOOLS["office"].questions}


def eligible() -> dict[str, bool]:
    return {s.id: False for s in SCREENING}


@pytest.fixture
def issued(tmp_path: Path) -> dict[str, str]:
    """Codes for three BINs of Karaganda, issued at T0 (few PBKDF2 iterations: speed, not the parameter, is tested)."""
    codes = issue_codes(bins=[BIN_A, BIN_B, BIN_C], region_code="351010000", inbox=tmp_path, iterations=1000,
                        clock=Clock())
    return {c.bin: c.code for c in codes}


def submit(inbox: Inbox, bin: str, code: str, **kw: object) -> ib.Receipt:
    args: dict[str, object] = {"tool_id": "office", "lang": "kk", "employees": 6, "screening": eligible(),
                               "answers": office_answers()}
    args.update(kw)
    return inbox.submit(bin=bin, code=code, **args)  # type: ignore[arg-type]


# --- codes -----------------------------------------------------------------------------------------------------


def test_codes_are_random_one_per_bin_and_only_hashes_are_stored(tmp_path: Path, issued: dict[str, str]) -> None:
    assert len(set(issued.values())) == 3
    for code in issued.values():
        assert len(normalise_code(code)) == ib.CODE_LENGTH
        assert set(normalise_code(code)) <= set(ib.ALPHABET)
    files = list((tmp_path / "codes").glob("35-*.jsonl"))
    assert len(files) == 1
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    stored = files[0].read_text(encoding="utf-8")
    for code in issued.values():
        assert code not in stored
        assert normalise_code(code) not in stored
    record = json.loads(stored.splitlines()[0])
    assert set(record) == {"code_id", "bin", "region", "salt", "hash", "iterations", "issued", "expires"}
    assert record["region"] == "35"
    assert record["expires"] == "2026-08-29"


def test_a_code_is_good_for_its_own_bin_only_typos_of_case_and_hyphens_forgiven(tmp_path: Path, issued: dict[str, str]) -> None:
    book = CodeBook(tmp_path)
    code = issued[BIN_A]
    assert book.verify(bin=BIN_A, code=code.lower().replace("-", " "), on=T0.date()).bin == BIN_A
    with pytest.raises(InvalidCode, match="do not match an issued, unexpired code"):
        book.verify(bin=BIN_B, code=code, on=T0.date())
    with pytest.raises(InvalidCode):
        book.verify(bin=BIN_A, code=code, on=T0.date() + timedelta(days=181))  # expired


def test_issuing_refuses_bad_bins_and_regions(tmp_path: Path) -> None:
    with pytest.raises(InvalidBin, match=r"not valid BINs \(12 digits with a check digit\): 123456789012"):
        issue_codes(bins=[BIN_A, "123456789012"], region_code="35", inbox=tmp_path)
    with pytest.raises(UnknownRegionError, match=r"region '3': expected a 2-digit region code or a 9-digit KATO code"):
        issue_codes(bins=[BIN_A], region_code="3", inbox=tmp_path)
    assert not (tmp_path / "codes").exists()  # nothing written on refusal


# --- intake ----------------------------------------------------------------------------------------------------


def test_a_submission_is_appended_once_and_its_code_cannot_be_replayed(tmp_path: Path, issued: dict[str, str]) -> None:
    inbox = Inbox(tmp_path, clock=Clock())
    receipt = submit(inbox, BIN_A, issued[BIN_A])
    assert receipt.line == 1
    lines = (tmp_path / ib.SUBMISSIONS).read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[0])
    assert entry["bin"] == BIN_A
    assert entry["region"] == "35"
    assert entry["prev"] == ib.GENESIS
    assert issued[BIN_A] not in lines[0]
    assert normalise_code(issued[BIN_A]) not in lines[0]
    assert entry["profile"]["danger_class"] == 1
    assert entry["submission_id"] == receipt.submission_id
    with pytest.raises(CodeAlreadyUsed, match="already used on 2026-03-02"):
        submit(inbox, BIN_A, issued[BIN_A], answers=office_answers(glare="no"))
    assert len((tmp_path / ib.SUBMISSIONS).read_text(encoding="utf-8").splitlines()) == 1


def test_intake_refuses_bad_bin_wrong_code_ineligible_firms_and_bad_answers(tmp_path: Path, issued: dict[str, str]) -> None:
    inbox = Inbox(tmp_path, clock=Clock())
    with pytest.raises(InvalidBin, match=r"BIN '123' must be 12 digits"):
        submit(inbox, "123", issued[BIN_A])
    with pytest.raises(InvalidCode):
        submit(inbox, BIN_A, issued[BIN_B])
    with pytest.raises(NotEligible, match=r"does not apply \(height\)"):
        submit(inbox, BIN_A, issued[BIN_A], screening=eligible() | {"height": True})
    with pytest.raises(IntakeError, match=r"answer to glare must be one of yes, no, na"):
        submit(inbox, BIN_A, issued[BIN_A], answers=office_answers(glare="<script>"))
    with pytest.raises(IntakeError, match=r"language 'de'"):
        submit(inbox, BIN_A, issued[BIN_A], lang="de")
    assert not (tmp_path / ib.SUBMISSIONS).exists()


def test_wrong_codes_lock_the_bin_and_the_lock_survives_a_new_inbox_object(tmp_path: Path, issued: dict[str, str]) -> None:
    clock = Clock()
    inbox = Inbox(tmp_path, clock=clock, code_attempts=3, lock_minutes=30)
    for _ in range(2):
        with pytest.raises(InvalidCode):
            submit(inbox, BIN_A, "AAAA-BBBB-CCCC")
    with pytest.raises(RateLimited, match=r"too many wrong codes for BIN .* after 09:30 UTC"):
        submit(inbox, BIN_A, "AAAA-BBBB-CCCC")
    # even the right code is refused while locked, also by a fresh process reading the same directory
    with pytest.raises(RateLimited):
        submit(Inbox(tmp_path, clock=clock), BIN_A, issued[BIN_A])
    submit(inbox, BIN_B, issued[BIN_B])  # other BINs are not affected
    clock.now = T0 + timedelta(minutes=31)
    assert submit(inbox, BIN_A, issued[BIN_A]).line == 2


def test_submissions_per_bin_and_day_are_limited(tmp_path: Path) -> None:
    clock = Clock()
    codes = issue_codes(bins=[BIN_A], region_code="35", inbox=tmp_path, iterations=1000, clock=clock)
    codes += issue_codes(bins=[BIN_A], region_code="35", inbox=tmp_path, iterations=1000, clock=clock)
    codes += issue_codes(bins=[BIN_A], region_code="35", inbox=tmp_path, iterations=1000, clock=clock)
    inbox = Inbox(tmp_path, clock=clock, per_bin_per_day=2)
    submit(inbox, BIN_A, codes[0].code)
    submit(inbox, BIN_A, codes[1].code)
    with pytest.raises(RateLimited, match=r"has sent 2 self-assessments in the last 24 hours; the limit is 2"):
        submit(inbox, BIN_A, codes[2].code)
    clock.now = T0 + timedelta(hours=25)
    assert submit(inbox, BIN_A, codes[2].code).line == 3


def test_oversized_submission_and_full_inbox_are_refused_without_writing(tmp_path: Path, issued: dict[str, str]) -> None:
    with pytest.raises(IntakeError, match=r"the submission is \d+ bytes; the limit is 500"):
        submit(Inbox(tmp_path, clock=Clock(), max_line_bytes=500), BIN_A, issued[BIN_A])
    assert not (tmp_path / ib.SUBMISSIONS).exists() or (tmp_path / ib.SUBMISSIONS).stat().st_size == 0
    submit(Inbox(tmp_path, clock=Clock()), BIN_A, issued[BIN_A])
    size = (tmp_path / ib.SUBMISSIONS).stat().st_size
    inbox = Inbox(tmp_path, clock=Clock(), max_inbox_bytes=size + 100)
    with pytest.raises(InboxFull, match=r"is full"):
        submit(inbox, BIN_B, issued[BIN_B])
    assert (tmp_path / ib.SUBMISSIONS).stat().st_size == size
    # an attacker's huge answer values never reach the file: answers are checked before writing
    with pytest.raises(IntakeError, match=r"answer to glare must be one of"):
        submit(inbox, BIN_C, issued[BIN_C], answers=office_answers(glare="x" * 100_000))


# --- reading the inbox back -------------------------------------------------------------------------------------


def three_submissions(tmp_path: Path, issued: dict[str, str]) -> list[str]:
    inbox = Inbox(tmp_path, clock=Clock())
    submit(inbox, BIN_A, issued[BIN_A])
    submit(inbox, BIN_B, issued[BIN_B], answers=office_answers(glare="no", wiring="no"), tool_id="office")
    submit(inbox, BIN_C, issued[BIN_C])
    return (tmp_path / ib.SUBMISSIONS).read_text(encoding="utf-8").splitlines()


def rewrite(tmp_path: Path, lines: list[str]) -> None:
    (tmp_path / ib.SUBMISSIONS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_untouched_inbox_reads_without_problems(tmp_path: Path, issued: dict[str, str]) -> None:
    three_submissions(tmp_path, issued)
    batch = read_inbox(tmp_path)
    assert batch.problems.empty
    assert list(batch.frame["bin"]) == [BIN_A, BIN_B, BIN_C]
    row = batch.frame.iloc[1]
    # office equipment questions: wiring (weight 3) and appliances (1): "no" to wiring -> shortfall 0.75 -> class 4
    assert (row["equipment_class"], row["harmfulness_class"], row["measures"]) == ("4", "2", "2")
    assert json.loads(row["answers"])["glare"] == "no"


def reasons(batch: ib.InboxBatch) -> list[tuple[int, str, str]]:
    return [(int(p), c, r) for p, c, r in batch.problems[["pos", "column", "reason"]].itertuples(index=False)]


def test_a_line_edited_in_the_middle_breaks_the_chain_and_its_profile(tmp_path: Path, issued: dict[str, str]) -> None:
    lines = three_submissions(tmp_path, issued)
    entry = json.loads(lines[1])
    entry["profile"]["equipment_class"] = 1  # make the firm look better
    lines[1] = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    rewrite(tmp_path, lines)
    found = reasons(read_inbox(tmp_path))
    assert (1, "equipment_class", "profile does not match the answers (recomputed equipment_class = 4): changed after submission") in found
    assert (2, "submission_id", "hash chain broken: this line, or the line before it, was changed or removed after it was written") in found
    assert (1, "submission_id", "hash chain broken at the next line: this line may have been changed after it was written") in found
    assert all(pos != 0 for pos, _, _ in found)


def test_consistently_edited_answers_of_the_last_line_are_caught_by_the_code_binding(tmp_path: Path, issued: dict[str, str]) -> None:
    lines = three_submissions(tmp_path, issued)
    entry = json.loads(lines[2])
    entry["bin"] = BIN_A  # move the submission to another firm
    lines[2] = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    rewrite(tmp_path, lines)
    assert (2, "bin", "the one-time code was issued for another BIN") in reasons(read_inbox(tmp_path))


def test_an_edited_last_line_and_a_cut_off_tail_are_caught_by_the_head_record(tmp_path: Path, issued: dict[str, str]) -> None:
    lines = three_submissions(tmp_path, issued)
    entry = json.loads(lines[2])
    entry["answers"]["glare"] = "na"  # consistent edit of the last line: no successor to break the chain
    entry["profile"] = assess(tool_id="office", answers=entry["answers"], employees=6, assessed_on=T0.date()).record()
    rewrite(tmp_path, [*lines[:2], json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))])
    assert reasons(read_inbox(tmp_path)) == [
        (2, "submission_id", "the last line written by the intake was changed afterwards (head hash differs)")]
    rewrite(tmp_path, lines[:2])
    assert reasons(read_inbox(tmp_path)) == [
        (1, "submission_id", "the inbox held 3 lines when last written and now ends at line 2: lines were removed")]


def test_deleted_line_and_garbage_line_are_reported_with_their_line(tmp_path: Path, issued: dict[str, str]) -> None:
    lines = three_submissions(tmp_path, issued)
    rewrite(tmp_path, [lines[0], lines[2], "{not json"])
    batch = read_inbox(tmp_path)
    found = reasons(batch)
    assert (1, "submission_id", "hash chain broken: this line, or the line before it, was changed or removed after it was written") in found
    assert (2, "submission_id", "not a JSON line (JSONDecodeError)") in found
    assert len(batch.frame) == 3  # every line is a row: read = loaded + rejected


def test_a_replayed_code_in_the_file_is_rejected_naming_the_first_use(tmp_path: Path, issued: dict[str, str]) -> None:
    lines = three_submissions(tmp_path, issued)
    # a forged second submission with A's code, appended with a valid chain hash
    forged = json.loads(lines[0])
    forged["submission_id"] = "f" * 32
    forged["prev"] = ib._line_hash(lines[-1].encode())
    lines.append(json.dumps(forged, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    rewrite(tmp_path, lines)
    first = json.loads(lines[0])["submission_id"]
    assert reasons(read_inbox(tmp_path)) == [
        (3, "code_id", f"one-time code already used by submission {first} (line 1)"),
        (3, "submission_id", "line appended outside the intake (not in the head record)"),
    ]


# --- import through data.loader ---------------------------------------------------------------------------------


@pytest.fixture
def store_with_firms(tmp_store: DuckDBStore) -> DuckDBStore:
    firms = pd.DataFrame({"bin": [BIN_A, BIN_B, BIN_C], "name": ["A", "B", "C"], "kato": ["351010000"] * 3,
                          "oked": ["69.20"] * 3, "employees": [6, 6, 6]})
    assert load_frame(tmp_store, "enterprises", firms, source="firms").loaded == 3
    return tmp_store


def test_import_loads_valid_lines_rejects_tampered_ones_and_reconciles(tmp_path: Path, issued: dict[str, str],
                                                                      store_with_firms: DuckDBStore) -> None:
    inbox_dir = tmp_path / "inbox"
    codes = issue_codes(bins=[BIN_A, BIN_B, BIN_C], region_code="35", inbox=inbox_dir, iterations=1000, clock=Clock())
    lines = three_submissions(inbox_dir, {c.bin: c.code for c in codes})
    entry = json.loads(lines[1])
    entry["answers"]["wiring"] = "yes"  # consistent edit of answers and profile: only the chain shows it
    entry["profile"] = assess(tool_id="office", answers=entry["answers"], employees=6, assessed_on=T0.date()).record()
    lines[1] = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    lines.append(lines[0])  # the same submission appended twice (a double click or a copied line)
    rewrite(inbox_dir, lines)
    report = load_inbox(store_with_firms, inbox_dir)
    assert (report.read, report.loaded, report.rejected) == (4, 1, 3)
    broken = "hash chain broken: this line, or the line before it, was changed or removed after it was written"
    before = "hash chain broken at the next line: this line may have been changed after it was written"
    assert report.rejects[["row", "reason"]].values.tolist() == [
        [2, before],  # the edited line (rows are inbox line numbers)
        [3, broken], [3, before],  # the line after it; held back too, as the duplicate's chain also breaks here
        [4, "duplicate key (submission_id) of row 1"], [4, broken],  # the copied line: the loader's duplicate check
        [4, "line appended outside the intake (not in the head record)"],
    ]
    assert report.rejects_path is not None
    # the report is named after the table, the file and a hash of its folder (data/loader.py)
    assert re.fullmatch(r"self_assessments__submissions\.jsonl__[0-9a-f]{8}\.rejects\.csv", report.rejects_path.name)
    stored = store_with_firms.sql("SELECT bin, tool, danger_class, harmfulness_class FROM self_assessments")
    assert stored.to_dict("records") == [{"bin": BIN_A, "tool": "office", "danger_class": 1, "harmfulness_class": "2"}]


def test_reimport_is_idempotent_and_a_code_replayed_in_a_later_inbox_is_refused(tmp_path: Path,
                                                                              store_with_firms: DuckDBStore) -> None:
    inbox_dir = tmp_path / "inbox"
    codes = {c.bin: c.code for c in issue_codes(bins=[BIN_A, BIN_B], region_code="35", inbox=inbox_dir, iterations=1000,
                                                  clock=Clock())}
    submit(Inbox(inbox_dir, clock=Clock()), BIN_A, codes[BIN_A])
    first = load_inbox(store_with_firms, inbox_dir)
    again = load_inbox(store_with_firms, inbox_dir)
    assert (first.loaded, again.loaded, again.rejected) == (1, 1, 0)
    assert store_with_firms.count("self_assessments") == 1
    # the inbox is rotated; the rotated file still reads clean against the head moved with it
    rotated = ib.rotate_inbox(inbox_dir, clock=Clock())
    assert rotated == inbox_dir / "imported-20260302T090000.jsonl"
    assert not (inbox_dir / ib.HEAD).exists()
    assert read_inbox(rotated).problems.empty
    assert ib.rotate_inbox(inbox_dir) is None
    # a new chain holds a forged submission made with the same (already loaded) code
    old = json.loads(rotated.read_text(encoding="utf-8").splitlines()[0])
    replay = old | {"submission_id": "e" * 32, "prev": ib.GENESIS}
    (inbox_dir / ib.SUBMISSIONS).write_text(json.dumps(replay, sort_keys=True) + "\n", encoding="utf-8")
    report = load_inbox(store_with_firms, inbox_dir)
    assert (report.read, report.loaded, report.rejected) == (1, 0, 1)
    assert report.rejects["reason"].tolist() == [f"one-time code already used by submission {old['submission_id']} (already loaded)"]
    # the intake appends to the new file (its head record starts there)
    assert submit(Inbox(inbox_dir, clock=Clock()), BIN_B, codes[BIN_B]).line == 2


def test_an_unknown_bin_is_rejected_by_the_same_reference_check_as_every_table(tmp_path: Path, tmp_store: DuckDBStore) -> None:
    inbox_dir = tmp_path / "inbox"
    codes = issue_codes(bins=[BIN_A], region_code="35", inbox=inbox_dir, iterations=1000, clock=Clock())
    submit(Inbox(inbox_dir, clock=Clock()), BIN_A, codes[0].code)
    report = load_inbox(tmp_store, inbox_dir)  # no enterprises loaded
    assert report.rejects[["row", "column", "reason"]].values.tolist() == [[1, "bin", "bin not found in enterprises"]]


def test_missing_inbox_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ib.InboxError, match=r"submissions.jsonl: no submissions file"):
        read_inbox(tmp_path)


def test_cli_issues_codes_and_loads_the_inbox(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from enbek.cli import main

    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    store = tmp_path / "s.duckdb"
    firms = tmp_path / "firms.csv"
    firms.write_text(f"bin;name;kato;oked;employees\n{BIN_A};A;351010000;69.20;6\n", encoding="utf-8")
    assert main(["load", "enterprises", str(firms), "--store", str(store)]) == 0
    bins_file = tmp_path / "bins.csv"
    bins_file.write_text(f"БСН\n{BIN_A}\n", encoding="utf-8")
    out = tmp_path / "letters.csv"
    assert main(["self-check", "codes", "--region", "351010000", "--bins", str(bins_file), "--out", str(out)]) == 0
    assert "issued 1 one-time codes for Karaganda Region (35)" in capsys.readouterr().out
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    letter = pd.read_csv(out, dtype=str)
    assert list(letter.columns) == ["bin", "code", "expires", "region"]
    assert letter["bin"].tolist() == [BIN_A]
    # the codes went to ENBEK_INBOX_DIR (default <data dir>/inbox); the page appends there
    submit(Inbox(tmp_path / "inbox"), BIN_A, letter["code"].iloc[0])
    assert main(["load", "self_assessments", str(tmp_path / "inbox"), "--store", str(store)]) == 0
    assert "read 1, loaded 1 (replaced 0), rejected 0" in capsys.readouterr().out
    assert main(["self-check", "rotate"]) == 0
    assert "submissions moved to" in capsys.readouterr().out
    assert main(["self-check", "rotate"]) == 0
    assert "nothing to rotate" in capsys.readouterr().out
    # refusals: existing output file, a bad BIN with its line
    assert main(["self-check", "codes", "--region", "35", "--bins", str(bins_file), "--out", str(out)]) == 2
    assert "exists; codes are secret and never overwritten" in capsys.readouterr().err
    bins_file.write_text(f"{BIN_A}\n123456789012\n", encoding="utf-8")
    assert main(["self-check", "codes", "--region", "35", "--bins", str(bins_file), "--out", str(tmp_path / "x.csv")]) == 2
    assert "line 2: '123456789012'" in capsys.readouterr().err



def test_parallel_requests_cannot_use_a_code_twice_or_pass_the_daily_limit(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    clock = Clock()
    codes = [issue_codes(bins=[BIN_A], region_code="35", inbox=tmp_path, iterations=1000, clock=clock)[0] for _ in range(4)]
    inbox = Inbox(tmp_path, clock=clock, per_bin_per_day=1)

    def attempt(code: str) -> str:
        try:
            submit(inbox, BIN_A, code)
        except IntakeError as exc:
            return type(exc).__name__
        return "accepted"

    with ThreadPoolExecutor(max_workers=4) as pool:
        same_code = sorted(pool.map(attempt, [codes[0].code] * 4))
    # one wins; the others lose to the used code or (having waited) to the daily limit, never both accepted
    assert same_code.count("accepted") == 1
    assert set(same_code) - {"accepted"} <= {"CodeAlreadyUsed", "RateLimited"}
    with ThreadPoolExecutor(max_workers=3) as pool:
        other_codes = list(pool.map(attempt, [c.code for c in codes[1:]]))
    assert other_codes == ["RateLimited"] * 3  # the first submission already used today's allowance
    assert len((tmp_path / ib.SUBMISSIONS).read_text(encoding="utf-8").splitlines()) == 1
