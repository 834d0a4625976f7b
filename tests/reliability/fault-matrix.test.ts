import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listBatches, listModelCalls } from "@/db/queries/runs";
import type { Run, RunBatch } from "@/db/schema";
import { type FaultName, faultDescriptions } from "@/lib/ai/simulator/faults";
import { describeEachEngine } from "@/lib/testing/database";
import {
  collectUnhandledRejections,
  createBacklog,
  createReliabilityHarness,
  createWorkspaceWithUsers,
  findRunInconsistencies,
  type ReliabilityHarness,
  type RouteMocks,
  waitForFinishedRun,
} from "./harness";

/**
 * Every simulator fault, once against a prioritization run and once against a chat answer, over
 * the real routes. The fault hits the first matching request only (a fault rule with `times: 1`),
 * so a retry, if the gateway or pipeline makes one, meets a healthy model. The table below must
 * name every fault the simulator knows: a new fault without an expected outcome fails the suite.
 */

const mocks = vi.hoisted(() => ({}) as RouteMocks);
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => mocks.gateway,
  getLanguageModel: (role: "fast" | "smart", options?: { promptKey?: string }) =>
    mocks.gateway?.getLanguageModel(role, options),
}));
vi.mock("@/lib/pipeline/app-runtime", () => ({ getPipelineRuntime: async () => mocks.runtime }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    mocks.sessionUserId ? { user: { id: mocks.sessionUserId }, expires: "2999-01-01T00:00:00.000Z" } : null,
}));

const prioritizationsRoute = await import("@/app/api/v1/workspaces/[workspaceId]/prioritizations/route");
const chatRoute = await import("@/app/api/chat/route");

/**
 * Outcome of a two-batch run whose first batch meets the fault: `completed` when the fault is
 * recovered (retried, repaired or harmless), `partial` when that batch fails with a clear error
 * and the other batch's result is kept.
 */
type RunOutcome = { status: "completed" | "partial"; error?: string };
/**
 * Outcome of a chat answer: `answered` (full text), `cut` (text, ended early), `filtered` (text,
 * then an error part), `error` (the stream's error part only).
 */
type ChatOutcome = "answered" | "cut" | "filtered" | "error";

interface Expectation {
  run: RunOutcome;
  chat: ChatOutcome;
  /** The gateway may send the request again after this fault; false means exactly one request. */
  retried: boolean;
  /** Parameter that keeps the test fast, such as a short retry-after. */
  param?: string;
}

const recovered = (param?: string): Expectation => ({
  run: { status: "completed" },
  chat: "answered",
  retried: true,
  param,
});
const rejected = (code: string): Expectation => ({
  run: { status: "partial", error: code },
  chat: "error",
  retried: false,
});
const harmless: Expectation = { run: { status: "completed" }, chat: "answered", retried: false };

const expectations: Record<FaultName, Expectation> = {
  rate_limit_retry_after: recovered("1"),
  rate_limit_retry_after_date: recovered("1"),
  rate_limit_retry_after_ms: recovered("100"),
  rate_limit_reset_tokens: recovered("100ms"),
  server_error: recovered(),
  service_unavailable: recovered(),
  hang: recovered(),
  // The run's request is not streamed, so a reset is retried; a chat has already sent tokens.
  stream_reset: { ...recovered(), chat: "error" },
  content_filter: rejected("content_filter"),
  context_length_exceeded: rejected("context_length_exceeded"),
  deployment_not_found: rejected("deployment_not_found"),
  unauthorized: rejected("authentication"),
  api_version_not_supported: rejected("api_version"),
  finish_length: { run: { status: "completed" }, chat: "cut", retried: true },
  finish_content_filter: { run: { status: "partial", error: "content_filtered" }, chat: "filtered", retried: false },
  malformed_fences: harmless,
  malformed_prose: harmless,
  malformed_trailing_commas: harmless,
  malformed_comments: harmless,
  malformed_single_quotes: harmless,
  malformed_raw_newlines: harmless,
  malformed_hash_comments: harmless,
  // Not repairable in place: the pipeline's correction request gets a clean answer.
  malformed_unescaped_quote: { ...harmless, retried: true },
  // The pipeline sends a correction request with the validation errors; a chat answer is unchanged.
  invalid_value: { run: { status: "completed" }, chat: "answered", retried: true },
  azure_empty_first_chunk: harmless,
  azure_filter_chunks: harmless,
  split_events: harmless,
  split_multibyte: harmless,
  data_in_content: harmless,
};

const faultNames = Object.keys(faultDescriptions) as FaultName[];
/** The answer stream's error part; its text depends on the fault (see lib/chat/failures.ts). */
const STREAM_FAILURE = '"type":"error"';

describe("fault matrix table", () => {
  it("names every simulator fault", () => {
    expect(Object.keys(expectations).sort()).toEqual([...faultNames].sort());
  });
});

