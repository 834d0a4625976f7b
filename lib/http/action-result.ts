import { unstable_rethrow } from "next/navigation";
import { ZodError } from "zod";
import { AppError, databaseUnavailable, isDatabaseUnavailableError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { type FieldIssue, formatZodIssues } from "@/lib/validation";

/**
 * Result of a server action for its form: the data, or an error with a stable `code` the form can
 * translate, an English `message` as fallback, the failing fields for invalid input, and the
 * `details` of an `AppError`, which route bodies send too.
 */
export type ActionResult<Data = null> =
  | { ok: true; data: Data }
  | {
      ok: false;
      error: { code: string; message: string; fields?: FieldIssue[]; details?: Record<string, unknown> };
    };

/**
 * Run a server action body with the route handlers' error contract: zod errors become
 * `invalid_input` with the fields, `AppError` keeps its code, anything else is logged and becomes
 * a generic `internal_error`. Next.js control flow (`redirect()`, `notFound()`) passes through.
 */
export async function runAction<Data>(name: string, body: () => Promise<Data>): Promise<ActionResult<Data>> {
  const log = logger.child({ action: name });
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    unstable_rethrow(error);

    if (error instanceof ZodError) {
      const { message, fields } = formatZodIssues(error);
      log.warn({ fields }, "server action rejected: invalid input");
      return { ok: false, error: { code: "invalid_input", message, fields } };
    }
    if (isDatabaseUnavailableError(error)) {
      log.error({ err: error }, "server action failed: database unavailable");
      const unavailable = databaseUnavailable();
      return { ok: false, error: { code: unavailable.code, message: unavailable.message } };
    }
    if (error instanceof AppError) {
      log[error.status >= 500 ? "error" : "warn"]({ code: error.code, status: error.status }, error.message);
      const details = error.details ? { details: error.details } : {};
      return { ok: false, error: { code: error.code, message: error.message, ...details } };
    }
    log.error({ err: error }, "unhandled error in server action");
    return { ok: false, error: { code: "internal_error", message: "Something went wrong on our side. Try again." } };
  }
}
