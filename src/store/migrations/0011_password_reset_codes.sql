-- One-time codes for a new password (src/access/schema.ts, password_reset_codes): made by the administrator,
-- handed to the user outside the system; one per user (a new code replaces the earlier one), only the
-- SHA-256 of the code stored, 24 hours valid, used once (used_at).
CREATE TABLE "password_reset_codes" (
	"user_id" text PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "password_reset_codes" ADD CONSTRAINT "password_reset_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;