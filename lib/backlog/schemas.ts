import { z } from "zod";
import { iceModes, inputSources, itemStatuses } from "@/db/schema";
import { badRequest } from "@/lib/errors";
import { describeScale, frameworks, type InputName, inputNames, isValidInputValue } from "@/lib/prioritization/scales";
import { MAX_POSTGRES_INTEGER, strictObjectWithFieldList } from "@/lib/validation";

/** Field limits shared by forms, the REST API and CSV import. */
export const ITEM_LIMITS = {
  title: 300,
  description: 20_000,
  theme: 100,
  externalId: 64,
  link: 2_000,
  links: 20,
  reason: 1_000,
} as const;

export const itemTitleSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(ITEM_LIMITS.title, `must be at most ${ITEM_LIMITS.title} characters`);
export const itemDescriptionSchema = z
  .string()
  .max(ITEM_LIMITS.description, `must be at most ${ITEM_LIMITS.description} characters`);
/** A theme; blank text means "no theme" and becomes null. */
export const itemThemeSchema = z
  .string()
  .trim()
  .max(ITEM_LIMITS.theme, `must be at most ${ITEM_LIMITS.theme} characters`)
  .nullable()
  .transform((value) => (value ? value : null));
/**
 * An item's own id, such as `A01`. `#` and digits are how items are named by number (`#12`), so
 * such an id would name another item.
 */
export const itemExternalIdSchema = z
  .string()
  .trim()
  .max(ITEM_LIMITS.externalId, `must be at most ${ITEM_LIMITS.externalId} characters`)
  .refine(
    (value) => !/^#\d+$/.test(value),
    "must not be # followed by digits, which names items by number; use an id such as A12",
  )
  .nullable()
  .transform((value) => (value ? value : null));
export const itemStatusSchema = z.enum(itemStatuses);
/** Check that a link is an absolute http or https URL without spaces, as items store them. */
export function isHttpLink(value: string): boolean {
  return /^https?:\/\/\S+$/i.test(value) && URL.canParse(value);
}

export const itemLinkSchema = z
  .string()
  .trim()
  .max(ITEM_LIMITS.link)
  .refine(isHttpLink, "must be an http or https URL");
export const itemLinksSchema = z
  .array(itemLinkSchema)
  .max(ITEM_LIMITS.links, `must have at most ${ITEM_LIMITS.links} links`);

/** An item version as the client last read it. The column is an int4, so larger values are rejected here. */
export const itemVersionSchema = z.number().int().min(1).max(MAX_POSTGRES_INTEGER);

export const inputNameSchema = z.enum(inputNames as [InputName, ...InputName[]]);
export const frameworkSchema = z.enum(frameworks);
export const iceModeSchema = z.enum(iceModes);
export const inputSourceSchema = z.enum(inputSources);

/** Body of an item create. An unknown key is a 400, so a misspelt field is not dropped. */
export const createItemSchema = strictObjectWithFieldList({
  title: itemTitleSchema,
  description: itemDescriptionSchema.default(""),
  theme: itemThemeSchema.default(null),
  status: itemStatusSchema.default("idea"),
  links: itemLinksSchema.default([]),
  externalId: itemExternalIdSchema.default(null),
});
export type CreateItem = z.infer<typeof createItemSchema>;

/** Body of an item edit. An unknown key is a 400, so a misspelt field is not dropped. */
export const updateItemSchema = strictObjectWithFieldList({
  /** The version the client last read; a different current version is a 409 conflict. */
  version: itemVersionSchema,
  title: itemTitleSchema.optional(),
  description: itemDescriptionSchema.optional(),
  theme: itemThemeSchema.optional(),
  status: itemStatusSchema.optional(),
  links: itemLinksSchema.optional(),
  externalId: itemExternalIdSchema.optional(),
});
export type UpdateItem = z.infer<typeof updateItemSchema>;

/** Maximum number of items that one bulk edit, delete or restore changes. */
export const MAX_BULK_ITEMS = 1000;

/** Item ids of a bulk edit, delete or restore. */
export const bulkItemIdsSchema = z
  .array(z.uuid())
  .min(1)
  .max(MAX_BULK_ITEMS, `must list at most ${MAX_BULK_ITEMS} items; select fewer items and try again`);

/**
 * Throw a 400 `too_many_items` error, with the count and the limit as message values, when
 * `itemIds` is an array longer than MAX_BULK_ITEMS. Run it before the zod schema, whose error
 * the UI can only show as an invalid `itemIds` field.
 */
export function rejectTooManyBulkItems(itemIds: unknown): void {
  if (!Array.isArray(itemIds) || itemIds.length <= MAX_BULK_ITEMS) return;
  throw badRequest(
    `${itemIds.length} items were sent, but one bulk action changes at most ${MAX_BULK_ITEMS}. Select fewer items and try again.`,
    { field: "itemIds", reason: "too_many_items", params: { count: itemIds.length, max: MAX_BULK_ITEMS } },
  );
}

export const bulkUpdateItemsSchema = strictObjectWithFieldList({
  itemIds: bulkItemIdsSchema,
  theme: itemThemeSchema.optional(),
  status: itemStatusSchema.optional(),
}).refine((value) => value.theme !== undefined || value.status !== undefined, {
  message: "set theme, status or both",
  path: ["theme"],
});
export type BulkUpdateItems = z.infer<typeof bulkUpdateItemsSchema>;

/**
 * A PM value for one input. Null clears the PM value, so the AI or import value applies again. An
 * unknown key is a 400, so that a misspelt `version` does not skip the version check.
 */
export const setInputBodySchema = strictObjectWithFieldList({
  value: z.number().nullable(),
  /** The item version the client last read; when given, a different current version is a 409 conflict. */
  version: itemVersionSchema.optional(),
  reason: z
    .string()
    .trim()
    .min(1, "is required: say why you set this value")
    .max(ITEM_LIMITS.reason, `must be at most ${ITEM_LIMITS.reason} characters`),
});
export type SetInputBody = z.infer<typeof setInputBodySchema>;

/** Check a value against its input's scale; returns the error message, or null when valid. */
export function checkInputValue(input: InputName, value: number): string | null {
  if (isValidInputValue(input, value)) return null;
  return `expected ${describeScale(input)} for ${input}, got ${value}`;
}

const listOf = <Schema extends z.ZodType>(schema: Schema) =>
  z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(schema).optional());

const missingInputFilters = [...inputNames, "any"] as const;
/** One value of the `missing` filter; an error lists the allowed names. */
const missingInputFilterSchema = z.enum(missingInputFilters, {
  error: `expected an input name or any: one of ${missingInputFilters.join(", ")}`,
});

/** Backlog filters, as query parameters (repeat a key to pass several values). */
export const itemFiltersSchema = z.object({
  search: z.string().trim().max(200).optional(),
  theme: listOf(z.string().max(ITEM_LIMITS.theme)),
  status: listOf(itemStatusSchema),
  /** Items with at least one effective input from one of these sources. */
  source: listOf(inputSourceSchema),
  /** Items missing one of these inputs; `any` means any input of the chosen framework. */
  missing: listOf(missingInputFilterSchema),
  deleted: z.enum(["exclude", "only", "include"]).default("exclude"),
});
export type ItemFilters = z.infer<typeof itemFiltersSchema>;
