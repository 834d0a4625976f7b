/**
 * Links into the chat, for the Explain buttons on items. Client-safe: no server imports.
 * The chat page asks `question` at once in a new conversation, and shows the score breakdown of
 * `items` (short ids such as `A01` or `#12`), which the answer's ranking context always includes.
 */
export function chatUrlForQuestion(workspaceId: string, question: string, items: readonly string[] = []): string {
  const params = new URLSearchParams({ q: question });
  if (items.length > 0) params.set("items", items.join(","));
  return `/w/${workspaceId}/chat?${params.toString()}`;
}

/** Return the chat page's URL, optionally on one conversation. */
export function chatUrl(workspaceId: string, conversationId?: string): string {
  return conversationId ? `/w/${workspaceId}/chat?c=${conversationId}` : `/w/${workspaceId}/chat`;
}

/** Parse the `items` query parameter of the chat page: up to 10 short ids. */
export function parseFocusItems(value: string | string[] | undefined): string[] {
  const raw = Array.isArray(value) ? value.join(",") : (value ?? "");
  return raw
    .split(",")
    .map((ref) => ref.trim())
    .filter((ref) => /^(#\d{1,9}|[\w.-]{1,64})$/.test(ref))
    .slice(0, 10);
}
