/** UI languages, in the order the language switch lists them; the first is the fallback. */
export const locales = ["en", "fr"] as const;
export type Locale = (typeof locales)[number];

export const defaultLocale: Locale = "en";

/** Cookie that keeps an anonymous visitor's language choice (also set when a user switches). */
export const LOCALE_COOKIE = "NEXT_LOCALE";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/**
 * Pick the supported locale the browser prefers from an `Accept-Language` header
 * (RFC 9110: comma-separated tags with optional `;q=` weights). `fr-CA` matches `fr`.
 * Returns undefined when no listed language is supported.
 */
export function negotiateLocale(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;

  const ranges = header
    .split(",")
    .map((part, position) => {
      const [tag = "", ...parameters] = part.trim().split(";");
      const quality = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith("q="));
      const weight = quality ? Number.parseFloat(quality.slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split("-")[0] ?? "", weight, position };
    })
    .filter((range) => range.language && Number.isFinite(range.weight) && range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.position - b.position);

  return ranges.map((range) => range.language).find(isLocale);
}
