import type { AuditEntry } from "@/db/queries/backlog";
import type { ItemInput } from "@/db/schema";

/**
 * Build the audit row of a reviewed proposal. `settledBy` names the PM value (`overriddenBy`) or
 * the accepted proposal (`supersededBy`) that settled it without a review of its own.
 */
export function proposalAuditEntry(
  params: { workspaceId: string; actorId: string },
  action: "accept" | "reject",
  proposal: ItemInput,
  settledBy?: { overriddenBy: string } | { supersededBy: string },
): AuditEntry {
  return {
    workspaceId: params.workspaceId,
    actorId: params.actorId,
    action: `proposal.${action}`,
    entityType: "item_input",
    entityId: proposal.id,
    after: {
      itemId: proposal.itemId,
      input: proposal.input,
      value: proposal.value,
      runId: proposal.runId,
      ...settledBy,
    },
  };
}
