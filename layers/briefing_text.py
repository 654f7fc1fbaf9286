"""Texts (kk, ru, en) of the briefing pack; layers/ cannot read dashboard/locales. Indicator names and units come
from the registry (osh/registry.py) and number formats from layers/numbers.py, as on the dashboard."""

from __future__ import annotations

from layers.numbers import DECIMAL, LANGS, THOUSANDS, fmt_number, fmt_percent, fmt_signed
from osh.registry import INDICATORS, UNITS

MISSING = "–"  # an empty table cell (a value that is not applicable); a missing figure says "no data"


class BriefingTextError(KeyError):
    """A key or a language the briefing has no text for."""

    def __str__(self) -> str:
        return str(self.args[0])


_T: dict[str, tuple[str, str, str]] = {
    # key: (kk, ru, en)
    "title": ("Еңбек қауіпсіздігі бойынша брифинг", "Брифинг по безопасности и охране труда",
              "Occupational safety and health briefing"),
    "subtitle": ("«Қауіпсіз Еңбек» — Қазақстанның еңбек қауіпсіздігі барометрі",
                 "«Қауіпсіз Еңбек» — барометр безопасности труда Казахстана",
                 "Qauipsiz Enbek — occupational safety barometer of Kazakhstan"),
    "country": ("Қазақстан Республикасы", "Республика Казахстан", "Republic of Kazakhstan"),
    "country_short": ("Қазақстан", "Казахстан", "Kazakhstan"),
    "year": ("{year} жыл", "{year} год", "Year {year}"),
    "region_pack": ("Өңірлік брифинг: {region}", "Региональный брифинг: {region}", "Regional pack: {region}"),
    "national_pack": ("Ұлттық брифинг", "Национальный брифинг", "National pack"),
    "public_edition": ("Жария басылым (ашық деректер)", "Публичная версия (открытые данные)",
                       "Public edition (published data only)"),
    "official_edition": ("Қызметтік пайдалану үшін", "Для служебного пользования", "For official use"),
    "page": ("{n}-бет", "Стр. {n}", "Page {n}"),
    "data_as_of": ("Деректер күні: {date}", "Данные по состоянию на {date}", "Data as of {date}"),
    "generated": ("Жасалған күні: {date}", "Сформировано: {date}", "Generated on {date}"),
    "demo_banner": ("ДЕМО-ДЕРЕКТЕР — ресми статистика емес", "ДЕМО-ДАННЫЕ — не официальная статистика",
                    "DEMO DATA — not official statistics"),
    # section headings
    "h_headline": ("1. Негізгі көрсеткіштер, {year}", "1. Ключевые показатели, {year}", "1. Headline figures, {year}"),
    "h_official": ("Тұжырымдаманың ресми көрсеткіштері, 2022 ж. (салыстыру үшін)",
                   "Официальные показатели Концепции, 2022 г. (для сравнения)",
                   "Official figures of the Concept, 2022 (for comparison)"),
    "h_targets": ("2024–2030 жылдарға арналған нысаналы көрсеткіштер", "Целевые показатели на 2024–2030 годы",
                  "Status against the 2024–2030 targets"),
    "h_map": ("2. Өңірлер: {indicator}, {year}", "2. Регионы: {indicator}, {year}", "2. Regions: {indicator}, {year}"),
    "h_ranking": ("Өңірлер рейтингі", "Рейтинг регионов", "Region ranking"),
    "h_trends": ("3. Серпін және нысаналы мәндер", "3. Динамика и целевые значения", "3. Trends and targets"),
    "h_sectors": ("4. Ең жоғары жарақаттану деңгейі бар салалар, {year}",
                  "4. Отрасли с наибольшим уровнем травматизма, {year}",
                  "4. Sectors with the highest injury rates, {year}"),
    "h_hidden": ("Жасырын жарақаттану коэффициенті (өлімсіз : өлімге әкелген)",
                 "Коэффициент скрытого травматизма (нелетальные : летальные)",
                 "Hidden-injury ratio (non-fatal : fatal)"),
    "h_diseases": ("5. Кәсіптік аурулар", "5. Профессиональные заболевания", "5. Occupational diseases"),
    "h_inspections": ("6. Тәуекелге бағдарланған тексеру тізімі: басындағы кәсіпорындар",
                      "6. Риск-ориентированный список проверок: первые предприятия",
                      "6. Risk-based inspection list: top enterprises"),
    "h_sources": ("{n}. Дереккөздер, анықтамалар және деректер туралы", "{n}. Источники, определения и сведения о данных",
                  "{n}. Sources, definitions and data notes"),
    # headline table
    "col_indicator": ("Көрсеткіш", "Показатель", "Indicator"),
    "col_value": ("{year}", "{year}", "{year}"),
    "col_change": ("Өзгеріс", "Изменение", "Change"),
    "col_country": ("Қазақстан, {year}", "Казахстан, {year}", "Kazakhstan, {year}"),
    "col_plan": ("Жоспар {year}", "План {year}", "Plan {year}"),
    "col_actual": ("Нақты", "Факт", "Actual"),
    "col_status": ("Мәртебе", "Статус", "Status"),
    "col_rank": ("№", "№", "#"),
    "col_region": ("Өңір", "Регион", "Region"),
    "col_sector": ("Сала (ЭҚЖЖ)", "Отрасль (ОКЭД)", "Sector (OKED)"),
    "col_workers": ("Жұмыскерлер", "Работники", "Workers"),
    "col_injured": ("Зардап шеккендер", "Пострадавшие", "Injured"),
    "col_fatal": ("Қаза тапқандар", "Погибшие", "Fatal"),
    "col_ci": ("95 % сенім аралығы", "95 % доверительный интервал", "95% confidence interval"),
    "col_rate": ("1000 адамға", "На 1000", "Per 1000"),
    "col_fatal_rate": ("Өлім, 1000-ға", "Смертельн., на 1000", "Fatal per 1000"),
    "col_hidden": ("Жасырын коэф.", "Коэф. скрытого", "Hidden ratio"),
    "col_ci_short": ("95 % сенім аралығы", "95 % ДИ", "95% CI"),
    "col_cases": ("Жағдайлар", "Случаи", "Cases"),
    "col_share": ("Үлесі", "Доля", "Share"),
    "col_cause": ("Себеп тобы", "Группа причин", "Cause group"),
    "col_bin": ("БСН", "БИН", "BIN"),
    "col_enterprise": ("Кәсіпорын", "Предприятие", "Enterprise"),
    "col_employees": ("Қызметкер саны", "Работники", "Employees"),
    "col_score": ("Тәуекел балы", "Балл риска", "Risk score"),
    "col_degree": ("Дәрежесі", "Степень", "Degree"),
    "col_reason": ("Себебі", "Основание", "Reason"),
    "vs_prev": ("{prev} жылмен салыстырғанда", "к {prev} году", "vs {prev}"),
    "pp": ("п.т.", "п.п.", "pp"),
    # series (docs/series.md) and the 2022 boundary change
    "series_line": ("Деректер қатары: {series}", "Ряд данных: {series}", "Data series: {series}"),
    "targets_basis": ("Нысаналы көрсеткіштер Тұжырымдаманың негізі — {series} қатары бойынша ғана бақыланады.",
                      "Целевые показатели отслеживаются только по ряду {series} — основе Концепции.",
                      "Targets are tracked on the {series} series only, the Concept's basis."),
    "not_existing": ("әлі құрылмаған", "ещё не существовала", "did not exist yet"),
    "includes": ("құрамында: {regions}", "включая: {regions}", "incl. {regions}"),
    "covered_regions": ("{covered} / {cover_of} өңір жарияланған", "опубликовано {covered} из {cover_of} регионов",
                        "{covered} of {cover_of} regions published"),
    "covered_sectors": ("{covered} / {cover_of} сала жарияланған", "опубликовано {covered} из {cover_of} отраслей",
                        "{covered} of {cover_of} sectors published"),
    "covered_parts": ("{covered} / {cover_of} бөлік жарияланған", "опубликовано {covered} из {cover_of} частей",
                      "{covered} of {cover_of} parts published"),
    "map_legend_not_existing": ("Әлі құрылмаған", "Ещё не существовала", "Did not exist yet"),
    # target indicators (data.official ids)
    "tgt.fatal_rate_1000": ("Өлім жиілігі, 1000 жұмыскерге", "Смертельный травматизм на 1000 работников",
                            "Fatal accidents per 1000 workers"),
    "tgt.hidden_injury_ratio": ("Жасырын жарақаттану коэффициенті", "Коэффициент скрытого травматизма",
                                "Hidden-injury ratio"),
    "tgt.insurance_coverage": ("ЖОМС-пен қамту, %", "Охват ОСНС, %", "Accident-insurance coverage, %"),
    "tgt.risk_assessment_coverage": ("Кәсіптік тәуекелді бағалаумен қамту, %", "Охват оценкой профрисков, %",
                                     "Risk-assessment coverage, %"),
    "tgt.osh_knowledge_check": ("Білімін тексеруден өткен жауаптылар, %", "Ответственные, прошедшие проверку знаний, %",
                                "Responsible persons who passed the knowledge check, %"),
    "tgt.science_programmes": ("Ғылыми-техникалық бағдарламалар, саны", "Научно-технические программы, количество",
                               "Scientific-technical programmes, count"),
    "tgt.state_monitoring_coverage": ("Мемлекеттік мониторингпен қамту, %", "Охват госмониторингом, %",
                                      "State OSH monitoring coverage, %"),
    "tgt.injury_rate_1000_2030": ("Жарақаттану жиілігі, 1000 жұмыскерге (2030 ж. нәтиже)",
                                  "Травматизм на 1000 работников (результат 2030)",
                                  "Injuries per 1000 workers (expected result 2030)"),
    "tgt.osh_violation_share_2030": ("Еңбекті қорғау бұзушылықтарының үлесі, % (2030 ж. нәтиже)",
                                     "Доля нарушений по охране труда, % (результат 2030)",
                                     "OSH share of violations, % (expected result 2030)"),
    # statuses
    "status.on_track": ("жоспар бойынша", "в рамках плана", "on track"),
    "status.at_risk": ("тәуекел бар", "под угрозой", "at risk"),
    "status.off_track": ("жоспардан артта", "отставание от плана", "off track"),
    "status.no_data": ("деректер жоқ", "нет данных", "no data"),
    "status.not_yet": ("мерзімі келмеді", "срок не наступил", "not yet due"),
    "confidential": ("құпия (аз бақылау)", "конфиденциально (мало наблюдений)", "confidential (too few cases)"),
    "no_data": ("деректер жоқ", "нет данных", "no data"),
    "no_ratio": ("коэф. жоқ", "нет коэф.", "no ratio"),
    "target": ("Нысаналы мән", "Целевое значение", "Target"),
    "target_for": ("{year} жылғы нысана: {value}", "Цель на {year} год: {value}", "Target {year}: {value}"),
    "targets_self": ("Тәуекелдерді бағалаумен қамту: аккредиттелген бағалау {acc} (нысаналы көрсеткіш осы бойынша); "
                     "тек жұмыс берушінің өзін-өзі бағалауы — тағы {self}, бөлек есептеледі.",
                     "Охват оценкой рисков: аккредитованная оценка {acc} (по ней оценивается цель); только самооценка "
                     "работодателя — ещё {self}, учитывается отдельно.",
                     "Risk-assessment coverage: accredited assessments {acc} (the target is judged on these); the "
                     "employer's self-assessment only — another {self}, counted separately."),
    "no_targets": ("Бұл өңір үшін нысаналы көрсеткіштер жарияланбаған.",
                   "Для этого региона целевые показатели не опубликованы.",
                   "No targets are published for this area."),
    "map_unavailable": ("Шекаралар қабаты жоқ — карта салынбады.", "Слой границ недоступен — карта не построена.",
                        "The boundary layer is unavailable — no map drawn."),
    "map_legend_conf": ("Құпия", "Конфиденциально", "Confidential"),
    "map_legend_nodata": ("Деректер жоқ", "Нет данных", "No data"),
    "selected_region": ("таңдалған өңір", "выбранный регион", "selected region"),
    "ranking_note": ("Өңірлер «{indicator}» көрсеткішінің кему ретімен; аралық — 95 % сенім аралығы (Пуассон).",
                     "Регионы по убыванию показателя «{indicator}»; интервал — 95 % доверительный (Пуассон).",
                     "Regions by {indicator}, highest first, with the exact 95% Poisson confidence interval."),
    "sector_note": ("{area}: салалар жарақаттану жиілігі бойынша (1000 жұмыскерге), ең жоғарысы басында.",
                    "{area}: отрасли по частоте травматизма (на 1000 работников), наибольшие сверху.",
                    "{area}: sectors by injury rate per 1000 workers, highest first."),
    "hidden_note": ("Коэффициент неғұрлым жоғары болса, жарақаттар соғұрлым толық тіркеледі; "
                    "2030 жылғы нысана — 18:1.",
                    "Чем выше коэффициент, тем полнее учёт несчастных случаев; цель на 2030 год — 18:1.",
                    "A higher ratio means fuller reporting of non-fatal accidents; the 2030 target is 18:1."),
    "disease_trend": ("Кәсіптік аурулар, жағдай саны (себеп топтары бойынша)",
                      "Профессиональные заболевания, случаев (по группам причин)",
                      "Occupational disease cases by cause group"),
    "disease_regions": ("Кәсіптік аурулар деңгейі ең жоғары өңірлер, 100 000 жұмыскерге",
                        "Регионы с наибольшим уровнем профзаболеваний на 100 000 работников",
                        "Regions with the highest occupational-disease rates per 100 000 workers"),
    "total": ("Барлығы", "Всего", "Total"),
    "cause.industrial_aerosols": ("Өнеркәсіптік аэрозольдер", "Промышленные аэрозоли", "Industrial aerosols"),
    "cause.functional_overload": ("Органдар мен жүйелердің шамадан тыс жүктемесі",
                                  "Функциональное перенапряжение органов и систем",
                                  "Functional overload of organs and systems"),
    "cause.physical": ("Физикалық факторлар", "Физические факторы", "Physical factors"),
    "cause.chemical": ("Химиялық факторлар", "Химические факторы", "Chemical factors"),
    "cause.biological": ("Биологиялық факторлар", "Биологические факторы", "Biological factors"),
    "col_oked": ("ЭҚЖЖ", "ОКЭД", "OKED"),
    "col_injured_5y": ("Зардап шеккендер, 5 жыл (†)", "Пострадавшие за 5 лет (†)", "Injured in 5 years (†)"),
    "col_expected": ("Күтілген, 5 жыл", "Ожидалось за 5 лет", "Expected in 5 years"),
    "flag_rr": ("салалас топтан ×{rr}", "×{rr} к сопоставимым", "×{rr} peers"),
    "flag_uninsured": ("ЖОМС жоқ", "нет ОСНС", "not insured"),
    "flag_unassessed": ("тәуекел бағаланбаған", "нет оценки рисков", "no risk assessment"),
    "flag_violations": ("{n} бұзушылық", "нарушений: {n}", "{n} OSH violations"),
    "fatal_mark": ("† — қаза тапқандар", "† — погибшие", "† — fatally injured"),
    "degree.low": ("төмен", "низкая", "low"),
    "degree.medium": ("орташа", "средняя", "medium"),
    "degree.high": ("жоғары", "высокая", "high"),
    "inspections_note": ("Қызметтік пайдалану үшін. Тізім интегралдық тәуекел моделі бойынша реттелген; "
                         "қамтылған өңірлер: {scope}. Кәсіпорын деңгейіндегі деректер жария басылымға енбейді.",
                         "Для служебного пользования. Список упорядочен по интегральной модели риска; "
                         "охват: {scope}. Данные уровня предприятий не входят в публичную версию.",
                         "For official use. Ranked by the integral risk model; scope: {scope}. "
                         "Enterprise-level data never appear in the public edition."),
    "inspections_empty": ("Бұл аумақта тексеру тізімінде кәсіпорын жоқ.",
                          "В списке проверок нет предприятий этой территории.",
                          "No enterprises of this area are on the inspection list."),
    "all_regions": ("барлық өңірлер", "все регионы", "all regions"),
    # trends
    "trend_years": ("{first}–{last} жж., үзік сызық — Тұжырымдаманың нысаналы мәндері",
                    "{first}–{last} гг., пунктир — целевые значения Концепции",
                    "{first}–{last}; dashed line: the Concept's targets"),
    # sources page
    "src_title": ("Дереккөздер", "Источники", "Sources"),
    "src_concept": ("Қазақстан Республикасында еңбек қауіпсіздігінің 2024–2030 жылдарға арналған тұжырымдамасы "
                    "(«Қауіпсіз еңбек»): ресми көрсеткіштер мен нысаналы мәндер.",
                    "Концепция безопасного труда в Республике Казахстан на 2024–2030 годы: "
                    "официальные показатели и целевые значения.",
                    "Safe Labour Concept of the Republic of Kazakhstan for 2024–2030: official figures and targets."),
    "src_public": ("Көрсеткіштер жария кестелерден алынған (ашықтықты бақылаудан өткен: аз жағдайлы ұяшықтар "
                   "«құпия» деп белгіленген).",
                   "Показатели взяты из публичных таблиц с контролем раскрытия: ячейки с малым числом случаев "
                   "помечены как «конфиденциально».",
                   "Indicators come from the disclosure-controlled public tables: cells with too few cases are "
                   "marked confidential."),
    "src_official": ("Кәсіпорындар тізімі еңбек инспекциясының тіркелімі мен интегралдық тәуекел моделінен алынған.",
                     "Список предприятий — из регистра трудовой инспекции и интегральной модели риска.",
                     "The enterprise list comes from the labour inspection register and the integral risk model."),
    "def_title": ("Анықтамалар", "Определения", "Definitions"),
    "def_injury_rate": ("Жарақаттану жиілігі = зардап шеккендер ÷ жұмыскерлер × 1000 (ХЕҰ нысаны — 100 000-ға); "
                        "95 % сенім аралығы — Пуассон бойынша дәл аралық.",
                        "Частота травматизма = пострадавшие ÷ работники × 1000 (форма МОТ — на 100 000); "
                        "95 % интервал — точный интервал Пуассона.",
                        "Injury rate = injured ÷ workers × 1000 (the ILO form is per 100 000); the 95% interval is "
                        "the exact Poisson interval."),
    "def_fatal_rate": ("Өлім жиілігі = қаза тапқандар ÷ жұмыскерлер × 1000.",
                       "Частота смертельного травматизма = погибшие ÷ работники × 1000.",
                       "Fatal injury rate = fatally injured ÷ workers × 1000."),
    "def_hidden": ("Жасырын жарақаттану коэффициенті = өлімсіз жарақаттар ÷ өлім жағдайлары (N:1). Жоғары мән — "
                   "тіркеудің толықтығы; өлім болмаса коэффициент есептелмейді.",
                   "Коэффициент скрытого травматизма = нелетальные ÷ летальные случаи (N:1). Высокое значение "
                   "означает полноту учёта; без смертельных случаев коэффициент не рассчитывается.",
                   "Hidden-injury ratio = non-fatal ÷ fatal (N:1). Higher means fuller reporting; without deaths "
                   "there is no ratio."),
    "def_disease": ("Кәсіптік аурулар деңгейі = жағдайлар ÷ жұмыскерлер × 100 000.",
                    "Уровень профзаболеваний = случаи ÷ работники × 100 000.",
                    "Occupational disease rate = cases ÷ workers × 100 000."),
    "def_shares": ("ЖОМС-пен қамту және тәуекелді бағалау — тіркелімдегі кәсіпорындар үлесі.",
                   "Охват ОСНС и оценкой рисков — доля предприятий регистра.",
                   "Insurance and risk-assessment coverage are shares of the enterprises in the register."),
    "def_status": ("Мәртебе: «жоспар бойынша» — жоспарға жетті; «тәуекел бар» — жоспардан сәл артта; "
                   "«жоспардан артта» — айтарлықтай артта.",
                   "Статус: «в рамках плана» — план достигнут; «под угрозой» — небольшое отставание; "
                   "«отставание от плана» — значительное отставание.",
                   "Status: on track — the plan is met; at risk — slightly behind; off track — clearly behind."),
    "def_confidential": ("Құпия ұяшықтар жеке кәсіпорындарды анықтауға жол бермеу үшін жасырылған.",
                         "Конфиденциальные ячейки скрыты, чтобы нельзя было установить отдельные предприятия.",
                         "Confidential cells are suppressed so that no single enterprise can be identified."),
    "data_title": ("Деректер туралы", "О данных", "About the data"),
    "demo_notice": ("Бұл брифинг синтетикалық демо-деректерге негізделген: сандар нақты жағдайды сипаттамайды "
                    "және ресми статистика ретінде пайдаланылмауы тиіс.",
                    "Этот брифинг построен на синтетических демо-данных: цифры не описывают реальное положение "
                    "и не могут использоваться как официальная статистика.",
                    "This briefing is built from synthetic demo data: the numbers do not describe the real "
                    "situation and must not be used as official statistics."),
    "real_notice": ("Деректер жиыны: {dataset}; жылдар: {years}.", "Набор данных: {dataset}; годы: {years}.",
                    "Dataset: {dataset}; years: {years}."),
    "data_dates": ("Деректер күні: {as_of}; кестелер жасалған: {built}; нұсқа: {version}.",
                   "Данные на {as_of}; таблицы построены: {built}; версия: {version}.",
                   "Data as of {as_of}; tables built {built}; version {version}."),
    "harmonised_note": ("2022 жылғы бөлінуге дейінгі жылдар үшін Абай, Жетісу және Ұлытау облыстары "
                        "бұрынғы облыстардың құрамында көрсетіледі.",
                        "До разделения 2022 года области Абай, Жетісу и Ұлытау учитываются в составе прежних областей.",
                        "Before the 2022 split, Abai, Zhetisu and Ulytau are counted within their former regions."),
    # the gap table (layers/briefing_gap.py)
    "gap.title": ("Жоғары және төмен тәуекел арасындағы алшақтық (жұмыскерлердің ең нашар / ең жақсы бесінші бөлігі)",
                  "Разрыв между высоким и низким риском (худшая / лучшая пятая часть работников)",
                  "Gap between high and low risk (worst / best fifth of workers)"),
    "gap.dimension": ("Бөліну", "Разрез", "Breakdown"),
    "gap.region": ("Өңірлер", "Регионы", "Regions"),
    "gap.sector": ("Салалар", "Отрасли", "Sectors"),
    "gap.latest": ("Соңғы жыл: алшақтық (95 % аралық)", "Последний год: разрыв (95 % интервал)", "Latest year: gap (95 % interval)"),
    "gap.change": ("Жылдық өзгеріс", "Изменение в год", "Change a year"),
    "gap.projected": ("2030 жылы (үрдіс)", "В 2030 году (тренд)", "In 2030 (trend)"),
    "gap.none": ("жоқ", "нет", "none"),
    "gap.note": ("Алшақтық — жарақаттану деңгейлерінің қатынасы; 1 — алшақтық жоқ. Үрдіс — кемінде 3 жылдың лог-сызықтық бағасы.",
                 "Разрыв — отношение уровней травматизма; 1 — разрыва нет. Тренд — лог-линейная оценка не менее чем по 3 годам.",
                 "The gap is a ratio of injury rates; 1 means no gap. The trend is a log-linear fit over at least 3 years."),
}

