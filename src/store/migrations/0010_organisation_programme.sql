-- A support programme's programme (src/store/schema.ts, organisations.programme): 'nsp' or 'amp' for kind
-- support_programme, null for every other kind; a programme officer's records take it from the organisation.
-- A support programme added before this gets the programme most of its records name, or else 'amp' when its
-- short name or a name says ÅMP or återvändande/return, else 'nsp'; the administrator sees it in the list.
ALTER TABLE "organisations" ADD COLUMN "programme" text;--> statement-breakpoint
UPDATE "organisations" o SET "programme" = coalesce(
	(SELECT v."data"->>'programme' FROM "cases" c JOIN "case_versions" v ON v."case_id" = c."id" AND v."version" = c."version"
	 WHERE c."organisation_id" = o."id" AND v."data"->>'programme' in ('nsp', 'amp')
	 GROUP BY 1 ORDER BY count(*) DESC, 1 DESC LIMIT 1),
	CASE WHEN o."id" ~ '(^|-)amp(-|$)' OR o."name_sv" ~* '(ÅMP|återvändande)' OR o."name_en" ~* '(AVRR|return)' THEN 'amp' ELSE 'nsp' END
) WHERE o."kind" = 'support_programme';--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_programme_check" CHECK ("organisations"."programme" is null or "organisations"."programme" in ('nsp', 'amp'));--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_programme_kind_check" CHECK (("organisations"."kind" = 'support_programme') = ("organisations"."programme" is not null));
