import { parseServerErrorBody, type ServerError } from "@/lib/i18n/server-errors";

/**
 * Extract the error of a failed request. The chat transport throws with the response body as its
 * message, which for this app's routes is `{ error: { code, message } }`. Any other message becomes
 * an error without a code, so it is shown as is.
 */
export function readApiError(error: Error): ServerError {
  try {
    const parsed = parseServerErrorBody(JSON.parse(error.message));
    if (parsed) return parsed;
  } catch {
    // Not JSON: a network error or a stream error part, already a sentence.
  }
  return { message: error.message };
}

/** Read the error of a failed response from this app's JSON routes. A body without one gives the status line. */
export async function readResponseError(response: Response): Promise<ServerError> {
  try {
    const parsed = parseServerErrorBody(await response.json());
    if (parsed) return parsed;
  } catch {
    // The body is not JSON; fall back to the status line.
  }
  return { message: `${response.status} ${response.statusText}`.trim() };
}

/** `details.reason` of the 409 for a question sent while the conversation is still writing an answer. */
export const CONVERSATION_BUSY_REASON = "chat_conversation_busy";

/** Tell whether the server rejected the request because the conversation is still writing an answer. */
export function isConversationBusy(error: ServerError): boolean {
  return error.code === "conflict" && error.details?.reason === CONVERSATION_BUSY_REASON;
}
