-- The public table builder's record keys (src/stats/schema.ts, release_cases.record_key). Cases
-- frozen before this migration get one uniform key per case (the same in every release holding
-- it), a multiple of 2^-32 in [0, 1), drawn here by the database; new freezes draw their own.
ALTER TABLE "release_cases" ADD COLUMN "record_key" double precision;--> statement-breakpoint
UPDATE "release_cases" AS rc SET "record_key" = k."key"
FROM (SELECT d."case_id", floor(random() * 4294967296) / 4294967296 AS "key" FROM (SELECT DISTINCT "case_id" FROM "release_cases") AS d) AS k
WHERE rc."case_id" = k."case_id";--> statement-breakpoint
ALTER TABLE "release_cases" ALTER COLUMN "record_key" SET NOT NULL;
