-- 0001: the input contracts of data/schemas.py as PostgreSQL tables. Frozen: a change of contract is a new
-- migration (tests/pg/test_pg_store.py compares the migrated tables with data/schemas.py). Keys are unique
-- indexes with NULLS NOT DISTINCT (PostgreSQL 15+): several keys have nullable columns (a national row has
-- no region), and a reloaded row must replace the earlier one, which INSERT ... ON CONFLICT does on them.
-- {{TEXT}} is TEXT COLLATE "C.utf8" (code-point order like DuckDB, and lower() folds Cyrillic), or "C" where the
-- server has no C.utf8 locale (data/migrations/__init__.py fills it in).

CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT);

CREATE TABLE "enterprises" (
    "bin" {{TEXT}},
    "name" {{TEXT}},
    "kato" {{TEXT}},
    "oked" {{TEXT}},
    "employees" BIGINT,
    "lat" DOUBLE PRECISION,
    "lon" DOUBLE PRECISION,
    "size_class" {{TEXT}},
    "active" BOOLEAN,
    "harmful_workers" BIGINT
);
CREATE UNIQUE INDEX "enterprises_key" ON "enterprises" ("bin") NULLS NOT DISTINCT;

CREATE TABLE "workplace_assessments" (
    "assessment_id" {{TEXT}},
    "bin" {{TEXT}},
    "workplace" {{TEXT}},
    "assessment_date" DATE,
    "workers" BIGINT,
    "harmfulness_class" {{TEXT}},
    "danger_class" BIGINT,
    "equipment_class" BIGINT,
    "ppe_provision_pct" DOUBLE PRECISION,
    "morbidity_class" BIGINT,
    "assessor" {{TEXT}}
);
CREATE UNIQUE INDEX "workplace_assessments_key" ON "workplace_assessments" ("assessment_id") NULLS NOT DISTINCT;
CREATE INDEX "workplace_assessments_bin" ON "workplace_assessments" ("bin");

CREATE TABLE "accidents" (
    "accident_id" {{TEXT}},
    "date" DATE,
    "bin" {{TEXT}},
    "kato" {{TEXT}},
    "oked" {{TEXT}},
    "injured" BIGINT,
    "fatal" BIGINT,
    "group_accident" BOOLEAN,
    "cause" {{TEXT}}
);
CREATE UNIQUE INDEX "accidents_key" ON "accidents" ("accident_id") NULLS NOT DISTINCT;
CREATE INDEX "accidents_bin" ON "accidents" ("bin");

CREATE TABLE "occupational_diseases" (
    "year" INTEGER,
    "bin" {{TEXT}},
    "region" {{TEXT}},
    "oked" {{TEXT}},
    "cause_group" {{TEXT}},
    "cases" BIGINT
);
CREATE UNIQUE INDEX "occupational_diseases_key" ON "occupational_diseases" ("year", "bin", "region", "oked", "cause_group") NULLS NOT DISTINCT;
CREATE INDEX "occupational_diseases_bin" ON "occupational_diseases" ("bin");

CREATE TABLE "employment" (
    "year" INTEGER,
    "region" {{TEXT}},
    "oked_section" {{TEXT}},
    "employees" BIGINT,
    "harmful_conditions" BIGINT
);
CREATE UNIQUE INDEX "employment_key" ON "employment" ("year", "region", "oked_section") NULLS NOT DISTINCT;

CREATE TABLE "inspections" (
    "inspection_id" {{TEXT}},
    "bin" {{TEXT}},
    "date" DATE,
    "violations" BIGINT,
    "osh_violations" BIGINT
);
CREATE UNIQUE INDEX "inspections_key" ON "inspections" ("inspection_id") NULLS NOT DISTINCT;
CREATE INDEX "inspections_bin" ON "inspections" ("bin");

CREATE TABLE "insurance" (
    "bin" {{TEXT}},
    "year" INTEGER,
    "covered" BOOLEAN
);
CREATE UNIQUE INDEX "insurance_key" ON "insurance" ("bin", "year") NULLS NOT DISTINCT;

CREATE TABLE "injury_counts" (
    "year" INTEGER,
    "region" {{TEXT}},
    "oked_section" {{TEXT}},
    "injured" BIGINT,
    "fatal" BIGINT,
    "workers" BIGINT,
    "source" {{TEXT}}
);
CREATE UNIQUE INDEX "injury_counts_key" ON "injury_counts" ("year", "region", "oked_section", "source") NULLS NOT DISTINCT;

CREATE TABLE "disease_counts" (
    "year" INTEGER,
    "region" {{TEXT}},
    "oked_section" {{TEXT}},
    "cause_group" {{TEXT}},
    "cases" BIGINT,
    "source" {{TEXT}}
);
CREATE UNIQUE INDEX "disease_counts_key" ON "disease_counts" ("year", "region", "oked_section", "cause_group", "source") NULLS NOT DISTINCT;
