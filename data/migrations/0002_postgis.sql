-- 0002: enterprises as PostGIS points (applied only where the postgis extension can be installed; without it
-- the store works the same and lat/lon stay the only location). Generated from lat/lon, so loads never write it.
CREATE EXTENSION IF NOT EXISTS postgis;
ALTER TABLE "enterprises" ADD COLUMN IF NOT EXISTS "geom" geometry(Point, 4326)
    GENERATED ALWAYS AS (CASE WHEN "lon" IS NOT NULL AND "lat" IS NOT NULL
                              THEN ST_SetSRID(ST_MakePoint("lon", "lat"), 4326) END) STORED;
CREATE INDEX IF NOT EXISTS "enterprises_geom" ON "enterprises" USING gist ("geom");
