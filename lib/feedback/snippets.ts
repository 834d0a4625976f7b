import type { Db } from "@/db/client";
import { listBacklogItems } from "@/db/queries/backlog";
import { listDocuments } from "@/db/queries/documents";
import { truncateText } from "@/lib/text";

/** A customer-feedback document as the feedback tasks and pages use it. */
export interface FeedbackSnippet {
  documentId: string;
  /** Citation id shown in prompts: the external id such as `AF012`, else the uuid. */
  id: string;
  title: string;
  text: string;
  sourceUrl: string | null;
  itemId: string | null;
}

export interface FeedbackTheme {
  /** The theme of the items the snippets are linked to; null for snippets linked to no live item. */
  theme: string | null;
  snippets: FeedbackSnippet[];
}

/** Theme name that prompts use for the feedback linked to no themed item. */
export const UNSORTED_THEME = "Unsorted feedback";

/** Maximum length of a snippet's text in a prompt, in characters. */
export const MAX_FEEDBACK_CHARS = 1200;

/** Snippets per theme sent to the model, oldest first; a summary of more would not fit a prompt. */
export const MAX_SNIPPETS_PER_THEME = 80;

/**
 * Group the workspace's live feedback documents by the theme of their linked item: themes by
 * name, then the snippets of items without a theme or without a live item, as one group.
 */
export async function listFeedbackByTheme(db: Db, params: { workspaceId: string }): Promise<FeedbackTheme[]> {
  const [documents, items] = await Promise.all([
    listDocuments(db, { workspaceId: params.workspaceId, kinds: ["feedback"] }),
    listBacklogItems(db, { workspaceId: params.workspaceId }),
  ]);
  const themeOfItem = new Map(items.map((item) => [item.id, item.theme]));

  const groups = new Map<string | null, FeedbackSnippet[]>();
  for (const document of documents) {
    const theme = document.itemId ? (themeOfItem.get(document.itemId) ?? null) : null;
    const list = groups.get(theme) ?? [];
    list.push({
      documentId: document.id,
      id: document.externalId ?? document.id,
      title: document.title,
      text: document.content,
      sourceUrl: document.sourceUrl,
      itemId: document.itemId,
    });
    groups.set(theme, list);
  }

  return [...groups.entries()]
    .map(([theme, snippets]) => ({ theme, snippets }))
    .sort((a, b) => {
      if (a.theme === null) return b.theme === null ? 0 : 1;
      if (b.theme === null) return -1;
      return a.theme.localeCompare(b.theme, "en");
    });
}

/** Build the `<feedback>` objects of a prompt: id and text, cut to MAX_FEEDBACK_CHARS. */
export function toPromptFeedback(snippets: readonly FeedbackSnippet[]): Array<{ id: string; text: string }> {
  return snippets.slice(0, MAX_SNIPPETS_PER_THEME).map((snippet) => ({
    id: snippet.id,
    text: truncateText(snippet.text, MAX_FEEDBACK_CHARS),
  }));
}

/** Select themes by name; an empty string selects the unsorted group. Undefined selects all. */
export function selectThemes(groups: readonly FeedbackTheme[], themes: readonly string[] | undefined): FeedbackTheme[] {
  if (!themes) return [...groups];
  const wanted = new Set(themes);
  return groups.filter((group) => wanted.has(group.theme ?? ""));
}
