ALTER TABLE "model_call" ADD COLUMN "transport_attempts" integer;--> statement-breakpoint
ALTER TABLE "model_call" ADD COLUMN "retry_waits_ms" jsonb DEFAULT '[]'::jsonb NOT NULL;