ALTER TABLE "model_call" ADD COLUMN "transport_attempts" integer;--> statement-breakpoint
ALTER TABLE "model_call" ADD COLUMN "retry_waits_ms" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
-- Cancelled batches no longer count as failed.
UPDATE "run" SET "batches_failed" = (
  SELECT count(*) FROM "run_batch" WHERE "run_batch"."run_id" = "run"."id" AND "run_batch"."status" IN ('failed', 'interrupted')
);
