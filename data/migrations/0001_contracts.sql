-- 0001: the input contracts of data/schemas.py as PostgreSQL tables. Frozen: a change of contract is a new
-- migration (tests/pg/test_pg_store.py compares the migrated tables with data/schemas.py). Keys are unique
-- indexes with NULLS NOT DISTINCT (PostgreSQL 15+): several keys have nullable columns (a national row has
-- no region), and a reloaded row must replace the earlier one, which INSERT ... ON CONFLICT does on them.
-- Text is COLLATE "C": the same ordering as DuckDB, whatever the database locale.

CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT);

CREATE TABLE "enterprises" (
    "bin" TEXT COLLATE "C",
    "name" TEXT COLLATE "C",
    "kato" TEXT COLLATE "C",
    "oked" TEXT COLLATE "C",
    "employees" BIGINT,
    "lat" DOUBLE PRECISION,
    "lon" DOUBLE PRECISION,
    "size_class" TEXT COLLATE "C",
    "active" BOOLEAN,
    "harmful_workers" BIGINT
);
CREATE UNIQUE INDEX "enterprises_key" ON "enterprises" ("bin") NULLS NOT DISTINCT;

CREATE TABLE "workplace_assessments" (
    "assessment_id" TEXT COLLATE "C",
    "bin" TEXT COLLATE "C",
    "workplace" TEXT COLLATE "C",
    "assessment_date" DATE,
    "workers" BIGINT,
    "harmfulness_class" TEXT COLLATE "C",
    "danger_class" BIGINT,
    "equipment_class" BIGINT,
    "ppe_provision_pct" DOUBLE PRECISION,
    "morbidity_class" BIGINT,
    "assessor" TEXT COLLATE "C"
);
CREATE UNIQUE INDEX "workplace_assessments_key" ON "workplace_assessments" ("assessment_id") NULLS NOT DISTINCT;
CREATE INDEX "workplace_assessments_bin" ON "workplace_assessments" ("bin");

CREATE TABLE "accidents" (
    "accident_id" TEXT COLLATE "C",
    "date" DATE,
    "bin" TEXT COLLATE "C",
    "kato" TEXT COLLATE "C",
    "oked" TEXT COLLATE "C",
    "injured" BIGINT,
    "fatal" BIGINT,
    "group_accident" BOOLEAN,
    "cause" TEXT COLLATE "C"
);
CREATE UNIQUE INDEX "accidents_key" ON "accidents" ("accident_id") NULLS NOT DISTINCT;
CREATE INDEX "accidents_bin" ON "accidents" ("bin");

CREATE TABLE "occupational_diseases" (
    "year" INTEGER,
    "bin" TEXT COLLATE "C",
    "region" TEXT COLLATE "C",
    "oked" TEXT COLLATE "C",
    "cause_group" TEXT COLLATE "C",
    "cases" BIGINT
);
CREATE UNIQUE INDEX "occupational_diseases_key" ON "occupational_diseases" ("year", "bin", "region", "oked", "cause_group") NULLS NOT DISTINCT;
CREATE INDEX "occupational_diseases_bin" ON "occupational_diseases" ("bin");

CREATE TABLE "employment" (
    "year" INTEGER,
    "region" TEXT COLLATE "C",
    "oked_section" TEXT COLLATE "C",
    "employees" BIGINT,
    "harmful_conditions" BIGINT
);
CREATE UNIQUE INDEX "employment_key" ON "employment" ("year", "region", "oked_section") NULLS NOT DISTINCT;

CREATE TABLE "inspections" (
    "inspection_id" TEXT COLLATE "C",
    "bin" TEXT COLLATE "C",
    "date" DATE,
    "violations" BIGINT,
    "osh_violations" BIGINT
);
CREATE UNIQUE INDEX "inspections_key" ON "inspections" ("inspection_id") NULLS NOT DISTINCT;
CREATE INDEX "inspections_bin" ON "inspections" ("bin");

CREATE TABLE "insurance" (
    "bin" TEXT COLLATE "C",
    "year" INTEGER,
    "covered" BOOLEAN
);
CREATE UNIQUE INDEX "insurance_key" ON "insurance" ("bin", "year") NULLS NOT DISTINCT;

CREATE TABLE "injury_counts" (
    "year" INTEGER,
    "region" TEXT COLLATE "C",
    "oked_section" TEXT COLLATE "C",
    "injured" BIGINT,
    "fatal" BIGINT,
    "workers" BIGINT,
    "source" TEXT COLLATE "C"
);
CREATE UNIQUE INDEX "injury_counts_key" ON "injury_counts" ("year", "region", "oked_section", "source") NULLS NOT DISTINCT;

CREATE TABLE "disease_counts" (
    "year" INTEGER,
    "region" TEXT COLLATE "C",
    "oked_section" TEXT COLLATE "C",
    "cause_group" TEXT COLLATE "C",
    "cases" BIGINT,
    "source" TEXT COLLATE "C"
);
CREATE UNIQUE INDEX "disease_counts_key" ON "disease_counts" ("year", "region", "oked_section", "cause_group", "source") NULLS NOT DISTINCT;
