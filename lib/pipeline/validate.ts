import type { z } from "zod";
import { type FieldIssue, formatPath } from "@/lib/validation";

export type OutputValidation<T> = { ok: true; data: T } | { ok: false; issues: FieldIssue[] };

/**
 * Validate a parsed model response against a task's output schema. Beyond zod's own checks, this
 * drops `null` where the schema has an optional, non-nullable field, because strict structured
 * output sends such fields as nullable. It also rejects fields the schema does not declare: zod's
 * default objects would strip them silently, and a repaired response with invented keys must fail.
 */
export function validateOutput<T>(schema: z.ZodType<T>, value: unknown): OutputValidation<T> {
  const normalized = dropNullOptionals(schema, value);
  const result = schema.safeParse(normalized, { reportInput: true });
  if (!result.success) {
    return { ok: false, issues: result.error.issues.flatMap((issue) => describeIssue(issue)) };
  }

  const unknown = findUnknownKeys(normalized, result.data, []);
  if (unknown.length > 0) return { ok: false, issues: unknown };
  return { ok: true, data: result.data };
}

/** Format issues one per line, as fed back to the model and shown on the run page. */
export function formatIssues(issues: FieldIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n");
}

type ZodInternals = {
  _zod: {
    def: { type: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown; in?: unknown };
  };
};

function defOf(schema: unknown): ZodInternals["_zod"]["def"] | undefined {
  return (schema as Partial<ZodInternals>)?._zod?.def;
}

function dropNullOptionals(schema: unknown, value: unknown): unknown {
  const def = defOf(schema);
  if (!def) return value;

  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
      return dropNullOptionals(def.innerType, value);
    case "pipe":
      return dropNullOptionals(def.in, value);
    case "array":
      return Array.isArray(value) ? value.map((element) => dropNullOptionals(def.element, element)) : value;
    case "object":
      return isPlainObject(value) ? dropNullFields(def.shape ?? {}, value) : value;
    default:
      return value;
  }
}

function dropNullFields(shape: Record<string, unknown>, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = shape[key] as z.ZodType | undefined;
    if (fieldValue === null && field && acceptsUndefinedOnly(field)) continue;
    out[key] = field ? dropNullOptionals(field, fieldValue) : fieldValue;
  }
  return out;
}

function acceptsUndefinedOnly(field: z.ZodType): boolean {
  return field.safeParse(undefined).success && !field.safeParse(null).success;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys present in the input but absent from zod's output, which zod dropped as undeclared. */
function findUnknownKeys(input: unknown, output: unknown, path: PropertyKey[]): FieldIssue[] {
  if (Array.isArray(input) && Array.isArray(output) && input.length === output.length) {
    return input.flatMap((element, index) => findUnknownKeys(element, output[index], [...path, index]));
  }
  if (!isPlainObject(input) || !isPlainObject(output)) return [];

  const issues: FieldIssue[] = [];
  for (const key of Object.keys(input)) {
    if (!(key in output)) issues.push({ path: formatPath([...path, key]), message: "unexpected field" });
    else issues.push(...findUnknownKeys(input[key], output[key], [...path, key]));
  }
  return issues;
}

type Issue = z.core.$ZodIssue & { input?: unknown };

function describeIssue(issue: Issue): FieldIssue[] {
  const path = formatPath(issue.path) || "(root)";
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "unexpected field" }));
  }
  return [{ path, message: describeProblem(issue) }];
}

function describeProblem(issue: Issue): string {
  const got = `got ${showValue(issue.input)}`;
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `missing, expected ${article(issue.expected)}`;
      return `expected ${article(issue.expected)}, ${got}`;
    case "invalid_value":
      return `expected ${listValues(issue.values)}, ${got}`;
    case "invalid_union": {
      const values = literalValuesOfUnion(issue);
      return values ? `expected ${listValues(values)}, ${got}` : `does not match any allowed form, ${got}`;
    }
    case "too_big":
    case "too_small":
      return `expected ${describeBound(issue)}, ${describeSize(issue)}`;
    case "invalid_format":
      return `expected a valid ${issue.format}, ${got}`;
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}, ${got}`;
    default:
      return issue.message;
  }
}

function literalValuesOfUnion(issue: z.core.$ZodIssueInvalidUnion): unknown[] | undefined {
  const values: unknown[] = [];
  for (const branch of issue.errors) {
    const [only] = branch;
    if (branch.length !== 1 || only?.code !== "invalid_value" || only.path.length > 0) return undefined;
    values.push(...only.values);
  }
  return values.length > 0 ? values : undefined;
}

function listValues(values: readonly unknown[]): string {
  const shown = values.map((value) => showValue(value)).join(", ");
  return values.length === 1 ? shown : `one of ${shown}`;
}

function describeBound(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  const big = issue.code === "too_big";
  const limit = big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum;
  let relation = big ? "at most" : "at least";
  if (issue.inclusive === false) relation = big ? "less than" : "more than";
  const unit = { string: " characters", array: " items", set: " items", file: " bytes" }[issue.origin as string] ?? "";
  return `${relation} ${String(limit)}${unit}`;
}

function describeSize(issue: Issue): string {
  const input = issue.input;
  if (typeof input === "string") return `got ${input.length} characters`;
  if (Array.isArray(input)) return `got ${input.length} items`;
  return `got ${showValue(input)}`;
}

function article(type: string): string {
  if (type === "int") return "a whole number";
  if (type === "array") return "an array";
  if (type === "object") return "an object";
  return `a ${type}`;
}

/** Render a received value briefly: numbers and literals as written, strings quoted and cut at 60 characters. */
function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === "object" && value !== null) return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}
