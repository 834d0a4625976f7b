/**
 * URL policy of model output: links are kept only when they are absolute http(s) URLs, or the
 * `#source-n` anchors that `linkCitations` writes for citations. Everything else (javascript:,
 * data:, relative paths, mailto:) loses its href, so a link in an answer cannot run code or
 * navigate inside the app.
 */
export function sanitizeAnswerUrl(url: string): string | null {
  if (/^#source-\d{1,3}$/.test(url)) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Read the source number of a citation anchor; undefined for any other link. */
export function citationNumber(href: string | undefined): number | undefined {
  const match = href?.match(/^#source-(\d{1,3})$/);
  return match ? Number(match[1]) : undefined;
}

/**
 * Turn `[n]` citations of known sources into markdown links to `#source-n`, outside code spans
 * and fences. A number that is not among `known` stays plain text; the server has already removed
 * such numbers, so this only guards against stored answers from before a source was deleted.
 */
export function linkCitations(text: string, known: ReadonlySet<number>): string {
  const parts = text.split(/(```[\s\S]*?```|`[^`\n]*`)/);
  return parts
    .map((part, index) => {
      if (index % 2 === 1) return part;
      return part.replace(/\[(\d{1,3})\](?!\()/g, (whole, number: string) =>
        known.has(Number(number)) ? `[[${number}]](#source-${number})` : whole,
      );
    })
    .join("");
}
