import { Worker } from "node:worker_threads";

export interface ChatLaneTiming {
  /** From sending the question to reading the first text chunk, in milliseconds. */
  ttftMs: number;
  /** From sending the question to the end of the answer, in milliseconds. */
  totalMs: number;
}

export interface ChatLaneParams {
  url: string;
  token: string;
  workspaceId: string;
  question: string;
  /** `burst`: `lanes` questions at once. `steady`: `lanes` chats in flight, arrivals spread evenly. */
  mode: "burst" | "steady";
  lanes: number;
  /** Steady mode: how many questions to time once every lane has started. */
  requests?: number;
  /** Steady mode: the time over which the lanes start, about one answer's length. */
  spreadMs?: number;
  /** Cancel each answer after its first token, which shortens sequential runs (one lane). */
  firstTokenOnly?: boolean;
}

export interface ChatLanesResult {
  timings: ChatLaneTiming[];
  /** Every question sent, the untimed ones of steady mode included. */
  sent: number;
}

/** Ask chat questions from a worker thread (see `chat-lanes-worker.mjs`) and return their timings. */
export function runChatLanes(params: ChatLaneParams): Promise<ChatLanesResult> {
  const worker = new Worker(new URL("./chat-lanes-worker.mjs", import.meta.url), {
    workerData: { requests: params.lanes, spreadMs: 0, ...params },
  });
  return new Promise((resolve, reject) => {
    worker.once("message", (message: { timings?: ChatLaneTiming[]; sent?: number; error?: string }) => {
      void worker.terminate();
      if (message.timings) resolve({ timings: message.timings, sent: message.sent ?? message.timings.length });
      else reject(new Error(message.error ?? "the chat lanes failed"));
    });
    worker.once("error", reject);
  });
}
