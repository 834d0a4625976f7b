import { registerTasks } from "../task";

/**
 * Register the tasks that runs may use, in every process that starts or executes runs. Add a task
 * here by importing its definition and listing it in `registerTasks`.
 */
export function registerBuiltInTasks(): void {
  registerTasks();
}
