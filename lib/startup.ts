import { getDatabase } from "@/db";
import { describeDemoAccounts, seedDemo } from "@/db/seed/demo";
import { startModelGateway } from "@/lib/ai/startup";
import { getEnv, shouldSeedDemo } from "@/lib/env";
import { startKnowledgeRuntime } from "@/lib/knowledge/runtime";
import { logger } from "@/lib/logger";
import { getPipelineRuntime } from "@/lib/pipeline/app-runtime";
import { seedPromptTests } from "@/lib/prompt-admin/test-cases";
import { startPromptEngine } from "@/lib/prompts/engine";

/**
 * Server start-up, called once per process from `instrumentation.ts`: validate configuration,
 * open and migrate the database, then each domain's start-up step in order. A failing step stops
 * the process with its message, except where a step says it degrades instead.
 */
export async function startServer(): Promise<void> {
  const env = getEnv();
  logger.info({ nodeEnv: env.NODE_ENV }, "rankwise starting");

  const { db } = await getDatabase();

  if (shouldSeedDemo()) {
    const seeded = await seedDemo(db);
    if (seeded) logger.info(`demo data seeded on the empty database; sign in with ${describeDemoAccounts()}`);
  }

  // Degrades instead of failing: serves the prompt files while the database cannot be reached.
  await startPromptEngine({ getHandle: getDatabase, checkIntervalMs: env.PROMPT_CACHE_CHECK_SECONDS * 1000 });

  // Test cases of the shipped prompts, once each; a failure is logged and start-up goes on.
  await seedPromptTests(db).catch((error: unknown) => logger.error({ err: error }, "seeding prompt test cases failed"));

  await startModelGateway();

  // Queue client, plus workers unless WORKERS_IN_PROCESS=false (then `npm run worker` executes runs).
  await getPipelineRuntime();

  // Chunks and embeds documents (the seeded feedback too) unless WORKERS_IN_PROCESS=false.
  await startKnowledgeRuntime();
}
