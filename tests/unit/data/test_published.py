"""The published dataset: every figure cited, equal to the Concept where both print it, loadable by the loader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from data import published, series
from data.official import DOCUMENT, figure
from data.published import PublishedDataError, citation_problems, figures, load_published, national_series, sources
from geo.regions import REGION_CODES, SPLIT_YEAR, SPLITS

# The cited document is kept in the repository (data/seed/SOURCE.md).
SEED = Path(__file__).resolve().parents[3] / "data" / DOCUMENT


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "published"
    shutil.copytree(published.PUBLISHED_DIR, target)
    return target


# --- citations --------------------------------------------------------------------------------------


def test_every_figure_has_a_citation_that_gives_its_value() -> None:
    assert citation_problems() == []
    figs = figures()
    assert len(figs) >= 80
    cited = sources()
    assert set(cited["table"]) == {"injury_counts", "disease_counts", "employment", "rates"}
    for column in ("release", "publisher", "address"):
        assert (cited[column].str.strip() != "").all(), column
    assert cited["address"].str.match(r"^(https?://|" + DOCUMENT.replace(".", r"\.") + r":\d+(-\d+)?$)").all()
    assert cited["date"].str.fullmatch(r"(\d{4}-\d{2}-\d{2})?").all()


def test_a_figure_without_citation_or_with_another_value_is_named(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "sources.csv"
    text = path.read_text(encoding="utf-8")
    # the 2023 national BNS count cited by caravan.kz: change the cited value; drop the 2014 citation
    text = text.replace("injury_counts,2023,,,bns,injured,2670,Какие травмы", "injury_counts,2023,,,bns,injured,2607,Какие травмы")
    lines = [line for line in text.splitlines() if not line.startswith("injury_counts,2014,,,bns,injured,")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = citation_problems(directory=directory)
    assert "figure without a citation: injury_counts 2014 national bns injured = 2578" in problems
    assert any(p.startswith("injury_counts 2023 national bns injured: dataset 2670, citation 2607 (https://caravan.kz/") for p in problems)
    assert len(problems) == 2


def test_a_citation_without_a_figure_and_a_blank_publisher_are_named(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    counts = directory / "disease_counts.csv"
    counts.write_text("\n".join(line for line in counts.read_text(encoding="utf-8").splitlines()
                                if not line.startswith("2013,")) + "\n", encoding="utf-8")
    src = directory / "sources.csv"
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    frame.loc[(frame["table"] == "disease_counts") & (frame["year"] == "2024"), "publisher"] = " "
    frame.to_csv(src, index=False)
    problems = citation_problems(directory=directory)
    assert any(p.startswith("citation of a figure the dataset does not hold: disease_counts 2013 national bns cases = 465") for p in problems)
    assert problems.count("disease_counts 2024 national bns cases: citation without publisher") == 2


def test_a_cell_that_is_not_a_number_names_file_row_and_column(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "injury_counts.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2013,,,2623,266", "2013,,,2 623x,266"), encoding="utf-8")
    with pytest.raises(PublishedDataError, match=r"injury_counts\.csv: row 2, column injured: '2 623x' is not a number"):
        figures(directory=directory)


def test_a_missing_file_is_a_specific_error(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "rates.csv").unlink()
    with pytest.raises(PublishedDataError, match=r"rates\.csv: file not found"):
        citation_problems(directory=directory)


# --- agreement with the Concept ------------------------------------------------------------------------


def _count(table: str, year: int, column: str, *, region: str = "", section: str = "", source: str = "bns") -> float:
    figs = figures()
    hit = figs[(figs["table"] == table) & (figs["year"] == year) & (figs["region"] == region)
               & (figs["oked_section"] == section) & (figs["series"] == source) & (figs["column"] == column)]
    assert len(hit) == 1, (table, year, column, region, section)
    return float(hit["value"].iloc[0])


def test_counts_equal_the_concepts_where_both_give_one() -> None:
    assert _count("injury_counts", 2022, "injured") == figure("injured", year=2022) == 2449
    assert _count("injury_counts", 2022, "fatal") == figure("fatal", year=2022) == 205
    assert _count("disease_counts", 2020, "cases") == figure("disease_cases", year=2020) == 237
    assert _count("disease_counts", 2022, "cases") == figure("disease_cases", year=2022) == 657
    assert _count("employment", 2022, "employees", source="") == figure("hired_employees", year=2022) * 1000
    assert _count("employment", 2022, "harmful_conditions", source="") == pytest.approx(figure("harmful_workers") * 1000)
    # the Concept's "+20 % vs 2020" (line 123) holds for the published 2020 count
    assert _count("injury_counts", 2022, "injured") / _count("injury_counts", 2020, "injured") - 1 == pytest.approx(0.20, abs=0.01)


@pytest.mark.parametrize(
    ("year", "region", "section", "measure", "name", "scope", "per"),
    [
        (2020, "", "", "injured", "injury_rate", "KZ", 100000),
        (2020, "", "", "fatal", "fatal_rate", "KZ", 100000),
        (2022, "", "", "injured", "injury_rate", "KZ", 100000),
        (2022, "", "", "fatal", "fatal_rate", "KZ", 100000),
        (2022, "", "B", "injured", "injury_rate_1000", "B", 1000),
        (2022, "", "B", "fatal", "fatal_rate_1000", "B", 1000),
        (2022, "", "C", "injured", "injury_rate_1000", "C", 1000),
        (2022, "", "C", "fatal", "fatal_rate_1000", "C", 1000),
        (2022, "35", "", "injured", "injury_rate_1000", "35", 1000),
        (2022, "35", "", "fatal", "fatal_rate_1000", "35", 1000),
        (2022, "62", "", "injured", "injury_rate_1000", "62", 1000),
        (2022, "62", "", "fatal", "fatal_rate_1000", "62", 1000),
        (2022, "63", "", "injured", "injury_rate_1000", "63", 1000),
        (2022, "63", "", "fatal", "fatal_rate_1000", "63", 1000),
    ],
)
def test_rates_equal_the_concepts(year: int, region: str, section: str, measure: str, name: str, scope: str,
                                  per: int) -> None:
    rate = published.rates()
    hit = rate[(rate["year"] == year) & (rate["region"] == region) & (rate["oked_section"] == section)
               & (rate["measure"] == measure) & (rate["source"] == "bns")]
    assert len(hit) == 1
    assert int(hit["per"].iloc[0]) == per
    assert float(hit["value"].iloc[0]) == pytest.approx(figure(name, year=year, scope=scope))


def test_rates_per_1000() -> None:
    rate = published.rates().set_index(["year", "region", "oked_section", "measure", "source"])
    assert rate.loc[(2022, "", "", "injured", "bns"), "per_1000"] == pytest.approx(0.44)
    assert rate.loc[(2022, "", "B", "injured", "bns"), "per_1000"] == pytest.approx(1.9)
    assert rate.loc[(2022, "", "", "accidents", "mlsp"), "per_1000"] == pytest.approx(0.22)


def test_concept_citations_point_at_lines_that_print_the_value() -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    cited = sources()
    concept = cited[cited["address"].str.startswith(DOCUMENT + ":")]
    assert len(concept) >= 20
    for row in concept.to_dict("records"):
        span = str(row["address"]).rsplit(":", 1)[1].split("-")
        text = " ".join(lines[int(span[0]) - 1:int(span[-1])]).replace("\u00a0", " ")
        value = float(row["value"])
        shown = value / 1000 if row["table"] == "employment" else value
        forms = {f"{shown:g}", f"{shown:g}".replace(".", ","), f"{shown:,.1f}".replace(",", " ").replace(".", ",")}
        assert any(form in text for form in forms), (row["column"], value, row["address"], text)


# --- shape of the dataset -------------------------------------------------------------------------------


def test_series_are_ids_and_pre_2022_rows_use_the_old_regions() -> None:
    figs = figures()
    counted = figs[figs["table"].isin(["injury_counts", "disease_counts", "rates"])]
    assert set(counted["series"]) == {"bns", "mlsp"}
    assert all(series.normalise(s) == s for s in counted["series"].unique())
    assert set(figs["region"]) - {""} <= set(REGION_CODES)
    early = figs[figs["year"] < SPLIT_YEAR]
    assert not early["region"].isin(list(SPLITS)).any()


def test_the_published_sector_counts_give_the_concepts_21_to_1() -> None:
    """The Concept prints 21:1 for mining and manufacturing (line 167); the bureau's 2022 counts agree."""
    sectors = published.sector_counts(series="bns", year=2022)
    assert sectors.loc[["B", "C", "F"]].to_dict("index") == {
        "B": {"injured": 586.0, "fatal": 27.0}, "C": {"injured": 731.0, "fatal": 33.0}, "F": {"injured": 215.0, "fatal": 51.0},
    }
    for sector in ("B", "C"):
        injured, fatal = sectors.loc[sector, "injured"], sectors.loc[sector, "fatal"]
        assert (injured - fatal) / fatal == pytest.approx(figure("hidden_ratio", scope=sector), rel=0.02)


