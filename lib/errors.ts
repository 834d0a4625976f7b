/**
 * The one application error. `status` is the HTTP status a route answers with; `code` is a stable
 * machine-readable name; `message` is safe to show to the user (no stack, no provider text).
 */
export class AppError extends Error {
  /**
   * Name that `instanceof` checks for this class. Next.js can load this module more than once, and
   * an error thrown by one copy (say, by a task that instrumentation registered) must still be an
   * `AppError` for the route of another copy. So each error carries the kinds of its class chain
   * under a global symbol, and `instanceof` reads them instead of comparing prototypes.
   */
  static readonly kind: string = "AppError";

  static [Symbol.hasInstance](value: unknown): boolean {
    const kinds = value !== null && typeof value === "object" ? (value as Branded)[ERROR_KINDS] : undefined;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class checked, a subclass included.
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
    Object.defineProperty(this, ERROR_KINDS, { value: classKinds(new.target) });
  }
}

/** Global key of an error's class kinds, the same in every copy of this module. */
const ERROR_KINDS = Symbol.for("rankwise.errorKinds");

interface Branded {
  [ERROR_KINDS]?: unknown;
}

/** List the `kind` that each class from `target` up to `AppError` declares itself. */
function classKinds(target: unknown): string[] {
  const kinds: string[] = [];
  for (let current = target; typeof current === "function" && current !== Error; ) {
    if (Object.hasOwn(current, "kind")) kinds.push(String(Reflect.get(current, "kind")));
    current = Object.getPrototypeOf(current);
  }
  return kinds;
}

export function badRequest(message: string, details?: Record<string, unknown>): AppError {
  return new AppError(400, "bad_request", message, details);
}

export function unauthorized(message = "Sign in to continue."): AppError {
  return new AppError(401, "unauthorized", message);
}

export function forbidden(message = "Your role does not allow this action."): AppError {
  return new AppError(403, "forbidden", message);
}

/** English name of each kind of thing a 404 can report, keyed by the `resource` param it sends. */
const notFoundSubjects = {
  item: "Item",
  workspace: "Workspace",
  run: "Run",
  batch: "Batch",
  proposal: "Proposal",
  suggestion: "Suggestion",
  document: "Document",
  conversation: "Conversation",
  prompt: "Prompt",
  prompt_version: "Prompt version",
  language: "Language",
  test_case: "Test case",
  test_run: "Test run",
  fine_tuning_job: "Fine-tuning job",
  token: "Token",
} as const;

/** Stable name of what a `not_found` error did not find, sent as `details.params.resource`. */
export type NotFoundResource = keyof typeof notFoundSubjects;

export const notFoundResources = Object.keys(notFoundSubjects) as NotFoundResource[];

/**
 * 404 for a missing `resource`. The English message starts with `subject` when given (such as
 * "Prompt prioritize"), else with the resource's name. Also used for rows of another workspace,
 * so that their existence does not leak.
 */
export function notFound(resource: NotFoundResource, subject?: string, details?: Record<string, unknown>): AppError {
  return new AppError(404, "not_found", `${subject ?? notFoundSubjects[resource]} not found.`, {
    ...details,
    params: { resource },
  });
}

/**
 * 409 for a write that the current state forbids. Its `details.reason` picks the localized text,
 * as for `bad_request`, and `details.params` are that text's values.
 */
export function conflict(message: string, details?: Record<string, unknown>): AppError {
  return new AppError(409, "conflict", message, details);
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * Error codes of a database that cannot be reached: Node socket errors, the `postgres` driver's
 * connection errors, and Postgres SQLSTATE classes 08 (connection exception) and 57P
 * (operator intervention, such as a server shutting down).
 */
const unreachableDatabaseCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** Tell whether the error, or one of its causes, means the database cannot be reached right now. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && unreachableDatabaseCodes.has(code)) return true;
    current = current.cause;
  }
  return false;
}

/** 503 for a request that needs the database while it is down; the app recovers without a restart. */
export function databaseUnavailable(): AppError {
  return new AppError(
    503,
    "database_unavailable",
    "The database cannot be reached right now. Try again in a minute; if it persists, tell an admin.",
  );
}
