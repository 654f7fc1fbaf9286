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
    return Column(name, "year", doc, min=2000, max=2100, aliases=("Год", "Жыл", "Отчетный год", "Есепті жыл"))


# Upper bounds of whole-number columns, checked on the exact value (a float would wrap above 2**63).
# Generous but finite: a value above them is a typo or a unit error, never a real figure.
MAX_EMPLOYEES = 1_000_000  # one enterprise (the largest Kazakh employers have about 100 000-300 000)
MAX_WORKFORCE = 20_000_000  # a national or regional workforce (Kazakhstan: about 9 million employed)
MAX_COUNT = 1_000_000  # published counts of injured, deaths or disease cases (national: about 2 500 a year)
MAX_ACCIDENT_VICTIMS = 10_000  # victims of one accident
MAX_VIOLATIONS = 100_000  # violations found by one inspection
MAX_MEASURES = 1_000  # measures in one self-check action plan (the questionnaires have a few dozen questions)

# Header spellings of the statistics bureau and ministry exports (Russian, Kazakh). Matching folds case,
# spaces, underscores and hyphens; a unit suffix (", человек", ", тыс. человек", ", мың адам") is removed
# first, and a header in thousands multiplies its values by 1000 (data.validate.map_columns).
_BIN = ("БИН", "БСН")
_KATO = ("КАТО", "Код КАТО", "ӘАОЖ")
_OKED = ("ОКЭД", "ЭҚЖЖ", "Код ОКЭД", "ЭҚЖЖ коды")
_REGION = ("Регион", "Область", "Өңір", "Облыс", "Код региона", "Код области", "Өңір коды", "Территория", "Аумақ")
_SECTION = ("Секция ОКЭД", "ЭҚЖЖ секциясы", "Секция", "Вид экономической деятельности", "Экономикалық қызмет түрі")
_WORKERS = (
    "Численность работников", "Среднесписочная численность работников", "Численность", "Жұмыскерлер саны",
    "Жұмыскерлердің орташа тізімдік саны", "Жұмыскерлер",
)
_HARMFUL = (
    "Численность работников во вредных условиях", "в том числе во вредных и (или) опасных условиях труда",
    "Работающие во вредных условиях", "Зиянды еңбек жағдайындағы жұмыскерлер",
)
_INJURED = (
    "Численность пострадавших", "Пострадавшие", "Пострадавших", "Число пострадавших", "Зардап шеккендер",
    "Зардап шеккендер саны",
)
_FATAL = (
    "в том числе со смертельным исходом", "со смертельным исходом", "Погибшие", "Погибших", "Число погибших",
    "оның ішінде қаза тапқандар", "Қаза тапқандар", "Қаза тапқандар саны",
)
_CASES = ("Число случаев", "Количество случаев", "Случаи", "Жағдайлар саны", "Жағдайлар")
_CAUSE = ("Группа причин", "Причина", "Себептер тобы", "Себеп")
_SOURCE = ("Источник", "Дереккөз", "Көзі")


