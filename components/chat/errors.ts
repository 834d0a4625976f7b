/**
 * Extract the message of a failed request. The chat transport throws with the response body as its
 * message, which for this app's routes is `{ error: { message } }`; anything else is shown as is.
 */
export function readApiError(error: Error): string {
  try {
    const body = JSON.parse(error.message) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // Not JSON: a network error or a stream error part, already a sentence.
  }
  return error.message;
}

/** Read an error response of this app's JSON routes into its message. */
export async function readResponseError(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // The body is not JSON; fall back to the status line.
  }
  return `${response.status} ${response.statusText}`.trim();
}
