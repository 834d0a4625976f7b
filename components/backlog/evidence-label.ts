import { truncateText } from "@/lib/text";

/** Characters of a document title shown in an evidence chip. */
const CHIP_TITLE_CHARS = 40;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Return the text of an evidence chip: the cited id, such as `AF012`. A document without an
 * external id is cited by its uuid, which means nothing to a reader, so its title is shown, or
 * the uuid's first 8 characters once the document is gone.
 */
export function formatEvidenceLabel(id: string, document?: { documentId: string; title: string }): string {
  if (!UUID_PATTERN.test(id)) return id;
  if (!document) return `${id.slice(0, 8)}…`;
  return truncateText(document.title, CHIP_TITLE_CHARS);
}
