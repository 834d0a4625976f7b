import type { Db } from "@/db/client";
import { getBacklogItem, getBacklogSettings } from "@/db/queries/backlog";
import { listInputHistory } from "@/db/queries/backlog-inputs";
import { listDocuments } from "@/db/queries/documents";
import { getUserById } from "@/db/queries/users";
import type { InputSource, InputStatus, ItemStatus } from "@/db/schema";
import { formatItemRef, getBacklogRanking } from "@/lib/backlog/view";
import { type CitedDocumentView, loadCitedDocumentViews } from "@/lib/prioritization/ai-evidence";
import type { Quadrant } from "@/lib/prioritization/quadrants";
import { type Framework, frameworks, type InputName, inputsOfFramework } from "@/lib/prioritization/scales";

export interface HistoryRowView {
  id: string;
  input: InputName;
  source: InputSource;
  status: InputStatus;
  value: number | null;
  rationale: string | null;
  evidenceIds: string[];
  /** The PM who set it, or who imported it; null for AI proposals and deleted users. */
  author: string | null;
  reviewer: string | null;
  createdAt: string;
  reviewedAt: string | null;
  runId: string | null;
}

export interface FrameworkView {
  framework: Framework;
  rank: number | null;
  score: number | null;
  missing: InputName[];
  inputs: Array<{ name: InputName; value: number | null; source: InputSource | null }>;
}

export interface ItemDetailView {
  item: {
    id: string;
    ref: string;
    externalId: string | null;
    title: string;
    description: string;
    theme: string | null;
    status: ItemStatus;
    links: string[];
    version: number;
  };
  framework: Framework;
  quadrant: Quadrant | null;
  frameworks: FrameworkView[];
  history: HistoryRowView[];
  evidence: Record<string, CitedDocumentView>;
  linkedDocuments: Array<{ id: string; ref: string; title: string; kind: string; sourceUrl: string | null }>;
}

const EXCERPT_CHARS = 300;

async function loadUserNames(db: Db, ids: Array<string | null>): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))];
  const users = await Promise.all(unique.map((id) => getUserById(db, { id })));
  return new Map(users.flatMap((user) => (user ? [[user.id, user.name] as const] : [])));
}

/** Load an item with its scores in every framework, the history of each input and the cited documents. */
export async function loadItemDetailView(
  db: Db,
  params: { workspaceId: string; itemId: string },
): Promise<ItemDetailView | null> {
  const item = await getBacklogItem(db, params);
  if (!item) return null;
  const settings = await getBacklogSettings(db, params);
  const [ranking, history, linked] = await Promise.all([
    getBacklogRanking(db, { workspaceId: params.workspaceId, framework: settings.framework }),
    listInputHistory(db, params),
    listDocuments(db, { workspaceId: params.workspaceId, itemIds: [item.id] }),
  ]);
  const entry = [...ranking.ranked, ...ranking.needsInput].find((candidate) => candidate.item.id === item.id);
  const names = await loadUserNames(
    db,
    history.flatMap((row) => [row.authorId, row.reviewedById]),
  );
  const evidence = await loadCitedDocumentViews(
    db,
    params.workspaceId,
    history.flatMap((row) => row.evidenceIds),
    EXCERPT_CHARS,
  );

  return {
    item: {
      id: item.id,
      ref: formatItemRef(item),
      externalId: item.externalId,
      title: item.title,
      description: item.description,
      theme: item.theme,
      status: item.status,
      links: item.links,
      version: item.version,
    },
    framework: settings.framework,
    quadrant: entry?.valueEffort.status === "placed" ? entry.valueEffort.quadrant : null,
    frameworks: frameworks.map((framework) => {
      const score = entry?.scores[framework];
      return {
        framework,
        rank: entry?.ranks[framework] ?? null,
        score: score?.status === "scored" ? score.score : null,
        missing: score?.status === "needs_input" ? [...score.missing, ...score.invalid] : [],
        inputs: inputsOfFramework(framework).map((name) => ({
          name,
          value: entry?.item.inputs[name]?.value ?? null,
          source: entry?.item.inputs[name]?.source ?? null,
        })),
      };
    }),
    history: history.map((row) => ({
      id: row.id,
      input: row.input,
      source: row.source,
      status: row.status,
      value: row.value,
      rationale: row.rationale,
      evidenceIds: row.evidenceIds,
      author: row.authorId ? (names.get(row.authorId) ?? null) : null,
      reviewer: row.reviewedById ? (names.get(row.reviewedById) ?? null) : null,
      createdAt: row.createdAt.toISOString(),
      reviewedAt: row.reviewedAt?.toISOString() ?? null,
      runId: row.runId,
    })),
    evidence,
    linkedDocuments: linked.map((document) => ({
      id: document.id,
      ref: document.externalId ?? document.id.slice(0, 8),
      title: document.title,
      kind: document.kind,
      sourceUrl: document.sourceUrl,
    })),
  };
}
