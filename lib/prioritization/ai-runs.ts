import { z } from "zod";
import type { Db } from "@/db/client";
import { getBacklogSettings } from "@/db/queries/backlog";
import { listOverriddenProposalIds, listProposals } from "@/db/queries/backlog-inputs";
import { getLastRunEventId, getRunById, listBatches } from "@/db/queries/runs";
import type { InputSource, InputStatus, Run, RunBatch } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { frameworkSchema } from "@/lib/backlog/schemas";
import { formatItemRef, getBacklogRanking } from "@/lib/backlog/view";
import { notFound } from "@/lib/errors";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { runLanguageSchema, startRun } from "@/lib/pipeline/service";
import type { PrioritizationProposals } from "@/lib/tasks/schemas";
import { type CitedDocumentView, loadCitedDocumentViews } from "./ai-evidence";
import type { PrioritizationBatchInput } from "./ai-inputs";
import type { RunActivity } from "./ai-run-events";
import { checkRunScope, loadRunActivity } from "./ai-run-view";
import {
  MAX_SELECTED_ITEMS,
  PRIORITIZATION_TASK_KIND,
  type PrioritizationInput,
  prioritizationInputSchema,
} from "./ai-task";
import { describeFilteredOutput, type ProposalFilterReport } from "./ai-validate";
import { type Framework, type InputName, inputNames } from "./scales";

/** Body of `POST /api/v1/workspaces/{workspaceId}/prioritizations`; unknown keys are a 400. */
export const listPrioritizationsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const startPrioritizationSchema = z.strictObject({
  /** Defaults to the workspace's framework. */
  framework: frameworkSchema.optional(),
  /** Language of the rationales; defaults to the user's UI language, else English. */
  language: runLanguageSchema.optional(),
  itemIds: z.array(z.uuid()).min(1).max(MAX_SELECTED_ITEMS).optional(),
  /** Themes of live items; each must match at least one live item of the workspace. */
  themes: z.array(z.string().trim().min(1).max(100)).min(1).max(500).optional(),
  maxItemsPerBatch: z.number().int().min(1).max(50).optional(),
  staleAfterDays: z.number().int().min(1).max(3650).nullable().optional(),
  /** Also propose inputs that await review or that a run in progress is proposing. */
  proposeAgain: z.boolean().optional(),
});
export type StartPrioritization = z.infer<typeof startPrioritizationSchema>;

/**
 * Start "Prioritize with AI" and return the queued run at once. The task's start check rejects
 * selections that are unknown or have nothing to propose (see `checkPrioritizationStart`).
 */
export async function startPrioritization(
  runtime: PipelineRuntime,
  params: { actor: Actor; workspaceId: string; body: StartPrioritization },
): Promise<Run> {
  const db = runtime.deps.handle.db;
  const { body, workspaceId } = params;
  const settings = await getBacklogSettings(db, { workspaceId });
  const input: PrioritizationInput = prioritizationInputSchema.parse({
    framework: body.framework ?? settings.framework,
    iceMode: settings.iceMode,
    itemIds: body.itemIds ? [...new Set(body.itemIds)] : undefined,
    themes: body.themes,
    maxItemsPerBatch: body.maxItemsPerBatch,
    staleAfterDays: body.staleAfterDays,
    proposeAgain: body.proposeAgain,
  });

  return startRun(runtime, {
    actor: params.actor,
    workspaceId,
    kind: PRIORITIZATION_TASK_KIND,
    input,
    language: params.body.language ?? params.actor.locale ?? "en",
  });
}

export interface ProposalView {
  id: string;
  batchId: string | null;
  itemId: string;
  itemRef: string;
  itemNumber: number;
  itemTitle: string;
  /** The item's rank now in the run's framework; null while it needs input. */
  itemRank: number | null;
  input: InputName;
  /** Null when the model found insufficient evidence. */
  value: number | null;
  rationale: string | null;
  evidenceIds: string[];
  status: InputStatus;
  /**
   * True when a PM value settled the proposal, by Override or by setting the input: the proposal
   * is stored as rejected, and an audit row names the PM value.
   */
  overridden: boolean;
  /** The item's effective value of this input now, whatever its source. */
  current: { value: number; source: InputSource } | null;
}

export interface PrioritizationBatchView {
  id: string;
  label: string;
  theme: string | null;
  itemRefs: string[];
  proposals: ProposalView[];
  /** Parts of the model's response removed by the checks against the prompt; null until the batch succeeds. */
  filtered: ProposalFilterReport | null;
}

