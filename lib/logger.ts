import pino from "pino";
import { getEnv } from "@/lib/env";

/** Paths whose values never reach a log line, whatever the caller passes. */
const redactPaths = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers['api-key']",
  "secret",
  "*.secret",
];

/** Maximum length of a logged message or stack, in characters; a longer one is cut to it plus an ellipsis. */
const MAX_ERROR_TEXT = 4000;

/**
 * Remove the parameters a failed database query lists in its message ("params: …"): they hold
 * whatever was being written, password and token hashes included, and can be megabytes long.
 */
export function omitQueryParams(text: string): string {
  return cutErrorText(text.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/g, "\nparams: [omitted]"));
}

/** The password of a URL's user info, as in `postgres://user:password@host`. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*):[^@/\s]+@/gi;

/** Cut the text to MAX_ERROR_TEXT and hide the passwords of connection URLs in it. */
function cutErrorText(text: string): string {
  const safe = text.replace(URL_PASSWORD, "$1:[redacted]@");
  return safe.length > MAX_ERROR_TEXT ? `${safe.slice(0, MAX_ERROR_TEXT)}…` : safe;
}

/**
 * Pino's error serializer, without query parameters, in the error and in each of its causes.
 * Every other string field is cut to MAX_ERROR_TEXT too: a failed query's `query` contains the
 * whole SQL text, with one `$n` placeholder per value of a long list.
 */
export function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (!serialized || typeof serialized !== "object") return serialized;
  const clean = (value: Record<string, unknown>) => {
    delete value.params;
    for (const [key, field] of Object.entries(value)) {
      if (typeof field !== "string") continue;
      value[key] = key === "message" || key === "stack" ? omitQueryParams(field) : cutErrorText(field);
    }
    if (value.cause && typeof value.cause === "object") clean(value.cause as Record<string, unknown>);
  };
  clean(serialized);
  return serialized;
}

function createLogger() {
  const env = getEnv();
  return pino({
    level: env.NODE_ENV === "test" && env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL,
    base: { service: "rankwise" },
    redact: { paths: redactPaths, censor: "[redacted]" },
    serializers: { err: serializeError },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

const globalForLogger = globalThis as unknown as { rankwiseLogger?: pino.Logger };

export const logger: pino.Logger = globalForLogger.rankwiseLogger ?? createLogger();
globalForLogger.rankwiseLogger = logger;

export type Logger = pino.Logger;
