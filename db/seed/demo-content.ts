import type { Db } from "@/db/client";

/**
 * Seed a workspace with the demo backlog (`db/seed/backlog-en.csv`) and its customer feedback
 * (`db/seed/feedback-en.jsonl`), created by `userId`. Runs inside the caller's transaction.
 * `limit` seeds only the first N backlog items and their feedback (a small second workspace).
 */
export async function seedDemoContent(
  _db: Db,
  _params: { workspaceId: string; userId: string; limit?: number },
): Promise<void> {
  // TODO: the backlog owner writes the body (items, imported inputs and feedback documents).
}
