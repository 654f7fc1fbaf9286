-- 0004: the osh_measures contract (data/schemas.py OSH_MEASURES), added after 0003.

CREATE TABLE "osh_measures" (
    "bin" {{TEXT}},
    "year" INTEGER,
    "workers" BIGINT,
    "funding_per_worker" DOUBLE PRECISION,
    "guarantee_workers" BIGINT,
    "additional_leave_workers" BIGINT,
    "reduced_hours_workers" BIGINT,
    "wage_supplement_workers" BIGINT,
    "nutrition_workers" BIGINT,
    "milk_workers" BIGINT,
    "ppe_provision_pct" DOUBLE PRECISION,
    "sanitary_facilities" BOOLEAN,
    "medical_exam_pct" DOUBLE PRECISION
);
CREATE UNIQUE INDEX "osh_measures_key" ON "osh_measures" ("bin", "year") NULLS NOT DISTINCT;
CREATE INDEX "osh_measures_bin" ON "osh_measures" ("bin");
