import { type ZodError, z } from "zod";

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

/**
 * Turn zod issues into field issues and one plain sentence that names every failing field. An
 * unknown-keys issue becomes one field issue per key, at that key's path.
 */
export function formatZodIssues(error: ZodError): { message: string; fields: FieldIssue[] } {
  const fields = error.issues.flatMap((issue) => {
    const message = issue.message.replace(ZOD_DEFAULT_PREFIX, "");
    return issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message }))
      : [{ path: formatPath(issue.path) || "body", message }];
  });
  const message = `Invalid input: ${fields.map((field) => `${field.path}: ${field.message}`).join("; ")}`;
  return { message, fields };
}
