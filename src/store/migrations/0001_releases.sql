CREATE TABLE "instance_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "published_series" (
	"year" integer NOT NULL,
	"measure" text NOT NULL,
	"value" integer NOT NULL,
	"source_document" text NOT NULL,
	"source_table" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "published_series_year_measure_pk" PRIMARY KEY("year","measure")
);
--> statement-breakpoint
CREATE TABLE "release_cases" (
	"release_id" text NOT NULL,
	"case_id" text NOT NULL,
	"case_version" integer NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "release_cases_release_id_case_id_pk" PRIMARY KEY("release_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" text PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"number" integer NOT NULL,
	"kind" text NOT NULL,
	"case_count" integer NOT NULL,
	"checksum" text NOT NULL,
	"settings" jsonb NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" text
);
--> statement-breakpoint
ALTER TABLE "release_cases" ADD CONSTRAINT "release_cases_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "releases_year_number_idx" ON "releases" USING btree ("year","number");--> statement-breakpoint
CREATE INDEX "releases_year_idx" ON "releases" USING btree ("year");