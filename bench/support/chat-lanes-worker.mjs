/**
 * The chat load generator, run in a worker thread so that reading many answer streams does not
 * share the event loop of a server that the benchmark hosts in its own process.
 *
 * Modes:
 * - `burst`: `lanes` questions sent at the same moment, one each.
 * - `steady`: `lanes` chats kept in flight. Lane i starts i × (spreadMs / lanes) ms after the
 *   first, so questions arrive evenly instead of in waves; each lane sends its next question when its
 *   answer ends. Questions sent after the last lane started are timed, until `requests` of them
 *   have answered; the lanes then stop.
 *
 * With `firstTokenOnly`, each answer is read up to its first token and then cancelled.
 *
 * Posts `{ timings: [{ ttftMs, totalMs }], sent }` (`sent`: every question sent, timed or not)
 * or `{ error }`.
 */
import { parentPort, workerData } from "node:worker_threads";

const { url, token, workspaceId, question, mode, lanes, requests, spreadMs, firstTokenOnly } = workerData;
let counter = 0;

async function ask() {
  counter += 1;
  const body = JSON.stringify({
    workspaceId,
    language: "en",
    message: {
      id: `bench-${process.pid}-${Date.now()}-${counter}`,
      role: "user",
      parts: [{ type: "text", text: question }],
    },
  });
  const startedAt = performance.now();
  const response = await fetch(`${url}/api/chat`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  });
  if (!response.ok || !response.body)
    throw new Error(`chat request failed: ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let head = "";
  let ttftMs;
  for await (const chunk of response.body) {
    if (ttftMs !== undefined) continue;
    head += decoder.decode(chunk, { stream: true });
    if (head.includes('"type":"text-delta"')) ttftMs = performance.now() - startedAt;
    // Leaving the loop cancels the stream, so the server stops generating.
    if (ttftMs !== undefined && firstTokenOnly) break;
  }
  if (ttftMs === undefined) throw new Error(`the chat response had no text: ${head.slice(0, 300)}`);
  return { ttftMs, totalMs: performance.now() - startedAt };
}

async function burst() {
  return Promise.all(Array.from({ length: lanes }, ask));
}

async function steady() {
  const timings = [];
  let started = 0;
  let stopping = false;
  const lane = async (index) => {
    await new Promise((resolve) => setTimeout(resolve, (index * spreadMs) / lanes));
    started += 1;
    while (!stopping) {
      const timed = started === lanes;
      const timing = await ask();
      if (timed && !stopping) {
        timings.push(timing);
        if (timings.length >= requests) stopping = true;
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, index) => lane(index)));
  return timings.slice(0, requests);
}

try {
  const timings = mode === "burst" ? await burst() : await steady();
  parentPort.postMessage({ timings, sent: counter });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