ENTERPRISES = Schema(
    "enterprises",
    "The register of legal entities: one row per enterprise (BIN).",
    (
        Column("bin", "bin", "Business identification number: 12 digits with a valid control digit", aliases=_BIN),
        Column(
            "name",
            "text",
            "Registered name",
            aliases=("Наименование", "Наименование предприятия", "Атауы", "Кәсіпорын атауы"),
        ),
        Column(
            "kato",
            "kato",
            "KATO code of the location: 9 digits, prefix one of the 20 regions (retired prefix 51 stored as 61)",
            aliases=_KATO,
        ),
        Column(
            "oked", "oked", "Main activity, OKED code (NN, NN.N, NN.NN or NN.NN.N; division must exist)", aliases=_OKED
        ),
        Column("employees", "int", "Number of employees", min=0, max=MAX_EMPLOYEES, aliases=_WORKERS),
        Column(
            "lat",
            "float",
            "Latitude, WGS 84 (optional)",
            required=False,
            nullable=True,
            min=-90,
            max=90,
            aliases=("Широта", "Ендік"),
        ),
        Column(
            "lon",
            "float",
            "Longitude, WGS 84 (optional)",
            required=False,
            nullable=True,
            min=-180,
            max=180,
            aliases=("Долгота", "Бойлық"),
        ),
        Column(
            "size_class",
            "choice",
            "micro / small / medium / large (derived from employees when empty; a "
            "class that contradicts employees is "
            "rejected)",
            required=False,
            nullable=True,
            choices=SIZE_CLASSES,
            aliases=("Размерность", "Размерность предприятия", "Кәсіпорын өлшемі"),
        ),
        Column(
            "active",
            "bool",
            "Active legal entity (true/false, 1/0, yes/no, да/нет, иә/жоқ)",
            required=False,
            nullable=True,
            aliases=("Действующее", "Действующий", "Белсенді"),
        ),
        Column(
            "harmful_workers",
            "int",
            "Workers in harmful and/or hazardous conditions (optional, <= employees)",
            required=False,
            nullable=True,
            min=0,
            max=MAX_EMPLOYEES,
            aliases=_HARMFUL,
        ),
    ),
    key=("bin",),
    row_rules=(
        RowRule("harmful_le_employees", ("harmful_workers", "employees"), "harmful_workers exceeds employees"),
        RowRule(
            "size_class_matches_employees",
            ("size_class", "employees"),
            "size_class contradicts employees (micro <= 15, small 16-100, medium 101-250, large above 250 employees)",
        ),
    ),
)

WORKPLACE_ASSESSMENTS = Schema(
    "workplace_assessments",
    "Occupational risk assessment (КТБ) of one workplace: the Concept's five indicators.",
    (
        Column(
            "assessment_id",
            "text",
            "Identifier of the assessed workplace record, unique",
            aliases=("Номер оценки", "Бағалау нөмірі"),
        ),
        Column("bin", "bin", "BIN of the enterprise; must exist in enterprises", aliases=_BIN),
        Column(
            "workplace",
            "text",
            "Workplace or occupation assessed",
            required=False,
            nullable=True,
            aliases=("Рабочее место", "Жұмыс орны"),
        ),
        Column("assessment_date", "date", "Date of the assessment", aliases=("Дата оценки", "Бағалау күні")),
        Column("workers", "int", "Workers at this workplace", min=1, max=MAX_EMPLOYEES, aliases=_WORKERS),
        Column(
            "harmfulness_class",
            "choice",
            "Harmfulness of working conditions: 1, 2, 3.1, 3.2, 3.3, 3.4 or 4",
            choices=HARMFULNESS_CLASSES,
            aliases=("Класс вредности", "Класс условий труда", "Зияндылық класы"),
        ),
        Column(
            "danger_class",
            "int",
            "Injury danger class: 1 (optimal) to 4 (dangerous)",
            min=1,
            max=4,
            aliases=("Класс травмоопасности", "Жарақат қауіптілігі класы"),
        ),
        Column(
            "equipment_class",
            "int",
            "Safety of production equipment: 1 (compliant) to 4 (unsafe)",
            min=1,
            max=4,
            aliases=("Класс оборудования", "Жабдық класы"),
        ),
        Column(
            "ppe_provision_pct",
            "float",
            "Provision with certified PPE, percent of the norm, 0-100",
            min=0,
            max=100,
            aliases=("Обеспеченность СИЗ, %", "ЖҚҚ-мен қамтамасыз ету, %"),
        ),
        Column(
            "morbidity_class",
            "int",
            "Morbidity indicator: 1 (none above norm) to 4 (high)",
            min=1,
            max=4,
            aliases=("Класс заболеваемости", "Аурушаңдық класы"),
        ),
        Column(
            "assessor",
            "text",
            "Organisation that carried out the assessment",
            aliases=("Оценщик", "Организация, проводившая оценку", "Бағалаушы"),
        ),
    ),
    key=("assessment_id",),
    references={"bin": "enterprises.bin"},
)

