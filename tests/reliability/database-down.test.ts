import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { openDatabase } from "@/db/open";
import { listBatches } from "@/db/queries/runs";
import { logger } from "@/lib/logger";
import {
  createBacklog,
  createReliabilityHarness,
  createWorkspaceWithUsers,
  findRunInconsistencies,
  type ReliabilityHarness,
  type RouteMocks,
  waitFor,
  waitForFinishedRun,
} from "./harness";
import { type PrivatePostgres, privatePostgresUnavailableReason, startPrivatePostgres } from "./private-postgres";

/**
 * The app's Postgres stops for 10 seconds in the middle of a prioritization run, then comes back.
 * Meanwhile requests fail fast with a 503 stating that the database cannot be reached, and afterwards
 * the same process serves requests and runs again: no restart, no stuck run. The server is a
 * private cluster, so the machine's shared Postgres is never stopped.
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

const rankingRoute = await import("@/app/api/v1/workspaces/[workspaceId]/ranking/route");
const prioritizationsRoute = await import("@/app/api/v1/workspaces/[workspaceId]/prioritizations/route");
const healthRoute = await import("@/app/api/health/route");

/** How long the database stays down, in milliseconds. */
const OUTAGE_MS = 10_000;
/** Interval between requests sent during the outage, in milliseconds. */
const REQUEST_INTERVAL_MS = 500;

const skipReason = privatePostgresUnavailableReason();
if (skipReason) console.warn(`database-down test skipped: ${skipReason}`);

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(skipReason !== undefined)("database down for 10 s [private postgres]", () => {
  let cluster: PrivatePostgres;
  let handle: DatabaseHandle;
  let harness: ReliabilityHarness;
  let workspaceId: string;

  beforeAll(async () => {
    cluster = startPrivatePostgres(await findFreePort());
    handle = await openDatabase({ url: cluster.url, poolMax: 5 });
    harness = await createReliabilityHarness("postgres", mocks, {
      handle,
      simulator: { latencyMs: 300 },
      settings: { leaseSeconds: 2, runDefaults: { concurrency: 1, batchDeadlineSeconds: 60, maxRetries: 2 } },
    });
    const created = await createWorkspaceWithUsers(handle, ["member"]);
    workspaceId = created.workspaceId;
    mocks.sessionUserId = created.users.member;
    await createBacklog(handle, {
      workspaceId,
      actorId: created.users.member as string,
      themes: ["One", "Two", "Three", "Four"],
      perTheme: 1,
    });
  }, 120_000);

  afterAll(async () => {
    mocks.sessionUserId = undefined;
    await harness?.close();
    await handle?.close();
    cluster?.destroy();
  });

  const params = () => ({ params: Promise.resolve({ workspaceId }) });
  const getRanking = () =>
    rankingRoute.GET(new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/ranking`), params());
  const startRun = () =>
    prioritizationsRoute.POST(
      new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/prioritizations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        // Each run proposes the same inputs again, so that a later run still has work.
        body: JSON.stringify({ framework: "rice", proposeAgain: true }),
      }),
      params(),
    );

  it("answers 503 while down and recovers without a restart", async () => {
    const started = await startRun();
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    await waitFor(async () => {
      const batches = await listBatches(handle.db, { runId });
      return batches.some((batch) => batch.status === "succeeded") ? true : undefined;
    });

    // Every request of the outage logs its driver error with a stack; keep the test output readable.
    const logLevel = logger.level;
    logger.level = "fatal";
    cluster.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    const rankingResponses: Array<{ status: number; code?: string; message?: string }> = [];
    const otherStatuses: number[] = [];
    while (Date.now() < outageEnds) {
      const response = await getRanking();
      const body = (await response.json()) as { error?: { code: string; message: string } };
      rankingResponses.push({ status: response.status, code: body.error?.code, message: body.error?.message });
      otherStatuses.push((await healthRoute.GET(new Request("http://127.0.0.1/api/health"), params())).status);
      otherStatuses.push((await startRun()).status);
      await new Promise((resolve) => setTimeout(resolve, REQUEST_INTERVAL_MS));
    }
    cluster.start();

    const recovered = await waitFor(
      async () => {
        const response = await getRanking();
        return response.status === 200 ? response : undefined;
      },
      30_000,
      "ranking answered 200 after the restart",
    );
    logger.level = logLevel;
    const interrupted = await waitForFinishedRun(handle, runId, 90_000);
    const after = await startRun();
    const { runId: laterRunId } = (await after.json()) as { runId: string };
    const later = await waitForFinishedRun(handle, laterRunId, 60_000);

    expect(rankingResponses.length).toBeGreaterThan(5);
    expect(rankingResponses.every((response) => response.status === 503)).toBe(true);
    expect(rankingResponses.every((response) => response.code === "database_unavailable")).toBe(true);
    expect(rankingResponses[0]?.message).toMatch(/database cannot be reached/);
    expect(otherStatuses.every((status) => status === 503)).toBe(true);
    expect(recovered.status).toBe(200);
    expect(await findRunInconsistencies(handle, interrupted.id)).toEqual([]);
    expect(after.status).toBe(202);
    expect(later.status).toBe("completed");
  }, 240_000);
});
