import { extractPlaceholders } from "./catalog-check";

/**
 * Localize errors that the server sends with a stable code and an English `message`: route bodies
 * (`{ error: { code, message, details } }`), server action results, and the errors stored on runs,
 * batches, model calls and prompt test results. Texts live under `serverErrors` in the catalogs.
 *
 * An error whose message carries facts sends them as `details.params`, the ICU values of its
 * catalog text. Errors that share a code, such as `bad_request`, also send `details.reason`, and
 * their text is under `reasons.<reason>` instead of `codes.<code>`.
 */

/** An error as the server sends it. Every field but `message` is optional. */
export interface ServerError {
  code?: string;
  message: string;
  /** Model error kind of a stored run, batch or call error that came from a failed model call. */
  modelErrorKind?: string;
  /**
   * Structured details of a route's error body, such as `field`, `kind`, `retryAfterSeconds`,
   * `reason` or `params`.
   */
  details?: Record<string, unknown>;
  /** Failing fields of an `invalid_input` error, as `items[3].impact` paths. */
  fields?: ReadonlyArray<{ path: string }>;
}

/** A next-intl translator for the `serverErrors` namespace, or any function with the same contract. */
export interface ServerErrorTranslator {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
  /** The catalog text of a key, before ICU formatting. */
  raw(key: string): unknown;
}

/** Options of `localizeServerError`. */
export interface ServerErrorFormatting {
  /**
   * Label of a failing field, such as the form's "Language" for `language`, or undefined to show
   * the path as the server sent it.
   */
  labelField?: (path: string) => string | undefined;
}

/** Catalog key and ICU values of one localized error message. */
interface MessageChoice {
  key: string;
  values?: Record<string, string | number>;
}

/**
 * Return the error as a sentence in the translator's language. Model errors are looked up by
 * their kind, other errors by their code. A code without a catalog entry, or an error without
 * every ICU value that its catalog text takes, returns the server's English `message` unchanged.
 */
export function localizeServerError(
  error: ServerError,
  t: ServerErrorTranslator,
  formatting: ServerErrorFormatting = {},
): string {
  const choice = chooseMessage(error, formatting);
  if (!choice || !canFormat(t, choice.key, choice.values)) return error.message;
  return t(choice.key, choice.values);
}

/**
 * Tell whether the catalog has the key and the values cover every ICU argument of its text. A
 * missing value would make next-intl print the key instead of a sentence.
 */
export function canFormat(t: ServerErrorTranslator, key: string, values: Record<string, unknown> | undefined): boolean {
  if (!t.has(key)) return false;
  const text = t.raw(key);
  return typeof text === "string" && extractPlaceholders(text).every((name) => values?.[name] !== undefined);
}

/**
 * Return the model error kind of an error: `modelErrorKind` on stored errors, or `details.kind`
 * on a route body whose code is `model_<kind>`.
 */
export function readModelErrorKind(error: ServerError): string | undefined {
  if (error.modelErrorKind) return error.modelErrorKind;
  const kind = error.details?.kind;
  if (typeof kind === "string" && error.code === `model_${kind}`) return kind;
  return undefined;
}

/**
 * Read the `error` object of a JSON error body of this app's routes. Returns undefined when the
 * body has no `error.message` string.
 */
export function parseServerErrorBody(body: unknown): ServerError | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const error = (body as { error?: unknown }).error;
  if (error === null || typeof error !== "object") return undefined;

  const { code, message, details, fields } = error as Record<string, unknown>;
  if (typeof message !== "string") return undefined;
  return {
    message,
    code: typeof code === "string" ? code : undefined,
    details: details !== null && typeof details === "object" ? (details as Record<string, unknown>) : undefined,
    fields: Array.isArray(fields) ? readFieldPaths(fields) : undefined,
  };
}

function readFieldPaths(fields: unknown[]): Array<{ path: string }> {
  return fields.flatMap((field) => {
    const path = (field as { path?: unknown } | null)?.path;
    return typeof path === "string" ? [{ path }] : [];
  });
}

function chooseMessage(error: ServerError, formatting: ServerErrorFormatting): MessageChoice | undefined {
  const retryAfterSeconds = error.details?.retryAfterSeconds;
  const hasRetryAfter = typeof retryAfterSeconds === "number" && Number.isFinite(retryAfterSeconds);

  const kind = readModelErrorKind(error);
  if (kind) {
    // Only route bodies carry the requested wait; stored errors fall back to the text without it.
    if (kind === "rate_limited" && hasRetryAfter) {
      return { key: "modelErrors.rate_limited_retry_after", values: { seconds: retryAfterSeconds } };
    }
    return { key: `modelErrors.${kind}` };
  }

  if (!error.code) return undefined;
  if (error.code === "rate_limited" && hasRetryAfter) {
    return { key: "codes.rate_limited_retry_after", values: { seconds: retryAfterSeconds } };
  }
  if (error.code === "invalid_input" && error.fields && error.fields.length > 0) {
    const paths = [...new Set(error.fields.map((field) => field.path))];
    const fields = paths.map((path) => formatting.labelField?.(path) ?? path).join(", ");
    return { key: "codes.invalid_input_fields", values: { fields } };
  }
  const values = readParams(error.details);
  const reason = error.details?.reason;
  if (typeof reason === "string") return { key: `reasons.${reason}`, values };
  // A 404 without a resource, such as one stored before errors named it, gets the generic text.
  if (error.code === "not_found") return { key: "codes.not_found", values: { resource: "other", ...values } };
  return { key: `codes.${error.code}`, values };
}

/** Return the string and finite number entries of `details.params`, the ICU values of the message. */
function readParams(details: Record<string, unknown> | undefined): Record<string, string | number> | undefined {
  const params = details?.params;
  if (params === null || typeof params !== "object") return undefined;
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) values[name] = value;
  }
  return values;
}
