-- Disclosure control (src/stats/protection.ts): each release's policy, its version and the
-- protection computed when it is published. Releases published before this migration keep the
-- default policy (policy null) and get their protection computed when first needed. Their stored
-- outputs were computed from exact counts: they are removed, and the protected ones are keyed by
-- the policy's version.
ALTER TABLE "releases" ADD COLUMN "policy" jsonb;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "policy_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "protection" jsonb;--> statement-breakpoint
DELETE FROM "release_outputs";
