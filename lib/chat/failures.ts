import type { ChatAnswerErrorKind } from "./types";

/** Error texts of the answer stream, in English. The chat panel shows a localized note as well. */
export const ANSWER_ERROR_MESSAGES: Record<ChatAnswerErrorKind, string> = {
  failed: "The answer could not be completed. Try again; if it keeps failing, contact an admin.",
  timeout: "The model did not answer in time. Try again; if it keeps failing, contact an admin.",
  content_filter:
    "The model provider's content filter blocked this answer, and asking again gives the same result. Rephrase the question.",
  configuration: "The chat model is not set up correctly, so no answer could be written. Contact an admin.",
};

/** Model error kinds that only an admin can fix, by changing the model settings or credentials. */
const CONFIGURATION_ERROR_KINDS = new Set([
  "authentication",
  "permission",
  "deployment_not_found",
  "api_version",
  "not_found",
  "not_configured",
]);

/**
 * Read the kind of a `ModelError` in the error or its causes. It checks the name, not the class,
 * because under Next.js the gateway can come from another module copy, where `instanceof` is false.
 */
function readModelErrorKind(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { name?: unknown; kind?: unknown; cause?: unknown };
    if (candidate.name === "ModelError" && typeof candidate.kind === "string") return candidate.kind;
    current = candidate.cause;
  }
  return undefined;
}

/** Classify an error that ended an answer, for its stored `metadata.error` and its stream message. */
export function classifyAnswerError(error: unknown): ChatAnswerErrorKind {
  const kind = readModelErrorKind(error);
  if (kind === "content_filter") return "content_filter";
  if (kind === "timeout") return "timeout";
  if (kind !== undefined && CONFIGURATION_ERROR_KINDS.has(kind)) return "configuration";
  return "failed";
}
