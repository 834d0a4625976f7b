import type { ZodError } from "zod";

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

/** Turn zod issues into field issues and one plain sentence that names every failing field. */
export function formatZodIssues(error: ZodError): { message: string; fields: FieldIssue[] } {
  const fields = error.issues.map((issue) => ({ path: formatPath(issue.path) || "body", message: issue.message }));
  const message = `Invalid input: ${fields.map((field) => `${field.path}: ${field.message}`).join("; ")}`;
  return { message, fields };
}
