import type { ServerResponse } from "node:http";
import type { Timing } from "./completions";
import { embedText, encodeEmbeddingBase64, SIMULATED_EMBEDDING_DIMENSIONS } from "./embeddings";
import { type Fault, writeHttpFault } from "./faults";
import { delay, waitForAbort } from "./sse";
import { countTokens } from "./text";
import type { SimulatorRequestRecord } from "./types";

/** Respond to `POST /embeddings` with deterministic vectors, as floats or OpenAI's base64 encoding. */
export async function answerEmbeddings(
  response: ServerResponse,
  body: { input?: unknown; encoding_format?: string; dimensions?: number },
  model: string,
  faults: Fault[],
  timing: Timing,
  signal: AbortSignal,
  record: SimulatorRequestRecord,
): Promise<void> {
  await delay(timing.latencyMs, signal);
  for (const fault of faults) {
    if (writeHttpFault(response, fault, model)) {
      record.outcome = "error";
      return;
    }
  }
  if (faults.some((fault) => fault.name === "hang")) {
    await waitForAbort(signal);
    return;
  }
  if (faults.some((fault) => fault.name === "stream_reset")) {
    record.outcome = "reset";
    response.socket?.destroy();
    return;
  }

  const inputs =
    typeof body.input === "string" ? [body.input] : Array.isArray(body.input) ? body.input.map(String) : [];
  const dimensions = body.dimensions && body.dimensions > 0 ? body.dimensions : SIMULATED_EMBEDDING_DIMENSIONS;
  const base64 = body.encoding_format === "base64";
  const data = inputs.map((input, index) => {
    const vector = embedText(input, dimensions);
    return { object: "embedding", index, embedding: base64 ? encodeEmbeddingBase64(vector) : vector };
  });
  const tokens = inputs.reduce((sum, input) => sum + countTokens(input), 0);
  record.firstByteAt = performance.timeOrigin + performance.now();
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } }));
  record.outcome = "ok";
}