/** A document that proposals cite, with the id they cite it by. */
export interface EvidenceView extends CitedDocumentView {
  id: string;
}

export interface PrioritizationRunView {
  run: {
    id: string;
    status: Run["status"];
    framework: Framework;
    language: string;
    createdAt: string;
    finishedAt: string | null;
  };
  activity: RunActivity;
  batches: PrioritizationBatchView[];
  /** The documents the proposals cite, by cited id. */
  evidence: Record<string, EvidenceView>;
}

const EXCERPT_CHARS = 400;

async function loadEvidence(db: Db, workspaceId: string, ids: string[]): Promise<Record<string, EvidenceView>> {
  const views = await loadCitedDocumentViews(db, workspaceId, ids, EXCERPT_CHARS);
  return Object.fromEntries(Object.entries(views).map(([id, view]) => [id, { id, ...view }]));
}

function toBatchView(batch: RunBatch, proposals: ProposalView[]): PrioritizationBatchView {
  const input = batch.input as PrioritizationBatchInput;
  const own = proposals.filter((proposal) => proposal.batchId === batch.id);
  const filtered =
    batch.status === "succeeded" && batch.result
      ? describeFilteredOutput(batch.result as PrioritizationProposals, input, own)
      : null;
  return {
    id: batch.id,
    label: batch.label,
    theme: input.theme,
    itemRefs: input.items.map((item) => item.ref),
    proposals: own,
    filtered,
  };
}

/** Everything the Prioritize page shows of a run: progress, proposals by batch, cited documents. */
export async function getPrioritizationRunView(
  db: Db,
  params: { workspaceId: string; runId: string },
): Promise<PrioritizationRunView> {
  // Read the event cursor before any row. Each event commits with the change it reports, and a
  // run's events commit in id order, so the rows read next contain every change up to the cursor.
  // The event stream resumes after `activity.lastEventId` and sends the later events, and the page
  // fetches the view again after them.
  const lastEventId = await getLastRunEventId(db, { runId: params.runId });
  const run = checkRunScope(await getRunById(db, { runId: params.runId }), {
    workspaceId: params.workspaceId,
    kind: PRIORITIZATION_TASK_KIND,
  });
  const batches = await listBatches(db, { runId: run.id });
  const [activity, rows] = await Promise.all([
    loadRunActivity(db, run, batches, { throughEventId: lastEventId }),
    listProposals(db, { workspaceId: run.workspaceId, runId: run.id }),
  ]);
  const input = run.input as PrioritizationInput;
  const ranking = await getBacklogRanking(db, { workspaceId: run.workspaceId, framework: input.framework });
  const entryById = new Map([...ranking.ranked, ...ranking.needsInput].map((entry) => [entry.item.id, entry]));
  const overridden = await listOverriddenProposalIds(db, {
    workspaceId: run.workspaceId,
    proposalIds: rows.filter((row) => row.status === "rejected").map((row) => row.id),
  });

  const proposals = rows.flatMap((row): ProposalView[] => {
    const entry = entryById.get(row.itemId);
    if (!entry) return [];
    const item = entry.item;
    const current = item.inputs[row.input];
    return [
      {
        id: row.id,
        batchId: row.batchId,
        itemId: row.itemId,
        itemRef: formatItemRef(item),
        itemNumber: item.number,
        itemTitle: item.title,
        itemRank: entry.rank,
        input: row.input,
        value: row.value,
        rationale: row.rationale,
        evidenceIds: row.evidenceIds,
        status: row.status,
        overridden: overridden.has(row.id),
        current: current ? { value: current.value, source: current.source } : null,
      },
    ];
  });
  // Rows written in one statement share a time, so order them the way the page reads them.
  proposals.sort((a, b) => a.itemNumber - b.itemNumber || inputNames.indexOf(a.input) - inputNames.indexOf(b.input));

  return {
    run: {
      id: run.id,
      status: run.status,
      framework: input.framework,
      language: run.language,
      createdAt: run.createdAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
    },
    activity,
    batches: batches.map((batch) => toBatchView(batch, proposals)),
    evidence: await loadEvidence(
      db,
      run.workspaceId,
      proposals.flatMap((proposal) => proposal.evidenceIds),
    ),
  };
}

export async function getPrioritizationRunOrThrow(db: Db, params: { workspaceId: string; runId: string }) {
  const run = await getRunById(db, { runId: params.runId });
  if (!run) throw notFound("run");
  return checkRunScope(run, { workspaceId: params.workspaceId, kind: PRIORITIZATION_TASK_KIND });
}
