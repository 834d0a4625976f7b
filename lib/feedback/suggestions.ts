import type { Db } from "@/db/client";
import { updateDocument } from "@/db/queries/documents";
import { getLastRunEventId, getRunById, listBatches } from "@/db/queries/runs";
import type { BacklogItem, Run, RunBatch } from "@/db/schema";
import { createItem, getItemOrThrow } from "@/lib/backlog/items";
import { ITEM_LIMITS } from "@/lib/backlog/schemas";
import { formatItemRef, loadBacklogRows } from "@/lib/backlog/view";
import { AppError, notFound } from "@/lib/errors";
import { loadCitedDocuments } from "@/lib/prioritization/ai-evidence";
import type { RunActivity } from "@/lib/prioritization/ai-run-events";
import { checkRunScope, loadRunActivity } from "@/lib/prioritization/ai-run-view";
import type { ItemSuggestions } from "@/lib/tasks/schemas";
import { findDuplicate } from "./duplicates";
import { loadSnippets, type SnippetView } from "./runs";
import { type FeedbackBatchInput, ITEM_SUGGESTIONS_TASK_KIND } from "./tasks";

export interface SuggestionView {
  /** Position of the suggestion in its batch's result; with the batch id, what "add" names. */
  index: number;
  title: string;
  description: string;
  /** Ids of the cited snippets that are live documents of the workspace. */
  evidenceIds: string[];
  /** The live item the suggestion repeats, including one added from it; null for a new need. */
  duplicateOf: { itemId: string; ref: string; title: string } | null;
}

export interface SuggestionBatchView {
  id: string;
  label: string;
  theme: string | null;
  suggestions: SuggestionView[];
}

export interface SuggestionRunView {
  run: { id: string; status: Run["status"]; createdAt: string };
  activity: RunActivity;
  batches: SuggestionBatchView[];
  snippets: Record<string, SnippetView>;
}

type ExistingItem = { itemId: string; ref: string; title: string };

function toBatchView(batch: RunBatch, existing: ExistingItem[], known: Set<string>): SuggestionBatchView {
  const result = batch.status === "succeeded" ? (batch.result as ItemSuggestions | null) : null;
  return {
    id: batch.id,
    label: batch.label,
    theme: (batch.input as FeedbackBatchInput).theme,
    suggestions: (result?.suggestions ?? []).map((suggestion, index) => ({
      index,
      title: suggestion.title,
      description: suggestion.description,
      evidenceIds: suggestion.evidence_ids.filter((id) => known.has(id)),
      duplicateOf: findDuplicate(suggestion.title, existing),
    })),
  };
}

/**
 * Load a suggestion run with each theme's suggestions as they stand now. The duplicate check runs
 * on every read, so a suggestion added to the backlog, or covered by an item added since, shows its item.
 */
export async function getSuggestionRunView(
  db: Db,
  params: { workspaceId: string; runId: string },
): Promise<SuggestionRunView> {
  // The event cursor comes before the rows, as in `getPrioritizationRunView`.
  const lastEventId = await getLastRunEventId(db, { runId: params.runId });
  const run = checkRunScope(await getRunById(db, { runId: params.runId }), {
    workspaceId: params.workspaceId,
    kind: ITEM_SUGGESTIONS_TASK_KIND,
  });
  const batches = await listBatches(db, { runId: run.id });
  const rows = await loadBacklogRows(db, { workspaceId: params.workspaceId });
  const existing = rows.map((row) => ({ itemId: row.id, ref: formatItemRef(row), title: row.title }));

  const cited = batches.flatMap((batch) =>
    batch.status === "succeeded"
      ? ((batch.result as ItemSuggestions | null)?.suggestions ?? []).flatMap((s) => s.evidence_ids)
      : [],
  );
  const snippets = await loadSnippets(db, params.workspaceId, cited);
  const known = new Set(Object.keys(snippets));

  return {
    run: { id: run.id, status: run.status, createdAt: run.createdAt.toISOString() },
    activity: await loadRunActivity(db, run, batches, { throughEventId: lastEventId }),
    batches: batches.map((batch) => toBatchView(batch, existing, known)),
    snippets,
  };
}

const MAX_LINKS = ITEM_LIMITS.links;

/**
 * Add a suggestion to the backlog as a new `idea` item of its batch's theme. The suggestion is
 * read from the stored run result, never from the client. The item's links are the cited
 * snippets' source URLs, and cited feedback linked to no item is linked to the new item, so the
 * next prioritization run uses it as evidence. A suggestion that duplicates a live item is a 409.
 */
export async function addSuggestedItem(
  db: Db,
  params: { workspaceId: string; actorId: string; runId: string; batchId: string; index: number },
): Promise<BacklogItem> {
  const run = checkRunScope(await getRunById(db, { runId: params.runId }), {
    workspaceId: params.workspaceId,
    kind: ITEM_SUGGESTIONS_TASK_KIND,
  });
  const batch = (await listBatches(db, { runId: run.id })).find((row) => row.id === params.batchId);
  const suggestion = (batch?.result as ItemSuggestions | null)?.suggestions[params.index];
  if (batch?.status !== "succeeded" || !suggestion) throw notFound("suggestion");

  return db.transaction(async (tx) => {
    const rows = await loadBacklogRows(tx, { workspaceId: params.workspaceId });
    const duplicate = findDuplicate(suggestion.title, rows);
    if (duplicate) {
      throw new AppError(409, "duplicate_item", `Item ${formatItemRef(duplicate)} already covers this suggestion.`, {
        itemId: duplicate.id,
      });
    }

    const documents = await loadCitedDocuments(tx, params.workspaceId, suggestion.evidence_ids);
    const links = [...new Set([...documents.values()].flatMap((document) => document.sourceUrl ?? []))];
    const item = await createItem(tx, {
      workspaceId: params.workspaceId,
      actorId: params.actorId,
      fields: {
        title: suggestion.title.slice(0, ITEM_LIMITS.title),
        description: suggestion.description,
        theme: (batch.input as FeedbackBatchInput).theme,
        status: "idea",
        links: links.filter((link) => /^https?:\/\//i.test(link)).slice(0, MAX_LINKS),
        externalId: null,
      },
    });
    for (const document of documents.values()) {
      if (document.itemId) continue;
      await updateDocument(tx, {
        workspaceId: params.workspaceId,
        documentId: document.id,
        patch: { itemId: item.id },
      });
    }
    return getItemOrThrow(tx, { workspaceId: params.workspaceId, itemId: item.id });
  });
}
