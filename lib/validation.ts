import { type ZodError, z } from "zod";
import { truncateText } from "@/lib/text";

export interface FieldIssue {
  /** Path in the `items[3].impact` form. */
  path: string;
  message: string;
}

/** Render a zod path as `items[3].impact`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/**
 * Build a `z.strictObject` that rejects unknown keys with a message listing the accepted fields,
 * so that a misspelt field fails instead of being dropped without notice.
 */
export function strictObjectWithFieldList<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const accepted = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `is an unknown field. Remove it or use one of: ${accepted}.` : undefined,
  });
}

/** Prefix of zod's default messages, which the joined message below already starts with. */
const ZOD_DEFAULT_PREFIX = /^Invalid input: /;

/** Maximum value of a Postgres `integer` (int4) column. Request schemas reject larger values with a 400. */
export const MAX_POSTGRES_INTEGER = 2_147_483_647;

/** Start of zod's default message for unknown keys, as in `Unrecognized keys: "a", "b"`. */
const ZOD_UNRECOGNIZED_KEYS_PREFIX = /^Unrecognized keys?: /;

/** Maximum number of unknown keys listed per object in an error. The message counts the rest. */
export const MAX_LISTED_UNKNOWN_KEYS = 20;

/** Maximum length of an unknown key shown in an error, in UTF-16 code units. Longer keys end with "…". */
const MAX_LISTED_KEY_LENGTH = 100;

/**
 * Turn zod issues into field issues and one plain sentence that names every failing field. An
 * unknown-keys issue becomes one field issue per key, at that key's path, for the first
 * MAX_LISTED_UNKNOWN_KEYS keys, and the message adds how many more keys were unknown.
 */
export function formatZodIssues(error: ZodError): { message: string; fields: FieldIssue[] } {
  let unlistedKeys = 0;
  const fields = error.issues.flatMap((issue) => {
    const message = issue.message.replace(ZOD_DEFAULT_PREFIX, "");
    if (issue.code !== "unrecognized_keys") return [{ path: formatPath(issue.path) || "body", message }];

    // Zod's default message lists every key, so each field issue gets a short one instead.
    const keyMessage = ZOD_UNRECOGNIZED_KEYS_PREFIX.test(message) ? "is an unknown field; remove it." : message;
    unlistedKeys += Math.max(0, issue.keys.length - MAX_LISTED_UNKNOWN_KEYS);
    return issue.keys.slice(0, MAX_LISTED_UNKNOWN_KEYS).map((key) => ({
      path: formatPath([...issue.path, truncateText(key, MAX_LISTED_KEY_LENGTH)]),
      message: keyMessage,
    }));
  });
  const listed = fields.map((field) => `${field.path}: ${field.message}`).join("; ");
  const unlisted = unlistedKeys > 0 ? `; and ${unlistedKeys} more unknown fields` : "";
  return { message: `Invalid input: ${listed}${unlisted}`, fields };
}

/** Deepest nesting of arrays and objects accepted in a JSON request body. */
export const MAX_JSON_DEPTH = 64;

/** U+0000, or a high surrogate without its low half, or a low surrogate without its high half. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching U+0000 is the purpose of this pattern.
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Tell whether text contains a character that Postgres cannot store in text or jsonb columns: a
 * NUL character or a lone UTF-16 surrogate (an escape such as `\ud800` with no pair).
 */
export function containsUnstorableText(text: string): boolean {
  return UNSTORABLE_TEXT.test(text);
}

/** A problem found in a parsed JSON value, at a path in the `items[2].title` form (`body` for the value itself). */
export interface JsonValueProblem {
  path: string;
  problem: "unstorable_text" | "nested_too_deep";
}

interface JsonNode {
  value: unknown;
  /** Number of arrays and objects that contain this value, 0 for the value itself. */
  depth: number;
  parent?: JsonNode;
  segment?: string | number;
}

function formatNodePath(node: JsonNode): string {
  const segments: (string | number)[] = [];
  for (let current: JsonNode | undefined = node; current?.parent; current = current.parent) {
    segments.push(current.segment as string | number);
  }
  return formatPath(segments.reverse()) || "body";
}

/** Format the path of the top-level field that contains a node, or `body` for the value itself. */
function formatTopLevelPath(node: JsonNode): string {
  let current = node;
  while (current.parent?.parent) current = current.parent;
  return current.parent ? formatPath([current.segment as string | number]) : "body";
}

/**
 * Find the first string or key with unstorable text (see `containsUnstorableText`), or the first
 * array or object nested more than `maxDepth` levels deep. A nesting problem is reported at its
 * top-level field. The walk uses its own stack, so any depth is safe to inspect.
 */
export function findJsonValueProblem(
  value: unknown,
  maxDepth = Number.POSITIVE_INFINITY,
): JsonValueProblem | undefined {
  const stack: JsonNode[] = [{ value, depth: 0 }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (typeof node.value === "string") {
      if (UNSTORABLE_TEXT.test(node.value)) return { path: formatNodePath(node), problem: "unstorable_text" };
      continue;
    }
    if (node.value === null || typeof node.value !== "object") continue;
    if (node.depth >= maxDepth) return { path: formatTopLevelPath(node), problem: "nested_too_deep" };

    const entries: [string | number, unknown][] = Array.isArray(node.value)
      ? [...node.value.entries()]
      : Object.entries(node.value);
    // Pushed in reverse, so that the walk visits the entries in document order.
    for (let index = entries.length - 1; index >= 0; index--) {
      const [segment, element] = entries[index] as [string | number, unknown];
      if (typeof segment === "string" && UNSTORABLE_TEXT.test(segment)) {
        return { path: formatNodePath(node), problem: "unstorable_text" };
      }
      stack.push({ value: element, depth: node.depth + 1, parent: node, segment });
    }
  }
  return undefined;
}
