-- Resolutions of possible duplicates (src/store/schema.ts, duplicate_resolutions): two cases of a year with
-- the same linkage key, resolved as the same person or different persons, by their own scope (local) or by
-- the statistician (national); src/registry/duplicates.ts audits each one.
CREATE TABLE "duplicate_resolutions" (
	"case_a" text NOT NULL,
	"case_b" text NOT NULL,
	"scope" text NOT NULL,
	"resolution" text NOT NULL,
	"resolved_by" text NOT NULL,
	"resolved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duplicate_resolutions_case_a_case_b_pk" PRIMARY KEY("case_a","case_b"),
	CONSTRAINT "duplicate_resolutions_order_check" CHECK ("duplicate_resolutions"."case_a" < "duplicate_resolutions"."case_b"),
	CONSTRAINT "duplicate_resolutions_scope_check" CHECK ("duplicate_resolutions"."scope" in ('local', 'national')),
	CONSTRAINT "duplicate_resolutions_resolution_check" CHECK ("duplicate_resolutions"."resolution" in ('same_person', 'different_persons'))
);
--> statement-breakpoint
ALTER TABLE "duplicate_resolutions" ADD CONSTRAINT "duplicate_resolutions_case_a_cases_id_fk" FOREIGN KEY ("case_a") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_resolutions" ADD CONSTRAINT "duplicate_resolutions_case_b_cases_id_fk" FOREIGN KEY ("case_b") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duplicate_resolutions_case_b_idx" ON "duplicate_resolutions" USING btree ("case_b");