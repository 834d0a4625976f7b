CREATE TABLE "revoked_session" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "revoked_session_expires_idx" ON "revoked_session" USING btree ("expires_at");