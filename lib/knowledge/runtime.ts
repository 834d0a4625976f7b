import { getDatabase } from "@/db";
import { getGateway } from "@/lib/ai";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { type KnowledgeDeps, readKnowledgeSettings } from "./deps";
import { type KnowledgeIndexer, startKnowledgeIndexer } from "./indexer";

const globalForKnowledge = globalThis as unknown as { rankwiseKnowledgeIndexer?: KnowledgeIndexer };

/** The process-wide knowledge dependencies: the app's database and model gateway. */
export async function getKnowledgeDeps(): Promise<KnowledgeDeps> {
  const handle = await getDatabase();
  const gateway = getGateway();
  return {
    db: handle.db,
    vectorPath: handle.vectorPath,
    gateway,
    settings: readKnowledgeSettings({ simulatedEmbeddings: gateway.getModelInfo().simulated }),
    log: logger.child({ component: "knowledge" }),
  };
}

/**
 * Start-up step: start this process's indexer when workers run in-process (`WORKERS_IN_PROCESS`),
 * so documents seeded or written by other instances get chunked and embedded. A dedicated worker
 * process passes `force` to run it whatever that setting says.
 */
export async function startKnowledgeRuntime(options: { force?: boolean } = {}): Promise<void> {
  if (globalForKnowledge.rankwiseKnowledgeIndexer) return;
  if (!getEnv().WORKERS_IN_PROCESS && !options.force) return;
  globalForKnowledge.rankwiseKnowledgeIndexer = startKnowledgeIndexer(await getKnowledgeDeps());
}

/** Ask this process's indexer to run now; without one, another instance's poll picks the work up. */
export function wakeKnowledgeIndexer(): void {
  globalForKnowledge.rankwiseKnowledgeIndexer?.wake();
}

export async function stopKnowledgeRuntime(): Promise<void> {
  const indexer = globalForKnowledge.rankwiseKnowledgeIndexer;
  globalForKnowledge.rankwiseKnowledgeIndexer = undefined;
  await indexer?.stop();
}
