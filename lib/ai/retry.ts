/**
 * Retry timing: the wait a server requests through response headers, and backoff otherwise.
 * Header names are lower case, as the AI SDK and `fetch` report them.
 */

export type RetryWaitSource = "retry-after-ms" | "retry-after" | "x-ratelimit-reset" | "backoff";

export interface RequestedWait {
  waitMs: number;
  source: Exclude<RetryWaitSource, "backoff">;
}

/**
 * Read the wait a server requested, in order of precision: `retry-after-ms` (Azure OpenAI),
 * `retry-after` as seconds or an HTTP date (RFC 9110), then OpenAI's `x-ratelimit-reset-requests`
 * and `x-ratelimit-reset-tokens` durations. Returns undefined when none is usable.
 */
export function readRequestedWait(
  headers: Record<string, string> | undefined,
  now = Date.now(),
): RequestedWait | undefined {
  if (!headers) return undefined;

  const milliseconds = parseNonNegativeNumber(headers["retry-after-ms"]);
  if (milliseconds !== undefined) return { waitMs: Math.ceil(milliseconds), source: "retry-after-ms" };

  const retryAfter = parseRetryAfter(headers["retry-after"], now);
  if (retryAfter !== undefined) return { waitMs: retryAfter, source: "retry-after" };

  const reset = readRateLimitReset(headers);
  if (reset !== undefined) return { waitMs: reset, source: "x-ratelimit-reset" };

  return undefined;
}

/** `retry-after` is either delay-seconds or an HTTP date; a date in the past means no wait. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;

  const seconds = parseNonNegativeNumber(value);
  if (seconds !== undefined) return Math.ceil(seconds * 1000);

  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Return the reset time of the exhausted limit, which `x-ratelimit-remaining-*` shows at zero.
 * When that is unclear, return the longer of the two resets, because waiting less would fail again.
 */
function readRateLimitReset(headers: Record<string, string>): number | undefined {
  const requests = parseResetDuration(headers["x-ratelimit-reset-requests"]);
  const tokens = parseResetDuration(headers["x-ratelimit-reset-tokens"]);
  if (requests === undefined && tokens === undefined) return undefined;

  const requestsExhausted = headers["x-ratelimit-remaining-requests"] === "0";
  const tokensExhausted = headers["x-ratelimit-remaining-tokens"] === "0";
  if (requestsExhausted && !tokensExhausted && requests !== undefined) return requests;
  if (tokensExhausted && !requestsExhausted && tokens !== undefined) return tokens;
  return Math.max(requests ?? 0, tokens ?? 0);
}

const durationPart = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** OpenAI writes resets as Go-style durations (`1s`, `6m0s`, `250ms`); a bare number is seconds. */
export function parseResetDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();

  const seconds = parseNonNegativeNumber(trimmed);
  if (seconds !== undefined) return Math.ceil(seconds * 1000);

  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(durationPart)) {
    total += Number(match[1]) * (unitMs[match[2] as string] ?? 0);
  }
  return Math.ceil(total);
}

function parseNonNegativeNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in [0, ceiling). */
export function computeBackoffMs(
  retryIndex: number,
  options: { baseMs: number; maxMs: number; random: () => number },
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** retryIndex);
  return Math.floor(options.random() * ceiling);
}

/** Statuses that can succeed later: timeout, conflict, rate limit and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
