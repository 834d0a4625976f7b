import { z } from "zod";
import type { Db } from "@/db/client";
import { listBacklogItems, listBacklogThemes } from "@/db/queries/backlog";
import { listProposals } from "@/db/queries/backlog-inputs";
import { getLatestDocumentTimes } from "@/db/queries/documents";
import { listOpenBatchInputs } from "@/db/queries/runs";
import { recordProposals } from "@/lib/backlog/inputs";
import { frameworkSchema, iceModeSchema } from "@/lib/backlog/schemas";
import { formatItemRef, loadBacklogRows } from "@/lib/backlog/view";
import { AppError, notFound } from "@/lib/errors";
import { getKnowledgeDeps } from "@/lib/knowledge/runtime";
import { logger } from "@/lib/logger";
import { defineTask, type PlannedBatch, type TaskContext } from "@/lib/pipeline/task";
import { createKnowledgeRetriever, type EvidenceRetriever, gatherBatchEvidence } from "./ai-evidence";
import {
  describeInputsToPropose,
  describeLanguage,
  frameworkLabels,
  type PlanningItem,
  type PrioritizationBatchInput,
  planThemeBatches,
  selectInputsToPropose,
} from "./ai-inputs";
import { filterProposals, readPromptScope } from "./ai-validate";
import { type InputName, inputsOfFramework, isValidInputValue } from "./scales";

export const PRIORITIZATION_TASK_KIND = "prioritization";

/** Largest selection one run takes; a bigger backlog is prioritized whole, without a selection. */
export const MAX_SELECTED_ITEMS = 5000;

export const prioritizationInputSchema = z.object({
  framework: frameworkSchema,
  /** The workspace's ICE mode when the run started, for its "what changed" ranking. Older runs lack it. */
  iceMode: iceModeSchema.optional(),
  /** The selection; omitted means every live item of the workspace. */
  itemIds: z.array(z.uuid()).min(1).max(MAX_SELECTED_ITEMS).optional(),
  /** Only items of these themes; an empty string selects items without a theme. */
  themes: z.array(z.string().trim().max(100)).min(1).max(500).optional(),
  maxItemsPerBatch: z.number().int().min(1).max(50).default(8),
  /** Import and AI values older than this are proposed again; null never ages a value. */
  staleAfterDays: z.number().int().min(1).max(3650).nullable().default(180),
  /**
   * Also propose the inputs that other proposals cover: those awaiting review and those a run in
   * progress is proposing, as when comparing the rationales of two languages.
   */
  proposeAgain: z.boolean().default(false),
});
export type PrioritizationInput = z.infer<typeof prioritizationInputSchema>;

/**
 * Check a prioritization start, so that no invalid or empty run is created. Selected ids that are
 * not live items of the workspace are a 404. Themes that match no live item are a 400. A
 * selection with nothing to propose is a 409 `nothing_to_propose`.
 */
export async function checkPrioritizationStart(
  db: Db,
  params: { workspaceId: string; input: PrioritizationInput },
): Promise<void> {
  const { workspaceId, input } = params;
  if (input.itemIds) {
    const found = await listBacklogItems(db, { workspaceId, itemIds: input.itemIds });
    if (found.length !== input.itemIds.length) {
      throw notFound("item", `${input.itemIds.length - found.length} of the selected items`, { field: "itemIds" });
    }
  }
  if (input.themes) await checkThemesExist(db, workspaceId, input.themes);
  const plan = await planPrioritizationWithSkips(db, { workspaceId, input, now: new Date() });
  if (plan.batches.length === 0) {
    const { awaitingReview, inProgress } = plan.skipped;
    throw new AppError(
      409,
      "nothing_to_propose",
      `Nothing to propose: every input of the selected items has a PM value or a recent value, awaits review of an earlier proposal (${awaitingReview}), or is being proposed by a run in progress (${inProgress}).`,
      { ...selectionField(input), params: { awaitingReview, inProgress } },
    );
  }
}

/** Name the request field that chose the items, when one did: the whole backlog has none. */
function selectionField(input: PrioritizationInput): { field?: "itemIds" | "themes" } {
  if (input.itemIds) return { field: "itemIds" };
  return input.themes ? { field: "themes" } : {};
}

/** Keep the proposals whose item is still live: a PM may delete an item while its batch runs. */
async function keepLiveItemProposals<Proposal extends { itemId: string }>(
  db: Db,
  workspaceId: string,
  proposals: Proposal[],
): Promise<Proposal[]> {
  if (proposals.length === 0) return [];
  const itemIds = [...new Set(proposals.map((proposal) => proposal.itemId))];
  const live = new Set((await listBacklogItems(db, { workspaceId, itemIds })).map((item) => item.id));
  return proposals.filter((proposal) => live.has(proposal.itemId));
}

