CREATE TABLE "backlog_item_deletion" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"deleted_at" timestamp with time zone NOT NULL,
	"restored_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "backlog_item_deletion" ADD CONSTRAINT "backlog_item_deletion_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backlog_item_deletion" ADD CONSTRAINT "backlog_item_deletion_item_id_backlog_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."backlog_item"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backlog_item_deletion_item_idx" ON "backlog_item_deletion" USING btree ("item_id","deleted_at");--> statement-breakpoint
-- Items deleted before this table existed: their deletion is known, earlier restores are not.
INSERT INTO "backlog_item_deletion" ("workspace_id", "item_id", "deleted_at")
  SELECT "workspace_id", "id", "deleted_at" FROM "backlog_item" WHERE "deleted_at" IS NOT NULL;
