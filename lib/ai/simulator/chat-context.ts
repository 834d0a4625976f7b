import { truncateText } from "@/lib/text";
import {
  blockRecords,
  type DataBlock,
  extractDataBlocks,
  isRecord,
  type JsonRecord,
  readNumber,
  readString,
  stripDataBlocks,
} from "./blocks";
import type { ChatPhrases } from "./chat-phrases";
import { searchTerms } from "./text";

/**
 * Inputs of a simulated chat answer: the question, the `<ranking>` block (items with rank, score
 * and inputs) and the numbered `<sources>` block. Also the matching of the question's words
 * against item ids, titles and source texts.
 */

export interface RankedItem {
  /** Undefined for an item that cannot be scored yet (the ranking block sends `rank: null`). */
  rank?: number;
  id: string;
  title: string;
  score?: number;
  inputs: Record<string, number>;
  /** Inputs without a value, which keep the item out of the ranking. */
  missing: string[];
}

export interface Source {
  number: number;
  title: string;
  text: string;
}

export interface ChatContext {
  /** Framework name as the ranking block gives it, such as `RICE`. */
  framework?: string;
  /** Ranked items in the whole backlog; the block may list only some of them. */
  rankedCount: number;
  /** Ranked items first by rank, then the items that cannot be scored. */
  items: RankedItem[];
  sources: Source[];
}

/**
 * Return the question of a user message: the text of a `<question>` block when the prompt has one,
 * else the text outside the data blocks.
 */
export function readQuestion(text: string): string {
  const block = extractDataBlocks(text).find((entry) => entry.tag === "question");
  if (block) return block.raw.trim();
  const outside = stripDataBlocks(text);
  const inline = /<question>([\s\S]*?)<\/question>/.exec(outside);
  return (inline?.[1] ?? outside).trim();
}

export function readChatContext(blocks: readonly DataBlock[]): ChatContext {
  const rankingBlock = blocks.find((block) => block.tag === "ranking")?.value;
  const header = isRecord(rankingBlock) ? rankingBlock : {};
  const items = readRankedItems(blocks);
  return {
    framework: readString(header, "framework"),
    rankedCount: readNumber(header, "ranked_count") ?? items.filter((item) => item.rank !== undefined).length,
    items,
    sources: readSources(blocks),
  };
}

function readRankedItems(blocks: readonly DataBlock[]): RankedItem[] {
  const items = blockRecords(blocks, "ranking").flatMap((record) => {
    const id = readString(record, "id", "item_id", "short_id");
    if (!id) return [];
    const missing = Array.isArray(record.missing) ? record.missing.filter((name) => typeof name === "string") : [];
    return [
      {
        rank: readNumber(record, "rank", "position"),
        id,
        title: readString(record, "title", "name") ?? id,
        score: readNumber(record, "score"),
        inputs: readInputs(record),
        missing,
      },
    ];
  });
  return items.sort((a, b) => (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY));
}

function readInputs(record: JsonRecord): Record<string, number> {
  const inputs: Record<string, number> = {};
  const source = record.inputs;
  if (!isRecord(source)) return inputs;
  for (const [name, value] of Object.entries(source)) {
    const number = typeof value === "number" ? value : (value as { value?: unknown })?.value;
    if (typeof number === "number" && Number.isFinite(number)) inputs[name] = number;
  }
  return inputs;
}

/** Sources as JSON objects (`n`, `number` or position) or as `[n] text` lines. */
function readSources(blocks: readonly DataBlock[]): Source[] {
  const records = blockRecords(blocks, "sources");
  if (records.length > 0) {
    return records.map((record, index) => ({
      number: readNumber(record, "n", "number", "index") ?? index + 1,
      title: readString(record, "title") ?? "",
      text: readString(record, "text", "content", "snippet") ?? "",
    }));
  }
  const raw = blocks.find((block) => block.tag === "sources")?.raw ?? "";
  return [...raw.matchAll(/^\s*\[(\d+)\]\s*(.*)$/gm)].map((match) => ({
    number: Number(match[1]),
    title: "",
    text: match[2] ?? "",
  }));
}

export function labelOf(item: RankedItem): string {
  return `${item.id} "${truncateText(item.title, 60)}"`;
}

