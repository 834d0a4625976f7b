import { z } from "zod";

/**
 * Assertions of prompt test cases. Paths name a value inside the model's output in the form the
 * validator reports (`items[0].proposals[1].value`). `[*]` means every element of an array, and
 * the empty path is the whole output (the text itself for a free-text prompt).
 */

const PATH_PATTERN = /^(?:(?:[A-Za-z_][\w-]*|\[(?:\d+|\*)\])(?:\.[A-Za-z_][\w-]*|\[(?:\d+|\*)\])*)?$/;

export const assertionPathSchema = z
  .string()
  .trim()
  .max(300)
  .regex(PATH_PATTERN, "expected a path such as items[0].proposals[1].value, or empty for the whole output");

export const assertionSchema = z.discriminatedUnion("kind", [
  /** The model's output is JSON, directly or after repair. */
  z.strictObject({ kind: z.literal("parses") }),
  /** The answer validates against the prompt's output schema. */
  z.strictObject({ kind: z.literal("matches_schema") }),
  z.strictObject({ kind: z.literal("equals"), path: assertionPathSchema, value: z.json() }),
  /** A string contains the text (ignoring case), or an array has an element equal to it. */
  z.strictObject({ kind: z.literal("contains"), path: assertionPathSchema, value: z.string().min(1).max(1000) }),
  z
    .strictObject({
      kind: z.literal("range"),
      path: assertionPathSchema,
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .refine((value) => value.min !== undefined || value.max !== undefined, {
      message: "a range needs a minimum, a maximum or both",
      path: ["min"],
    })
    .refine((value) => value.min === undefined || value.max === undefined || value.min <= value.max, {
      message: "the minimum must not exceed the maximum",
      path: ["max"],
    }),
  /** Time of all requests of the case together, in milliseconds. */
  z.strictObject({ kind: z.literal("max_latency_ms"), value: z.number().int().min(1).max(3_600_000) }),
  /** Estimated cost of all requests of the case, in US dollars. */
  z.strictObject({ kind: z.literal("max_cost_usd"), value: z.number().min(0).max(1000) }),
]);
export type Assertion = z.infer<typeof assertionSchema>;
export type AssertionKind = Assertion["kind"];

/** Reason an assertion failed; the UI words each reason in the reader's language. */
export type AssertionFailure =
  | "unparsed"
  | "invalid"
  | "missing_path"
  | "not_equal"
  | "not_contained"
  | "not_a_number"
  | "out_of_range"
  | "too_slow"
  | "unknown_cost"
  | "too_costly";

export interface AssertionResult {
  /** Position of the assertion in the case, from 0. */
  index: number;
  kind: AssertionKind;
  passed: boolean;
  failure?: AssertionFailure;
  /** The value found (shortened when long), or the measured latency or cost. */
  actual?: unknown;
  /** Plain-English explanation for API clients; the UI builds its own from `failure`. */
  message: string;
}

/** Outcome of a test call, as assertions see it. */
export interface TestObservation {
  /** True when the output parsed as JSON, directly or after repair (always true for free text). */
  parsed: boolean;
  /** True when the output passed the output schema (always true for free text). */
  valid: boolean;
  /** Validated output, or the text of a free-text answer; undefined when invalid. */
  output: unknown;
  latencyMs: number | null;
  costUsd: number | null;
}

type Segment = string | number | "*";

/** Split `items[0].proposals[*].value` into `["items", 0, "proposals", "*", "value"]`. */
export function parseAssertionPath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const match of path.matchAll(/([A-Za-z_][\w-]*)|\[(\d+|\*)\]/g)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] === "*") segments.push("*");
    else segments.push(Number(match[2]));
  }
  return segments;
}

/** Resolve every value at the path, where `[*]` fans out; null when a segment does not exist. */
export function resolvePath(value: unknown, path: string): unknown[] | null {
  let current: unknown[] = [value];
  for (const segment of parseAssertionPath(path)) {
    const next: unknown[] = [];
    for (const item of current) {
      if (segment === "*") {
        if (!Array.isArray(item)) return null;
        next.push(...item);
      } else if (typeof segment === "number") {
        if (!Array.isArray(item) || segment >= item.length) return null;
        next.push(item[segment]);
      } else {
        if (item === null || typeof item !== "object" || Array.isArray(item) || !Object.hasOwn(item, segment))
          return null;
        next.push((item as Record<string, unknown>)[segment]);
      }
    }
    current = next;
  }
  return current;
}

/** Evaluate each assertion of a case against what the call produced. */
export function evaluateAssertions(assertions: readonly Assertion[], observation: TestObservation): AssertionResult[] {
  return assertions.map((assertion, index) => ({
    index,
    kind: assertion.kind,
    ...evaluateOne(assertion, observation),
  }));
}