SECTION_NAMES: dict[str, tuple[str, str, str]] = {
    "A": ("Ауыл, орман және балық шаруашылығы", "Сельское, лесное и рыбное хозяйство", "Agriculture, forestry and fishing"),
    "B": ("Тау-кен өндіру өнеркәсібі", "Горнодобывающая промышленность", "Mining and quarrying"),
    "C": ("Өңдеу өнеркәсібі", "Обрабатывающая промышленность", "Manufacturing"),
    "D": ("Электрмен жабдықтау, газ, бу беру", "Электроснабжение, подача газа и пара", "Electricity, gas, steam"),
    "E": ("Сумен жабдықтау, кәріз, қалдықтар", "Водоснабжение, канализация, отходы", "Water supply, sewerage, waste"),
    "F": ("Құрылыс", "Строительство", "Construction"),
    "G": ("Көтерме және бөлшек сауда", "Оптовая и розничная торговля", "Wholesale and retail trade"),
    "H": ("Көлік және қоймалау", "Транспорт и складирование", "Transportation and storage"),
    "I": ("Тұру және тамақтану қызметтері", "Услуги по проживанию и питанию", "Accommodation and food service"),
    "J": ("Ақпарат және байланыс", "Информация и связь", "Information and communication"),
    "K": ("Қаржы және сақтандыру қызметі", "Финансовая и страховая деятельность", "Financial and insurance"),
    "L": ("Жылжымайтын мүлікпен операциялар", "Операции с недвижимым имуществом", "Real estate"),
    "M": ("Кәсіби, ғылыми және техникалық қызмет", "Профессиональная, научная и техническая деятельность",
          "Professional, scientific and technical"),
    "N": ("Әкімшілік және қосалқы қызмет көрсету", "Административное и вспомогательное обслуживание",
          "Administrative and support services"),
    "O": ("Мемлекеттік басқару және қорғаныс", "Государственное управление и оборона", "Public administration and defence"),
    "P": ("Білім беру", "Образование", "Education"),
    "Q": ("Денсаулық сақтау және әлеуметтік қызмет", "Здравоохранение и социальные услуги", "Human health and social work"),
    "R": ("Өнер, ойын-сауық және демалыс", "Искусство, развлечения и отдых", "Arts, entertainment and recreation"),
    "S": ("Өзге де қызмет түрлері", "Предоставление прочих видов услуг", "Other services"),
    "T": ("Үй шаруашылықтарының қызметі", "Деятельность домашних хозяйств", "Households as employers"),
    "U": ("Экстерриториялық ұйымдардың қызметі", "Деятельность экстерриториальных организаций",
          "Extraterritorial organisations"),
}