/** Describe an item in one sentence: its rank, score and inputs, or the inputs it misses to be scored. */
export function describeItem(context: ChatContext, item: RankedItem, text: ChatPhrases): string {
  if (item.rank === undefined) return text.unscored(labelOf(item), item.missing.map(text.input));
  const score = item.score === undefined ? "" : text.score(context.framework, item.score);
  const values = Object.entries(item.inputs).map(([input, value]) => `${text.input(input)} ${text.number(value)}`);
  const inputs = values.length > 0 ? ` (${values.join(", ")})` : "";
  return text.rankedAt(labelOf(item), item.rank, Math.max(context.rankedCount, item.rank), score, inputs);
}

/** Items whose short id (`A01`, `#12`) the text names as a whole word, in the order named. */
export function findItemsById(items: readonly RankedItem[], text: string): RankedItem[] {
  const lowered = text.toLowerCase();
  const positions = items.flatMap((item) => {
    const match = idPattern(item.id).exec(lowered);
    return match ? [{ item, at: match.index }] : [];
  });
  return positions.sort((a, b) => a.at - b.at).map((entry) => entry.item);
}

/**
 * Ids the text names that are not in the ranking block. Only ids shaped like the block's own
 * (the same letter prefix, such as `A` in `A01`, or `#12`) count, so "Q3" in a question is no id.
 */
export function findUnknownIds(items: readonly RankedItem[], text: string): string[] {
  const known = new Set(items.map((item) => item.id.toLowerCase()));
  const prefixes = new Set(items.flatMap((item) => /^([A-Za-z]+-?)\d+$/.exec(item.id)?.[1] ?? []));
  const shapes = [...prefixes].map((prefix) => `${escapeRegExp(prefix)}\\d+`);
  const named = text.match(new RegExp(`(?<![\\w#])(?:${[...shapes, "#\\d+"].join("|")})(?!\\w)`, "gi")) ?? [];
  return [...new Set(named)].filter((id) => !known.has(id.toLowerCase()));
}

/**
 * Find the item a phrase such as "row-level security" names: the one whose title contains the most
 * of the phrase's terms, when it contains all of them or at least two, and no other item does as well.
 */
export function findItemByPhrase(items: readonly RankedItem[], phrase: string): RankedItem | undefined {
  const terms = new Set(searchTerms(phrase));
  if (terms.size === 0) return undefined;
  const scored = items
    .map((item) => ({ item, matched: countShared(terms, searchTerms(item.title)) }))
    .sort((a, b) => b.matched - a.matched);
  const [best, second] = scored;
  if (!best || best.matched === 0 || best.matched === second?.matched) return undefined;
  return best.matched >= Math.min(2, terms.size) ? best.item : undefined;
}

/** Items whose title shares at least two terms with the text (all of them for a one-word title). */
export function findItemsByTitle(items: readonly RankedItem[], text: string): RankedItem[] {
  const terms = new Set(searchTerms(text));
  return items.filter((item) => {
    const titleTerms = new Set(searchTerms(item.title));
    return titleTerms.size > 0 && countShared(terms, [...titleTerms]) >= Math.min(2, titleTerms.size);
  });
}

/**
 * Numbers of the sources about a subject, best first: those that name one of `ids`, or share the
 * most of `terms` (at least `minShared` of them).
 */
export function findSourcesAbout(
  sources: readonly Source[],
  subject: { ids?: readonly string[]; terms: readonly string[]; minShared: number },
  limit: number,
): number[] {
  const terms = new Set(subject.terms);
  return sources
    .map((source) => {
      const text = `${source.title} ${source.text}`;
      const named = (subject.ids ?? []).some((id) => idPattern(id).test(text.toLowerCase()));
      return { number: source.number, score: named ? terms.size + 1 : countShared(terms, searchTerms(text)) };
    })
    .filter((entry) => entry.score > 0 && entry.score >= Math.min(subject.minShared, terms.size || 1))
    .sort((a, b) => b.score - a.score || a.number - b.number)
    .slice(0, limit)
    .map((entry) => entry.number);
}

/** Pick the sentence of a text that shares the most terms with the subject (the first one on a tie). */
export function pickSentenceAbout(text: string, terms: readonly string[]): string {
  const wanted = new Set(terms);
  const sentences = text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.trim());
  let best = sentences[0] ?? text;
  let bestShared = -1;
  for (const sentence of sentences) {
    const shared = countShared(wanted, searchTerms(sentence));
    if (shared > bestShared) [best, bestShared] = [sentence, shared];
  }
  return best.trim();
}

function countShared(terms: ReadonlySet<string>, others: readonly string[]): number {
  return new Set(others.filter((term) => terms.has(term))).size;
}

function idPattern(id: string): RegExp {
  return new RegExp(`(^|[^\\w#])${escapeRegExp(id.toLowerCase())}(?!\\w)`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