ACCIDENTS = Schema(
    "accidents",
    "One row per work accident (act N-1).",
    (
        Column(
            "accident_id",
            "text",
            "Registration number of the accident, unique",
            aliases=("Номер акта", "Регистрационный номер", "Акт нөмірі", "Тіркеу нөмірі"),
        ),
        Column(
            "date", "date", "Date of the accident", aliases=("Дата", "Дата несчастного случая", "Күні", "Оқиға күні")
        ),
        Column("bin", "bin", "BIN of the employer; must exist in enterprises", aliases=_BIN),
        Column(
            "kato", "kato", "KATO code of the place of the accident (retired prefix 51 stored as 61)", aliases=_KATO
        ),
        Column("oked", "oked", "OKED code of the activity", aliases=_OKED),
        Column(
            "injured",
            "int",
            "People injured, including the fatally injured",
            min=1,
            max=MAX_ACCIDENT_VICTIMS,
            aliases=_INJURED,
        ),
        Column("fatal", "int", "Of whom died, <= injured", min=0, max=MAX_ACCIDENT_VICTIMS, aliases=_FATAL),
        Column(
            "group_accident",
            "bool",
            "Group accident (two or more victims)",
            required=False,
            nullable=True,
            aliases=("Групповой", "Групповой несчастный случай", "Топтық жазатайым оқиға"),
        ),
        Column(
            "cause", "text", "Cause as recorded", required=False, nullable=True, aliases=("Причина", "Себебі", "Себеп")
        ),
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
        Column("bin", "bin", "BIN of the employer (empty when only the region is known)", nullable=True, aliases=_BIN),
        Column("region", "region", "Region: 2-digit code, 9-digit KATO or region name (empty when the BIN is given)", nullable=True, aliases=_REGION),
        Column("oked", "oked", "OKED code of the activity", nullable=True, aliases=_OKED),
        Column("cause_group", "choice", "Cause group: " + ", ".join(DISEASE_CAUSES), choices=DISEASE_CAUSES, aliases=_CAUSE),
        Column("cases", "int", "Number of cases", min=0, max=MAX_COUNT, aliases=_CASES),
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
        Column("region", "region", "Region: 2-digit code, 9-digit KATO or region name (empty for the national "
                                   "total)", nullable=True, aliases=_REGION),
        Column("oked_section", "section", "OKED section letter A-U (empty for all sections)", required=False, nullable=True, aliases=_SECTION),
        Column("employees", "int", "Average number of employees (a header in thousands is multiplied by "
                                   "1000)", min=0, max=MAX_WORKFORCE, aliases=_WORKERS),
        Column("harmful_conditions", "int", "Of whom in harmful and/or hazardous conditions "
                                            "(optional)", required=False, nullable=True, min=0, max=MAX_WORKFORCE, aliases=_HARMFUL),
    ),
    key=("year", "region", "oked_section"),
    row_rules=(RowRule("harmful_le_employees", ("harmful_conditions", "employees"), "harmful_conditions exceeds employees"),),
)

INSPECTIONS = Schema(
    "inspections",
    "State labour inspections and what they found.",
    (
        Column(
            "inspection_id",
            "text",
            "Identifier of the inspection, unique",
            aliases=("Номер проверки", "Тексеру нөмірі"),
        ),
        Column("bin", "bin", "BIN of the inspected enterprise; must exist in enterprises", aliases=_BIN),
        Column("date", "date", "Date of the inspection", aliases=("Дата проверки", "Тексеру күні")),
        Column(
            "violations",
            "int",
            "Labour-law violations found",
            min=0,
            max=MAX_VIOLATIONS,
            aliases=("Выявлено нарушений", "Нарушения", "Анықталған бұзушылықтар", "Бұзушылықтар"),
        ),
        Column(
            "osh_violations",
            "int",
            "Of which occupational safety and health violations, <= violations",
            min=0,
            max=MAX_VIOLATIONS,
            aliases=(
                "Нарушения по безопасности и охране труда",
                "в том числе по безопасности и охране труда",
                "Еңбек қауіпсіздігі және еңбекті қорғау бойынша бұзушылықтар",
            ),
        ),
    ),
    key=("inspection_id",),
    references={"bin": "enterprises.bin"},
    row_rules=(RowRule("osh_le_violations", ("osh_violations", "violations"), "osh_violations exceeds violations"),),
)

