CREATE TABLE "case_versions" (
	"case_id" text NOT NULL,
	"version" integer NOT NULL,
	"operation" text NOT NULL,
	"status" text NOT NULL,
	"data" jsonb NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_versions_case_id_version_pk" PRIMARY KEY("case_id","version")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"reference" text NOT NULL,
	"source" text NOT NULL,
	"organisation_id" text NOT NULL,
	"region" text,
	"year" integer NOT NULL,
	"identified_on" date NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"crime_type" text,
	"category" text NOT NULL,
	"sex" text NOT NULL,
	"age_group" text NOT NULL,
	"nationality" text,
	"linkage_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_reference_unique" UNIQUE("reference"),
	CONSTRAINT "cases_status_check" CHECK ("cases"."status" in ('open', 'closed', 'withdrawn')),
	CONSTRAINT "cases_version_check" CHECK ("cases"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"actor_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"case_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_actor_id_key_pk" PRIMARY KEY("actor_id","key")
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name_sv" text NOT NULL,
	"name_en" text NOT NULL,
	"region" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reference_counters" (
	"prefix" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "reference_counters_prefix_year_pk" PRIMARY KEY("prefix","year")
);
--> statement-breakpoint
ALTER TABLE "case_versions" ADD CONSTRAINT "case_versions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_year_region_idx" ON "cases" USING btree ("year","region","id");--> statement-breakpoint
CREATE INDEX "cases_year_category_idx" ON "cases" USING btree ("year","category");--> statement-breakpoint
CREATE INDEX "cases_year_sex_age_idx" ON "cases" USING btree ("year","sex","age_group");--> statement-breakpoint
CREATE INDEX "cases_year_nationality_idx" ON "cases" USING btree ("year","nationality");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status","year");--> statement-breakpoint
CREATE INDEX "cases_organisation_idx" ON "cases" USING btree ("organisation_id","year");--> statement-breakpoint
CREATE INDEX "cases_linkage_idx" ON "cases" USING btree ("linkage_key","year","source") WHERE "cases"."linkage_key" is not null;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
INSERT INTO "organisations" ("id", "kind", "name_sv", "name_en", "region") VALUES
	('rk-stockholm', 'coordinator_office', 'Regionkoordinator Stockholm', 'Regional coordinator Stockholm', 'stockholm'),
	('rk-bergslagen', 'coordinator_office', 'Regionkoordinator Bergslagen', 'Regional coordinator Bergslagen', 'bergslagen'),
	('rk-nord', 'coordinator_office', 'Regionkoordinator Nord', 'Regional coordinator North', 'nord'),
	('rk-mitt', 'coordinator_office', 'Regionkoordinator Mitt', 'Regional coordinator Central', 'mitt'),
	('rk-ost', 'coordinator_office', 'Regionkoordinator Öst', 'Regional coordinator East', 'ost'),
	('rk-vast', 'coordinator_office', 'Regionkoordinator Väst', 'Regional coordinator West', 'vast'),
	('rk-syd', 'coordinator_office', 'Regionkoordinator Syd', 'Regional coordinator South', 'syd');
--> statement-breakpoint
CREATE FUNCTION "case_versions_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'case_versions is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "case_versions_append_only" BEFORE UPDATE OR DELETE ON "case_versions"
	FOR EACH ROW EXECUTE FUNCTION "case_versions_append_only"();
