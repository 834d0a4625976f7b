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