INSURANCE = Schema(
    "insurance",
    "Compulsory insurance of workers against accidents (ЖОМС): one row per enterprise and year.",
    (
        Column("bin", "bin", "BIN of the employer; must exist in enterprises", aliases=_BIN),
        _year("year", "Year"),
        Column("covered", "bool", "Had a valid insurance contract in that "
                                  "year", aliases=("Застрахован", "Договор страхования", "Сақтандырылған", "Сақтандыру шарты")),
    ),
    key=("bin", "year"),
    references={"bin": "enterprises.bin"},
)

INJURY_COUNTS = Schema(
    "injury_counts",
    "Published aggregate counts of people injured at work.",
    (
        _year("year", "Year"),
        Column("region", "region", "Region code or name (empty for the national total)", nullable=True, aliases=_REGION),
        Column("oked_section", "section", "OKED section (empty for all sections)", required=False, nullable=True, aliases=_SECTION),
        Column("injured", "int", "People injured, including fatally (empty when the release gives deaths "
                                 "only)", required=False, nullable=True, min=0, max=MAX_COUNT, aliases=_INJURED),
        Column("fatal", "int", "Of whom died, <= injured (empty when the release gives the injured "
                               "only)", required=False, nullable=True, min=0, max=MAX_COUNT, aliases=_FATAL),
        Column("workers", "int", "Denominator published with the counts (optional; a header in thousands is "
                                 "multiplied by 1000)", required=False, nullable=True, min=0, max=MAX_WORKFORCE, aliases=_WORKERS),
        Column("source", "text", "Series: bns (statistics bureau) or mlsp (labour ministry), or the names "
                                 "releases use for them; series are never summed", aliases=_SOURCE),
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
        Column("region", "region", "Region code or name (empty for the national total)", nullable=True, aliases=_REGION),
        Column("oked_section", "section", "OKED section (empty for all sections)", required=False, nullable=True, aliases=_SECTION),
        Column("cause_group", "choice", "Cause group (empty for all causes)", required=False, nullable=True, choices=DISEASE_CAUSES, aliases=_CAUSE),
        Column("cases", "int", "Number of cases", min=0, max=MAX_COUNT, aliases=_CASES),
        Column("source", "text", "Series: bns (statistics bureau), mlsp (labour ministry) or the name of another source system", aliases=_SOURCE),
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
        Column("measures", "int", "Measures in the action plan", min=0, max=MAX_MEASURES),
        Column("answers", "text", "The answers as JSON (question id -> yes / no / na), kept so the profile can be recomputed"),
    ),
    key=("submission_id",),
    references={"bin": "enterprises.bin"},
)

