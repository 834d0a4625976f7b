import type { ServerResponse } from "node:http";
import { malformations } from "./malformed";
import type { FaultRule } from "./types";

/**
 * Fault names, as used in the `x-sim-fault` header, after `~` in a model or deployment name
 * (`gpt-4o-mini~server_error`), and in fault rules. Several faults are separated by commas; a
 * fault takes a parameter after a colon (`rate_limit_retry_after:2`).
 */
export const faultDescriptions = {
  rate_limit_retry_after: "429 with retry-after in seconds (parameter: seconds, default 1)",
  rate_limit_retry_after_date: "429 with retry-after as an HTTP date (parameter: seconds from now, default 2)",
  rate_limit_retry_after_ms: "429 with retry-after-ms, as Azure sends it (parameter: milliseconds, default 200)",
  rate_limit_reset_tokens: "429 with only x-ratelimit-reset-tokens (parameter: a duration such as 300ms)",
  server_error: "500",
  service_unavailable: "503",
  hang: "accept the request and never answer",
  stream_reset: "reset the connection in the middle of a stream (before any byte when not streaming)",
  content_filter: "400 content_filter: the prompt was filtered",
  context_length_exceeded: "400 context_length_exceeded",
  deployment_not_found: "404 DeploymentNotFound",
  unauthorized: "401 invalid credentials",
  api_version_not_supported: "400 for an api-version the endpoint does not support",
  finish_length: "finish_reason length with the content cut in half",
  finish_content_filter: "finish_reason content_filter with the content cut short",
  malformed_fences: "JSON inside a ``` fence",
  malformed_prose: "JSON with prose before and after it",
  malformed_trailing_commas: "JSON with trailing commas",
  malformed_comments: "JSON with // and /* */ comments",
  malformed_single_quotes: "JSON with single-quoted strings",
  malformed_raw_newlines: "JSON with a raw line break inside a string",
  malformed_hash_comments: "JSON with a # comment line before each array element",
  malformed_unescaped_quote: 'JSON with an unescaped " followed by a comma inside a string value',
  invalid_value:
    "valid prioritization_proposals JSON whose first proposal is just past its scale (impact 4); other answers unchanged",
  azure_empty_first_chunk: "stream starts with Azure's chunk of empty choices and prompt_filter_results",
  azure_filter_chunks: "stream interleaves Azure's filter-only chunks",
  split_events: "each SSE event is written in several network writes",
  split_multibyte: "the content has multibyte characters and writes split inside them",
  data_in_content: "the content contains `data:` and `: ` lines",
} as const;

export type FaultName = keyof typeof faultDescriptions;

export interface Fault {
  name: FaultName;
  param?: string;
}

export function isFaultName(name: string): name is FaultName {
  return name in faultDescriptions;
}

/** Parse `name[:param][,name[:param]]…`; unknown names are returned so the request can be rejected. */
export function parseFaultList(value: string | undefined): { faults: Fault[]; unknown: string[] } {
  const faults: Fault[] = [];
  const unknown: string[] = [];
  for (const entry of (value ?? "").split(",")) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const [name = "", param] = trimmed.split(/:(.*)/s, 2);
    if (isFaultName(name)) faults.push(param ? { name, param } : { name });
    else unknown.push(name);
  }
  return { faults, unknown };
}

/** Split a fault suffix off a model or deployment name: `gpt-4o~server_error` → `gpt-4o`, `server_error`. */
export function splitModelFault(model: string): { model: string; faultList?: string } {
  const index = model.indexOf("~");
  if (index < 0) return { model };
  return { model: model.slice(0, index), faultList: decodeURIComponent(model.slice(index + 1)) };
}