/** Throw a 400 naming `themes` when some of them match no live item of the workspace. */
async function checkThemesExist(db: Db, workspaceId: string, themes: string[]): Promise<void> {
  const known = new Set((await listBacklogThemes(db, { workspaceId })).map((row) => row.theme));
  const unknown = [...new Set(themes)].filter((theme) => !known.has(theme));
  if (unknown.length === 0) return;
  throw new AppError(
    400,
    "invalid_input",
    `No live item has the theme ${unknown.map((theme) => JSON.stringify(theme)).join(", ")}. Choose themes from the backlog.`,
    { field: "themes", unknownThemes: unknown },
  );
}

/** Planned items of a stored prioritization batch, read loosely: batches of older runs may differ. */
const plannedItemsSchema = z.object({
  items: z.array(z.object({ itemId: z.string(), propose: z.array(z.string()) })),
});

/** Inputs of some items by item id, such as `reach` and `effort` of one item. */
type InputsByItem = Map<string, Set<string>>;

function addInput(map: InputsByItem, itemId: string, input: string): void {
  const inputs = map.get(itemId) ?? new Set<string>();
  inputs.add(input);
  map.set(itemId, inputs);
}

/** Find the inputs of the given items that have a proposal with a value awaiting review. */
async function findInputsAwaitingReview(
  db: Db,
  params: { workspaceId: string; itemIds: string[] },
): Promise<InputsByItem> {
  const covered: InputsByItem = new Map();
  if (params.itemIds.length === 0) return covered;
  const pending = await listProposals(db, { ...params, status: "proposed", withValue: true });
  for (const proposal of pending) addInput(covered, proposal.itemId, proposal.input);
  return covered;
}

/** Find the inputs of the given items that a batch still to run of another unfinished run will propose. */
async function findInputsInProgress(
  db: Db,
  params: { workspaceId: string; itemIds: string[]; exceptRunId?: string },
): Promise<InputsByItem> {
  const covered: InputsByItem = new Map();
  const selected = new Set(params.itemIds);
  if (selected.size === 0) return covered;
  const open = await listOpenBatchInputs(db, {
    workspaceId: params.workspaceId,
    kind: PRIORITIZATION_TASK_KIND,
    exceptRunId: params.exceptRunId,
  });
  for (const batchInput of open) {
    const parsed = plannedItemsSchema.safeParse(batchInput);
    if (!parsed.success) continue;
    for (const item of parsed.data.items) {
      if (selected.has(item.itemId)) for (const name of item.propose) addInput(covered, item.itemId, name);
    }
  }
  return covered;
}

/**
 * Plan a run: the selected live items that have inputs to propose, in batches by theme. Selected
 * ids that are not live items of the workspace are ignored here, because the service that starts
 * runs rejects them before a run exists.
 */
export async function planPrioritization(
  db: Db,
  params: { workspaceId: string; input: PrioritizationInput; now: Date; runId?: string },
): Promise<PlannedBatch<PrioritizationBatchInput>[]> {
  return (await planPrioritizationWithSkips(db, params)).batches;
}

/**
 * Plan a run as `planPrioritization` does, and count the inputs left out because a proposal
 * awaits review or another run is proposing them.
 */
async function planPrioritizationWithSkips(
  db: Db,
  params: { workspaceId: string; input: PrioritizationInput; now: Date; runId?: string },
): Promise<{
  batches: PlannedBatch<PrioritizationBatchInput>[];
  skipped: { awaitingReview: number; inProgress: number };
}> {
  const { input } = params;
  const rows = await loadBacklogRows(db, { workspaceId: params.workspaceId, itemIds: input.itemIds });
  const themes = input.themes ? new Set(input.themes) : undefined;
  const selected = themes ? rows.filter((row) => themes.has(row.theme ?? "")) : rows;
  const latestEvidence = await getLatestDocumentTimes(db, {
    workspaceId: params.workspaceId,
    itemIds: selected.map((row) => row.id),
  });

  // A new run leaves out the inputs another proposal covers, so that one input never has two
  // proposals waiting for the PM.
  const itemIds = input.proposeAgain ? [] : selected.map((row) => row.id);
  const awaitingReview = await findInputsAwaitingReview(db, { workspaceId: params.workspaceId, itemIds });
  const inProgress = await findInputsInProgress(db, {
    workspaceId: params.workspaceId,
    itemIds,
    exceptRunId: params.runId,
  });

  const rule = { staleAfterDays: input.staleAfterDays, now: params.now };
  const skipped = { awaitingReview: 0, inProgress: 0 };
  const items: PlanningItem[] = selected
    .map((row) => {
      const propose = selectInputsToPropose({
        framework: input.framework,
        inputs: row.inputs,
        rule,
        latestEvidenceAt: latestEvidence.get(row.id) ?? null,
      }).filter((name) => {
        if (awaitingReview.get(row.id)?.has(name)) {
          skipped.awaitingReview += 1;
          return false;
        }
        if (inProgress.get(row.id)?.has(name)) {
          skipped.inProgress += 1;
          return false;
        }
        return true;
      });
      return { itemId: row.id, ref: formatItemRef(row), number: row.number, theme: row.theme, propose };
    })
    .filter((item) => item.propose.length > 0);
  return { batches: planThemeBatches(items, input.maxItemsPerBatch), skipped };
}

