import { getDatabase } from "@/db";
import { generateChat } from "@/lib/ai";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { createWorkerId, type RenderTaskPrompt, readPipelineSettings } from "./deps";
import { createPromptRenderer } from "./prompt";
import { createPipelineRuntime, type PipelineRuntime } from "./runtime";
import { registerBuiltInTasks } from "./tasks";

const globalForPipeline = globalThis as unknown as { rankwisePipeline?: Promise<PipelineRuntime> };

/**
 * Return the process-wide pipeline: the job queue client, with workers when `WORKERS_IN_PROCESS`
 * is true (the default) or `withWorkers` is set (`npm run worker`). It is kept on `globalThis`
 * because Next.js may load this module more than once.
 */
export function getPipelineRuntime(
  options: { withWorkers?: boolean; renderPrompt?: RenderTaskPrompt } = {},
): Promise<PipelineRuntime> {
  const withWorkers = options.withWorkers ?? getEnv().WORKERS_IN_PROCESS;
  globalForPipeline.rankwisePipeline ??= openRuntime(withWorkers, options.renderPrompt).catch((error: unknown) => {
    globalForPipeline.rankwisePipeline = undefined;
    throw error;
  });
  return globalForPipeline.rankwisePipeline;
}

async function openRuntime(withWorkers: boolean, renderPrompt?: RenderTaskPrompt): Promise<PipelineRuntime> {
  registerBuiltInTasks();
  const handle = await getDatabase();
  const workerId = createWorkerId();
  const runtime = await createPipelineRuntime({
    handle,
    generate: generateChat,
    renderPrompt: renderPrompt ?? createPromptRenderer(),
    settings: readPipelineSettings(),
    workerId,
    log: logger.child({ component: "pipeline", workerId }),
  });
  if (withWorkers) await runtime.startWorkers();
  return runtime;
}

/** Serve route handlers with a runtime built by a test (a test database and a simulator gateway). */
export function setPipelineRuntimeForTests(runtime: PipelineRuntime | undefined): void {
  globalForPipeline.rankwisePipeline = runtime ? Promise.resolve(runtime) : undefined;
}

/** Stop the process-wide pipeline, releasing its in-flight runs to other workers. */
export async function stopPipelineRuntime(): Promise<void> {
  const pending = globalForPipeline.rankwisePipeline;
  globalForPipeline.rankwisePipeline = undefined;
  if (pending) await (await pending).stop();
}
