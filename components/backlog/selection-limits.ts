import { MAX_BULK_ITEMS } from "@/lib/backlog/schemas";

/**
 * Maximum selection that "Prioritize the selection with AI" passes in its `?items=` URL. Each id
 * takes 37 characters, so the ids fill about 3.7 KB: well under the 8 KB request line that nginx
 * accepts by default (`large_client_header_buffers 4 8k`) and under Node's default 16 KiB limit
 * on all request headers, cookies included (`--max-http-header-size`).
 */
export const MAX_PRIORITIZE_LINK_ITEMS = 100;

/** Actions of the bulk bar that a selection of `count` items may use. */
export interface SelectionLimits {
  /** Bulk theme and status edits and delete, which send every id to the server. */
  canChange: boolean;
  canPrioritize: boolean;
}

export function checkSelectionLimits(count: number): SelectionLimits {
  return { canChange: count <= MAX_BULK_ITEMS, canPrioritize: count <= MAX_PRIORITIZE_LINK_ITEMS };
}

/** Return the prioritize page's URL with the selection, or null when the selection is too large for a URL. */
export function prioritizeSelectionHref(workspaceId: string, itemIds: readonly string[]): string | null {
  if (itemIds.length === 0 || !checkSelectionLimits(itemIds.length).canPrioritize) return null;
  return `/w/${workspaceId}/prioritize?items=${itemIds.join(",")}`;
}
