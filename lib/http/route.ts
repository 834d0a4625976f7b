import { randomUUID } from "node:crypto";
import { ZodError, type z } from "zod";
import { readBodyBytes } from "@/lib/api/params";
import { getEnv } from "@/lib/env";
import { AppError, badRequest, databaseUnavailable, isDatabaseUnavailableError } from "@/lib/errors";
import { type Logger, logger } from "@/lib/logger";
import { findJsonValueProblem, formatZodIssues, MAX_JSON_DEPTH } from "@/lib/validation";
import { findDatabaseError } from "./database-error";
import { getRequestHost } from "./request-host";
import { SAFE_METHODS } from "./safe-methods";

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
      rejectCrossOriginWrite(request);
      const params = ((await context?.params) ?? {}) as Params;
      const response = await handler({ request, params, requestId, log });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      // A client that went away makes reads and model calls fail; that is no fault of the server.
      if (request.signal.aborted) return clientClosedResponse(error, log, requestId);
      return errorResponse(error, log, requestId);
    }
  };
}

/** Status of a request that its client cancelled, as nginx logs it; the client never reads it. */
const CLIENT_CLOSED_REQUEST = 499;

function clientClosedResponse(error: unknown, log: Logger, requestId: string): Response {
  log.info({ reason: error instanceof Error ? error.message : String(error) }, "request cancelled by the client");
  return new Response(null, { status: CLIENT_CLOSED_REQUEST, headers: { "x-request-id": requestId } });
}

/**
 * Reject a state-changing request that a browser sent from another origin. Browsers always send
 * `Origin` on cross-origin POST, PUT, PATCH and DELETE, so this stops cross-site form posts
 * (which carry the session cookie) even for bodies that skip CORS preflight, such as multipart
 * uploads. A request with `Sec-Fetch-Site: cross-site` is rejected too, with or without `Origin`,
 * because browsers set that header from the site of the page that sent the request, and page
 * scripts cannot override it.
 * Other `Sec-Fetch-Site` values (`same-origin`, `same-site`, `none`) leave the decision to the
 * Origin check. Requests without `Origin` and without `Sec-Fetch-Site: cross-site` (curl, scripts
 * with tokens, server-side calls) pass.
 * The Origin's host and port must equal the request's host (see `getRequestHost`, which reads
 * X-Forwarded-Host only with TRUST_PROXY=true). The scheme is not compared, as in the Next.js
 * server-action check, so X-Forwarded-Proto plays no part.
 */
function rejectCrossOriginWrite(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (request.headers.get("sec-fetch-site") === "cross-site") throw crossOriginRejected();
  const origin = request.headers.get("origin");
  if (origin === null) return;

  const host = getRequestHost(request, getEnv().TRUST_PROXY);
  if (URL.canParse(origin) && new URL(origin).host === host) return;
  throw crossOriginRejected();
}

function crossOriginRejected(): AppError {
  return new AppError(403, "cross_origin_rejected", "Requests that change data must come from Rankwise's own pages.");
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

  // The serialized error drops the driver's error in `cause`, so its SQLSTATE and constraint are
  // logged here. Its message and detail stay out, because they can quote the row's values.
  const database = findDatabaseError(error);
  log.error(database ? { err: error, database } : { err: error }, "unhandled error in route handler");
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
 * Largest JSON body a route reads by default, in bytes: room for the largest pasted document
 * (500,000 characters, some escaped as `\uXXXX`).
 */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Parse a JSON body with a zod schema. A declared non-JSON media type is a 415 (a cross-site
 * `text/plain` post is how a form would forge one), and a body over `maxBytes` (default
 * MAX_JSON_BODY_BYTES) a 413. A declared `charset` other than UTF-8 is a 415 too. Bytes that are
 * not valid UTF-8 are a 400 naming the body, and so is malformed JSON. So is a body nested more
 * than MAX_JSON_DEPTH levels, and text Postgres cannot store in text or jsonb columns: a NUL
 * character or a lone UTF-16 surrogate (an escape such as `\ud800` with no pair).
 */
export async function parseJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  options: { maxBytes?: number } = {},
): Promise<z.infer<Schema>> {
  const contentType = request.headers.get("content-type");
  if (contentType && !isJsonContentType(contentType)) {
    throw new AppError(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.", {
      field: "content-type",
    });
  }
  const charset = contentType ? readCharset(contentType) : undefined;
  if (charset !== undefined && !UTF8_LABELS.has(charset.toLowerCase())) {
    throw new AppError(
      415,
      "unsupported_media_type",
      `The request body is declared as charset "${charset}". Send the JSON body encoded as UTF-8, with Content-Type: application/json or application/json; charset=utf-8.`,
      { field: "content-type", reason: "json_charset_unsupported", params: { charset } },
    );
  }

  // Read with a cap before parsing, so a huge body is rejected without being held whole in memory.
  const bytes = await readBodyBytes(
    request,
    options.maxBytes ?? MAX_JSON_BODY_BYTES,
    "Send less data in one request; upload files through their upload routes.",
  );
  const text = decodeUtf8Body(bytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON. Send a JSON object with Content-Type: application/json.", {
      field: "body",
    });
  }
  const problem = findJsonValueProblem(body, MAX_JSON_DEPTH);
  if (problem?.problem === "nested_too_deep") {
    throw badRequest(
      `${problem.path} nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep. Send flatter data.`,
      { field: problem.path, params: { maxDepth: MAX_JSON_DEPTH } },
    );
  }
  if (problem) {
    throw badRequest(`${problem.path} contains a NUL character (\\u0000) or an unpaired UTF-16 surrogate; remove it.`, {
      field: problem.path,
    });
  }
  return schema.parse(body);
}

/** Labels of UTF-8 that a `charset` parameter may carry (WHATWG Encoding), in lower case. */
const UTF8_LABELS = new Set(["utf-8", "utf8", "unicode-1-1-utf-8"]);

/** Read the `charset` parameter of a Content-Type header, without quotes, or undefined when it has none. */
function readCharset(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? "").trim();
}

/**
 * Decode a JSON body as UTF-8 and reject bytes that are not valid UTF-8, which a lenient decoder
 * would store as U+FFFD replacement characters. A leading byte order mark is removed.
 */
function decodeUtf8Body(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest(
      "The request body is not valid UTF-8. Send the JSON body encoded as UTF-8, with Content-Type: application/json.",
      { field: "body", reason: "json_body_not_utf8" },
    );
  }
}

/** Tell whether a Content-Type header declares JSON (`application/json` or a `+json` type), in any letter case. */
export function isJsonContentType(contentType: string): boolean {
  return /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType);
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
