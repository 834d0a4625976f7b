/** Problems found when comparing a translation catalog with the reference catalog. */
export interface CatalogProblem {
  key: string;
  problem: "missing" | "extra" | "empty" | "not_a_string" | "placeholders_differ" | "tags_differ";
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

/**
 * Return the argument names of an ICU message, such as `workspace` in `Items of {workspace}`.
 * A name counts only when `}` or `,` follows it, so plural branch text such as
 * `{Select all # items}` is not taken for an argument. A branch that is one bare word (`{items}`) still is.
 */
export function extractPlaceholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)].map((match) => match[1] ?? ""))].sort();
}

/** Return the rich-text tag names of a message, such as `value` in `Role: <value>{role}</value>`. */
export function extractTags(message: string): string[] {
  return [...new Set([...message.matchAll(/<([A-Za-z][\w-]*)>/g)].map((match) => match[1] ?? ""))].sort();
}

/**
 * Compare a catalog with the reference: every key on both sides, every value a non-empty string,
 * and the same ICU arguments and rich-text tags in both translations of a message.
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
    if (typeof value === "string" && typeof translated === "string") {
      problems.push(...compareMessages(key, value, translated));
    }
  }
  return problems;
}

function compareMessages(key: string, reference: string, translation: string): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const wantArguments = extractPlaceholders(reference).join(",");
  const gotArguments = extractPlaceholders(translation).join(",");
  if (wantArguments !== gotArguments) {
    problems.push({
      key,
      problem: "placeholders_differ",
      detail: `expected {${wantArguments}}, found {${gotArguments}}`,
    });
  }
  const wantTags = extractTags(reference).join(",");
  const gotTags = extractTags(translation).join(",");
  if (wantTags !== gotTags) {
    problems.push({ key, problem: "tags_differ", detail: `expected <${wantTags}>, found <${gotTags}>` });
  }
  return problems;
}
