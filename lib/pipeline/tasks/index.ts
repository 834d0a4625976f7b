import { feedbackSummaryTask, itemSuggestionsTask } from "@/lib/feedback/tasks";
import { prioritizationTask } from "@/lib/prioritization/ai-task";
import { promptTestTasks } from "@/lib/prompt-admin/test-task";
import { registerTasks } from "../task";

/**
 * Register the tasks that runs may use, in every process that starts or executes runs. Add a task
 * here by importing its definition and listing it in `registerTasks`.
 */
export function registerBuiltInTasks(): void {
  registerTasks(prioritizationTask, feedbackSummaryTask, itemSuggestionsTask, ...promptTestTasks);
}