describeEachEngine("fault matrix", (engine) => {
  let harness: ReliabilityHarness;
  let workspaceId: string;
  let itemIds: string[];

  beforeAll(async () => {
    harness = await createReliabilityHarness(engine, mocks);
    const created = await createWorkspaceWithUsers(harness.handle, ["member"]);
    workspaceId = created.workspaceId;
    mocks.sessionUserId = created.users.member;
    itemIds = await createBacklog(harness.handle, {
      workspaceId,
      actorId: created.users.member as string,
      themes: ["Faulted", "Healthy"],
      perTheme: 2,
    });
  });

  afterAll(async () => {
    mocks.sessionUserId = undefined;
    await harness?.close();
  });

  function ruleFor(fault: FaultName, match: string) {
    const param = expectations[fault].param;
    return [{ match, fault: param ? `${fault}:${param}` : fault, times: 1 }];
  }

  /** Chat-completion requests the simulator served since `since` (a request log index). */
  function completionRequests(since: number) {
    return harness.simulator.requestLog.slice(since).filter((record) => record.kind === "chat");
  }

  async function startRun(): Promise<string> {
    const response = await prioritizationsRoute.POST(
      new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/prioritizations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        // Each run proposes the same inputs again, so that every fault case runs the same batch.
        body: JSON.stringify({ itemIds, framework: "rice", maxItemsPerBatch: 10, proposeAgain: true }),
      }),
      { params: Promise.resolve({ workspaceId }) },
    );
    expect(response.status).toBe(202);
    return ((await response.json()) as { runId: string }).runId;
  }

  describe.each(faultNames)("%s", (fault) => {
    const expected = expectations[fault];

    it("ends the run as expected", async () => {
      let run: Run | undefined;
      let batches: RunBatch[] = [];
      let since = 0;
      const rejections = await collectUnhandledRejections(async () => {
        since = harness.simulator.requestLog.length;
        // The faulted batch's items are in the prompt as JSON; the embedding queries never contain this.
        harness.simulator.setFaultRules(ruleFor(fault, '"theme":"Faulted"'));
        run = await waitForFinishedRun(harness.handle, await startRun());
        batches = await listBatches(harness.handle.db, { runId: run.id });
      });
      harness.simulator.setFaultRules([]);
      const faulted = batches.find((batch) => batch.label.includes("Faulted"));
      const healthy = batches.find((batch) => batch.label.includes("Healthy"));
      const calls = await listModelCalls(harness.handle.db, { runId: run?.id as string });
      const faultedRequests = completionRequests(since).filter((record) => record.faults.length > 0);

      expect(rejections).toEqual([]);
      expect(run?.status).toBe(expected.run.status);
      expect(await findRunInconsistencies(harness.handle, run?.id as string)).toEqual([]);
      expect(healthy?.status).toBe("succeeded");
      expect(faulted?.status).toBe(expected.run.status === "completed" ? "succeeded" : "failed");
      if (expected.run.error) expect(faulted?.error?.code).toBe(expected.run.error);
      expect(faultedRequests).toHaveLength(1);
      if (!expected.retried) {
        expect(calls.filter((call) => call.batchId === faulted?.id)).toHaveLength(1);
      }
    });

    it("ends the chat answer as expected", async () => {
      let status = 0;
      let text = "";
      let since = 0;
      const rejections = await collectUnhandledRejections(async () => {
        since = harness.simulator.requestLog.length;
        harness.simulator.setFaultRules(ruleFor(fault, "<ranking>"));
        const response = await chatRoute.POST(
          new Request("http://127.0.0.1/api/chat", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              workspaceId,
              language: "en",
              message: {
                id: `fault-${fault}-${engine}`,
                role: "user",
                parts: [{ type: "text", text: "What is on top?" }],
              },
            }),
          }),
          { params: Promise.resolve({}) },
        );
        status = response.status;
        text = await response.text();
      });
      harness.simulator.setFaultRules([]);
      const requests = completionRequests(since);
      const answer = text
        .split("\n\n")
        .filter((event) => event.startsWith('data: {"type":"text-delta"'))
        .map((event) => (JSON.parse(event.slice(6)) as { delta: string }).delta)
        .join("");

      expect(rejections).toEqual([]);
      expect(status).toBe(200);
      if (expected.chat === "error") {
        expect(text).toContain(STREAM_FAILURE);
      } else if (expected.chat === "filtered") {
        expect(text).toContain(STREAM_FAILURE);
        expect(answer.length).toBeGreaterThan(0);
      } else {
        expect(text).not.toContain(STREAM_FAILURE);
        expect(answer.length).toBeGreaterThan(0);
      }
      expect(requests.filter((record) => record.faults.length > 0)).toHaveLength(1);
      if (!expected.retried) expect(requests).toHaveLength(1);
    });
  });
});
