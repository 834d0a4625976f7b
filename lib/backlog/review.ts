import { z } from "zod";
import type { Db } from "@/db/client";
import { insertAuditEntries } from "@/db/queries/backlog";
import { countPendingProposalsOfDeletedItems, listProposals, setProposalStatus } from "@/db/queries/backlog-inputs";
import { getRunById, isRunOrBatchInWorkspace } from "@/db/queries/runs";
import type { Framework, ItemInput } from "@/db/schema";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { PRIORITIZATION_TASK_KIND } from "@/lib/prioritization/ai-task";
import type { RankChange } from "@/lib/prioritization/changes";
import type { InputName } from "@/lib/prioritization/scales";
import { strictObjectWithFieldList } from "@/lib/validation";
import { proposalAuditEntry } from "./proposal-audit";
import { trackRankChanges } from "./rank-changes";
import { frameworkSchema } from "./schemas";
import { formatItemRef, loadBacklogRows } from "./view";

/**
 * Proposals to review: a list of ids, or every pending proposal of a run or of a batch. An unknown
 * key is a 400, so a misspelt selection is not dropped.
 */
export const reviewProposalsSchema = strictObjectWithFieldList({
  action: z.enum(["accept", "reject"]),
  proposalIds: z.array(z.uuid()).min(1).max(5000).optional(),
  runId: z.uuid().optional(),
  batchId: z.uuid().optional(),
}).refine((value) => [value.proposalIds, value.runId, value.batchId].filter(Boolean).length === 1, {
  message: "give exactly one of proposalIds, runId or batchId",
  path: ["proposalIds"],
});
export type ReviewProposals = z.infer<typeof reviewProposalsSchema>;

export interface ReviewResult {
  reviewed: ItemInput[];
  /** Pending proposals of the run or batch left as they are: the sum of `skippedReasons`. */
  skipped: number;
  /**
   * Why they were left: no value (insufficient evidence) or a PM value of the input when accepting,
   * which an AI value never replaces, and a deleted item in either review.
   */
  skippedReasons: { noValue: number; pmValue: number; itemDeleted: number };
  changes: RankChange[];
}

/**
 * Reject a run or batch id that is unknown, of another workspace or of a run that is not a
 * prioritization, with the same 404 for all three.
 * Proposals carry run ids without a foreign key, so a run is known from the run table or from
 * the workspace's proposals.
 */
async function requireRunOrBatch(db: Db, workspaceId: string, selection: ReviewProposals): Promise<void> {
  const reference = selection.runId ? { runId: selection.runId } : { batchId: selection.batchId as string };
  const kind = PRIORITIZATION_TASK_KIND;
  if (await isRunOrBatchInWorkspace(db, { workspaceId, kind, ...reference })) return;
  if ((await listProposals(db, { workspaceId, ...reference })).length > 0) return;
  throw notFound(selection.runId ? "run" : "batch");
}

/**
 * Find the proposals whose input has a PM value now. A PM value wins over an accepted AI value
 * (see `resolveEffectiveInputs`), so accepting one of them would change nothing. Such proposals
 * exist when the PM set the value after the run proposed one. Returns labels such as `A05 (reach)` by proposal id.
 */
async function findInputsWithPmValue(db: Db, workspaceId: string, proposals: ItemInput[]) {
  if (proposals.length === 0) return new Map<string, string>();
  const items = await loadBacklogRows(db, { workspaceId, itemIds: [...new Set(proposals.map((row) => row.itemId))] });
  const byId = new Map(items.map((item) => [item.id, item]));
  const refs = new Map<string, string>();
  for (const proposal of proposals) {
    const item = byId.get(proposal.itemId);
    if (item?.inputs[proposal.input as InputName]?.source === "pm") {
      refs.set(proposal.id, `${formatItemRef(item)} (${proposal.input})`);
    }
  }
  return refs;
}

