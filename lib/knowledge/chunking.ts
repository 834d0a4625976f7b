import { type DocumentFormat, type Segment, segmentCsv, segmentMarkdown, segmentText } from "./segments";
import { countTokens, splitByTokens } from "./tokens";

export type { DocumentFormat } from "./segments";

export interface ChunkOptions {
  /** Upper bound of a chunk's tokens (cl100k_base), header row of a CSV chunk included. */
  maxTokens: number;
  /** Tokens of whole sentences repeated from the end of the previous chunk of the same section. */
  overlapTokens: number;
  format: DocumentFormat;
}

export interface TextChunk {
  position: number;
  text: string;
  tokenCount: number;
  /** UTF-16 offsets of the chunk's own text in the document, end exclusive. */
  startOffset: number;
  endOffset: number;
  heading: string | null;
}

interface Unit extends Segment {
  tokens: number;
}

/**
 * Cut a document into chunks of at most `maxTokens` tokens. A chunk ends only between segments
 * (sentences, list items, code blocks, CSV rows), so sentences stay whole unless one alone exceeds
 * the limit; then it is cut between words. A heading never ends a chunk: it starts one, together
 * with the text below it, unless the current chunk is still short (under a quarter of the limit).
 * A chunk that continues a section opens with the previous chunk's last sentences, up to
 * `overlapTokens`; a chunk that starts at a heading has no overlap.
 */
export function chunkDocument(content: string, options: ChunkOptions): TextChunk[] {
  if (options.maxTokens < 16) throw new Error(`maxTokens must be at least 16, got ${options.maxTokens}.`);
  if (options.overlapTokens < 0 || options.overlapTokens >= options.maxTokens / 2) {
    throw new Error(`overlapTokens must be from 0 to half of maxTokens, got ${options.overlapTokens}.`);
  }

  if (options.format === "csv") return chunkCsv(content, options);
  const segments = options.format === "markdown" ? segmentMarkdown(content) : segmentText(content);
  const groups = packUnits(toUnits(content, segments, options.maxTokens), options);
  return groups.map((units, position) => toChunk(content, units, position, null));
}

function chunkCsv(content: string, options: ChunkOptions): TextChunk[] {
  const { header, segments } = segmentCsv(content);
  if (header === null) return [];
  if (segments.length === 0) return [toChunk(content, [headerUnit(content, header)], 0, null)];

  // Every chunk repeats the header row, so the rows get what is left of the budget.
  const headerTokens = countTokens(`${header}\n`);
  const rowBudget = Math.max(16, options.maxTokens - headerTokens);
  const rowOptions = {
    ...options,
    maxTokens: rowBudget,
    overlapTokens: Math.min(options.overlapTokens, rowBudget / 4),
  };
  const groups = packUnits(toUnits(content, segments, rowBudget), rowOptions);
  return groups.map((units, position) => toChunk(content, units, position, header));
}

function headerUnit(content: string, header: string): Unit {
  const start = content.indexOf(header);
  return { start, end: start + header.length, kind: "row", heading: null, tokens: countTokens(header) };
}

/** Count each segment's tokens, cutting any segment longer than a chunk between words. */
function toUnits(content: string, segments: Segment[], maxTokens: number): Unit[] {
  const units: Unit[] = [];
  for (const segment of segments) {
    const text = content.slice(segment.start, segment.end);
    for (const piece of splitByTokens(text, maxTokens)) {
      const start = segment.start + piece.start;
      const end = segment.start + piece.end;
      units.push({ ...segment, start, end, tokens: piece.tokens });
    }
  }
  return units;
}

function sumTokens(units: readonly Unit[]): number {
  return units.reduce((sum, unit) => sum + unit.tokens, 0);
}

function packUnits(units: Unit[], options: ChunkOptions): Unit[][] {
  const groups: Unit[][] = [];
  let current: Unit[] = [];
  // The running sum of `current`'s tokens keeps packing linear in the number of units.
  let currentTokens = 0;
  // One token per join approximates the separator; `toChunk` recounts the exact text.
  const sizeWith = (extra: readonly Unit[]) => currentTokens + sumTokens(extra) + current.length + extra.length;

  for (let index = 0; index < units.length; index++) {
    const unit = units[index] as Unit;
    const next = units[index + 1];
    // A heading travels with the segment after it, so a chunk never ends on a heading.
    const needed = unit.kind === "heading" && next && next.kind !== "heading" ? [unit, next] : [unit];
    const startsSection = unit.kind === "heading" && currentTokens >= options.maxTokens / 4;

    if (current.length > 0 && (startsSection || sizeWith(needed) > options.maxTokens)) {
      groups.push(current);
      current = unit.kind === "heading" ? [] : overlapTail(current, unit, options);
      currentTokens = sumTokens(current);
    }
    current.push(unit);
    currentTokens += unit.tokens;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Pick the previous chunk's last sentences to repeat, within the overlap and leaving room for `unit`. */
function overlapTail(previous: readonly Unit[], unit: Unit, options: ChunkOptions): Unit[] {
  const budget = Math.min(options.overlapTokens, options.maxTokens - unit.tokens - 2);
  const tail: Unit[] = [];
  let tokens = 0;
  for (let index = previous.length - 1; index > 0; index--) {
    const candidate = previous[index] as Unit;
    if (candidate.kind === "heading" || tokens + candidate.tokens + 1 > budget) break;
    tail.unshift(candidate);
    tokens += candidate.tokens + 1;
  }
  return tail;
}

function toChunk(content: string, units: readonly Unit[], position: number, header: string | null): TextChunk {
  const first = units[0] as Unit;
  const last = units[units.length - 1] as Unit;
  const body = content.slice(first.start, last.end);
  const text = header !== null && first.kind === "row" && body !== header ? `${header}\n${body}` : body;
  return {
    position,
    text,
    tokenCount: countTokens(text),
    startOffset: first.start,
    endOffset: last.end,
    heading: first.heading,
  };
}
