import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { getRunById, listBatches } from "@/db/queries/runs";
import { finishedRunStatuses, type Run } from "@/db/schema";
import { describeEachEngine } from "@/lib/testing/database";
import {
  countOrphans,
  createBacklog,
  createReliabilityHarness,
  createWorkspaceWithUsers,
  findRunInconsistencies,
  type ReliabilityHarness,
  type RouteMocks,
  waitFor,
} from "./harness";

/**
 * 100 prioritization runs started at once over the API, on a two-item backlog (one batch per
 * theme). The model refuses the first 10 requests of the "Flaky" theme (content filter, never
 * retried), so exactly 10 runs end `partial` with the reason on their failed batch, and answers
 * two requests of the "Steady" theme with a 500, which the gateway's retries absorb.
 */

const mocks = vi.hoisted(() => ({}) as RouteMocks);
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => mocks.gateway,
}));
vi.mock("@/lib/pipeline/app-runtime", () => ({ getPipelineRuntime: async () => mocks.runtime }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    mocks.sessionUserId ? { user: { id: mocks.sessionUserId }, expires: "2999-01-01T00:00:00.000Z" } : null,
}));

const prioritizationsRoute = await import("@/app/api/v1/workspaces/[workspaceId]/prioritizations/route");

const RUNS = 100;
/** Requests of the "Flaky" theme refused by the content filter; each such batch fails. */
const FILTERED = 10;
/** Requests of the "Steady" theme answered with a 500; fewer than a batch's three attempts, so always absorbed. */
const RETRIED = 2;

describeEachEngine("100 runs at once", (engine) => {
  let harness: ReliabilityHarness;
  let workspaceId: string;
  let runIds: string[] = [];
  let statuses: number[] = [];
  let finished: Run[] = [];

  beforeAll(async () => {
    // No fault here hangs, so attempts get a long timeout. On a slow machine a timed-out request
    // may already have used up a fault, and the test would then count fewer partial runs.
    harness = await createReliabilityHarness(engine, mocks, {
      settings: { workerRuns: 8 },
      gateway: { attemptTimeoutMs: 20_000, deadlineMs: 60_000 },
    });
    const created = await createWorkspaceWithUsers(harness.handle, ["member"]);
    workspaceId = created.workspaceId;
    mocks.sessionUserId = created.users.member;
    await createBacklog(harness.handle, {
      workspaceId,
      actorId: created.users.member as string,
      themes: ["Steady", "Flaky"],
      perTheme: 1,
    });
    harness.simulator.setFaultRules([
      { match: '"theme":"Flaky"', fault: "content_filter", times: FILTERED },
      { match: '"theme":"Steady"', fault: "server_error", times: RETRIED },
    ]);

    const responses = await Promise.all(
      Array.from({ length: RUNS }, () =>
        prioritizationsRoute.POST(
          new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/prioritizations`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            // Every run proposes the same inputs again, so that each carries the same work.
            body: JSON.stringify({ framework: "rice", proposeAgain: true }),
          }),
          { params: Promise.resolve({ workspaceId }) },
        ),
      ),
    );
    statuses = responses.map((response) => response.status);
    runIds = await Promise.all(responses.map(async (response) => ((await response.json()) as { runId: string }).runId));
    finished = await waitFor(
      async () => {
        const rows = await Promise.all(runIds.map((runId) => getRunById(harness.handle.db, { runId })));
        return rows.every((row) => row && finishedRunStatuses.includes(row.status)) ? (rows as Run[]) : undefined;
      },
      150_000,
      `all ${RUNS} runs finished`,
    );
  }, 240_000);

  afterAll(async () => {
    mocks.sessionUserId = undefined;
    await harness?.close();
  });

  it("accepts every start with 202", () => {
    expect(statuses.filter((status) => status === 202)).toHaveLength(RUNS);
  });

  it("ends every run completed or partial", () => {
    const unexpected = finished.filter((run) => run.status !== "completed" && run.status !== "partial");

    expect(unexpected.map((run) => run.status)).toEqual([]);
    expect(finished.filter((run) => run.status === "partial")).toHaveLength(FILTERED);
  });

  it("gives a reason on every failed batch", async () => {
    const partial = finished.filter((run) => run.status === "partial");
    const failedBatches = (await Promise.all(partial.map((run) => listBatches(harness.handle.db, { runId: run.id }))))
      .flat()
      .filter((batch) => batch.status !== "succeeded");

    expect(failedBatches.every((batch) => (batch.error?.message ?? "").length > 0)).toBe(true);
    expect(failedBatches.every((batch) => batch.label.includes("Flaky"))).toBe(true);
  });

  it("keeps each run's records consistent", async () => {
    const problems = await Promise.all(
      runIds.map(async (runId) =>
        (await findRunInconsistencies(harness.handle, runId)).map((problem) => `${runId}: ${problem}`),
      ),
    );

    expect(problems.flat()).toEqual([]);
    expect(finished.every((run) => run.batchCount === 2)).toBe(true);
  });

  it("leaves no orphan batches or calls", async () => {
    expect(await countOrphans(harness.handle)).toEqual({ calls: 0, batches: 0 });
  });
});
