import { z } from "zod";
import { inputSources, itemStatuses } from "@/db/schema";
import { frameworkSchema, iceModeSchema, inputNameSchema, itemFiltersSchema } from "@/lib/backlog/schemas";
import { type BacklogEntry, type BacklogRanking, type BacklogRow, formatItemRef } from "@/lib/backlog/view";
import { quadrants } from "@/lib/prioritization/quadrants";
import { type Framework, frameworks } from "@/lib/prioritization/scales";

// Response bodies of the v1 backlog routes; the OpenAPI document is generated from these schemas.

export const effectiveInputResponseSchema = z.object({
  value: z.number(),
  source: z.enum(inputSources),
  rationale: z.string().nullable().describe("the PM's reason or the model's rationale"),
  evidenceIds: z.array(z.string()).describe("ids of the cited documents, such as AF012"),
  runId: z.string().nullable(),
  effectiveAt: z.iso.datetime(),
});

export const itemResponseSchema = z.object({
  id: z.uuid(),
  number: z.number().int().describe("per-workspace number shown as #12"),
  ref: z.string().describe("short id: the external id such as A01, else #12"),
  externalId: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  theme: z.string().nullable(),
  status: z.enum(itemStatuses),
  links: z.array(z.string()),
  version: z.number().int().describe("send it back with PATCH; a newer version on the server is a 409"),
  inputs: z.partialRecord(inputNameSchema, effectiveInputResponseSchema).describe("effective value per input"),
  pendingProposals: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  deletedAt: z.iso.datetime().nullable(),
});
export type ItemResponse = z.infer<typeof itemResponseSchema>;

const byFramework = <Schema extends z.ZodType>(schema: Schema) =>
  z.object(Object.fromEntries(frameworks.map((framework) => [framework, schema])) as Record<Framework, Schema>);

export const rankedItemResponseSchema = z.object({
  rank: z.number().int().nullable().describe("rank in the chosen framework; null when the item needs input"),
  scores: byFramework(z.number().nullable()),
  ranks: byFramework(z.number().int().nullable()),
  rankDifferences: byFramework(z.number().int().nullable()).describe("other framework's rank minus this rank"),
  missing: z.array(inputNameSchema).describe("inputs of the chosen framework that are missing or invalid"),
  quadrant: z.enum(quadrants).nullable(),
  value: z.number().nullable().describe("value axis of the value vs effort chart"),
  effort: z.number().nullable().describe("effort axis of the value vs effort chart"),
  item: itemResponseSchema,
});

export const rankingResponseSchema = z.object({
  framework: frameworkSchema,
  iceMode: iceModeSchema,
  ranked: z.array(rankedItemResponseSchema),
  needsInput: z.array(rankedItemResponseSchema),
  /** Entries of each list before `limit` and `offset`. */
  total: z.object({ ranked: z.number().int(), needsInput: z.number().int() }),
});

export const itemListResponseSchema = z.object({
  items: z.array(itemResponseSchema.extend({ rank: z.number().int().nullable() })),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const listItemsQuerySchema = itemFiltersSchema.extend({
  framework: frameworkSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const rankingQuerySchema = itemFiltersSchema
  .omit({ deleted: true })
  .extend({
    framework: frameworkSchema.optional(),
    iceMode: iceModeSchema.optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe("at most this many entries, counted over the ranked items and then the items that need input"),
    offset: z.coerce.number().int().min(0).default(0).describe("entries to skip, counted the same way"),
    at: z.iso
      .datetime({ offset: true, error: "expected an ISO 8601 time such as 2026-01-31T09:00:00Z" })
      .optional()
      .describe("the ranking as it was at this time, from the input and deletion history"),
  })
  .strict();

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

export const importQuerySchema = z.object({
  skipInvalid: flag.default(false).describe("import the valid rows and leave out the invalid ones"),
  dryRun: flag.default(false).describe("check and count, write nothing"),
  onExisting: z
    .enum(["update", "skip", "error"])
    .default("update")
    .describe("rows whose Rankwise id or id matches a live item"),
  mapping: z
    .string()
    .optional()
    .describe('JSON object from field to header name, such as {"title":"Name"}; guessed from headers when absent'),
});

export const exportQuerySchema = z.object({ framework: frameworkSchema.optional(), iceMode: iceModeSchema.optional() });

export function toItemResponse(row: BacklogRow): ItemResponse {
  const inputs: ItemResponse["inputs"] = {};
  for (const [name, input] of Object.entries(row.inputs) as [
    keyof ItemResponse["inputs"],
    NonNullable<BacklogRow["inputs"][keyof BacklogRow["inputs"]]>,
  ][]) {
    inputs[name] = {
      value: input.value,
      source: input.source,
      rationale: input.rationale,
      evidenceIds: input.evidenceIds,
      runId: input.runId,
      effectiveAt: input.effectiveAt.toISOString(),
    };
  }
  return {
    id: row.id,
    number: row.number,
    ref: formatItemRef(row),
    externalId: row.externalId,
    title: row.title,
    description: row.description,
    theme: row.theme,
    status: row.status,
    links: row.links,
    version: row.version,
    inputs,
    pendingProposals: row.pendingProposals,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

function mapFrameworks<Value>(read: (framework: Framework) => Value): Record<Framework, Value> {
  return Object.fromEntries(frameworks.map((framework) => [framework, read(framework)])) as Record<Framework, Value>;
}

export function toRankedItemResponse(entry: BacklogEntry): z.infer<typeof rankedItemResponseSchema> {
  const placement = entry.valueEffort;
  return {
    rank: entry.rank,
    scores: mapFrameworks((framework) => {
      const score = entry.scores[framework];
      return score.status === "scored" ? score.score : null;
    }),
    ranks: entry.ranks,
    rankDifferences: entry.rankDifferences,
    missing: entry.missing,
    quadrant: placement.status === "placed" ? placement.quadrant : null,
    value: placement.status === "placed" ? placement.value : null,
    effort: placement.status === "placed" ? placement.effort : null,
    item: toItemResponse(entry.item),
  };
}

/**
 * Build the ranking response. A page (`offset`, then at most `limit` entries) runs over the
 * ranked items first and continues into the items that need input, so pages in a row return
 * every entry once, in the order of the whole response.
 */
export function toRankingResponse(
  ranking: BacklogRanking,
  page: { limit?: number; offset?: number } = {},
): z.infer<typeof rankingResponseSchema> {
  const offset = page.offset ?? 0;
  const end = page.limit === undefined ? Number.POSITIVE_INFINITY : offset + page.limit;
  const rankedCount = ranking.ranked.length;
  return {
    framework: ranking.framework,
    iceMode: ranking.iceMode,
    ranked: ranking.ranked.slice(offset, end).map(toRankedItemResponse),
    needsInput: ranking.needsInput
      .slice(Math.max(0, offset - rankedCount), Math.max(0, end - rankedCount))
      .map(toRankedItemResponse),
    total: { ranked: rankedCount, needsInput: ranking.needsInput.length },
  };
}