def test_national_series_of_both_systems() -> None:
    bns = national_series(series="bns")
    assert bns.loc[2022].to_dict() == {"injured": 2449.0, "fatal": 205.0, "disease_cases": 657.0}
    assert bns.loc[2023, "injured"] == 2670
    assert pd.isna(bns.loc[2023, "fatal"])  # the release gives no count of deaths: left empty
    assert bns.loc[2024, "injured"] == 2471
    assert bns.loc[2024, "disease_cases"] == 529
    mlsp = national_series(series="mlsp")
    assert mlsp.loc[2022, ["injured", "fatal"]].tolist() == [1465, 203]
    assert mlsp["disease_cases"].isna().all()
    # the two systems count different things: the ministry's count is always the smaller
    both = bns.join(mlsp.add_suffix("_mlsp"), how="inner").dropna(subset=["injured", "injured_mlsp"])
    assert len(both) >= 3
    assert (both["injured_mlsp"] < both["injured"]).all()


# --- loading -----------------------------------------------------------------------------------------


def test_loads_into_an_empty_store_through_the_loader(tmp_store) -> None:
    done = load_published(tmp_store)
    summaries = [r.summary() for r in done.reports]
    expected = {t: len(published.read_table(t)) for t in published.TABLES}
    assert summaries == [f"{t}: read {n}, loaded {n} (replaced 0), rejected 0" for t, n in expected.items()]
    assert expected["injury_counts"] >= 50
    for table, n in expected.items():
        assert tmp_store.count(table) == n, table
    assert done.labelled_real
    assert tmp_store.get_meta("dataset") == "real"
    assert tmp_store.get_meta("data_as_of") == "2024-12-31"  # no records: the end of the latest year loaded
    back = tmp_store.sql(
        "SELECT source, injured, fatal FROM injury_counts WHERE year = 2022 AND region IS NULL AND oked_section IS NULL "
        "ORDER BY source"
    )
    assert back.to_dict("records") == [
        {"source": "bns", "injured": 2449, "fatal": 205},
        {"source": "mlsp", "injured": 1465, "fatal": 203},
    ]
    missing = tmp_store.sql("SELECT fatal FROM injury_counts WHERE year = 2023 AND source = 'bns' AND region IS NULL")
    assert missing["fatal"].isna().all()
    emp = tmp_store.sql("SELECT employees FROM employment WHERE year = 2022 AND region IS NULL")
    assert emp["employees"].tolist() == [6_830_900]
    # a second load replaces, it does not add, and says so
    again = load_published(tmp_store)
    assert [(r.loaded, r.replaced) for r in again.reports] == [(n, n) for n in expected.values()]
    assert tmp_store.count("injury_counts") == expected["injury_counts"]


