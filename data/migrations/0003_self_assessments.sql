-- 0003: the self_assessments contract (data/schemas.py SELF_ASSESSMENTS), added after 0001.

CREATE TABLE "self_assessments" (
    "submission_id" {{TEXT}},
    "submitted_on" DATE,
    "bin" {{TEXT}},
    "region" {{TEXT}},
    "code_id" {{TEXT}},
    "tool" {{TEXT}},
    "lang" {{TEXT}},
    "employees" BIGINT,
    "harmfulness_class" {{TEXT}},
    "danger_class" BIGINT,
    "equipment_class" BIGINT,
    "ppe_provision_pct" DOUBLE PRECISION,
    "morbidity_class" BIGINT,
    "compliance_pct" DOUBLE PRECISION,
    "measures" BIGINT,
    "answers" {{TEXT}}
);
CREATE UNIQUE INDEX "self_assessments_key" ON "self_assessments" ("submission_id") NULLS NOT DISTINCT;
CREATE INDEX "self_assessments_bin" ON "self_assessments" ("bin");
