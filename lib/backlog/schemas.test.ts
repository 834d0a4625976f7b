import { randomUUID } from "node:crypto";
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { runAction } from "@/lib/http/action-result";
import { localizeServerError } from "@/lib/i18n/server-errors";
import { formatZodIssues } from "@/lib/validation";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import {
  bulkItemIdsSchema,
  bulkUpdateItemsSchema,
  itemExternalIdSchema,
  MAX_BULK_ITEMS,
  rejectTooManyBulkItems,
} from "./schemas";

// biome-ignore lint/suspicious/noExplicitAny: this is the type next-intl itself uses for undeclared messages.
type UntypedMessages = Record<string, any>;

const english = createTranslator({ locale: "en", messages: en as UntypedMessages, namespace: "serverErrors" });
const french = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "serverErrors" });

const ids = (count: number) => Array.from({ length: count }, () => randomUUID());

describe("rejectTooManyBulkItems", () => {
  it("accepts a selection at the limit", () => {
    expect(() => rejectTooManyBulkItems(ids(MAX_BULK_ITEMS))).not.toThrow();
    expect(bulkItemIdsSchema.parse(ids(MAX_BULK_ITEMS))).toHaveLength(MAX_BULK_ITEMS);
  });

  it("names the count and the limit", () => {
    let thrown: unknown;
    try {
      rejectTooManyBulkItems(ids(1_111));
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    const error = thrown as AppError;
    expect(error.status).toBe(400);
    expect(error.message).toContain("at most 1000");
    expect(error.details).toEqual({ field: "itemIds", reason: "too_many_items", params: { count: 1_111, max: 1000 } });
  });

  it("reaches the page as a localized message", async () => {
    const result = await runAction("test.bulk", async () => rejectTooManyBulkItems(ids(1_111)));
    if (result.ok) throw new Error("expected the action to fail");

    expect(localizeServerError(result.error, english)).toBe(
      "1,111 items are selected, but one bulk action changes at most 1,000. Select fewer items and try again.",
    );
    expect(localizeServerError(result.error, french)).toContain("1\u202f000 au plus");
  });

  it("ignores values that are not arrays", () => {
    expect(() => rejectTooManyBulkItems(undefined)).not.toThrow();
    expect(() => rejectTooManyBulkItems("not a list")).not.toThrow();
  });
});

describe("bulkUpdateItemsSchema", () => {
  it("names the limit for too many ids", () => {
    const parsed = bulkUpdateItemsSchema.safeParse({ itemIds: ids(MAX_BULK_ITEMS + 1), status: "done" });
    if (parsed.success) throw new Error("expected the schema to reject the ids");

    expect(formatZodIssues(parsed.error).message).toContain("itemIds: must list at most 1000 items");
  });
});

describe("itemExternalIdSchema", () => {
  it("rejects an id shaped like an item number", () => {
    const result = itemExternalIdSchema.safeParse("#12");

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("names items by number");
  });

  it("accepts ids with a # elsewhere", () => {
    expect(itemExternalIdSchema.parse("A#12")).toBe("A#12");
    expect(itemExternalIdSchema.parse("#A12")).toBe("#A12");
  });
});
