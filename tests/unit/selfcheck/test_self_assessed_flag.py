"""A self-assessment from the inbox to what the akimat sees: the import, the risk table's flag, the card (badge and
reason sentence), the inspection plan (reason flag, column, files), the map's ring and legend, and the coverage
figures that count self-assessments apart from accredited assessments (target 1)."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from dashboard import official_views as views
from dashboard.i18n import t
from data.inbox import Inbox, issue_codes, load_inbox
from data.scope import Scope
from data.store import DuckDBStore
from layers import deck
from osh import enterprises as ents
from osh import indicators, risk, targets
from osh.reasons import Reason, render
from osh.selfcheck.content import SCREENING, TOOLS
from tests.unit.osh.conftest import put, tiny_country

SUBMITTED = datetime(2022, 3, 2, 9, 0, tzinfo=UTC)  # in the scored year of tiny_country (2022)
NO = ("fire", "robbery")  # answered "no": what the shop owner still has to do


class Clock:
    def __call__(self) -> datetime:
        return SUBMITTED


def retail_answers() -> dict[str, str]:
    ids = [q.id for q in TOOLS["retail"].questions]
    chosen = [i for i in NO if i in ids] or ids[:2]
    return {i: "no" if i in chosen else "yes" for i in ids}


@pytest.fixture
def imported(tmp_path, tmp_store: DuckDBStore) -> tuple[DuckDBStore, pd.DataFrame, str]:
    """tiny_country (the first 100 firms hold an accredited assessment), one unassessed shop in Karaganda sends its
    self-assessment through the inbox, the inbox is imported and the country scored."""
    ent = tiny_country(tmp_store)
    shop = ent[(ent.index >= 100) & (ent["region"] == "35") & (ent["employees"] <= 100)].iloc[0]
    inbox = tmp_path / "inbox"
    code = issue_codes(bins=[shop["bin"]], region_code="35", inbox=inbox, iterations=1000, clock=Clock())[0].code
    Inbox(inbox, clock=Clock()).submit(bin=shop["bin"], code=code, tool_id="retail", lang="kk",
                                       employees=int(shop["employees"]), screening={s.id: False for s in SCREENING},
                                       answers=retail_answers())
    report = load_inbox(tmp_store, inbox)
    assert (report.read, report.loaded, report.rejected) == (1, 1, 0)
    risk.compute_and_store_risk(tmp_store, year=2022)
    return tmp_store, ent, str(shop["bin"])


def test_reason_texts_say_self_assessment_and_the_weight_in_each_language() -> None:
    flag = Reason("flag.self_assessed", {"weight": 0.5})
    assert render(flag, "kk") == "тек жұмыс берушінің өзін-өзі бағалауы бар (салмағы 0,5)"
    assert render(flag, "ru") == "есть только самооценка работодателя (вес 0,5)"
    assert render(flag, "en") == "only the employer's own self-assessment (weight 0.5)"
    part = Reason("part.assessment.self", {"section": "G", "size": "micro", "index": 0.4321, "weight": 0.5})
    assert render(part, "en") == ("the workplace assessment is the employer's own express self-check (counted at "
                                  "weight 0.5 with the G/micro peer prior): index 0.43 of 1")
    assert "экспресс-самооценка работодателя (учтена с весом 0,5 вместе со средним аналогов G/микро)" in render(part, "ru")
    assert "жұмыс берушінің өз экспресс-бағалауы (0,5 салмақпен G/микро" in render(part, "kk")


def test_the_imported_firm_is_flagged_on_the_card_with_badge_and_reason(imported) -> None:
    store, _, shop = imported
    scope = Scope.of_regions(["35"])
    card = ents.card(store, scope=scope, bin=shop)
    assert card.self_assessed
    assert not card.assessed
    assessment = {p: reason for p, _, reason in card.parts}["assessment"]
    assert assessment.key == "part.assessment.self"
    assert assessment.params["weight"] == 0.5
    for lang in ("kk", "ru", "en"):
        view = views.card_view(store, scope=scope, bin=shop, lang=lang)
        assert view.badge == t("emap.badge.self_assessed", lang)
        assert view.badge_note == render(assessment, lang)
        facts = dict(view.facts.to_numpy().tolist())
        assert facts[t("emap.self_assessed", lang)] == t("emap.yes", lang)
        assert facts[t("emap.assessed", lang)] == t("emap.no", lang)
    other = store.sql("SELECT bin FROM enterprise_risk WHERE region = '35' AND NOT self_assessed LIMIT 1")["bin"].iloc[0]
    plain = views.card_view(store, scope=scope, bin=other, lang="kk")
    assert (plain.badge, plain.badge_note) == ("", "")


def test_the_plan_flags_it_in_the_reason_the_column_and_the_files(imported) -> None:
    store, ent, shop = imported
    scope = Scope.of_regions(["35"])
    unassessed = ent[(ent.index >= 100) & (ent["region"] == "35") & (ent["bin"] != shop)]["bin"].iloc[0]
    accredited = ent[(ent.index < 100) & (ent["region"] == "35")]["bin"].iloc[0]
    plan = ents.inspection_list(store, scope=scope, bins=(shop, unassessed, accredited)).set_index("bin")
    assert plan["self_assessed"].to_dict() == {shop: True, unassessed: False, accredited: False}
    keys = {b: [r.key for r in reasons] for b, reasons in plan["reason"].items()}
    assert "flag.self_assessed" in keys[shop]
    assert "flag.unassessed" not in keys[shop]
    assert "flag.unassessed" in keys[unassessed]
    assert "flag.self_assessed" not in keys[unassessed]
    assert "flag.self_assessed" not in keys[accredited]
    assert "flag.unassessed" not in keys[accredited]
    frame = plan.reset_index()
    for lang in ("kk", "ru", "en"):
        screen = views.plan_table(frame, lang=lang, columns=views.PLAN_COLUMNS, for_file=False)
        header = t("plan.col.self_assessed", lang)
        assert dict(zip(frame["bin"], screen[header], strict=True)) == {
            shop: t("emap.yes", lang), unassessed: t("emap.no", lang), accredited: t("emap.no", lang)}
        file = views.plan_file_frame(frame, lang=lang)
        assert file.columns[-1] == header  # after the reason, the code columns keep BIN / KATO / OKED
        assert dict(zip(file["BIN"], file[header], strict=True))[shop] == t("emap.yes", lang)
        reasons = dict(zip(file["BIN"], file[t("plan.col.reason", lang)], strict=True))
        assert render(Reason("flag.self_assessed", {"weight": 0.5}), lang) in reasons[shop]
    back = pd.read_csv(io.BytesIO(views.plan_file_frame(frame, lang="ru").to_csv(index=False).encode()), dtype=str)
    assert back.set_index("BIN").loc[shop, "Только самооценка"] == "да"
    # filters: the employer's self-assessment only
    only = ents.inspection_list(store, scope=scope, filters=ents.PlanFilter(self_assessed=True))
    assert only["bin"].tolist() == [shop]
    mapped = ents.query(store, scope=scope, filters=ents.EnterpriseFilter(self_assessed=True), columns=["bin"])
    assert mapped["bin"].tolist() == [shop]


def test_the_map_rings_self_assessed_points_and_says_so_in_the_legend(imported) -> None:
    store, _, shop = imported
    selection = views.MapSelection(region="35")
    view = views.build_map(store, scope=Scope.of_regions(["35"]), selection=selection, lang="kk", outlines=None,
                           attribution="", point_limit=10_000, tiles="")
    assert view.mode == "points"
    assert view.layer_ids == (deck.POINTS_ID, deck.SELF_RING_ID)
    spec = json.loads(view.deck.to_json())
    ring = next(layer for layer in spec["layers"] if layer["id"] == deck.SELF_RING_ID)
    point = next(p for p in next(layer for layer in spec["layers"] if layer["id"] == deck.POINTS_ID)["data"]
                 if p["b"] == shop)
    assert ring["data"] == [{"p": point["p"]}]  # one ring, around the shop
    assert ring["getLineColor"] == [156, 39, 176]
    assert ring["filled"] is False
    *_, last = view.legend
    assert last.ring
    assert last.label == t("emap.legend.self_assessed", "kk", n="1")
    assert last.colour == "rgb(156,39,176)"
    assert "border-radius:50%" in views.legend_html(view.legend)
    # the points themselves are unchanged: one per enterprise of the region
    assert view.shown == view.count
    # without self-assessed firms in view there is no ring and no legend entry
    other = views.build_map(store, scope=Scope.of_regions(["71"]), selection=views.MapSelection(region="71"),
                            lang="kk", outlines=None, attribution="", point_limit=10_000, tiles="")
    assert deck.SELF_RING_ID not in other.layer_ids
    assert not any(item.ring for item in other.legend)


def _self_rows(rows: list[tuple[str, str, date]]) -> pd.DataFrame:
    n = len(rows)
    return pd.DataFrame({
        "submission_id": [s for s, _, _ in rows], "submitted_on": [d for _, _, d in rows], "bin": [b for _, b, _ in rows],
        "region": ["35"] * n, "code_id": [f"k{i}" for i in range(n)], "tool": ["office"] * n, "lang": ["kk"] * n,
        "employees": [3] * n, "harmfulness_class": ["2"] * n, "danger_class": [2] * n, "equipment_class": [1] * n,
        "ppe_provision_pct": [90.0] * n, "morbidity_class": [1] * n, "compliance_pct": [80.0] * n,
        "measures": [2] * n, "answers": ["{}"] * n,
    })


def test_coverage_counts_self_assessments_apart_and_the_target_on_accredited_ones(tmp_store: DuckDBStore) -> None:
    # years 2023-2025 (target 1 has plans from 2025); the first 100 of 400 firms accredited on 2025-02-01
    ent = tiny_country(tmp_store, n=400, years=(2023, 2024, 2025))
    x, y, z = ent["bin"].iloc[150], ent["bin"].iloc[151], ent["bin"].iloc[0]
    put(tmp_store, "self_assessments", _self_rows([
        ("s1", x, date(2022, 5, 1)),  # valid 2022-2024: counted in 2023 and 2024, not in 2025
        ("s2", y, date(2025, 4, 1)),  # counted in 2025
        ("s3", y, date(2025, 9, 1)),  # a second one the same year: the firm still counts once
        ("s4", z, date(2024, 6, 1)),  # counted in 2024; from 2025 its accredited assessment counts instead
    ]))
    nat = indicators.indicators(tmp_store).set_index("year")
    firms = len(ent)
    assert nat["self_assessed_enterprises"].to_dict() == {2023: 1, 2024: 2, 2025: 1}
    assert nat.loc[2025, "self_assessed_share"] == pytest.approx(1 / firms)
    assert nat.loc[2025, "assessed_share"] == pytest.approx(100 / firms)  # unchanged by the self-assessments
    assert nat.loc[2024, "assessed_share"] == 0
    regions = indicators.indicators(tmp_store, by=("region",))
    assert regions.groupby("year")["self_assessed_enterprises"].sum().to_dict() == {2023: 1, 2024: 2, 2025: 1}
    tracked = targets.track(pd.concat([nat.reset_index(), regions], ignore_index=True)).set_index(
        ["indicator", "region", "year"])
    row = tracked.loc[("risk_assessment_coverage", "KZ", 2025)]
    assert row["actual"] == pytest.approx(25.0)  # accredited only: 100 of 400
    assert row["actual_self"] == pytest.approx(100 / firms)  # 0.25 %, beside it
    assert row["status"] == "off_track"  # judged on 25 % against the plan of 30 %
    assert row["gap"] == pytest.approx(-5.0)
    assert np.isnan(tracked.loc[("fatal_rate_1000", "KZ", 2025), "actual_self"])


def test_without_self_assessments_the_separate_figure_is_unknown_not_zero(tmp_store: DuckDBStore) -> None:
    tiny_country(tmp_store)
    nat = indicators.indicators(tmp_store).set_index("year")
    assert nat["self_assessed_share"].isna().all()
    tracked = targets.track(nat.reset_index()).set_index(["indicator", "region", "year"])
    assert tracked.loc[("risk_assessment_coverage", "KZ", 2025), "status"] == "not_yet"
    assert tracked["actual_self"].isna().all()