/** Configured fault rules; a rule with `times` is used up after that many matching requests. */
export class FaultRuleSet {
  private rules: Array<FaultRule & { remaining?: number }> = [];

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ ...rule, remaining: rule.times }));
  }

  list(): FaultRule[] {
    return this.rules.map(({ remaining, ...rule }) => ({ ...rule, times: remaining }));
  }

  /** Return the fault lists of the rules that match the text, and count one use against each rule. */
  take(text: string): string[] {
    const faultLists: string[] = [];
    for (const rule of this.rules) {
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      if (rule.match !== undefined && !text.includes(rule.match)) continue;
      if (rule.remaining !== undefined) rule.remaining -= 1;
      faultLists.push(rule.fault);
    }
    return faultLists;
  }
}

const transientFaults: Fault[] = [
  { name: "rate_limit_retry_after_ms", param: "100" },
  { name: "server_error" },
  { name: "service_unavailable" },
];

/** A transient fault for the configured fault rate, drawn from the simulator's seeded generator. */
export function drawRandomFault(random: () => number, rate: number): Fault | undefined {
  if (rate <= 0 || random() >= rate) return undefined;
  return transientFaults[Math.floor(random() * transientFaults.length) % transientFaults.length];
}

type ErrorBody = { error: { message: string; type: string; param: string | null; code: string | null } };

function errorBody(message: string, type: string, code: string | null): ErrorBody {
  return { error: { message, type, param: null, code } };
}

/**
 * Send the HTTP error response of a fault. Returns false for faults that are not a plain
 * HTTP error (hang, reset, content and stream faults), which the caller handles.
 */
export function writeHttpFault(response: ServerResponse, fault: Fault, model: string, now = Date.now()): boolean {
  const send = (status: number, body: ErrorBody, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };
  const rateLimited = errorBody("Rate limit reached for the simulated deployment.", "rate_limit_error", "429");

  switch (fault.name) {
    case "rate_limit_retry_after":
      send(429, rateLimited, { "retry-after": fault.param ?? "1" });
      return true;
    case "rate_limit_retry_after_date":
      send(429, rateLimited, { "retry-after": new Date(now + Number(fault.param ?? "2") * 1000).toUTCString() });
      return true;
    case "rate_limit_retry_after_ms": {
      const milliseconds = Number(fault.param ?? "200");
      send(429, rateLimited, {
        "retry-after-ms": String(milliseconds),
        "retry-after": String(Math.ceil(milliseconds / 1000)),
      });
      return true;
    }
    case "rate_limit_reset_tokens":
      send(429, rateLimited, {
        "x-ratelimit-reset-tokens": fault.param ?? "300ms",
        "x-ratelimit-remaining-tokens": "0",
        "x-ratelimit-remaining-requests": "10",
      });
      return true;
    case "server_error":
      send(500, errorBody("The server had an error while processing your request.", "server_error", null));
      return true;
    case "service_unavailable":
      send(503, errorBody("The service is temporarily unavailable.", "service_unavailable", null));
      return true;
    case "content_filter":
      send(400, {
        error: {
          ...errorBody(
            "The prompt was filtered by the content management policy.",
            "invalid_request_error",
            "content_filter",
          ).error,
          ...{ status: 400, innererror: { code: "ResponsibleAIPolicyViolation" } },
        },
      } as ErrorBody);
      return true;
    case "context_length_exceeded":
      send(
        400,
        errorBody(
          "This model's maximum context length is 128000 tokens. Please reduce the length of the messages.",
          "invalid_request_error",
          "context_length_exceeded",
        ),
      );
      return true;
    case "deployment_not_found":
      send(
        404,
        errorBody(`The API deployment ${model} does not exist.`, "invalid_request_error", "DeploymentNotFound"),
      );
      return true;
    case "api_version_not_supported":
      send(400, errorBody("API version not supported", "invalid_request_error", "BadRequest"));
      return true;
    case "unauthorized":
      send(
        401,
        errorBody(
          "Access denied due to invalid subscription key or wrong API endpoint.",
          "invalid_request_error",
          "401",
        ),
      );
      return true;
    default:
      return false;
  }
}

export function isContentMalformation(name: FaultName): name is keyof typeof malformations {
  return name in malformations;
}
