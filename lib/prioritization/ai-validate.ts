import type { ProposalInput } from "@/lib/backlog/inputs";
import type { PrioritizationProposals } from "@/lib/tasks/schemas";
import type { PrioritizationBatchInput } from "./ai-inputs";
import type { InputName } from "./scales";

/**
 * Checks of a validated `prioritization_proposals` answer against its prompt, beyond the schema
 * (which already checked scales). The policy is to keep what can be trusted and drop the rest,
 * so one bad citation never costs a batch its other proposals:
 * - a cited evidence id that was not in the prompt's evidence block is removed from the proposal;
 * - a proposal with a value whose every citation was unknown is dropped, because the evidence
 *   behind the value does not exist (the input stays missing for the PM or the next run);
 * - proposals for items not in the batch, for inputs not requested, or repeated are dropped.
 */

/** What the batch's prompt contained: each item's requested inputs, and the evidence ids shown. */
export interface PromptScope {
  items: Map<string, { itemId: string; missing: ReadonlySet<InputName> }>;
  evidenceIds: ReadonlySet<string>;
}

export type DropReason = "unknown_item" | "not_requested" | "duplicate" | "unknown_evidence_only";

export interface ProposalFilterReport {
  /** Evidence ids removed from kept proposals or behind dropped ones, each once. */
  unknownEvidenceIds: string[];
  dropped: Array<{ ref: string; input: string; reason: DropReason }>;
}

/** Read the scope from the rendered variables: `backlog_items` refs and `missing`, `evidence` ids. */
export function readPromptScope(variables: Record<string, unknown>, batch: PrioritizationBatchInput): PromptScope {
  const idsByRef = new Map(batch.items.map((item) => [item.ref, item.itemId]));
  const items: PromptScope["items"] = new Map();
  for (const entry of asArray(variables.backlog_items)) {
    const ref = typeof entry.id === "string" ? entry.id : undefined;
    const itemId = ref ? idsByRef.get(ref) : undefined;
    if (!ref || !itemId) continue;
    const missing = Array.isArray(entry.missing) ? (entry.missing as InputName[]) : [];
    items.set(ref, { itemId, missing: new Set(missing) });
  }
  const evidenceIds = new Set(
    asArray(variables.evidence).flatMap((entry) => (typeof entry.id === "string" ? [entry.id] : [])),
  );
  return { items, evidenceIds };
}

function asArray(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.filter((entry): entry is Record<string, unknown> => typeof entry === "object" && entry !== null);
}

/** Apply the policy above; returns the proposals to store and what was removed. */
export function filterProposals(
  output: PrioritizationProposals,
  scope: PromptScope,
): { proposals: ProposalInput[]; report: ProposalFilterReport } {
  const proposals: ProposalInput[] = [];
  const unknownEvidence = new Set<string>();
  const dropped: ProposalFilterReport["dropped"] = [];
  const seen = new Set<string>();

  for (const entry of output.items) {
    const item = scope.items.get(entry.item_id);
    for (const proposal of entry.proposals) {
      const drop = (reason: DropReason) => dropped.push({ ref: entry.item_id, input: proposal.input, reason });
      if (!item) {
        drop("unknown_item");
        continue;
      }
      if (!item.missing.has(proposal.input)) {
        drop("not_requested");
        continue;
      }
      const key = `${entry.item_id}:${proposal.input}`;
      if (seen.has(key)) {
        drop("duplicate");
        continue;
      }
      seen.add(key);

      const cited = [...new Set(proposal.evidence_ids)];
      const known = cited.filter((id) => scope.evidenceIds.has(id));
      for (const id of cited) if (!scope.evidenceIds.has(id)) unknownEvidence.add(id);
      const value = proposal.insufficient_evidence ? null : proposal.value;
      if (value !== null && cited.length > 0 && known.length === 0) {
        drop("unknown_evidence_only");
        continue;
      }
      proposals.push({
        itemId: item.itemId,
        input: proposal.input,
        value,
        rationale: proposal.rationale,
        evidenceIds: known,
      });
    }
  }
  return { proposals, report: { unknownEvidenceIds: [...unknownEvidence], dropped } };
}

/** A stored proposal as far as `describeFilteredOutput` needs it. */
export interface StoredProposalRef {
  itemId: string;
  input: string;
  evidenceIds: string[];
}

/**
 * Reconstruct, from a batch's validated output and the proposals stored for it, what the filter
 * removed, so a run page can show it without storing a second copy. The reason of a drop that is
 * neither an unknown item, an unrequested input nor a repeat is the unknown-evidence rule.
 * NOTE: "requested" here means planned for the batch. An input a PM set between planning and the
 * batch's execution was left out of the prompt, so its dropped proposal is reported as relying on
 * unknown evidence instead of as not requested.
 */
export function describeFilteredOutput(
  output: PrioritizationProposals,
  batch: PrioritizationBatchInput,
  stored: readonly StoredProposalRef[],
): ProposalFilterReport {
  const byRef = new Map(batch.items.map((item) => [item.ref, item]));
  const storedByKey = new Map(stored.map((row) => [`${row.itemId}:${row.input}`, row]));
  const unknownEvidence = new Set<string>();
  const dropped: ProposalFilterReport["dropped"] = [];
  const seen = new Set<string>();

  for (const entry of output.items) {
    const item = byRef.get(entry.item_id);
    for (const proposal of entry.proposals) {
      const drop = (reason: DropReason) => dropped.push({ ref: entry.item_id, input: proposal.input, reason });
      if (!item) {
        drop("unknown_item");
        continue;
      }
      const key = `${item.itemId}:${proposal.input}`;
      const row = storedByKey.get(key);
      if (seen.has(key)) drop("duplicate");
      else if (!item.propose.includes(proposal.input)) drop("not_requested");
      else if (!row) {
        drop("unknown_evidence_only");
        for (const id of proposal.evidence_ids) unknownEvidence.add(id);
      } else {
        for (const id of proposal.evidence_ids) if (!row.evidenceIds.includes(id)) unknownEvidence.add(id);
      }
      seen.add(key);
    }
  }
  return { unknownEvidenceIds: [...unknownEvidence], dropped };
}
