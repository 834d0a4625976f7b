import type { ChunkMatch } from "@/lib/knowledge/search";
import type { RankingSnapshot, SnapshotItem } from "@/lib/prioritization/changes";
import { inputsOfFramework } from "@/lib/prioritization/scales";
import type { ChatSource } from "./types";

/** Return the short id that prompts and the UI use for an item: its external id such as `A01`, else `#12`. */
export function itemRef(item: Pick<SnapshotItem, "externalId" | "number">): string {
  return item.externalId ?? `#${item.number}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Items a question names, in the snapshot's rank order: by short id (`A01`, `#12`, case-insensitive,
 * as a whole word), by full title, or through `focusRefs` (the Explain buttons send them).
 */
export function findNamedItems(
  snapshot: RankingSnapshot,
  question: string,
  focusRefs: readonly string[] = [],
): SnapshotItem[] {
  const lowered = question.toLowerCase();
  const focus = new Set(focusRefs.map((ref) => ref.toLowerCase()));
  return snapshot.items.filter((item) => {
    const ref = itemRef(item).toLowerCase();
    if (focus.has(ref)) return true;
    if (new RegExp(`(^|[^\\w#])${escapeRegExp(ref)}(?![\\w])`).test(lowered)) return true;
    if (item.externalId && new RegExp(`(^|[^\\w])#${item.number}(?!\\d)`).test(lowered)) return true;
    return item.title.length >= 8 && lowered.includes(item.title.toLowerCase());
  });
}

export interface PromptRankingItem {
  rank: number | null;
  id: string;
  title: string;
  score: number | null;
  inputs: Record<string, number>;
  input_sources: Record<string, string>;
  /** Inputs of the framework without a value; the item cannot be scored until they are set. */
  missing: string[];
}

export interface PromptRanking {
  framework: string;
  /** ISO 8601 time of the ranking. */
  as_of: string;
  /** Ranked items in the backlog, all of them, including those not listed here. */
  ranked_count: number;
  items: PromptRankingItem[];
}

function toPromptItem(snapshot: RankingSnapshot, item: SnapshotItem): PromptRankingItem {
  const inputs: Record<string, number> = {};
  const sources: Record<string, string> = {};
  const names = inputsOfFramework(snapshot.framework);
  for (const name of names) {
    const input = item.inputs[name];
    if (!input) continue;
    inputs[name] = input.value;
    sources[name] = input.source;
  }
  return {
    rank: item.rank,
    id: itemRef(item),
    title: item.title,
    score: item.score === null ? null : Math.round(item.score * 100) / 100,
    inputs,
    input_sources: sources,
    missing: names.filter((name) => !item.inputs[name]),
  };
}

/**
 * Build the ranking block of the prompt: the top `topCount` ranked items plus every named item, in rank
 * order (items that need input last), each with its score, inputs and where each input came from.
 */
export function buildPromptRanking(
  snapshot: RankingSnapshot,
  named: readonly SnapshotItem[],
  topCount: number,
): PromptRanking {
  const ranked = snapshot.items.filter((item) => item.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const chosen = new Set<string>([...ranked.slice(0, topCount), ...named].map((item) => item.itemId));
  const ordered = [...ranked, ...snapshot.items.filter((item) => item.rank === null)].filter((item) =>
    chosen.has(item.itemId),
  );
  return {
    framework: snapshot.framework.toUpperCase(),
    as_of: snapshot.takenAt,
    ranked_count: ranked.length,
    items: ordered.map((item) => toPromptItem(snapshot, item)),
  };
}

/** Number the retrieved chunks as sources `[1]`…, best match first. */
export function toChatSources(matches: readonly ChunkMatch[]): ChatSource[] {
  return matches.map((match, index) => ({
    n: index + 1,
    chunkId: match.chunkId,
    documentId: match.documentId,
    title: match.documentTitle,
    externalId: match.documentExternalId,
    kind: match.documentKind,
    heading: match.heading,
    text: match.text,
    sourceUrl: match.documentSourceUrl,
    similarity: Math.round(match.similarity * 1000) / 1000,
  }));
}

/** Build the sources block of the prompt: number, document id and text of each source. */
export function buildPromptSources(
  sources: readonly ChatSource[],
): Array<{ n: number; id: string; title: string; text: string }> {
  return sources.map((source) => ({
    n: source.n,
    id: source.externalId ?? source.documentId,
    title: source.title,
    text: source.text,
  }));
}

/**
 * JSON for a data block. `<`, `>` and `&` are written as \u escapes (still valid JSON), so text in
 * a document can never close the block's tag or open another one.
 */
export function toDataBlockJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Prepare the question for the `<question>` block: tags it contains are defused, so it cannot close the block. */
export function toQuestionBlockText(question: string): string {
  return question.replace(/<(\/?[a-z][a-z0-9_]*)>/gi, "‹$1›");
}
