/**
 * The one application error. `status` is the HTTP status a route answers with; `code` is a stable
 * machine-readable name; `message` is safe to show to the user (no stack, no provider text).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
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

/** Also used for rows of another workspace, so that their existence does not leak. */
export function notFound(what: string): AppError {
  return new AppError(404, "not_found", `${what} not found.`);
}

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
