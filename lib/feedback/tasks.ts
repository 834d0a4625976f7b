import { z } from "zod";
import type { Db } from "@/db/client";
import { listDocuments } from "@/db/queries/documents";
import { formatItemRef, loadBacklogRows } from "@/lib/backlog/view";
import { AppError } from "@/lib/errors";
import { defineTask, type PlannedBatch } from "@/lib/pipeline/task";
import { truncateText } from "@/lib/text";
import {
  type FeedbackSnippet,
  listFeedbackByTheme,
  MAX_SNIPPETS_PER_THEME,
  selectThemes,
  toPromptFeedback,
  UNSORTED_THEME,
} from "./snippets";

export const FEEDBACK_SUMMARY_TASK_KIND = "feedback_summary";
export const ITEM_SUGGESTIONS_TASK_KIND = "item_suggestions";

export const feedbackRunInputSchema = z.object({
  /** Themes to cover; an empty string is the feedback linked to no themed item. Omitted covers all. */
  themes: z.array(z.string().trim().max(100)).min(1).max(500).optional(),
});
export type FeedbackRunInput = z.infer<typeof feedbackRunInputSchema>;

/** One theme's snippets, fixed when the run is planned so a retry sends the same feedback. */
export interface FeedbackBatchInput {
  theme: string | null;
  documentIds: string[];
}

/** Existing items shown to the generator, the theme's own first; more would crowd out the feedback. */
export const MAX_EXISTING_ITEMS = 100;
const MAX_EXISTING_DESCRIPTION_CHARS = 300;

/** Plan one batch per theme that has feedback; the batches of a run execute in parallel. */
export async function planFeedbackBatches(
  db: Db,
  params: { workspaceId: string; input: FeedbackRunInput },
): Promise<PlannedBatch<FeedbackBatchInput>[]> {
  const groups = selectThemes(await listFeedbackByTheme(db, params), params.input.themes);
  return groups.map((group) => ({
    label: group.theme ?? UNSORTED_THEME,
    input: {
      theme: group.theme,
      documentIds: group.snippets.slice(0, MAX_SNIPPETS_PER_THEME).map((snippet) => snippet.documentId),
    },
  }));
}

/** Check a feedback run's start: a 409 `no_feedback` when no selected theme has feedback. */
async function checkFeedbackStart(input: FeedbackRunInput, context: { db: Db; workspaceId: string }): Promise<void> {
  const batches = await planFeedbackBatches(context.db, { workspaceId: context.workspaceId, input });
  if (batches.length === 0) {
    throw new AppError(409, "no_feedback", "No feedback documents are linked to the selected themes.", {
      field: "themes",
    });
  }
}

/** Load the batch's snippets that are still live, in the planned order. */
async function loadBatchSnippets(db: Db, workspaceId: string, batch: FeedbackBatchInput): Promise<FeedbackSnippet[]> {
  const documents = await listDocuments(db, { workspaceId, kinds: ["feedback"] });
  const byId = new Map(documents.map((document) => [document.id, document]));
  return batch.documentIds.flatMap((id) => {
    const document = byId.get(id);
    if (!document) return [];
    return [
      {
        documentId: document.id,
        id: document.externalId ?? document.id,
        title: document.title,
        text: document.content,
        sourceUrl: document.sourceUrl,
        itemId: document.itemId,
      },
    ];
  });
}

/** Existing live items for the generator's duplicate check: the batch theme's items, then the others. */
async function listExistingItems(db: Db, workspaceId: string, theme: string | null) {
  const rows = await loadBacklogRows(db, { workspaceId });
  const ordered = [...rows.filter((row) => row.theme === theme), ...rows.filter((row) => row.theme !== theme)];
  return ordered.slice(0, MAX_EXISTING_ITEMS).map((row) => ({
    id: formatItemRef(row),
    title: row.title,
    description:
      row.description.length > MAX_EXISTING_DESCRIPTION_CHARS
        ? truncateText(row.description, MAX_EXISTING_DESCRIPTION_CHARS)
        : row.description,
    theme: row.theme,
  }));
}

/**
 * "Summarize feedback": the `summarizer` prompt per theme. The validated summary stays in the
 * batch's result, which the feedback page reads; nothing else is stored.
 */
export const feedbackSummaryTask = defineTask<FeedbackRunInput, FeedbackBatchInput, "feedback_summary">({
  kind: FEEDBACK_SUMMARY_TASK_KIND,
  promptKey: "summarizer",
  outputSchemaName: "feedback_summary",
  inputSchema: feedbackRunInputSchema,
  checkStart: checkFeedbackStart,
  buildBatches: (input, { db, run }) => planFeedbackBatches(db, { workspaceId: run.workspaceId, input }),
  async buildVariables(batch, { db, run }) {
    const snippets = await loadBatchSnippets(db, run.workspaceId, batch);
    return { theme: batch.theme ?? UNSORTED_THEME, feedback: toPromptFeedback(snippets) };
  },
});

/**
 * "Suggest items from feedback": the `generator` prompt per theme, with the existing items so the
 * model can skip needs they cover. Suggestions stay in the batch's result until a PM adds one.
 */
export const itemSuggestionsTask = defineTask<FeedbackRunInput, FeedbackBatchInput, "item_suggestions">({
  kind: ITEM_SUGGESTIONS_TASK_KIND,
  promptKey: "generator",
  outputSchemaName: "item_suggestions",
  inputSchema: feedbackRunInputSchema,
  checkStart: checkFeedbackStart,
  buildBatches: (input, { db, run }) => planFeedbackBatches(db, { workspaceId: run.workspaceId, input }),
  async buildVariables(batch, { db, run }) {
    const [snippets, existing] = await Promise.all([
      loadBatchSnippets(db, run.workspaceId, batch),
      listExistingItems(db, run.workspaceId, batch.theme),
    ]);
    return {
      theme: batch.theme ?? UNSORTED_THEME,
      feedback: toPromptFeedback(snippets),
      existing_items: existing,
    };
  },
});
