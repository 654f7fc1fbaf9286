"""The inspection plan: reasons as keys in three languages, one named order, filters, last inspection, settlement,
and the marks (planned / inspected) stored, scoped and replaced."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from dashboard.i18n import fmt_number
from data.scope import Scope, ScopeError
from osh import plan
from osh.enterprises import FilterError, PlanFilter, compute_and_store_risk, inspection_list
from osh.reasons import Reason, ReasonError, number, render, render_all

KARAGANDA = Scope.of_regions(["35"])
COUNTRY = Scope.country()
NOW = datetime(2026, 11, 30, 10, 0)


@pytest.fixture
def scored(country):
    store, _ = country
    compute_and_store_risk(store)
    return store


# -- reasons --------------------------------------------------------------------------------------------------------


def test_reason_is_written_in_each_language_with_its_number_format() -> None:
    why = Reason("list.injuries", {"injured": 87, "fatal": 12, "window": 5, "expected": 24.83, "section": "B",
                                   "size": "large", "rr": 3.456, "excess": 1.2345})
    assert render(why, "en") == ("87 injured (12 fatal) in 5 years vs 24.8 expected for B/large peers; credible rate "
                                 "3.5x peers; about 1.23 preventable injuries a year")
    assert render(why, "ru") == ("87 пострадавших (12 погибших) за 5 лет при 24,8 ожидаемых для аналогов B/крупные; "
                                 "достоверный уровень в 3,5 раза выше аналогов; около 1,23 предотвратимой травмы в год")
    assert render(why, "kk").startswith("5 жылда 87 жарақат алған (12 қаза тапқан), ал B/ірі салаластары")
    assert "3,5 есе" in render(why, "kk")


def test_reason_numbers_match_the_dashboard_format() -> None:
    for value, decimals in ((2449.5, 1), (-3.0, 0), (0.004, 2), (1234567.891, 2)):
        for lang in ("kk", "ru", "en"):
            assert number(value, lang, decimals=decimals) == fmt_number(value, lang, decimals=decimals)
    for lang in ("kk", "ru", "en"):
        assert number(float("nan"), lang) == fmt_number(float("nan"), lang)


def test_unknown_reason_key_and_language_are_refused() -> None:
    with pytest.raises(ReasonError, match=r"unknown reason key 'list\.nope'"):
        Reason("list.nope")
    with pytest.raises(ReasonError, match="language 'de': expected one of kk, ru, en"):
        render(Reason("flag.uninsured"), "de")


# -- the list -------------------------------------------------------------------------------------------------------


def test_default_order_is_the_integral_score_and_preventable_is_a_choice(scored) -> None:
    by_score = inspection_list(scored, scope=COUNTRY)
    assert by_score["score"].is_monotonic_decreasing
    assert len(by_score) == scored.count("enterprise_risk")  # every enterprise has a place in the score order
    by_harm = inspection_list(scored, scope=COUNTRY, order="preventable")
    assert (by_harm["excess_injuries"] > 0).all()
    assert by_harm["excess_injuries"].is_monotonic_decreasing
    with pytest.raises(FilterError, match="order must be one of score, preventable, got 'name'"):
        inspection_list(scored, scope=COUNTRY, order="name")


def test_plan_columns_last_inspection_district_settlement(scored) -> None:
    rows = inspection_list(scored, scope=KARAGANDA, as_of=date(2026, 1, 1))
    assert set(rows["region"]) == {"35"}
    assert (rows["district"] == rows["kato"].str[:4]).all()
    assert (rows["settlement"].str.len() > 0).all()
    last = scored.sql("SELECT bin, max(date) AS d FROM inspections GROUP BY bin")
    want = dict(zip(last["bin"], pd.to_datetime(last["d"]).dt.date, strict=True))
    inspected = rows[rows["last_inspection"].notna()]
    assert len(inspected) > 0
    assert all(want[b] == d for b, d in zip(inspected["bin"], inspected["last_inspection"], strict=True))
    never = rows[rows["last_inspection"].isna()]
    assert never["years_since"].isna().all()
    first = inspected.iloc[0]
    assert first["years_since"] == round((pd.Timestamp("2026-01-01") - pd.Timestamp(first["last_inspection"])).days
                                         / 365.25, 1)


def test_filters_narrow_as_the_store_counts(scored) -> None:
    as_of = date(2023, 6, 1)
    rows = inspection_list(scored, scope=COUNTRY, filters=PlanFilter(not_inspected_years=1), as_of=as_of)
    cut = date(2022, 6, 1)
    assert all(d is None or pd.isna(d) or d < cut for d in rows["last_inspection"])
    want = scored.sql("SELECT count(*) AS n FROM enterprise_risk r WHERE NOT EXISTS "
                      "(SELECT 1 FROM inspections i WHERE i.bin = r.bin AND i.date >= ?)", [cut])["n"].iloc[0]
    assert len(rows) == want
    unassessed = inspection_list(scored, scope=COUNTRY, filters=PlanFilter(assessed=False, degrees=frozenset({"low"})))
    assert (~unassessed["assessed"]).all()
    assert set(unassessed["degree"]) <= {"low"}
    with pytest.raises(FilterError, match="not_inspected_years must be between 1 and 50, got 0"):
        PlanFilter(not_inspected_years=0)
    with pytest.raises(FilterError, match="unknown degrees extreme"):
        PlanFilter(degrees=frozenset({"extreme"}))


def test_reasons_flag_what_the_row_says(scored) -> None:
    rows = inspection_list(scored, scope=COUNTRY)
    for r in rows.head(200).itertuples():
        keys = [x.key for x in r.reason]
        assert keys[0] == ("list.injuries" if r.excess_injuries > 0 else "list.no_excess")
        assert ("flag.uninsured" in keys) == (not r.insured)
        assert ("flag.unassessed" in keys) == (not r.assessed)
        assert render_all(r.reason, "ru")


# -- marks ----------------------------------------------------------------------------------------------------------


def test_marks_are_stored_replaced_scoped_and_removed(scored, tmp_path) -> None:
    rows = inspection_list(scored, scope=COUNTRY)
    mine = str(rows.loc[rows["region"] == "35", "bin"].iloc[0])
    other = str(rows.loc[rows["region"] != "35", "bin"].iloc[0])
    path = tmp_path / "plan.duckdb"
    with plan.open_plan(path) as store:
        plan.mark(store, risk=scored, scope=KARAGANDA, bin=mine, status="planned", on=date(2026, 12, 3), note=" a ",
                  user="karaganda", now=NOW)
        plan.mark(store, risk=scored, scope=KARAGANDA, bin=mine, status="inspected", on=date(2026, 12, 4),
                  note="done", user="karaganda2", now=NOW)
        got = plan.marks(store, scope=KARAGANDA)
        assert got[["bin", "region", "status", "date", "note", "user"]].values.tolist() == [
            [mine, "35", "inspected", date(2026, 12, 4), "done", "karaganda2"]]
        with pytest.raises(ScopeError, match=f"enterprise {other} is in region"):
            plan.mark(store, risk=scored, scope=KARAGANDA, bin=other, status="planned", on=date(2026, 12, 3),
                      note="", user="karaganda", now=NOW)
        with pytest.raises(plan.PlanError, match="status must be one of planned, inspected, got 'done'"):
            plan.mark(store, risk=scored, scope=KARAGANDA, bin=mine, status="done", on=date(2026, 12, 3), note="",
                      user="k", now=NOW)
        with pytest.raises(plan.PlanError, match="note is 501 characters; the limit is 500"):
            plan.mark(store, risk=scored, scope=KARAGANDA, bin=mine, status="planned", on=date(2026, 12, 3),
                      note="x" * 501, user="k", now=NOW)
        with pytest.raises(plan.PlanError, match="no enterprise with BIN 000000000000 in the register"):
            plan.mark(store, risk=scored, scope=COUNTRY, bin="000000000000", status="planned", on=date(2026, 12, 3),
                      note="", user="k", now=NOW)
        assert plan.marks(store, scope=Scope.of_regions(["71"])).empty
        with pytest.raises(ScopeError):
            plan.marks(store, scope=KARAGANDA, region="71")
        assert plan.unmark(store, risk=scored, scope=KARAGANDA, bin=mine) is True
        assert plan.unmark(store, risk=scored, scope=KARAGANDA, bin=mine) is False
        assert plan.marks(store, scope=COUNTRY).empty
    with plan.open_plan(path) as store:  # kept in the file, not in a connection
        assert plan.marks(store, scope=COUNTRY).empty


def test_summary_counts_each_region_s_plan_within_the_scope(scored, tmp_path) -> None:
    rows = inspection_list(scored, scope=COUNTRY)
    k1, k2, k3 = (str(b) for b in rows.loc[rows["region"] == "35", "bin"].iloc[:3])
    other_region = str(rows.loc[rows["region"] != "35", "region"].iloc[0])
    other = str(rows.loc[rows["region"] == other_region, "bin"].iloc[0])
    later = datetime(2026, 12, 1, 9, 30)
    with plan.open_plan(tmp_path / "plan.duckdb") as store:
        assert plan.summary(store, scope=KARAGANDA, today=date(2026, 12, 2)).values.tolist() == [
            ["35", 0, 0, 0, 0, None]]
        for bin_, status, on, now in ((k1, "planned", date(2026, 11, 20), NOW), (k2, "planned", date(2026, 12, 10), NOW),
                                      (k3, "inspected", date(2026, 11, 25), later)):
            plan.mark(store, risk=scored, scope=KARAGANDA, bin=bin_, status=status, on=on, note="", user="k", now=now)
        plan.mark(store, risk=scored, scope=COUNTRY, bin=other, status="planned", on=date(2026, 12, 5), note="",
                  user="m", now=NOW)
        mine = plan.summary(store, scope=KARAGANDA, today=date(2026, 12, 2))
        # k1 was planned for 20.11 and is not inspected: overdue; k2's day has not come; k3 is done
        assert mine.values.tolist() == [["35", 3, 2, 1, 1, pd.Timestamp(later)]]
        everything = plan.summary(store, scope=COUNTRY, today=date(2026, 12, 2)).set_index("region")
        assert len(everything) == 20
        assert everything.loc[other_region, ["marked", "planned", "overdue"]].tolist() == [1, 1, 0]
        assert everything["marked"].sum() == 4
        assert everything.loc["71" if other_region != "71" else "75", "last_update"] is None


def test_reconcile_finds_marks_written_or_removed_past_the_audit_log(scored, tmp_path, monkeypatch, capsys) -> None:
    from data.audit import AuditLog

    rows = inspection_list(scored, scope=COUNTRY)
    a, b, c, d = (str(x) for x in rows.loc[rows["region"] == "35", "bin"].iloc[:4])
    log = AuditLog(tmp_path / "audit.log")

    def via_app(store, bin_: str, status: str, on: date) -> None:  # what the page does: log, then write
        log.record(user="k", action="plan_mark", object=bin_, detail={"status": status, "date": str(on), "note_chars": 0})
        if status == "removed":
            plan.unmark(store, risk=scored, scope=KARAGANDA, bin=bin_)
        else:
            plan.mark(store, risk=scored, scope=KARAGANDA, bin=bin_, status=status, on=on, note="", user="k", now=NOW)

    with plan.open_plan(tmp_path / "plan.duckdb") as store:
        via_app(store, a, "planned", date(2026, 12, 1))
        via_app(store, b, "planned", date(2026, 12, 2))
        via_app(store, b, "inspected", date(2026, 12, 3))
        via_app(store, c, "planned", date(2026, 12, 4))
        via_app(store, c, "removed", date(2026, 12, 4))
        assert plan.reconcile(store, events=log.events(), scope=COUNTRY).empty
        # past the app: a mark written straight into the file, one changed, one deleted
        plan.mark(store, risk=scored, scope=COUNTRY, bin=d, status="inspected", on=date(2026, 11, 1), note="",
                  user="k", now=NOW)
        store.sql(f"UPDATE {plan.PLAN_TABLE} SET status = 'inspected' WHERE bin = ?", [a])
        store.sql(f"DELETE FROM {plan.PLAN_TABLE} WHERE bin = ?", [b])
        found = plan.reconcile(store, events=log.events(), scope=COUNTRY)
        assert sorted(zip(found["bin"], found["problem"], strict=True)) == sorted(
            [(d, "no_event"), (a, "differs"), (b, "not_stored")])
        # an akimat's check sees its region's marks; deletions need the country view
        assert sorted(plan.reconcile(store, events=log.events(), scope=KARAGANDA)["problem"]) == ["differs", "no_event"]

    # the same check from the command line: the three problems printed, exit 1
    from enbek.cli import main

    monkeypatch.setenv("ENBEK_AUDIT_LOG", str(tmp_path / "audit.log"))
    assert main(["plan-check", "--plan", str(tmp_path / "plan.duckdb")]) == 1
    out, err = capsys.readouterr()
    assert sorted(line.split(":")[0] for line in out.splitlines()) == ["differs", "no_event", "not_stored"]
    assert f"BIN {d} region 35 status inspected date 2026-11-01 user k" in out
    assert err.strip().endswith("2 marks, 5 audit events, 3 unaccounted")  # a and d; b deleted, c removed
    # a trimmed audit log cannot vouch for the plan
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "audit.log").write_text("".join(lines[:-1]), encoding="utf-8")
    assert main(["plan-check", "--plan", str(tmp_path / "plan.duckdb")]) == 2
    assert "audit log" in capsys.readouterr().err
    assert main(["plan-check", "--plan", str(tmp_path / "none.duckdb")]) == 2
    assert "no plan file at" in capsys.readouterr().err


def test_plan_errors_carry_a_code_the_page_translates(scored, tmp_path) -> None:
    from dashboard.i18n import t
    from dashboard.official_render import plan_error_text

    rows = inspection_list(scored, scope=COUNTRY)
    mine = str(rows.loc[rows["region"] == "35", "bin"].iloc[0])
    with plan.open_plan(tmp_path / "plan.duckdb") as store, pytest.raises(plan.PlanError) as caught:
        plan.mark(store, risk=scored, scope=KARAGANDA, bin=mine, status="planned", on=date(2026, 12, 3),
                  note="x" * 502, user="k", now=NOW)
    assert caught.value.code == "note"
    assert plan_error_text(caught.value, "ru") == "Примечание слишком длинное: 502 знака, не более 500."
    assert plan_error_text(caught.value, "kk") == "Ескертпе тым ұзын: 502 таңба, ең көбі 500."
    assert all(t(f"plan.error.{code}", "en") for code in plan.ERROR_CODES)
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file where the plan's directory should be")
    with pytest.raises(plan.PlanError, match=r"plan file .*not_a_dir/plan\.duckdb") as caught, plan.open_plan(blocker / "plan.duckdb"):
        pass
    assert caught.value.code == "store"
    assert plan_error_text(caught.value, "ru").startswith("Не удаётся открыть файл плана (")
