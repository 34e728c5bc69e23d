-- Releases of the other sources' annual reports (src/stats/schema.ts, releases.source): civil_society (2024-civ-1)
-- and support_programme (2023-stp-1) beside the coordinators' (2025-1); a release's number runs per year and source.
DROP INDEX "releases_year_number_idx";--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "source" text DEFAULT 'coordinator' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "releases_year_source_number_idx" ON "releases" USING btree ("year","source","number");