/**
 * Build the prompt variables of one batch from the items as they are now. An input the PM set
 * since the run was planned is no longer proposed, and deleted items are left out.
 */
async function buildBatchVariables(
  batch: PrioritizationBatchInput,
  context: TaskContext & { input: PrioritizationInput },
  retrieve: EvidenceRetriever | undefined,
): Promise<Record<string, unknown>> {
  const { db, run, input } = context;
  const rows = await loadBacklogRows(db, { workspaceId: run.workspaceId, itemIds: batch.items.map((i) => i.itemId) });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const names = inputsOfFramework(input.framework);
  // A retried batch may overlap proposals made since it was planned, by a later run.
  const awaitingReview = await findInputsAwaitingReview(db, {
    workspaceId: run.workspaceId,
    itemIds: input.proposeAgain ? [] : rows.map((row) => row.id),
  });

  const items = batch.items.flatMap((planned) => {
    const row = byId.get(planned.itemId);
    if (!row) return [];
    const propose = planned.propose.filter(
      (name) => row.inputs[name]?.source !== "pm" && !awaitingReview.get(row.id)?.has(name),
    );
    if (propose.length === 0) return [];
    const inputs: Partial<Record<InputName, number>> = {};
    for (const name of names) {
      const value = row.values[name];
      if (!propose.includes(name) && value !== undefined && isValidInputValue(name, value)) inputs[name] = value;
    }
    return [{ row, ref: planned.ref, propose, inputs }];
  });

  const { evidence, idsByRef } = await gatherBatchEvidence(db, {
    workspaceId: run.workspaceId,
    items: items.map(({ row, ref }) => ({ itemId: row.id, ref, title: row.title, description: row.description })),
    retrieve,
    log: context.log,
  });
  const requested = names.filter((name) => items.some((item) => item.propose.includes(name)));
  return {
    framework: frameworkLabels[input.framework],
    inputs_to_propose: describeInputsToPropose(requested, run.language),
    backlog_items: items.map(({ row, ref, propose, inputs }) => ({
      id: ref,
      title: row.title,
      description: row.description,
      theme: row.theme,
      inputs,
      missing: propose,
      evidence_ids: idsByRef.get(ref) ?? [],
    })),
    evidence,
    language_name: describeLanguage(run.language),
  };
}

/**
 * Create the prioritization task: the `prioritizer` prompt proposes each item's missing or stale inputs
 * with a rationale and citations. Output that passed the schema (scales included) is checked
 * against the prompt (see ai-validate.ts) and stored as `proposed` AI inputs of the batch.
 * `retrieve` adds knowledge-base passages to each item's evidence; tests pass their own.
 */
export function createPrioritizationTask(options: { retrieve?: EvidenceRetriever } = {}) {
  return defineTask<PrioritizationInput, PrioritizationBatchInput, "prioritization_proposals">({
    kind: PRIORITIZATION_TASK_KIND,
    promptKey: "prioritizer",
    outputSchemaName: "prioritization_proposals",
    inputSchema: prioritizationInputSchema,
    checkStart: (input, { db, workspaceId }) => checkPrioritizationStart(db, { workspaceId, input }),
    buildBatches: (input, { db, run }) =>
      planPrioritization(db, { workspaceId: run.workspaceId, input, now: new Date(), runId: run.id }),
    buildVariables: (batch, context) => buildBatchVariables(batch, context, options.retrieve),
    async onBatchResult({ tx, run, batch, batchInput, variables, output }) {
      const { proposals, report } = filterProposals(output, readPromptScope(variables, batchInput));
      if (report.dropped.length > 0 || report.unknownEvidenceIds.length > 0) {
        logger.warn(
          { runId: run.id, batchId: batch.id, dropped: report.dropped, unknownEvidenceIds: report.unknownEvidenceIds },
          "model output referred to items, inputs or evidence that were not in the prompt; those parts were dropped",
        );
      }
      const live = await keepLiveItemProposals(tx, run.workspaceId, proposals);
      if (live.length < proposals.length) {
        logger.info(
          { runId: run.id, batchId: batch.id, dropped: proposals.length - live.length },
          "dropped proposals for items deleted while the batch ran",
        );
      }
      if (live.length === 0) return;
      await recordProposals(tx, { workspaceId: run.workspaceId, runId: run.id, batchId: batch.id, proposals: live });
    },
  });
}

/** The task the app registers, retrieving from the knowledge base with the app's gateway. */
export const prioritizationTask = createPrioritizationTask({ retrieve: createKnowledgeRetriever(getKnowledgeDeps) });
