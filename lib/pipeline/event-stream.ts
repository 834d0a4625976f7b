import type { DatabaseHandle } from "@/db/client";
import { getLastRunEventId, getRunById, listRunEvents } from "@/db/queries/runs";
import { finishedRunStatuses, type Run, type RunEvent } from "@/db/schema";
import type { Logger } from "@/lib/logger";
import { getRunNotifier, waitForRunChange } from "./notifier";
import { getRunDetail } from "./service";

const KEEPALIVE_MS = 15_000;
const EVENTS_PER_READ = 200;

export interface RunEventStreamParams {
  handle: DatabaseHandle;
  run: Run;
  /** Id of the last event the client received (`Last-Event-ID`); events after it are sent. */
  lastEventId?: number;
  pollMs: number;
  signal: AbortSignal;
  log: Logger;
  /** Check that the client may still read the stream, run every `accessCheckMs`. False ends the stream. */
  checkAccess?: () => Promise<boolean>;
  accessCheckMs?: number;
}

const ACCESS_CHECK_MS = 5000;

/**
 * Stream a run's server-sent events: first a `state` event with the run and its batches, then each
 * stored event in id order until `run_finished`. The SSE `id` is the event id, so a reconnecting
 * browser resumes after the last event it saw. Everything comes from the database, read on each
 * notification and every `pollMs`, so any instance can serve any run.
 */
export function createRunEventStream(params: RunEventStreamParams): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const { run, signal } = params;
  let closed = false;

  return new ReadableStream<Uint8Array>({
    start: async (controller) => {
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        controller.close();
      };
      signal.addEventListener("abort", close, { once: true });

      try {
        await streamRunEvents(params, send, () => closed);
      } catch (error) {
        params.log.error({ err: error, runId: run.id }, "run event stream failed");
        send(formatEvent("error", { message: "The event stream failed; reconnect to resume." }));
      } finally {
        close();
      }
    },
    cancel: () => {
      closed = true;
    },
  });
}

async function streamRunEvents(
  params: RunEventStreamParams,
  send: (text: string) => void,
  isClosed: () => boolean,
): Promise<void> {
  const { handle, run, signal } = params;
  const db = handle.db;
  const notifier = await getRunNotifier(handle);

  // Read the cursor before the snapshot: an event written in between is sent twice, never lost.
  let cursor = params.lastEventId ?? (await getLastRunEventId(db, { runId: run.id }));
  const current = (await getRunById(db, { runId: run.id })) ?? run;
  const snapshot = await getRunDetail(db, current, { calls: false });
  send("retry: 2000\n\n");
  send(formatEvent("state", snapshot, cursor));
  let finished = finishedRunStatuses.includes(current.status);
  let lastWrite = Date.now();
  let lastAccessCheck = Date.now();

  while (!isClosed() && !signal.aborted) {
    const events = await listRunEvents(db, { runId: run.id, afterId: cursor, limit: EVENTS_PER_READ });
    for (const event of events) {
      send(formatStoredEvent(event));
      cursor = event.id;
      if (event.type === "run_finished") finished = true;
      if (event.type === "retry_requested") finished = false;
    }
    if (events.length > 0) lastWrite = Date.now();
    if (events.length === EVENTS_PER_READ) continue;
    if (finished) return;

    if (params.checkAccess && Date.now() - lastAccessCheck >= (params.accessCheckMs ?? ACCESS_CHECK_MS)) {
      lastAccessCheck = Date.now();
      if (!(await params.checkAccess())) {
        params.log.info({ runId: run.id }, "run event stream closed: its credentials were revoked");
        send(formatEvent("access_revoked", { message: "Your access was revoked or expired; sign in again." }));
        return;
      }
    }
    if (Date.now() - lastWrite >= KEEPALIVE_MS) {
      send(": keepalive\n\n");
      lastWrite = Date.now();
    }
    await waitForRunChange(notifier, run.id, params.pollMs, signal);
  }
}

function formatStoredEvent(event: RunEvent): string {
  return formatEvent(event.type, { ...(event.data as object), at: event.createdAt }, event.id);
}

/** Format one SSE message; serialized JSON has no raw line breaks, so `data` is a single line. */
export function formatEvent(type: string, data: unknown, id?: number): string {
  const idLine = id === undefined ? "" : `id: ${id}\n`;
  return `${idLine}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}
