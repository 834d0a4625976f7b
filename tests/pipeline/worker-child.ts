import { logger } from "@/lib/logger";
import { createPromptRenderer } from "@/lib/pipeline/prompt";
import { registerTasks } from "@/lib/pipeline/task";
import { runWorkerProcess } from "@/lib/pipeline/worker-process";
import { loadPromptCacheFromDefinitions, PromptCache } from "@/lib/prompts/cache";
import { testPrompts, testTask } from "./test-task";

/** `npm run worker` with the test task and prompts, started as a child process by the worker-kill test. */
const cache = new PromptCache();
loadPromptCacheFromDefinitions(testPrompts, cache);
registerTasks(testTask);

runWorkerProcess({ renderPrompt: createPromptRenderer({ cache }) }).catch((error: unknown) => {
  logger.fatal({ err: error }, "test worker failed to start");
  process.exit(1);
});