def _index(lang: str) -> int:
    try:
        return LANGS.index(lang)
    except ValueError:
        raise BriefingTextError(f"language {lang!r} is not one of {', '.join(LANGS)}") from None


def _registry_text(key: str, lang: str) -> str | None:
    prefix, _, name = key.partition(".")
    if prefix == "ind" and name in INDICATORS:
        return INDICATORS[name].name(lang)
    if prefix == "unit" and name in UNITS:
        return UNITS[name][lang]
    return None


def tr(key: str, lang: str, **fmt: object) -> str:
    """The text of `key` in `lang` with {placeholders} filled ("ind.*" and "unit.*": the registry's names)."""
    index = _index(lang)
    own = _registry_text(key, LANGS[index])
    if own is not None:
        return own.format(**fmt) if fmt else own
    try:
        text = _T[key][index]
    except KeyError:
        raise BriefingTextError(f"briefing text {key!r} is missing from layers/briefing_text.py") from None
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in _T or _registry_text(key, "en") is not None


def section_name(code: str, lang: str) -> str:
    names = SECTION_NAMES.get(code)
    return f"{code} · {names[_index(lang)]}" if names else code


def text_keys() -> tuple[str, ...]:
    return tuple(_T)


# --- number formats: the one module shared with the dashboard (layers/numbers.py) -----------------------

__all__ = [
    "DECIMAL",
    "LANGS",
    "MISSING",
    "THOUSANDS",
    "BriefingTextError",
    "fmt_number",
    "fmt_percent",
    "fmt_signed",
    "has",
    "section_name",
    "text_keys",
    "tr",
]
