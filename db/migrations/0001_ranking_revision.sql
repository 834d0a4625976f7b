CREATE TABLE "ranking_revision" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "item_input_pending_idx" ON "item_input" USING btree ("workspace_id","item_id") WHERE "item_input"."source" = 'ai' and "item_input"."status" = 'proposed' and "item_input"."value" is not null;--> statement-breakpoint
-- Moves a workspace's ranking revision once per transaction, at commit: the triggers below are
-- deferred, so the revision row is locked only for the moment before each commit, and a
-- transaction-local setting skips the rows after the first.
CREATE FUNCTION "bump_ranking_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.workspace_id ELSE NEW.workspace_id END;
  flag text := 'rankwise.ranking_moved_' || replace(target::text, '-', '');
BEGIN
  IF current_setting(flag, true) = 'yes' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config(flag, 'yes', true);
  INSERT INTO "ranking_revision" AS current ("workspace_id", "revision") VALUES (target, 1)
    ON CONFLICT ("workspace_id") DO UPDATE SET "revision" = current."revision" + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "backlog_item_ranking_revision" AFTER INSERT OR UPDATE OR DELETE ON "backlog_item"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_ranking_revision"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "item_input_ranking_revision_insert" AFTER INSERT ON "item_input"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW."status" <> 'proposed') EXECUTE FUNCTION "bump_ranking_revision"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "item_input_ranking_revision_review" AFTER UPDATE ON "item_input"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."value" IS DISTINCT FROM NEW."value")
  EXECUTE FUNCTION "bump_ranking_revision"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "item_input_ranking_revision_delete" AFTER DELETE ON "item_input"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_ranking_revision"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "backlog_settings_ranking_revision" AFTER INSERT OR UPDATE ON "backlog_settings"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_ranking_revision"();
