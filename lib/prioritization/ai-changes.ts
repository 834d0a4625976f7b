import { z } from "zod";
import type { Db } from "@/db/client";
import type { Run } from "@/db/schema";
import { compareRankingsOverTime, previewRunChanges } from "@/lib/backlog/rank-changes";
import { frameworkSchema } from "@/lib/backlog/schemas";
import type { PrioritizationInput } from "./ai-task";
import type { RankChange } from "./changes";
import type { Framework } from "./scales";

export const runChangesQuerySchema = z.object({
  /**
   * since: what moved since the run started, from the input history (accepted proposals, PM
   * overrides and other edits). preview: what accepting every proposal of the run would move, over
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
  const framework = params.query.framework ?? (params.run.input as PrioritizationInput).framework;
  if (params.query.mode === "preview") {
    const { changes } = await previewRunChanges(db, {
      workspaceId: params.workspaceId,
      framework,
      runId: params.run.id,
      baseRunId: params.query.baseRunId,
    });
    return { framework, changes };
  }
  const { changes } = await compareRankingsOverTime(db, {
    workspaceId: params.workspaceId,
    framework,
    from: params.run.createdAt,
  });
  return { framework, changes };
}
