import { z } from "zod";
import type { Db } from "@/db/client";
import { insertAuditEntries } from "@/db/queries/backlog";
import { listProposals, setProposalStatus } from "@/db/queries/backlog-inputs";
import { isRunOrBatchInWorkspace } from "@/db/queries/runs";
import type { ItemInput } from "@/db/schema";
import { badRequest, conflict, notFound } from "@/lib/errors";
import type { RankChange } from "@/lib/prioritization/changes";
import { trackRankChanges } from "./rank-changes";

/** Proposals to review: a list of ids, or every pending proposal of a run or of a batch. */
export const reviewProposalsSchema = z
  .object({
    action: z.enum(["accept", "reject"]),
    proposalIds: z.array(z.uuid()).min(1).max(5000).optional(),
    runId: z.uuid().optional(),
    batchId: z.uuid().optional(),
  })
  .refine((value) => [value.proposalIds, value.runId, value.batchId].filter(Boolean).length === 1, {
    message: "give exactly one of proposalIds, runId or batchId",
    path: ["proposalIds"],
  });
export type ReviewProposals = z.infer<typeof reviewProposalsSchema>;

export interface ReviewResult {
  reviewed: ItemInput[];
  /** Pending proposals of the run or batch left as they are: the ones without a value, when accepting. */
  skipped: number;
  changes: RankChange[];
}

/**
 * Reject a run or batch id that is unknown or of another workspace, with the same 404 for both.
 * Proposals carry run ids without a foreign key, so a run is known from the run table or from
 * the workspace's proposals.
 */
async function requireRunOrBatch(db: Db, workspaceId: string, selection: ReviewProposals): Promise<void> {
  const reference = selection.runId ? { runId: selection.runId } : { batchId: selection.batchId as string };
  if (await isRunOrBatchInWorkspace(db, { workspaceId, ...reference })) return;
  if ((await listProposals(db, { workspaceId, ...reference })).length > 0) return;
  throw notFound(selection.runId ? "run" : "batch");
}

/**
 * Choose the proposals to review. Listed ids must all be pending proposals of the workspace, and
 * accepting one without a value (insufficient evidence) is an error. For a run or a batch, the
 * pending proposals are taken, and accepting leaves those without a value pending.
 */
async function selectProposals(db: Db, workspaceId: string, selection: ReviewProposals) {
  if (!selection.proposalIds) {
    const pending = await listProposals(db, { workspaceId, ...selection, status: "proposed" });
    if (pending.length === 0) await requireRunOrBatch(db, workspaceId, selection);
    const chosen = selection.action === "accept" ? pending.filter((row) => row.value !== null) : pending;
    return { chosen, skipped: pending.length - chosen.length };
  }

  const ids = [...new Set(selection.proposalIds)];
  const found = await listProposals(db, { workspaceId, proposalIds: ids });
  if (found.length !== ids.length) throw notFound("proposal", ids.length === 1 ? "Proposal" : "Some of the proposals");
  if (found.some((row) => row.status !== "proposed")) {
    throw conflict("Some of the proposals were already reviewed. Reload to see their state.", {
      field: "proposalIds",
      reason: "proposals_already_reviewed",
    });
  }
  if (selection.action === "accept" && found.some((row) => row.value === null)) {
    throw badRequest("A proposal without a value (insufficient evidence) cannot be accepted; set the value yourself.", {
      field: "proposalIds",
    });
  }
  return { chosen: found, skipped: 0 };
}

/** Accept or reject proposals, with an audit row each, and list the rank changes it caused. */
export async function reviewProposals(
  db: Db,
  params: { workspaceId: string; actorId: string; selection: ReviewProposals },
): Promise<ReviewResult> {
  const selection = reviewProposalsSchema.parse(params.selection);
  const status = selection.action === "accept" ? "accepted" : "rejected";

  return db.transaction(async (tx) => {
    const { chosen, skipped } = await selectProposals(tx, params.workspaceId, selection);
    const { result: reviewed, changes } = await trackRankChanges(tx, params, () =>
      setProposalStatus(tx, {
        workspaceId: params.workspaceId,
        proposalIds: chosen.map((row) => row.id),
        status,
        reviewedById: params.actorId,
      }),
    );
    await insertAuditEntries(
      tx,
      reviewed.map((row) => ({
        workspaceId: params.workspaceId,
        actorId: params.actorId,
        action: `proposal.${selection.action}`,
        entityType: "item_input",
        entityId: row.id,
        after: { itemId: row.itemId, input: row.input, value: row.value, runId: row.runId },
      })),
    );
    return { reviewed, skipped, changes };
  });
}