# The digital map's monitoring fields (Concept lines 834-852) beyond assessments, injuries, diseases and ЖОМС:
# what an employer reports once a year about funding, guarantees for harmful work, PPE, facilities and medicine.
OSH_MEASURES = Schema(
    "osh_measures",
    "OSH measures an employer reports for a year: funding, guarantees and compensations for harmful work, certified "
    "PPE, sanitary and domestic facilities, therapeutic and preventive nutrition and milk, periodic medical examinations.",
    (
        Column("bin", "bin", "BIN of the employer; must exist in enterprises", aliases=("БИН", "БСН")),
        _year("year", "Year reported"),
        Column("workers", "int", "Average number of workers in the year the report covers, >= 1", min=1, max=MAX_EMPLOYEES,
               aliases=("численность", "қызметкерлер саны")),
        Column("funding_per_worker", "float", "Spending on OSH measures per worker, tenge, >= 0", min=0,
               aliases=("финансирование на работника", "бір қызметкерге қаржыландыру")),
        Column("guarantee_workers", "int", "Workers who received at least one guarantee or compensation for "
                                           "harmful work, <= workers", min=0, max=MAX_EMPLOYEES,
               aliases=("получили гарантии", "кепілдік алғандар")),
        Column("additional_leave_workers", "int", "Of them: additional paid leave, <= guarantee_workers", min=0, max=MAX_EMPLOYEES,
               aliases=("дополнительный отпуск", "қосымша демалыс")),
        Column("reduced_hours_workers", "int", "Of them: reduced working hours, <= guarantee_workers", min=0, max=MAX_EMPLOYEES,
               aliases=("сокращённое время", "қысқартылған уақыт")),
        Column("wage_supplement_workers", "int", "Of them: higher pay for harmful work, <= guarantee_workers", min=0, max=MAX_EMPLOYEES,
               aliases=("повышенная оплата", "жоғары еңбекақы")),
        Column("nutrition_workers", "int", "Workers given therapeutic and preventive nutrition, <= workers", min=0, max=MAX_EMPLOYEES,
               aliases=("лечебно-профилактическое питание", "емдік-профилактикалық тамақ")),
        Column("milk_workers", "int", "Workers given milk or equivalent food products, <= workers", min=0, max=MAX_EMPLOYEES,
               aliases=("молоко", "сүт")),
        Column("ppe_provision_pct", "float", "Provision with certified PPE, percent of the norm, 0-100", min=0, max=100,
               aliases=("обеспеченность СИЗ", "ЖҚҚ-мен қамтамасыз ету")),
        Column("sanitary_facilities", "bool", "Sanitary and domestic facilities meet the norms (true/false)",
               aliases=("санитарно-бытовые помещения", "санитарлық-тұрмыстық үй-жайлар")),
        Column("medical_exam_pct", "float", "Workers due a periodic medical examination who had it, percent, 0-100", min=0, max=100,
               aliases=("медосмотр", "медициналық тексеру")),
    ),
    key=("bin", "year"),
    references={"bin": "enterprises.bin"},
    row_rules=(
        RowRule("guarantee_le_workers", ("guarantee_workers", "workers"), "guarantee_workers exceeds workers"),
        RowRule("leave_le_guarantee", ("additional_leave_workers", "guarantee_workers"), "additional_leave_workers exceeds guarantee_workers"),
        RowRule("hours_le_guarantee", ("reduced_hours_workers", "guarantee_workers"), "reduced_hours_workers exceeds guarantee_workers"),
        RowRule("wage_le_guarantee", ("wage_supplement_workers", "guarantee_workers"), "wage_supplement_workers exceeds guarantee_workers"),
        RowRule("nutrition_le_workers", ("nutrition_workers", "workers"), "nutrition_workers exceeds workers"),
        RowRule("milk_le_workers", ("milk_workers", "workers"), "milk_workers exceeds workers"),
    ),
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
        OSH_MEASURES,
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


def range_text(column: Column) -> str:
    """'between 0 and 1000000' for a column with bounds, '' otherwise (used in docs and reasons)."""
    if column.min is None and column.max is None:
        return ""
    lo = "-inf" if column.min is None else f"{column.min:g}"
    hi = "inf" if column.max is None else f"{column.max:.0f}" if column.kind in ("int", "year") else f"{column.max:g}"
    return f"between {lo} and {hi}"


def _range_text(column: Column) -> str:
    if column.kind not in ("int", "year") or column.max is None:
        return ""
    return f"; whole number {range_text(column)}"


def aliases_markdown() -> str:
    """The accepted header spellings per table (docs/loading.md holds this text; a test keeps them equal)."""
    out: list[str] = []
    for s in SCHEMAS.values():
        if not any(c.aliases for c in s.columns):
            continue  # written by the product itself (self_assessments), never by hand
        out.append(f"- `{s.table}`: " + "; ".join(
            f"`{c.name}` ← " + ", ".join(f"«{a}»" for a in c.aliases) for c in s.columns if c.aliases
        ))
    return "\n".join(out)


def markdown() -> str:
    """The contracts as docs/contracts.md documents them (a test keeps that file equal to this)."""
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
            out.append(f"| `{c.name}` | {kinds[c.kind]} | {need} | {c.doc}{_range_text(c)} |")
        for r in s.row_rules:
            out.append(f"| *row rule* | | | rejected when: {r.reason} |")
        out.append("")
    return "\n".join(out)
