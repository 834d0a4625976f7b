import { z } from "zod";
import type { Db } from "@/db/client";
import type { Run } from "@/db/schema";
import { listAcceptedRunChanges, previewRunChanges } from "@/lib/backlog/rank-changes";
import { frameworkSchema } from "@/lib/backlog/schemas";
import type { PrioritizationInput } from "./ai-task";
import type { RankChange } from "./changes";
import type { Framework } from "./scales";

export const runChangesQuerySchema = z.object({
  /**
   * since: what the run's accepted proposals moved, from the ranking at the run's start. Other
   * runs' and PMs' changes are left out. preview: what accepting every proposal of the run would move, over
   * the current ranking or over the ranking with `baseRunId`'s proposals applied (two runs compared).
   */
  mode: z.enum(["since", "preview"]).default("since"),
  baseRunId: z.uuid().optional(),
  /** Defaults to the run's framework. */
  framework: frameworkSchema.optional(),
});
export type RunChangesQuery = z.infer<typeof runChangesQuerySchema>;

/** "What changed and why" for a prioritization run: rank moves with the input changes behind them. */
export async function listRunChanges(
  db: Db,
  params: { workspaceId: string; run: Run; query: RunChangesQuery },
): Promise<{ framework: Framework; changes: RankChange[] }> {
  const input = params.run.input as PrioritizationInput;
  const framework = params.query.framework ?? input.framework;
  if (params.query.mode === "preview") {
    const { changes } = await previewRunChanges(db, {
      workspaceId: params.workspaceId,
      framework,
      runId: params.run.id,
      baseRunId: params.query.baseRunId,
    });
    return { framework, changes };
  }
  // Ranked as at the run's start; runs from before the ICE mode was recorded use the current one.
  const { changes } = await listAcceptedRunChanges(db, {
    workspaceId: params.workspaceId,
    framework,
    iceMode: input.iceMode,
    runId: params.run.id,
    startedAt: params.run.createdAt,
  });
  return { framework, changes };
}
