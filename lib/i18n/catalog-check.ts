/** Problems found when comparing a translation catalog with the reference catalog. */
export interface CatalogProblem {
  key: string;
  problem: "missing" | "extra" | "empty" | "not_a_string" | "placeholders_differ";
  detail?: string;
}

type Catalog = Record<string, unknown>;

/** Flatten nested messages to dotted keys: `{ auth: { signIn: { title } } }` → `auth.signIn.title`. */
export function flattenCatalog(catalog: Catalog, prefix = ""): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [childKey, childValue] of flattenCatalog(value as Catalog, path)) flat.set(childKey, childValue);
    } else {
      flat.set(path, value);
    }
  }
  return flat;
}

/** Argument names of an ICU message, such as `workspace` in `Items of {workspace}`. */
export function extractPlaceholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z_][\w]*)/g)].map((match) => match[1] ?? ""))].sort();
}

/**
 * Compare a catalog with the reference: every key on both sides, every value a non-empty string,
 * and the same ICU arguments in both translations of a message.
 */
export function compareCatalogs(reference: Catalog, translation: Catalog): CatalogProblem[] {
  const expected = flattenCatalog(reference);
  const actual = flattenCatalog(translation);
  const problems: CatalogProblem[] = [];

  for (const [key, value] of actual) {
    if (!expected.has(key)) problems.push({ key, problem: "extra" });
    if (typeof value !== "string") problems.push({ key, problem: "not_a_string" });
    else if (value.trim() === "") problems.push({ key, problem: "empty" });
  }
  for (const [key, value] of expected) {
    const translated = actual.get(key);
    if (translated === undefined) {
      problems.push({ key, problem: "missing" });
      continue;
    }
    if (typeof value !== "string" || typeof translated !== "string") continue;
    const want = extractPlaceholders(value).join(",");
    const got = extractPlaceholders(translated).join(",");
    if (want !== got)
      problems.push({ key, problem: "placeholders_differ", detail: `expected {${want}}, found {${got}}` });
  }
  return problems;
}
