-- Imported files by the SHA-256 of their bytes (src/store/schema.ts, import_files): the import refuses
-- the same file a second time unless the person confirms, naming when it was imported before.
CREATE TABLE "import_files" (
	"id" text PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"actor_id" text NOT NULL,
	"rows" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "import_files_sha256_idx" ON "import_files" USING btree ("sha256");