def test_one_series_only_keeps_the_file_row_numbers(tmp_store, tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "injury_counts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    bad_line = next(i for i, line in enumerate(lines) if line.startswith("2019,63,,212,"))
    lines[bad_line] = lines[bad_line].replace("2019,63,,212,", "2019,99,,212,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = load_published(tmp_store, directory=directory, tables=("injury_counts",), series=("mlsp",))
    report = done.reports[0]
    mlsp_rows = sum(1 for line in lines[1:] if line.endswith(",mlsp"))
    assert (report.read, report.loaded, report.rejected) == (mlsp_rows, mlsp_rows - 1, 1)
    assert report.rejects["row"].tolist() == [bad_line + 1]
    assert report.rejects["column"].tolist() == ["region"]
    assert set(tmp_store.sql("SELECT DISTINCT source FROM injury_counts")["source"]) == {"mlsp"}


def test_a_store_with_records_keeps_its_own_data_as_of(tmp_store) -> None:
    tmp_store.set_meta("data_as_of", "2023-06-30")
    load_published(tmp_store)
    assert tmp_store.get_meta("data_as_of") == "2023-06-30"


def test_a_demo_store_stays_labelled_demo(tmp_store) -> None:
    tmp_store.write_table("demo_truth", pd.DataFrame({"bin": ["x"], "latent_risk": [1.0]}))
    tmp_store.set_meta("dataset", "demo")
    done = load_published(tmp_store, tables=("injury_counts",), series=("mlsp",))
    assert not done.labelled_real
    assert tmp_store.get_meta("dataset") == "demo"


def test_the_docs_table_of_national_series_is_the_dataset() -> None:
    """docs/official-data.md lists the national series found; it must say what the dataset holds."""
    doc = (Path(__file__).resolve().parents[3] / "docs" / "official-data.md").read_text(encoding="utf-8")
    rows = {}
    for line in doc.splitlines():
        cells = [c.strip().replace(" ", "") for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].isdigit():
            rows[int(cells[0])] = [float(c) if c else None for c in cells[1:]]
    bns, mlsp = national_series(series="bns"), national_series(series="mlsp")
    expected = {}
    for year in sorted(set(bns.index) | set(mlsp.index)):
        values = [bns[c].get(year) for c in ("injured", "fatal", "disease_cases")]
        values += [mlsp[c].get(year) for c in ("injured", "fatal")]
        expected[year] = [None if v is None or pd.isna(v) else float(v) for v in values]
    assert rows == expected
