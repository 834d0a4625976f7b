import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Db } from "@/db/client";
import { insertBacklogItems, listBacklogItems } from "@/db/queries/backlog";
import { insertItemInputs, type NewItemInput } from "@/db/queries/backlog-inputs";
import { insertDocuments } from "@/db/queries/documents";
import type { BacklogItem } from "@/db/schema";
import { parseCsv } from "@/lib/backlog/csv";
import { guessColumnMapping } from "@/lib/backlog/csv-mapping";
import { validateImportRows } from "@/lib/backlog/csv-rows";
import { logger } from "@/lib/logger";

const seedFolder = path.join(process.cwd(), "db", "seed");

const feedbackLineSchema = z.object({
  id: z.string().min(1),
  source_url: z.url(),
  request_id: z.string().min(1),
  text: z.string().min(1),
});
type FeedbackLine = z.infer<typeof feedbackLineSchema>;

export interface DemoContentParams {
  workspaceId: string;
  /** Author of the seeded items and documents. */
  userId: string;
  /** Seed only the first `limit` items of the file, and only their feedback. */
  limit?: number;
}

export interface DemoContentResult {
  itemsCreated: number;
  inputsRecorded: number;
  documentsCreated: number;
}

function readFeedback(): FeedbackLine[] {
  const text = fs.readFileSync(path.join(seedFolder, "feedback-en.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const parsed = feedbackLineSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`feedback-en.jsonl line ${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** Items of the seed file that are not in the workspace yet, deleted ones included, so a rerun restores nothing. */
async function importMissingItems(db: Db, params: DemoContentParams) {
  const table = parseCsv(new Uint8Array(fs.readFileSync(path.join(seedFolder, "backlog-en.csv"))));
  const validation = validateImportRows(table, guessColumnMapping(table.headers));
  if (validation.errors.length > 0) throw new Error(`backlog-en.csv is invalid: ${JSON.stringify(validation.errors[0])}`);

  const present = await listBacklogItems(db, { workspaceId: params.workspaceId, deleted: "include" });
  const presentIds = new Set(present.map((item) => item.externalId));
  const wanted = validation.rows.slice(0, params.limit ?? validation.rows.length);
  const missing = wanted.filter((row) => !presentIds.has(row.externalId));
  const created = await insertBacklogItems(db, {
    workspaceId: params.workspaceId,
    createdById: params.userId,
    items: missing.map((row) => ({ ...row, status: row.status ?? "idea" })),
  });
  return { created, all: [...present, ...created] };
}

const EFFORT_CYCLE = [0.5, 1, 2, 3, 5];

/**
 * Imported RICE inputs for every third seed item (A01, A04, … A58), derived from how many feedback
 * snippets support the item, so that more-requested items reach more people with more impact and
 * confidence: reach = 400 per snippet (so two snippets already cross the RICE value threshold); impact 0.5, 1, 2, 3 for 1, 2, 3, 4+ snippets; confidence
 * 50 % for one snippet, 80 % for two, 100 % for more. Feedback contains nothing about cost, so effort
 * cycles through 0.5, 1, 2, 3, 5 person-months by item position.
 */
export function deriveDemoRiceInputs(position: number, snippetCount: number) {
  const count = Math.max(1, Math.min(snippetCount, 4));
  let confidence = 100;
  if (count === 1) confidence = 50;
  else if (count === 2) confidence = 80;
  return {
    reach: 400 * count,
    impact: [0.5, 1, 2, 3][count - 1] ?? 1,
    confidence,
    effort: EFFORT_CYCLE[position % EFFORT_CYCLE.length] ?? 1,
  };
}

async function importDemoInputs(db: Db, workspaceId: string, items: BacklogItem[], feedback: FeedbackLine[]) {
  const snippetCounts = new Map<string, number>();
  for (const line of feedback) snippetCounts.set(line.request_id, (snippetCounts.get(line.request_id) ?? 0) + 1);

  const withInputs = new Set(
    (await db.query.itemInput.findMany({ where: (table, { eq }) => eq(table.workspaceId, workspaceId), columns: { itemId: true } })).map(
      (row) => row.itemId,
    ),
  );
  const rows: NewItemInput[] = [];
  for (const item of items) {
    const position = Number(/^A(\d+)$/.exec(item.externalId ?? "")?.[1] ?? 0);
    if (position % 3 !== 1 || withInputs.has(item.id)) continue;
    const inputs = deriveDemoRiceInputs(position, snippetCounts.get(item.externalId ?? "") ?? 1);
    for (const [input, value] of Object.entries(inputs)) {
      rows.push({ workspaceId, itemId: item.id, input: input as NewItemInput["input"], value, source: "import", status: "active" });
    }
  }
  return insertItemInputs(db, rows);
}

function feedbackTitle(text: string): string {
  if (text.length <= 80) return text;
  const cut = text.slice(0, 79);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), 40))}…`;
}

/**
 * Seed a workspace with the demo backlog (60 Metabase feature requests, ids A01…A60), imported
 * RICE inputs for a third of them, and 115 customer-feedback snippets as `feedback` documents
 * linked to their item. Idempotent: rows already present, even deleted ones, are left alone.
 */
export async function seedDemoContent(db: Db, params: DemoContentParams): Promise<DemoContentResult> {
  const result = await db.transaction(async (tx) => {
    const { created, all } = await importMissingItems(tx, params);
    const seededRefs = new Set(all.map((item) => item.externalId));
    const feedback = readFeedback().filter((line) => seededRefs.has(line.request_id));
    const inputs = await importDemoInputs(tx, params.workspaceId, all, feedback);
    const itemIdsByRef = new Map(all.map((item) => [item.externalId, item.id]));
    const documents = await insertDocuments(
      tx,
      feedback.map((line) => ({
        workspaceId: params.workspaceId,
        externalId: line.id,
        kind: "feedback" as const,
        title: feedbackTitle(line.text),
        content: line.text,
        sourceUrl: line.source_url,
        language: "en",
        itemId: itemIdsByRef.get(line.request_id) ?? null,
        createdById: params.userId,
      })),
    );
    return { itemsCreated: created.length, inputsRecorded: inputs.length, documentsCreated: documents.length };
  });
  logger.info({ workspaceId: params.workspaceId, ...result }, "demo content seeded");
  return result;
}
