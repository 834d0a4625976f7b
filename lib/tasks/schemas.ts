import { z } from "zod";
import { describeScale, type InputName, inputNames, isValidInputValue } from "@/lib/prioritization/scales";

/**
 * Output schemas of the model tasks, by the name that prompt manifests (`prompts/<key>.json`) use.
 * Field names are snake_case because they are what the model writes.
 */

const evidenceIds = z.array(z.string().min(1)).max(10).describe("ids of evidence items given in the prompt");

export const inputProposalSchema = z
  .object({
    input: z.enum(inputNames as [InputName, ...InputName[]]),
    value: z.number().nullable().describe("proposed value on the input's scale; null with insufficient_evidence"),
    rationale: z.string().min(1).max(800).describe("one to three sentences that mention the item"),
    evidence_ids: evidenceIds,
    insufficient_evidence: z.boolean(),
  })
  .superRefine((proposal, context) => {
    if (proposal.insufficient_evidence) return;
    if (proposal.value === null) {
      context.addIssue({
        code: "custom",
        path: ["value"],
        message: "expected a number unless insufficient_evidence is true",
      });
      return;
    }
    if (!isValidInputValue(proposal.input, proposal.value)) {
      context.addIssue({
        code: "custom",
        path: ["value"],
        message: `expected ${describeScale(proposal.input)} for ${proposal.input}, got ${proposal.value}`,
      });
    }
  });
export type InputProposal = z.infer<typeof inputProposalSchema>;

export const prioritizationProposalsSchema = z.object({
  items: z.array(
    z.object({
      item_id: z.string().min(1).describe("the id of a backlog item given in the prompt"),
      proposals: z.array(inputProposalSchema),
    }),
  ),
});
export type PrioritizationProposals = z.infer<typeof prioritizationProposalsSchema>;

export const feedbackSummarySchema = z.object({
  theme: z.string().min(1),
  summary: z.string().min(1).max(2000),
  asks: z.array(z.object({ text: z.string().min(1).max(500), evidence_ids: evidenceIds })).max(20),
  snippet_count: z.number().int().min(0),
  affected: z.string().max(500).describe("who is affected, in plain words"),
});
export type FeedbackSummary = z.infer<typeof feedbackSummarySchema>;

export const itemSuggestionsSchema = z.object({
  suggestions: z
    .array(
      z.object({
        title: z.string().min(3).max(200),
        description: z.string().min(1).max(2000),
        theme: z.string().min(1).max(100),
        evidence_ids: evidenceIds.min(1),
      }),
    )
    .max(10),
});
export type ItemSuggestions = z.infer<typeof itemSuggestionsSchema>;

/** Registry used by prompt manifests (`outputSchema`) and by the pipeline; `null` means free text. */
export const outputSchemas = {
  prioritization_proposals: prioritizationProposalsSchema,
  feedback_summary: feedbackSummarySchema,
  item_suggestions: itemSuggestionsSchema,
} as const;
export type OutputSchemaName = keyof typeof outputSchemas;
export const outputSchemaNames = Object.keys(outputSchemas) as OutputSchemaName[];