/** Return the first group of proposals that set the same input of one item, or an empty list. */
function findProposalsOfOneInput<Row extends { itemId: string; input: string }>(rows: Row[]): Row[] {
  const byInput = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.itemId}:${row.input}`;
    byInput.set(key, [...(byInput.get(key) ?? []), row]);
  }
  return [...byInput.values()].find((group) => group.length > 1) ?? [];
}

/**
 * Choose the proposals to review. Listed ids must all be pending proposals of the workspace, and
 * accepting one without a value (insufficient evidence), or one whose input has a PM value, is an
 * error. For a run or a batch, the pending proposals are taken, and accepting leaves those two
 * kinds pending, counted by reason.
 */
async function selectProposals(db: Db, workspaceId: string, selection: ReviewProposals) {
  if (!selection.proposalIds) {
    const scope = selection.runId ? { runId: selection.runId } : { batchId: selection.batchId };
    const pending = await listProposals(db, { workspaceId, ...scope, status: "proposed" });
    if (pending.length === 0) await requireRunOrBatch(db, workspaceId, selection);
    const itemDeleted = await countPendingProposalsOfDeletedItems(db, { workspaceId, ...scope });
    if (selection.action === "reject") {
      return { chosen: pending, skippedReasons: { noValue: 0, pmValue: 0, itemDeleted } };
    }
    const withValue = pending.filter((row) => row.value !== null);
    const withPmValue = await findInputsWithPmValue(db, workspaceId, withValue);
    const chosen = withValue.filter((row) => !withPmValue.has(row.id));
    const noValue = pending.length - withValue.length;
    return { chosen, skippedReasons: { noValue, pmValue: withPmValue.size, itemDeleted } };
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
  if (selection.action === "accept") {
    const sameInput = findProposalsOfOneInput(found);
    if (sameInput.length > 0) {
      throw badRequest("Two of the proposals are for the same input of one item; accept only one of them.", {
        field: "proposalIds",
        reason: "proposals_same_input",
        proposalIds: sameInput.map((row) => row.id),
      });
    }
    const withPmValue = await findInputsWithPmValue(db, workspaceId, found);
    if (withPmValue.size > 0) {
      const inputs = [...withPmValue.values()].join(", ");
      throw conflict(
        `A PM value is set for ${inputs}, and an accepted proposal does not replace a PM value. Use Override to set the proposed value with a reason, or reject the proposal.`,
        {
          field: "proposalIds",
          reason: "proposal_pm_value_set",
          proposalIds: [...withPmValue.keys()],
          params: { inputs },
        },
      );
    }
  }
  return { chosen: found, skippedReasons: { noValue: 0, pmValue: 0, itemDeleted: 0 } };
}

/**
 * Return the framework that the runs of these proposals share, or undefined for the workspace's.
 * The rank changes of a review are then those of the ranking that the PM reviews.
 */
async function findRunsFramework(db: Db, proposals: ItemInput[]): Promise<Framework | undefined> {
  const runIds = [...new Set(proposals.flatMap((row) => (row.runId ? [row.runId] : [])))];
  const frameworks = new Set<Framework>();
  for (const runId of runIds) {
    const run = await getRunById(db, { runId });
    const parsed = frameworkSchema.safeParse((run?.input as { framework?: unknown } | undefined)?.framework);
    if (!parsed.success) return undefined;
    frameworks.add(parsed.data);
  }
  return frameworks.size === 1 ? [...frameworks][0] : undefined;
}

/**
 * Reject the proposals still pending for the inputs of accepted ones: the PM chose a value, and
 * none of the others could be accepted over it any more. Returns each with the accepted proposal's id.
 */
async function rejectOtherProposals(
  db: Db,
  params: { workspaceId: string; actorId: string },
  accepted: ItemInput[],
): Promise<Array<{ proposal: ItemInput; acceptedId: string }>> {
  if (accepted.length === 0) return [];
  const acceptedByInput = new Map(accepted.map((row) => [`${row.itemId}:${row.input}`, row.id]));
  const pending = await listProposals(db, {
    workspaceId: params.workspaceId,
    itemIds: [...new Set(accepted.map((row) => row.itemId))],
    status: "proposed",
  });
  const others = pending.filter((row) => acceptedByInput.has(`${row.itemId}:${row.input}`));
  const rejected = await setProposalStatus(db, {
    workspaceId: params.workspaceId,
    proposalIds: others.map((row) => row.id),
    status: "rejected",
    reviewedById: params.actorId,
  });
  return rejected.map((proposal) => ({
    proposal,
    acceptedId: acceptedByInput.get(`${proposal.itemId}:${proposal.input}`) as string,
  }));
}

/**
 * Accept or reject proposals, with an audit row each, and list the rank changes it caused.
 * Accepting a proposal also rejects the other pending proposals of its input.
 */
export async function reviewProposals(
  db: Db,
  params: { workspaceId: string; actorId: string; selection: ReviewProposals },
): Promise<ReviewResult> {
  const selection = reviewProposalsSchema.parse(params.selection);
  const status = selection.action === "accept" ? "accepted" : "rejected";

  return db.transaction(async (tx) => {
    const { chosen, skippedReasons } = await selectProposals(tx, params.workspaceId, selection);
    const framework = await findRunsFramework(tx, chosen);
    const { result: reviewed, changes } = await trackRankChanges(tx, { ...params, framework }, () =>
      setProposalStatus(tx, {
        workspaceId: params.workspaceId,
        proposalIds: chosen.map((row) => row.id),
        status,
        reviewedById: params.actorId,
      }),
    );
    const superseded = selection.action === "accept" ? await rejectOtherProposals(tx, params, reviewed) : [];
    await insertAuditEntries(tx, [
      ...reviewed.map((row) => proposalAuditEntry(params, selection.action, row)),
      ...superseded.map(({ proposal, acceptedId }) =>
        proposalAuditEntry(params, "reject", proposal, { supersededBy: acceptedId }),
      ),
    ]);
    const skipped = skippedReasons.noValue + skippedReasons.pmValue + skippedReasons.itemDeleted;
    return { reviewed, skipped, skippedReasons, changes };
  });
}
