CREATE TABLE "release_outputs" (
	"release_id" text NOT NULL,
	"variant" text NOT NULL,
	"output" text NOT NULL,
	"lang" text NOT NULL,
	"content_type" text NOT NULL,
	"body" "bytea" NOT NULL,
	"etag" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "release_outputs_release_id_variant_output_lang_pk" PRIMARY KEY("release_id","variant","output","lang")
);
--> statement-breakpoint
ALTER TABLE "login_throttle" ADD COLUMN "strikes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "release_outputs" ADD CONSTRAINT "release_outputs_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;