type Outcome = Omit<AssertionResult, "index" | "kind">;

function evaluateOne(assertion: Assertion, observation: TestObservation): Outcome {
  switch (assertion.kind) {
    case "parses":
      return observation.parsed
        ? pass("The answer parsed as JSON.")
        : fail("unparsed", "The answer is not JSON, even after repair.");
    case "matches_schema":
      return observation.valid
        ? pass("The answer matches the output schema.")
        : fail("invalid", "The answer does not match the output schema.");
    case "max_latency_ms": {
      const latency = observation.latencyMs;
      if (latency !== null && latency <= assertion.value) return pass(`Took ${latency} ms.`, latency);
      return fail(
        "too_slow",
        `Took ${latency ?? "an unknown number of"} ms; the maximum is ${assertion.value} ms.`,
        latency,
      );
    }
    case "max_cost_usd": {
      const cost = observation.costUsd;
      if (cost === null) return fail("unknown_cost", "The model has no price, so the cost is unknown.");
      if (cost <= assertion.value) return pass(`Cost ${formatUsd(cost)}.`, cost);
      return fail("too_costly", `Cost ${formatUsd(cost)}; the maximum is ${formatUsd(assertion.value)}.`, cost);
    }
    default:
      return evaluateValueAssertion(assertion, observation);
  }
}

function evaluateValueAssertion(
  assertion: Extract<Assertion, { path: string }>,
  observation: TestObservation,
): Outcome {
  if (!observation.valid) return fail("invalid", "No valid output to check.");
  const values = resolvePath(observation.output, assertion.path);
  const where = assertion.path || "the output";
  if (values === null || values.length === 0) return fail("missing_path", `The output has no ${where}.`);

  for (const value of values) {
    const outcome = checkValue(assertion, value, where);
    if (!outcome.passed) return outcome;
  }
  return pass(
    values.length === 1 ? `${where} is ${preview(values[0])}.` : `All ${values.length} values of ${where} hold.`,
    values.length === 1 ? shorten(values[0]) : values.length,
  );
}

function checkValue(assertion: Extract<Assertion, { path: string }>, value: unknown, where: string): Outcome {
  switch (assertion.kind) {
    case "equals":
      return deepEqual(value, assertion.value)
        ? pass("")
        : fail("not_equal", `${where} is ${preview(value)}, expected ${preview(assertion.value)}.`, shorten(value));
    case "contains": {
      const needle = assertion.value.toLowerCase();
      const found = Array.isArray(value)
        ? value.some((element) => deepEqual(element, assertion.value))
        : typeof value === "string" && value.toLowerCase().includes(needle);
      return found
        ? pass("")
        : fail(
            "not_contained",
            `${where} is ${preview(value)}, which does not contain "${assertion.value}".`,
            shorten(value),
          );
    }
    case "range": {
      if (typeof value !== "number")
        return fail("not_a_number", `${where} is ${preview(value)}, not a number.`, shorten(value));
      const below = assertion.min !== undefined && value < assertion.min;
      const above = assertion.max !== undefined && value > assertion.max;
      if (!below && !above) return pass("");
      const bounds = `${assertion.min ?? "-∞"} to ${assertion.max ?? "∞"}`;
      return fail("out_of_range", `${where} is ${value}, outside ${bounds}.`, value);
    }
  }
}

function pass(message: string, actual?: unknown): Outcome {
  return actual === undefined ? { passed: true, message } : { passed: true, message, actual };
}

function fail(failure: AssertionFailure, message: string, actual?: unknown): Outcome {
  return actual === undefined || actual === null
    ? { passed: false, failure, message }
    : { passed: false, failure, message, actual };
}

/** Structural equality of JSON values; object key order does not matter. */
export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== typeof right || left === null || right === null || typeof left !== "object") return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((element, index) => deepEqual(element, right[index]));
  }
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const keys = Object.keys(leftRecord);
  if (keys.length !== Object.keys(rightRecord).length) return false;
  return keys.every((key) => Object.hasOwn(rightRecord, key) && deepEqual(leftRecord[key], rightRecord[key]));
}

const MAX_PREVIEW = 120;

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}…` : text;
}

/** Keep an actual value small enough to store with every result. */
function shorten(value: unknown): unknown {
  const text = JSON.stringify(value) ?? "";
  return text.length > 500 ? `${text.slice(0, 500)}…` : value;
}

function formatUsd(value: number): string {
  return `$${value.toFixed(value < 0.01 ? 5 : 3)}`;
}
