import { z } from "zod";
import type { Db } from "@/db/client";
import { insertAuditEntries, listBacklogItems, updateBacklogItem, updateBacklogItems } from "@/db/queries/backlog";
import { insertItemInputs, listInputHistory, setProposalStatus } from "@/db/queries/backlog-inputs";
import { findUnknownDocumentIds } from "@/db/queries/documents";
import type { ItemInput } from "@/db/schema";
import { AppError, badRequest, conflict } from "@/lib/errors";
import type { RankChange } from "@/lib/prioritization/changes";
import { resolveEffectiveInputs } from "@/lib/prioritization/effective";
import type { InputName } from "@/lib/prioritization/scales";
import { getItemOrThrow } from "./items";
import { proposalAuditEntry } from "./proposal-audit";
import { trackRankChanges } from "./rank-changes";
import { checkInputValue, ITEM_LIMITS, inputNameSchema } from "./schemas";

/**
 * Set or clear (null) the PM value of one input, with the reason, and list the rank changes it
 * caused. Setting a value rejects the input's pending AI proposals. The history row, those
 * proposals and the audit rows are written in one transaction, and the item moves to its next
 * version. With `version`, the item must still be at that version, else a 409 conflict names
 * the current version, so of simultaneous edits made from the same read exactly one wins.
 */
export async function setPmInput(
  db: Db,
  params: {
    workspaceId: string;
    itemId: string;
    actorId: string;
    input: InputName;
    value: number | null;
    reason: string;
    /** Without it the version is not checked, but it still moves to the next one. */
    version?: number;
  },
): Promise<{ row: ItemInput; changes: RankChange[] }> {
  const reason = params.reason.trim();
  if (!reason) throw badRequest("Give a reason for the value.", { field: "reason" });
  if (reason.length > ITEM_LIMITS.reason)
    throw badRequest(`The reason is longer than ${ITEM_LIMITS.reason} characters.`, { field: "reason" });
  const problem = params.value === null ? null : checkInputValue(params.input, params.value);
  if (problem) throw badRequest(`Invalid value: ${problem}.`, { field: "value" });

  return db.transaction(async (tx) => {
    await getItemOrThrow(tx, params);
    if (params.version === undefined) {
      // The value changes the item either way, so a client that sends the version it read later
      // gets a conflict instead of overwriting this value.
      await updateBacklogItems(tx, { workspaceId: params.workspaceId, itemIds: [params.itemId], patch: {} });
    } else {
      const claimed = await updateBacklogItem(tx, { ...params, expectedVersion: params.version, patch: {} });
      if (!claimed) {
        const current = await getItemOrThrow(tx, params);
        throw conflict("The item was changed by someone else. Reload it and set the value again.", {
          field: "version",
          currentVersion: current.version,
          reason: "item_changed",
        });
      }
    }
    const history = await listInputHistory(tx, params);
    const before = resolveEffectiveInputs(history)[params.input] ?? null;

    const { result: row, changes } = await trackRankChanges(tx, params, async () => {
      const [inserted] = await insertItemInputs(tx, [
        {
          workspaceId: params.workspaceId,
          itemId: params.itemId,
          input: params.input,
          source: "pm",
          status: "active",
          value: params.value,
          rationale: reason,
          authorId: params.actorId,
        },
      ]);
      if (!inserted) throw new Error("insert into item_input returned no row");
      return inserted;
    });

    // A PM value wins over any AI value, so the proposals still waiting for this input are
    // settled as rejected: the PM has decided, and none of them could be accepted any more.
    const settled =
      params.value === null
        ? []
        : await setProposalStatus(tx, {
            workspaceId: params.workspaceId,
            proposalIds: history
              .filter((entry) => entry.source === "ai" && entry.status === "proposed")
              .map((entry) => entry.id),
            status: "rejected",
            reviewedById: params.actorId,
          });

    await insertAuditEntries(tx, [
      {
        workspaceId: params.workspaceId,
        actorId: params.actorId,
        action: "input.set",
        entityType: "backlog_item",
        entityId: params.itemId,
        before: before && { input: params.input, value: before.value, source: before.source },
        after: { input: params.input, value: params.value, source: "pm", reason },
      },
      ...settled.map((proposal) => proposalAuditEntry(params, "reject", proposal, { overriddenBy: row.id })),
    ]);
    return { row, changes };
  });
}

/** One input proposal as the pipeline stores it; a null value means insufficient evidence. */
export const proposalInputSchema = z.object({
  itemId: z.uuid(),
  input: inputNameSchema,
  value: z.number().nullable(),
  rationale: z.string().min(1).max(2000),
  evidenceIds: z.array(z.string().min(1)).max(20),
});
export type ProposalInput = z.infer<typeof proposalInputSchema>;

async function validateProposals(db: Db, workspaceId: string, proposals: ProposalInput[]) {
  const problems: string[] = [];
  proposals.forEach((proposal, index) => {
    const problem = proposal.value === null ? null : checkInputValue(proposal.input, proposal.value);
    if (problem) problems.push(`proposals[${index}].value: ${problem}`);
  });

  const itemIds = [...new Set(proposals.map((proposal) => proposal.itemId))];
  const live = new Set((await listBacklogItems(db, { workspaceId, itemIds })).map((item) => item.id));
  for (const id of itemIds) if (!live.has(id)) problems.push(`item ${id} is not a live item of this workspace`);

  const unknown = await findUnknownDocumentIds(db, { workspaceId, ids: proposals.flatMap((p) => p.evidenceIds) });
  if (unknown.length > 0) problems.push(`unknown evidence ids: ${unknown.join(", ")}`);

  if (problems.length > 0) {
    throw new AppError(400, "invalid_proposals", `Proposals rejected: ${problems.join("; ")}`, { problems });
  }
}

/**
 * Store a run's proposals as `proposed` AI rows, after checking scales, items and cited
 * documents; any problem rejects the whole set and stores nothing.
 */
export async function recordProposals(
  db: Db,
  params: { workspaceId: string; runId: string; batchId?: string | null; proposals: ProposalInput[] },
): Promise<ItemInput[]> {
  const proposals = params.proposals.map((proposal) => proposalInputSchema.parse(proposal));
  await validateProposals(db, params.workspaceId, proposals);
  return insertItemInputs(
    db,
    proposals.map((proposal) => ({
      workspaceId: params.workspaceId,
      itemId: proposal.itemId,
      input: proposal.input,
      source: "ai" as const,
      status: "proposed" as const,
      value: proposal.value,
      rationale: proposal.rationale,
      evidenceIds: proposal.evidenceIds,
      runId: params.runId,
      batchId: params.batchId ?? null,
    })),
  );
}
