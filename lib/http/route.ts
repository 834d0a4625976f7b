import { randomUUID } from "node:crypto";
import { ZodError, type z } from "zod";
import { AppError, badRequest, databaseUnavailable, isDatabaseUnavailableError } from "@/lib/errors";
import { type Logger, logger } from "@/lib/logger";
import { formatZodIssues } from "@/lib/validation";

export interface RouteContext<Params> {
  request: Request;
  params: Params;
  requestId: string;
  log: Logger;
}

type NextRouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

/**
 * Wrap a route handler: request id, logging, and one error contract. Zod errors become 400 with
 * the failing fields, `AppError` its own status, anything else a logged generic 500. The body is
 * always `{ error: { code, message } }`, and never contains a stack trace or a provider's text.
 */
export function apiRoute<Params = Record<string, string>>(
  handler: (context: RouteContext<Params>) => Promise<Response>,
): NextRouteHandler {
  return async (request, context) => {
    const requestId = request.headers.get("x-request-id") ?? randomUUID();
    const log = logger.child({ requestId, method: request.method, path: new URL(request.url).pathname });

    try {
      const params = ((await context?.params) ?? {}) as Params;
      const response = await handler({ request, params, requestId, log });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      return errorResponse(error, log, requestId);
    }
  };
}

export function errorResponse(thrown: unknown, log: Logger, requestId?: string): Response {
  const headers: Record<string, string> = requestId ? { "x-request-id": requestId } : {};
  // Logged here with the driver's error; the 503 below then carries only the safe message.
  const unavailable = isDatabaseUnavailableError(thrown);
  if (unavailable) log.error({ err: thrown }, "request failed: the database cannot be reached");
  const error = unavailable ? databaseUnavailable() : thrown;

  if (error instanceof ZodError) {
    const { message, fields } = formatZodIssues(error);
    log.warn({ fields }, "request rejected: invalid input");
    return Response.json({ error: { code: "invalid_input", message, fields } }, { status: 400, headers });
  }

  if (error instanceof AppError) {
    const level = error.status >= 500 ? "error" : "warn";
    if (!unavailable) log[level]({ code: error.code, status: error.status }, error.message);
    if (error.status === 429 && typeof error.details?.retryAfterSeconds === "number") {
      headers["retry-after"] = String(error.details.retryAfterSeconds);
    }
    const body = { error: { code: error.code, message: error.message, ...publicDetails(error) } };
    return Response.json(body, { status: error.status, headers });
  }

  log.error({ err: error }, "unhandled error in route handler");
  return Response.json(
    {
      error: {
        code: "internal_error",
        message: "Something went wrong on our side. Try again; if it persists, contact an admin with the request id.",
        requestId,
      },
    },
    { status: 500, headers },
  );
}

function publicDetails(error: AppError): Record<string, unknown> {
  return error.details ? { details: error.details } : {};
}

/**
 * Parse a JSON body with a zod schema. Malformed JSON is a 400 naming the body, and so is a NUL
 * character (`\u0000`) in any string, which Postgres cannot store in text or jsonb columns.
 */
export async function parseJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.infer<Schema>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw badRequest("The request body is not valid JSON. Send a JSON object with Content-Type: application/json.", {
      field: "body",
    });
  }
  const nulAt = findNulCharacter(body, "");
  if (nulAt) throw badRequest(`${nulAt} contains a NUL character (\\u0000); remove it.`, { field: nulAt });
  return schema.parse(body);
}

/** Path of the first string or key that contains U+0000, in the `items[2].title` form (`body` for the body itself). */
function findNulCharacter(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path || "body" : undefined;
  if (Array.isArray(value)) {
    for (const [index, element] of value.entries()) {
      const found = findNulCharacter(element, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, element] of Object.entries(value)) {
    const keyPath = path ? `${path}.${key}` : key;
    const found = key.includes("\u0000") ? path || "body" : findNulCharacter(element, keyPath);
    if (found) return found;
  }
  return undefined;
}

/** Parse the query string with a zod schema (repeated keys become arrays). */
export function parseSearchParams<Schema extends z.ZodType>(request: Request, schema: Schema): z.infer<Schema> {
  const url = new URL(request.url);
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    raw[key] = values.length > 1 ? values : (values[0] ?? "");
  }
  return schema.parse(raw);
}
