import type { DatabaseEngine, DatabaseHandle } from "@/db/client";
import { seedDemoContent } from "@/db/seed/demo-content";
import { createGateway, type Gateway } from "@/lib/ai";
import { startSimulator } from "@/lib/ai/simulator/server";
import type { SimulatorHandle } from "@/lib/ai/simulator/types";
import { takeRankingSnapshot } from "@/lib/chat/conversations";
import type { ChatSettings } from "@/lib/chat/respond";
import type { KnowledgeDeps } from "@/lib/knowledge/deps";
import { type KnowledgeIndexer, startKnowledgeIndexer } from "@/lib/knowledge/indexer";
import { logger } from "@/lib/logger";
import { loadPromptCacheFromDefinitions } from "@/lib/prompts/cache";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import { createTestDatabase } from "@/lib/testing/database";
import { createTokenUser } from "../knowledge/actors";
import { createWorkspaceWithUser, testKnowledgeSettings } from "../knowledge/harness";
import { startRecordingProxy } from "./recording-proxy";

export interface ChatHarness {
  handle: DatabaseHandle;
  simulator: SimulatorHandle;
  /** Records every request the gateway sends, between the gateway and the simulator. */
  proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  gateway: Gateway;
  knowledge: KnowledgeDeps;
  indexer: KnowledgeIndexer;
  workspaceId: string;
  /** Short id and title of the item ranked first in the demo backlog. */
  firstItem: { ref: string; title: string };
  member: { userId: string; headers: Record<string, string> };
  close(): Promise<void>;
}

/** Chat settings for tests that build their own `ChatDeps`: every token is sent on its own. */
export const CHAT_TEST_SETTINGS: ChatSettings = {
  rankingItems: 10,
  historyMessages: 4,
  maxQuestionChars: 2000,
  firstTokenTimeoutMs: 30_000,
  streamIntervalMs: 0,
};

/**
 * The demo workspace (backlog, imported inputs, feedback documents, embedded) on a fresh database,
 * the simulator behind a recording proxy, the published prompt files in the process-wide prompt
 * cache, and a member with an access token.
 */
export async function createChatHarness(engine: DatabaseEngine): Promise<ChatHarness> {
  const handle = await createTestDatabase(engine);
  // Slow enough that an answer spans several of the chat's 30 ms send intervals, so it streams in steps.
  const simulator = await startSimulator({ ttftMs: 0, tokensPerSecond: 400 });
  const proxy = await startRecordingProxy(simulator.url);
  const gateway = createGateway({ provider: { kind: "simulator", url: proxy.url }, maxRetries: 0 });
  const knowledge: KnowledgeDeps = {
    db: handle.db,
    vectorPath: handle.vectorPath,
    gateway,
    settings: { ...testKnowledgeSettings },
    log: logger.child({ test: "chat" }),
  };
  loadPromptCacheFromDefinitions(await readPromptDirectory(defaultPromptsDir));

  const { workspaceId, userId } = await createWorkspaceWithUser(handle);
  await seedDemoContent(handle.db, { workspaceId, userId });
  const indexer = startKnowledgeIndexer(knowledge, { poll: false });
  await indexer.runPass();
  const member = await createTokenUser(handle, { workspaceId });

  const snapshot = await takeRankingSnapshot(handle.db, { workspaceId });
  const first = snapshot.items.find((item) => item.rank === 1);
  if (!first) throw new Error("The demo backlog has no ranked item; the chat tests need one.");

  return {
    handle,
    simulator,
    proxy,
    gateway,
    knowledge,
    indexer,
    workspaceId,
    firstItem: { ref: first.externalId ?? `#${first.number}`, title: first.title },
    member,
    async close() {
      await indexer.stop();
      await gateway.close();
      await proxy.close();
      await simulator.close();
      await handle.close();
    },
  };
}
