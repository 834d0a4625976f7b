/** One chunk of an AI SDK UI message stream as it arrives over server-sent events. */
export interface StreamChunk {
  type: string;
  [key: string]: unknown;
}

/** Read a UI message stream response to its end and parse its `data:` events. */
export async function readUiStream(response: Response): Promise<StreamChunk[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .map((event) => event.trim())
    .filter((event) => event.startsWith("data: ") && event !== "data: [DONE]")
    .map((event) => JSON.parse(event.slice("data: ".length)) as StreamChunk);
}

export function answerText(chunks: StreamChunk[]): string {
  return chunks
    .filter((chunk) => chunk.type === "text-delta")
    .map((chunk) => chunk.delta as string)
    .join("");
}

export function dataPart<T>(chunks: StreamChunk[], type: string): T | undefined {
  return chunks.find((chunk) => chunk.type === type)?.data as T | undefined;
}
