import fs from "node:fs";
import path from "node:path";
import type { DatabaseEngine, DatabaseHandle } from "@/db/client";
import { insertDocuments, type NewDocument } from "@/db/queries/documents";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import { createGateway, type Gateway } from "@/lib/ai";
import { startSimulator } from "@/lib/ai/simulator/server";
import type { SimulatorHandle } from "@/lib/ai/simulator/types";
import type { KnowledgeDeps, KnowledgeSettings } from "@/lib/knowledge/deps";
import { type KnowledgeIndexer, startKnowledgeIndexer } from "@/lib/knowledge/indexer";
import { logger } from "@/lib/logger";
import { createTestDatabase } from "@/lib/testing/database";

export const testKnowledgeSettings: KnowledgeSettings = {
  chunkTokens: 200,
  overlapTokens: 30,
  topK: 5,
  minSimilarity: 0.35,
  embedBatchSize: 16,
  maxUploadBytes: 1_000_000,
  pollMs: 60_000,
};

export interface KnowledgeHarness {
  handle: DatabaseHandle;
  simulator: SimulatorHandle;
  gateway: Gateway;
  deps: KnowledgeDeps;
  /** An indexer that never polls; tests call `runPass()` to chunk and embed. */
  indexer: KnowledgeIndexer;
  close(): Promise<void>;
}

/** A fresh database, the simulator on 127.0.0.1 and a gateway pointed at it; embeddings are the simulator's. */
export async function createKnowledgeHarness(
  engine: DatabaseEngine,
  settings: Partial<KnowledgeSettings> = {},
): Promise<KnowledgeHarness> {
  const handle = await createTestDatabase(engine);
  const simulator = await startSimulator({ ttftMs: 0, tokensPerSecond: 0 });
  const gateway = createGateway({ provider: { kind: "simulator", url: simulator.url }, maxRetries: 0 });
  const deps: KnowledgeDeps = {
    db: handle.db,
    vectorPath: handle.vectorPath,
    gateway,
    settings: { ...testKnowledgeSettings, ...settings },
    log: logger.child({ test: "knowledge" }),
  };
  const indexer = startKnowledgeIndexer(deps, { poll: false });
  return {
    handle,
    simulator,
    gateway,
    deps,
    indexer,
    async close() {
      await indexer.stop();
      await gateway.close();
      await simulator.close();
      await handle.close();
    },
  };
}

let counter = 0;

export async function createWorkspaceWithUser(handle: DatabaseHandle) {
  counter += 1;
  const workspace = await insertWorkspace(handle.db, { name: `Knowledge ${counter}` });
  const user = await insertUser(handle.db, {
    email: `knowledge${counter}-${Date.now()}@example.test`,
    name: `Knowledge User ${counter}`,
    passwordHash: "not-a-real-hash",
    role: "member",
  });
  await addMember(handle.db, { workspaceId: workspace.id, userId: user.id });
  return { workspaceId: workspace.id, userId: user.id };
}

interface FeedbackLine {
  id: string;
  text: string;
  source_url?: string;
}

/** The demo feedback snippets, as feedback documents of `workspaceId`. */
export function readDemoFeedback(workspaceId: string, limit?: number): NewDocument[] {
  const file = path.join(process.cwd(), "db", "seed", "feedback-en.jsonl");
  const lines = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim());
  return lines.slice(0, limit).map((line) => {
    const record = JSON.parse(line) as FeedbackLine;
    return {
      workspaceId,
      externalId: record.id,
      kind: "feedback",
      title: record.id,
      content: record.text,
      sourceUrl: record.source_url ?? null,
      language: "en",
    };
  });
}

export async function insertTestDocuments(handle: DatabaseHandle, rows: NewDocument[]) {
  return insertDocuments(handle.db, rows);
}
