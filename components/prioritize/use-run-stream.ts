"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import {
  applyRunEvent,
  isRunFinished,
  type RunActivity,
  type RunEventMessage,
} from "@/lib/prioritization/ai-run-events";

/** Event names of `GET /api/v1/runs/{runId}/events` (see lib/pipeline/events.ts). */
const runEventTypes = [
  "state",
  "run_started",
  "batches_planned",
  "batch_started",
  "attempt",
  "repaired",
  "validated",
  "batch_result",
  "batch_failed",
  "batch_requeued",
  "cancel_requested",
  "retry_requested",
  "run_finished",
] as const;

/**
 * Follow a run's event stream from where `initial` left off and fold each event into its activity.
 * The stream is read from the database, so a page opened later, or on another instance,
 * re-attaches to a running run. It closes once the run has finished; `reconnect` opens it again,
 * such as after "retry failed batches".
 */
export function useRunStream(
  initial: RunActivity | null,
  onEvent?: (event: RunEventMessage) => void,
): { activity: RunActivity | null; streamError: string | null; reconnect: () => void } {
  const [activity, setActivity] = useState(initial);
  const [streamError, setStreamError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(initial);
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  const runId = initial?.runId ?? null;

  // Another run (a new `?run=`) starts from its own server-rendered activity. A re-render of the
  // same run replaces the activity only when the server has seen more events than the stream.
  useEffect(() => {
    const current = latest.current;
    if (current && initial && current.runId === initial.runId && current.lastEventId > initial.lastEventId) return;
    latest.current = initial;
    setActivity(initial);
  }, [initial]);

  useEffect(() => {
    const start = latest.current;
    if (!runId || !start || start.runId !== runId) return;
    if (generation === 0 && isRunFinished(start)) return;

    const source = new EventSource(`/api/v1/runs/${runId}/events?lastEventId=${start.lastEventId}`);
    const listeners = runEventTypes.map((type) => {
      const listener = (message: MessageEvent<string>) => {
        const id = message.lastEventId ? Number(message.lastEventId) : undefined;
        const event: RunEventMessage = { id, type, data: JSON.parse(message.data) as Record<string, unknown> };
        const current = latest.current;
        if (current) {
          latest.current = applyRunEvent(current, event);
          setActivity(latest.current);
        }
        setStreamError(null);
        onEventRef.current?.(event);
        if (type === "run_finished") source.close();
      };
      source.addEventListener(type, listener as EventListener);
      return [type, listener] as const;
    });
    // Fired for the server's own `error` event (a message) and for a dropped connection, which
    // EventSource retries by itself. The stream of a finished run is closed for good.
    const onError = (event: Event) => {
      if (event instanceof MessageEvent && typeof event.data === "string") {
        setStreamError((JSON.parse(event.data) as { message?: string }).message ?? null);
      }
      if (latest.current && isRunFinished(latest.current)) source.close();
    };
    source.addEventListener("error", onError);

    return () => {
      for (const [type, listener] of listeners) source.removeEventListener(type, listener as EventListener);
      source.removeEventListener("error", onError);
      source.close();
    };
  }, [runId, generation]);

  const reconnect = useCallback(() => setGeneration((value) => value + 1), []);
  return { activity, streamError, reconnect };
}
