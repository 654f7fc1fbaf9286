"""One schema per input table: columns, types, rules, keys and references (the input contracts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from data.codes import DISEASE_CAUSES, HARMFULNESS_CLASSES, SIZE_CLASSES

Kind = Literal[
    "bin",  # 12 digits with a valid control digit
    "kato",  # 9 digits, known region prefix
    "region",  # 2-digit region code or 9-digit KATO, stored as the 2-digit code
    "oked",  # OKED code (division must exist), stored dotted
    "section",  # OKED section letter A-U
    "text",
    "int",  # non-negative whole number unless min says otherwise
    "float",
    "date",
    "year",
    "bool",
    "choice",
]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    doc: str
    required: bool = True  # the column must be present in the file
    nullable: bool = False  # an empty value is allowed
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other header spellings accepted (Russian / Kazakh exports)


@dataclass(frozen=True)
class RowRule:
    """A rule across columns of one row: `expr` is a pandas-eval-free callable name in data.validate."""

    name: str
    columns: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Schema:
    table: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: dict[str, str] = field(default_factory=dict)  # column -> "table.column"
    row_rules: tuple[RowRule, ...] = ()

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.table} has no column {name!r}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)




def _year(name: str, doc: str) -> Column:
    return Column(name, "year", doc, min=2000, max=2100)


ENTERPRISES = Schema(
    "enterprises",
    "The register of legal entities: one row per enterprise (BIN).",
    (
        Column("bin", "bin", "Business identification number: 12 digits with a valid control digit", aliases=("БИН", "БСН")),
        Column("name", "text", "Registered name", aliases=("наименование", "атауы")),
        Column("kato", "kato", "KATO code of the location: 9 digits, prefix one of the 20 regions", aliases=("КАТО",)),
        Column("oked", "oked", "Main activity, OKED code (NN, NN.N, NN.NN or NN.NN.N; division must exist)", aliases=("ОКЭД", "ЭҚЖЖ")),
        Column("employees", "int", "Number of employees, whole number >= 0", min=0, aliases=("численность",)),
        Column("lat", "float", "Latitude, WGS 84 (optional)", required=False, nullable=True, min=-90, max=90),
        Column("lon", "float", "Longitude, WGS 84 (optional)", required=False, nullable=True, min=-180, max=180),
        Column("size_class", "choice", "micro / small / medium / large (derived from employees when empty)", required=False, nullable=True, choices=SIZE_CLASSES),
        Column("active", "bool", "Active legal entity (true/false, 1/0, yes/no, да/нет, иә/жоқ)", required=False, nullable=True),
        Column("harmful_workers", "int", "Workers in harmful and/or hazardous conditions (optional, <= employees)", required=False, nullable=True, min=0),
    ),
    key=("bin",),
    row_rules=(RowRule("harmful_le_employees", ("harmful_workers", "employees"), "harmful_workers exceeds employees"),),
)

WORKPLACE_ASSESSMENTS = Schema(
    "workplace_assessments",
    "Occupational risk assessment (КТБ) of one workplace: the Concept's five indicators.",
    (
        Column("assessment_id", "text", "Identifier of the assessed workplace record, unique"),
        Column("bin", "bin", "BIN of the enterprise; must exist in enterprises"),
        Column("workplace", "text", "Workplace or occupation assessed", required=False, nullable=True),
        Column("assessment_date", "date", "Date of the assessment (YYYY-MM-DD or DD.MM.YYYY)"),
        Column("workers", "int", "Workers at this workplace, >= 1", min=1),
        Column("harmfulness_class", "choice", "Harmfulness of working conditions: 1, 2, 3.1, 3.2, 3.3, 3.4 or 4", choices=HARMFULNESS_CLASSES),
        Column("danger_class", "int", "Injury danger class: 1 (optimal) to 4 (dangerous)", min=1, max=4),
        Column("equipment_class", "int", "Safety of production equipment: 1 (compliant) to 4 (unsafe)", min=1, max=4),
        Column("ppe_provision_pct", "float", "Provision with certified PPE, percent of the norm, 0-100", min=0, max=100),
        Column("morbidity_class", "int", "Morbidity indicator: 1 (none above norm) to 4 (high)", min=1, max=4),
        Column("assessor", "text", "Organisation that carried out the assessment"),
    ),
    key=("assessment_id",),
    references={"bin": "enterprises.bin"},
)

ACCIDENTS = Schema(
    "accidents",
    "One row per work accident (act N-1).",
    (
        Column("accident_id", "text", "Registration number of the accident, unique"),
        Column("date", "date", "Date of the accident"),
        Column("bin", "bin", "BIN of the employer; must exist in enterprises"),
        Column("kato", "kato", "KATO code of the place of the accident"),
        Column("oked", "oked", "OKED code of the activity"),
        Column("injured", "int", "People injured, including the fatally injured, >= 1", min=1),
        Column("fatal", "int", "Of whom died, >= 0 and <= injured", min=0),
        Column("group_accident", "bool", "Group accident (two or more victims)", required=False, nullable=True),
        Column("cause", "text", "Cause as recorded", required=False, nullable=True),
    ),
    key=("accident_id",),
    references={"bin": "enterprises.bin"},
    row_rules=(
        RowRule("fatal_le_injured", ("fatal", "injured"), "fatal exceeds injured"),
        RowRule("group_needs_two", ("group_accident", "injured"), "group_accident is true but fewer than 2 injured"),
    ),
)

OCCUPATIONAL_DISEASES = Schema(
    "occupational_diseases",
    "Newly diagnosed occupational disease cases, by enterprise or by region.",
    (
        _year("year", "Year of diagnosis"),
        Column("bin", "bin", "BIN of the employer (empty when only the region is known)", nullable=True),
        Column("region", "region", "Region: 2-digit code or 9-digit KATO (empty when the BIN is given)", nullable=True),
        Column("oked", "oked", "OKED code of the activity", nullable=True),
        Column("cause_group", "choice", "Cause group: " + ", ".join(DISEASE_CAUSES), choices=DISEASE_CAUSES),
        Column("cases", "int", "Number of cases, >= 0", min=0),
    ),
    key=("year", "bin", "region", "oked", "cause_group"),
    references={"bin": "enterprises.bin"},
    row_rules=(RowRule("bin_or_region", ("bin", "region"), "neither bin nor region is given"),),
)

EMPLOYMENT = Schema(
    "employment",
    "Employees by year, region and OKED section (national and region-only totals allowed): the denominators of all rates.",
    (
        _year("year", "Year"),
        Column("region", "region", "Region: 2-digit code or 9-digit KATO (empty for the national total)", nullable=True),
        Column("oked_section", "section", "OKED section letter A-U (empty for all sections)", required=False, nullable=True),
        Column("employees", "int", "Average number of employees, >= 0", min=0),
        Column("harmful_conditions", "int", "Of whom in harmful and/or hazardous conditions (optional)", required=False, nullable=True, min=0),
    ),
    key=("year", "region", "oked_section"),
    row_rules=(RowRule("harmful_le_employees", ("harmful_conditions", "employees"), "harmful_conditions exceeds employees"),),
)

INSPECTIONS = Schema(
    "inspections",
    "State labour inspections and what they found.",
    (
        Column("inspection_id", "text", "Identifier of the inspection, unique"),
        Column("bin", "bin", "BIN of the inspected enterprise; must exist in enterprises"),
        Column("date", "date", "Date of the inspection"),
        Column("violations", "int", "Labour-law violations found, >= 0", min=0),
        Column("osh_violations", "int", "Of which occupational safety and health violations, <= violations", min=0),
    ),
    key=("inspection_id",),
    references={"bin": "enterprises.bin"},
    row_rules=(RowRule("osh_le_violations", ("osh_violations", "violations"), "osh_violations exceeds violations"),),
)

INSURANCE = Schema(
    "insurance",
    "Compulsory insurance of workers against accidents (ЖОМС): one row per enterprise and year.",
    (
        Column("bin", "bin", "BIN of the employer; must exist in enterprises"),
        _year("year", "Year"),
        Column("covered", "bool", "Had a valid insurance contract in that year"),
    ),
    key=("bin", "year"),
    references={"bin": "enterprises.bin"},
)

INJURY_COUNTS = Schema(
    "injury_counts",
    "Published aggregate counts of people injured at work.",
    (
        _year("year", "Year"),
        Column("region", "region", "Region code (empty for the national total)", nullable=True),
        Column("oked_section", "section", "OKED section (empty for all sections)", required=False, nullable=True),
        Column("injured", "int", "People injured, including fatally (empty when the release gives deaths only)", required=False, nullable=True, min=0),
        Column("fatal", "int", "Of whom died, <= injured (empty when the release gives the injured only)", required=False, nullable=True, min=0),
        Column("workers", "int", "Denominator published with the counts (optional)", required=False, nullable=True, min=0),
        Column("source", "text", "Series: bns (statistics bureau) or mlsp (labour ministry), or the names releases use for them; series are never summed"),
    ),
    key=("year", "region", "oked_section", "source"),
    row_rules=(
        RowRule("fatal_le_injured", ("fatal", "injured"), "fatal exceeds injured"),
        RowRule("injured_or_fatal", ("injured", "fatal"), "neither injured nor fatal is given"),
    ),
)

DISEASE_COUNTS = Schema(
    "disease_counts",
    "Published aggregate counts of occupational disease cases.",
    (
        _year("year", "Year"),
        Column("region", "region", "Region code (empty for the national total)", nullable=True),
        Column("oked_section", "section", "OKED section (empty for all sections)", required=False, nullable=True),
        Column("cause_group", "choice", "Cause group (empty for all causes)", required=False, nullable=True, choices=DISEASE_CAUSES),
        Column("cases", "int", "Number of cases", min=0),
        Column("source", "text", "Series: bns (statistics bureau), mlsp (labour ministry) or the name of another source system"),
    ),
    key=("year", "region", "oked_section", "cause_group", "source"),
)

# Sector tools of the express self-assessment (osh.selfcheck.content.TOOLS; a test keeps the two equal).
SELF_CHECK_TOOLS: tuple[str, ...] = ("office", "retail", "food", "repair", "car")

SELF_ASSESSMENTS = Schema(
    "self_assessments",
    "Express self-assessment of a micro or small firm (the public self-check page), imported from the self-check inbox; "
    "the five indicators on the workplace-assessment scales.",
    (
        Column("submission_id", "text", "Identifier the inbox gave the submission, unique"),
        Column("submitted_on", "date", "Date the submission was received"),
        Column("bin", "bin", "BIN of the firm; must exist in enterprises"),
        Column("region", "region", "Region of the akimat that issued the one-time code"),
        Column("code_id", "text", "Identifier of the one-time code used (never the code itself); each code is used once"),
        Column("tool", "choice", "Sector tool: " + ", ".join(SELF_CHECK_TOOLS), choices=SELF_CHECK_TOOLS),
        Column("lang", "choice", "Language of the questionnaire: kk, ru or en", choices=("kk", "ru", "en")),
        Column("employees", "int", "Employees of the firm, 1-100 (micro and small firms)", min=1, max=100),
        Column("harmfulness_class", "choice", "Harmfulness of working conditions from the answers: 2, 3.1 or 3.2", choices=HARMFULNESS_CLASSES),
        Column("danger_class", "int", "Injury danger class from the answers: 1 to 4", min=1, max=4),
        Column("equipment_class", "int", "Safety of production equipment from the answers: 1 to 4", min=1, max=4),
        Column("ppe_provision_pct", "float", "Provision of PPE from the answers, percent, 0-100", min=0, max=100),
        Column("morbidity_class", "int", "Morbidity indicator from the answers: 1 to 4", min=1, max=4),
        Column("compliance_pct", "float", "Share of applicable questions answered yes, percent, 0-100", min=0, max=100),
        Column("measures", "int", "Measures in the action plan, >= 0", min=0),
        Column("answers", "text", "The answers as JSON (question id -> yes / no / na), kept so the profile can be recomputed"),
    ),
    key=("submission_id",),
    references={"bin": "enterprises.bin"},
)

SCHEMAS: dict[str, Schema] = {
    s.table: s
    for s in (
        ENTERPRISES,
        WORKPLACE_ASSESSMENTS,
        ACCIDENTS,
        OCCUPATIONAL_DISEASES,
        EMPLOYMENT,
        INSPECTIONS,
        INSURANCE,
        INJURY_COUNTS,
        DISEASE_COUNTS,
        SELF_ASSESSMENTS,
    )
}
# Loading order that satisfies the references.
LOAD_ORDER: tuple[str, ...] = tuple(SCHEMAS)

SQL_TYPES: dict[str, str] = {
    "bin": "VARCHAR",
    "kato": "VARCHAR",
    "region": "VARCHAR",
    "oked": "VARCHAR",
    "section": "VARCHAR",
    "text": "VARCHAR",
    "choice": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "year": "INTEGER",
    "bool": "BOOLEAN",
}


def schema(table: str) -> Schema:
    try:
        return SCHEMAS[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; expected one of: {', '.join(SCHEMAS)}") from None


def markdown() -> str:
    """The contracts as the README documents them (a test keeps the README equal to this)."""
    kinds = {
        "bin": "BIN", "kato": "KATO", "region": "region code", "oked": "OKED", "section": "OKED section",
        "text": "text", "int": "integer", "float": "decimal", "date": "date", "year": "year",
        "bool": "yes/no", "choice": "one of",
    }
    out: list[str] = []
    for s in SCHEMAS.values():
        out.append(f"#### `{s.table}`\n\n{s.doc} Key: {', '.join(s.key)}.")
        if s.references:
            out[-1] += " References: " + ", ".join(f"{c} → {t}" for c, t in s.references.items()) + "."
        out.append("\n| column | type | required | rule |\n|---|---|---|---|")
        for c in s.columns:
            need = "yes" if c.required and not c.nullable else ("column yes, value may be empty" if c.required else "no")
            out.append(f"| `{c.name}` | {kinds[c.kind]} | {need} | {c.doc} |")
        for r in s.row_rules:
            out.append(f"| *row rule* | | | rejected when: {r.reason} |")
        out.append("")
    return "\n".join(out)
