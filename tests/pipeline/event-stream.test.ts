import { afterAll, beforeAll, expect, it } from "vitest";
import { getRunById } from "@/db/queries/runs";
import type { Run } from "@/db/schema";
import { logger } from "@/lib/logger";
import { createRunEventStream } from "@/lib/pipeline/event-stream";
import { cancelRun } from "@/lib/pipeline/service";
import { describeEachEngine } from "@/lib/testing/database";
import { createPipelineHarness, oneGroup, type PipelineHarness, waitFor } from "./harness";

interface StreamedEvent {
  id?: number;
  event: string;
  data: Record<string, unknown>;
}

/** Read a whole event stream (it closes after `run_finished`) and parse its messages. */
async function readEvents(stream: ReadableStream<Uint8Array>): Promise<StreamedEvent[]> {
  const text = await new Response(stream).text();
  return text
    .split("\n\n")
    .filter((block) => block.includes("event: "))
    .map((block) => {
      const fields = Object.fromEntries(
        block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
      );
      return {
        id: fields.id ? Number(fields.id) : undefined,
        event: fields.event ?? "",
        data: JSON.parse(fields.data ?? "{}") as Record<string, unknown>,
      };
    });
}

describeEachEngine("run event stream", (engine) => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await createPipelineHarness(engine, { settings: { eventsPollMs: 5000 } });
  });

  afterAll(async () => {
    await harness?.close();
  });

  function openStream(run: Run, lastEventId?: number) {
    return createRunEventStream({
      handle: harness.handle,
      run,
      lastEventId,
      pollMs: 5000,
      signal: new AbortController().signal,
      log: logger,
    });
  }

  it("sends the state first, then live events until the summary", async () => {
    harness.simulator.setFaultRules([{ match: "Batch live-a.", fault: "hang", times: 1 }]);
    const started = await harness.start(oneGroup("live-a"), { batchDeadlineSeconds: 1 });
    await waitFor(async () => harness.simulator.requestLog.find((entry) => entry.faults.includes("hang")));

    const events = await readEvents(openStream(started));
    const types = events.map((event) => event.event);

    expect(types[0]).toBe("state");
    expect((events[0]?.data.run as Run | undefined)?.status).toBe("running");
    expect(types).toContain("batch_failed");
    expect(types.at(-1)).toBe("run_finished");
    expect((events.at(-1)?.data.summary as { status: string } | undefined)?.status).toBe("failed");
  });

  it("resumes after the last event id on reconnect", async () => {
    const started = await harness.start(oneGroup("resume-a"));
    await harness.waitForRun(started.id);
    const all = await readEvents(openStream(started, 0));
    const batchStarted = all.find((event) => event.event === "batch_started");

    const resumed = await readEvents(openStream(started, batchStarted?.id));

    expect(resumed[0]?.event).toBe("state");
    expect(resumed.slice(1).map((event) => event.event)).toEqual([
      "attempt",
      "validated",
      "batch_result",
      "run_finished",
    ]);
    expect(resumed.slice(1).every((event) => (event.id ?? 0) > (batchStarted?.id ?? 0))).toBe(true);
  });

  it("ends when access is revoked", async () => {
    harness.simulator.setFaultRules([{ match: "Batch revoked-a.", fault: "hang", times: 1 }]);
    const started = await harness.start(oneGroup("revoked-a"), { batchDeadlineSeconds: 30 });
    await waitFor(async () => harness.simulator.requestLog.find((entry) => entry.faults.includes("hang")));
    let checks = 0;

    const stream = createRunEventStream({
      handle: harness.handle,
      run: started,
      pollMs: 20,
      signal: new AbortController().signal,
      log: logger,
      accessCheckMs: 0,
      checkAccess: async () => ++checks < 2,
    });
    const events = await readEvents(stream);
    const run = await getRunById(harness.handle.db, { runId: started.id });

    expect(events.at(-1)?.event).toBe("access_revoked");
    expect(events.map((event) => event.event)).not.toContain("run_finished");
    expect(run?.status).toBe("running");
    await cancelRun(harness.runtime, started);
  });

  it("closes after the state for a finished run", async () => {
    const started = await harness.start(oneGroup("finished-a"));
    await harness.waitForRun(started.id);

    const events = await readEvents(openStream(started));

    expect(events.map((event) => event.event)).toEqual(["state"]);
    expect((events[0]?.data.run as Run | undefined)?.status).toBe("completed");
    expect(events[0]?.data.batches).toHaveLength(1);
  });
});
