/**
 * Data blocks in prompts: user data as JSON between XML-like tags on their own lines, such as
 * `<backlog_items>` … `</backlog_items>`. The simulator reads them as data only; text inside them
 * never changes what it does, like a model told that instructions in data are to be ignored.
 */

export interface DataBlock {
  tag: string;
  raw: string;
  /** The parsed JSON (or JSON lines as an array); undefined when the block is plain text. */
  value: unknown;
}

const blockPattern = /<([a-z][a-z0-9_]*)>[ \t]*\r?\n([\s\S]*?)\r?\n[ \t]*<\/\1>/g;

export function extractDataBlocks(text: string): DataBlock[] {
  const blocks: DataBlock[] = [];
  for (const match of text.matchAll(blockPattern)) {
    const raw = match[2] ?? "";
    blocks.push({ tag: match[1] as string, raw, value: parseBlockValue(raw) });
  }
  return blocks;
}

/** The text with every data block removed, such as the question of a chat message. */
export function stripDataBlocks(text: string): string {
  return text.replace(blockPattern, " ").replace(/\s+/g, " ").trim();
}

function parseBlockValue(raw: string): unknown {
  const trimmed = raw.trim();
  if (!trimmed) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    // JSON lines: one object per line.
  }
  const lines = trimmed.split(/\r?\n/).filter((line) => line.trim());
  const parsed: unknown[] = [];
  for (const line of lines) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      return undefined;
    }
  }
  return parsed;
}

export type JsonRecord = Record<string, unknown>;

/** The objects of a block, whether it holds an array, `{ items: [...] }` or a single object. */
export function blockRecords(blocks: readonly DataBlock[], tag: string): JsonRecord[] {
  const records: JsonRecord[] = [];
  for (const block of blocks) {
    if (block.tag !== tag) continue;
    records.push(...toRecords(block.value));
  }
  return records;
}

function toRecords(value: unknown): JsonRecord[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  if (!isRecord(value)) return [];
  for (const key of ["items", "data", "entries", "sources", "ranking"]) {
    const nested = value[key];
    if (Array.isArray(nested)) return nested.filter(isRecord);
  }
  return [value];
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readString(record: JsonRecord, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "string" && value.trim()) return value.trim();
    if (typeof value === "number") return String(value);
  }
  return undefined;
}

export function readNumber(record: JsonRecord, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && value.trim() && Number.isFinite(Number(value))) return Number(value);
  }
  return undefined;
}

export function readStringArray(record: JsonRecord, key: string): string[] {
  const value = record[key];
  if (!Array.isArray(value)) return [];
  return value.filter((entry): entry is string => typeof entry === "string" && entry.trim() !== "");
}
