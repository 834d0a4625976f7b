"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { reviewProposals, reviewProposalsSchema } from "@/lib/backlog/review";
import { type ActionResult, runAction } from "@/lib/http/action-result";
import type { RankChange } from "@/lib/prioritization/changes";

export interface ReviewOutcome {
  reviewed: number;
  /** Proposals left pending when a whole batch or run was accepted: without a value, or for an input with a PM value. */
  skipped: { noValue: number; pmValue: number };
  changes: RankChange[];
}

/** Accept or reject proposals (listed ones, or every pending one of a batch or run); returns what moved. */
export async function reviewProposalsAction(
  workspaceId: string,
  selection: unknown,
): Promise<ActionResult<ReviewOutcome>> {
  return runAction("prioritize.review", async () => {
    const actor = await requireActor();
    requireCapability(actor, "editBacklog");
    await requireWorkspace(actor, workspaceId);

    const result = await reviewProposals(await getDb(), {
      workspaceId,
      actorId: actor.userId,
      selection: reviewProposalsSchema.parse(selection),
    });
    revalidatePath(`/w/${workspaceId}/backlog`, "layout");
    return { reviewed: result.reviewed.length, skipped: result.skippedReasons, changes: result.changes };
  });
}
