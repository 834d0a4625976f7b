import type { ServerError } from "@/lib/i18n/server-errors";

/** Browser helpers for the prompt admin routes under /api/admin/prompts. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * Call a route with a JSON body and parse the JSON response; a non-2xx status throws `ApiError`.
 * Responses are never taken from the HTTP cache, because the editor reads state back after writes.
 */
export async function callApi<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    cache: "no-store",
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; details?: Record<string, unknown> };
  };
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body.error?.code ?? "error",
      body.error?.message ?? response.statusText,
      body.error?.details,
    );
  }
  return body as T;
}

/**
 * Convert a caught error to the shape that `localizeServerError` takes. An `ApiError` keeps its
 * code and details, and any other error, such as a failed fetch, keeps only its message.
 */
export function toServerError(error: unknown): ServerError {
  if (error instanceof ApiError) return { code: error.code, message: error.message, details: error.details };
  return { message: error instanceof Error ? error.message : String(error) };
}

export function promptUrl(key: string, path = ""): string {
  return `/api/admin/prompts/${encodeURIComponent(key)}${path}`;
}

export function languageUrl(key: string, language: string, path = ""): string {
  return promptUrl(key, `/languages/${encodeURIComponent(language)}${path}`);
}

/** Read newline-delimited JSON events from a streamed response as they arrive. */
export async function readEventStream<Event>(response: Response, onEvent: (event: Event) => void): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.indexOf("\n");
    while (newline !== -1) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onEvent(JSON.parse(line) as Event);
      newline = buffer.indexOf("\n");
    }
  }
  if (buffer.trim()) onEvent(JSON.parse(buffer) as Event);
}
