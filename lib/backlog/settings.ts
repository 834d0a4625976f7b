import { z } from "zod";
import type { Db } from "@/db/client";
import {
  type BacklogPreferences,
  getBacklogSettings,
  insertAuditEntries,
  upsertBacklogSettings,
} from "@/db/queries/backlog";
import { frameworkSchema, iceModeSchema } from "./schemas";

export const updatePreferencesSchema = z
  .object({ framework: frameworkSchema.optional(), iceMode: iceModeSchema.optional() })
  .refine((value) => value.framework !== undefined || value.iceMode !== undefined, {
    message: "set framework, iceMode or both",
    path: ["framework"],
  });
export type UpdatePreferences = z.infer<typeof updatePreferencesSchema>;

/** Get the framework the workspace ranks by and how ICE combines its inputs. */
export async function getBacklogPreferences(db: Db, params: { workspaceId: string }): Promise<BacklogPreferences> {
  return getBacklogSettings(db, params);
}

/** Change the workspace's framework or ICE mode, with an audit row. */
export async function updateBacklogPreferences(
  db: Db,
  params: { workspaceId: string; actorId: string | null; changes: UpdatePreferences },
): Promise<BacklogPreferences> {
  const changes = updatePreferencesSchema.parse(params.changes);
  return db.transaction(async (tx) => {
    const before = await getBacklogSettings(tx, params);
    const after = await upsertBacklogSettings(tx, { workspaceId: params.workspaceId, ...changes });
    await insertAuditEntries(tx, [
      {
        workspaceId: params.workspaceId,
        actorId: params.actorId,
        action: "backlog.settings",
        entityType: "workspace",
        entityId: params.workspaceId,
        before,
        after,
      },
    ]);
    return after;
  });
}
