"""The card's OSH-measures reports write numbers as the reader's language does (decimal comma in kk and ru)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.desk_checks_views import _measure_table
from dashboard.i18n import t


def _reports() -> pd.DataFrame:
    return pd.DataFrame({
        "year": [2024, 2023], "workers": [1289, 1289], "funding_per_worker": [6920.0, 15260.4],
        "guarantee_workers": [12, 0], "additional_leave_workers": [3, 0], "reduced_hours_workers": [0, 0],
        "wage_supplement_workers": [9, 0], "nutrition_workers": [0, 0], "milk_workers": [12, 0],
        "ppe_provision_pct": [33.66, 45.7], "sanitary_facilities": [True, False], "medical_exam_pct": [50.8, 100.0]})


@pytest.mark.parametrize(("lang", "funding", "ppe", "yes"), [
    ("ru", "6\u202f920", "33,7", "да"), ("kk", "6\u202f920", "33,7", "иә"), ("en", "6\u202f920", "33.7", "yes")])
def test_card_reports_are_formatted_per_language(lang: str, funding: str, ppe: str, yes: str) -> None:
    table = _measure_table(_reports(), lang=lang).set_index(t("measures.field", lang))
    assert list(table.columns) == ["2024", "2023"]
    assert table.loc[t("measures.funding_per_worker", lang), "2024"] == funding
    assert table.loc[t("measures.funding_per_worker", lang), "2023"] == "15\u202f260"
    assert table.loc[t("measures.ppe_provision_pct", lang), "2024"] == ppe
    assert table.loc[t("measures.workers", lang), "2024"] == "1\u202f289"
    assert table.loc[t("measures.sanitary_facilities", lang), "2024"] == yes
    assert table.loc[t("measures.sanitary_facilities", lang), "2023"] == t("desk.no", lang)
