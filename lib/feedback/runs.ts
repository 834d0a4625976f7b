import { z } from "zod";
import type { Db } from "@/db/client";
import { getLastRunEventId, getRunById, listBatches } from "@/db/queries/runs";
import type { Run } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { runLanguageSchema, startRun } from "@/lib/pipeline/service";
import { loadCitedDocuments } from "@/lib/prioritization/ai-evidence";
import type { RunActivity } from "@/lib/prioritization/ai-run-events";
import { checkRunScope, listRunsOfKind, loadRunActivity } from "@/lib/prioritization/ai-run-view";
import type { FeedbackSummary } from "@/lib/tasks/schemas";
import { listFeedbackByTheme } from "./snippets";
import { FEEDBACK_SUMMARY_TASK_KIND, type FeedbackBatchInput, type ITEM_SUGGESTIONS_TASK_KIND } from "./tasks";

export type FeedbackRunKind = typeof FEEDBACK_SUMMARY_TASK_KIND | typeof ITEM_SUGGESTIONS_TASK_KIND;

/** Body of the feedback summary and suggestion routes; unknown keys are a 400. */
export const startFeedbackRunSchema = z.strictObject({
  /** Themes to cover; an empty string is the feedback linked to no themed item. Omitted covers all. */
  themes: z.array(z.string().trim().max(100)).min(1).max(500).optional(),
  /** Prompt language; defaults to the user's UI language, else English. */
  language: runLanguageSchema.optional(),
});
export type StartFeedbackRun = z.infer<typeof startFeedbackRunSchema>;

/** Start a summary or suggestion run, one batch per theme; the task's start check rejects themes without feedback. */
export async function startFeedbackRun(
  runtime: PipelineRuntime,
  params: { actor: Actor; workspaceId: string; kind: FeedbackRunKind; body: StartFeedbackRun },
): Promise<Run> {
  const input = { themes: params.body.themes };
  return startRun(runtime, {
    actor: params.actor,
    workspaceId: params.workspaceId,
    kind: params.kind,
    input,
    language: params.body.language ?? params.actor.locale ?? "en",
  });
}

/** A cited snippet as the feedback page shows it. */
export interface SnippetView {
  id: string;
  documentId: string;
  text: string;
  sourceUrl: string | null;
}

export interface ThemeSummaryView {
  runId: string;
  finishedAt: string | null;
  summary: FeedbackSummary;
}

export interface FeedbackThemeView {
  /** Null for feedback linked to no themed item. */
  theme: string | null;
  snippetCount: number;
  /** The theme's latest summary, from the newest summary run that summarized it. */
  latestSummary: ThemeSummaryView | null;
}

/** Latest summary runs searched for each theme's summary. */
const SUMMARY_RUNS_SCANNED = 10;

/** Themes with feedback, their snippet counts and latest summaries, plus the snippets those cite. */
export async function getFeedbackThemes(
  db: Db,
  params: { workspaceId: string },
): Promise<{ themes: FeedbackThemeView[]; snippets: Record<string, SnippetView> }> {
  const groups = await listFeedbackByTheme(db, params);
  const runs = await listRunsOfKind(db, {
    workspaceId: params.workspaceId,
    kind: FEEDBACK_SUMMARY_TASK_KIND,
    limit: SUMMARY_RUNS_SCANNED,
  });

  const summaries = new Map<string, ThemeSummaryView>();
  for (const run of runs) {
    for (const batch of await listBatches(db, { runId: run.id })) {
      const key = (batch.input as FeedbackBatchInput).theme ?? "";
      if (batch.status !== "succeeded" || !batch.result || summaries.has(key)) continue;
      summaries.set(key, {
        runId: run.id,
        finishedAt: batch.finishedAt?.toISOString() ?? null,
        summary: batch.result as FeedbackSummary,
      });
    }
  }

  const themes = groups.map((group) => ({
    theme: group.theme,
    snippetCount: group.snippets.length,
    latestSummary: summaries.get(group.theme ?? "") ?? null,
  }));
  const cited = [...summaries.values()].flatMap((view) => view.summary.asks.flatMap((ask) => ask.evidence_ids));
  return { themes, snippets: await loadSnippets(db, params.workspaceId, cited) };
}

/** Load the live documents these citation ids name; ids that name none are left out. */
export async function loadSnippets(db: Db, workspaceId: string, ids: string[]): Promise<Record<string, SnippetView>> {
  const snippets: Record<string, SnippetView> = {};
  for (const [id, document] of await loadCitedDocuments(db, workspaceId, ids)) {
    snippets[id] = { id, documentId: document.id, text: document.content, sourceUrl: document.sourceUrl };
  }
  return snippets;
}

/** Load the latest run of a kind (or the one named) with its progress; null when there is none. */
export async function getLatestFeedbackRun(
  db: Db,
  params: { workspaceId: string; kind: FeedbackRunKind; runId?: string },
): Promise<{ run: Run; activity: RunActivity } | null> {
  const runId = params.runId ?? (await listRunsOfKind(db, { ...params, limit: 1 }))[0]?.id;
  if (!runId) return null;
  // The event cursor comes before the rows, as in `getPrioritizationRunView`.
  const lastEventId = await getLastRunEventId(db, { runId });
  const run = checkRunScope(await getRunById(db, { runId }), params);
  return { run, activity: await loadRunActivity(db, run, undefined, { throughEventId: lastEventId }) };
}
