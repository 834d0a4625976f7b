import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listPromptVersions } from "@/db/queries/prompts";
import { getRunById } from "@/db/queries/runs";
import { user } from "@/db/schema";
import type { Gateway } from "@/lib/ai";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { mayStillReadRunKind } from "@/lib/pipeline/service";
import type { TestMatrix } from "@/lib/prompt-admin/test-matrix";
import { describeEachEngine } from "@/lib/testing/database";
import {
  BASE_URL,
  createPromptAdminHarness,
  jsonRequest,
  type PromptAdminHarness,
  type RoleName,
  routeContext,
  waitFor,
} from "./harness";

// The routes read the process-wide database, gateway and pipeline; point them at this test's.
const current = vi.hoisted(() => ({
  handle: undefined as DatabaseHandle | undefined,
  gateway: undefined as Gateway | undefined,
  runtime: undefined as PipelineRuntime | undefined,
}));
vi.mock("@/db", () => ({ getDatabase: async () => current.handle, getDb: async () => current.handle?.db }));
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => current.gateway,
  getModelInfo: () => current.gateway?.getModelInfo(),
}));
vi.mock("@/lib/pipeline/app-runtime", () => ({ getPipelineRuntime: async () => current.runtime }));

const draft = await import("@/app/api/admin/prompts/[key]/languages/[language]/draft/route");
const testRuns = await import("@/app/api/admin/prompts/[key]/test-runs/route");
const matrix = await import("@/app/api/admin/prompts/[key]/test-runs/[testRunId]/route");
const runsRoute = await import("@/app/api/v1/runs/route");
const runRoute = await import("@/app/api/v1/runs/[runId]/route");
const eventsRoute = await import("@/app/api/v1/runs/[runId]/events/route");
const cancelRoute = await import("@/app/api/v1/runs/[runId]/cancel/route");
const retryRoute = await import("@/app/api/v1/runs/[runId]/retry/route");

const KEY = "prioritizer";
const RUNS_URL = "http://127.0.0.1/api/v1/runs";
const DRAFT_MARKER = "Unpublished draft wording 7f3a";

describeEachEngine("prompt test runs in the runs API", (engine) => {
  let harness: PromptAdminHarness;
  let runId: string;
  let runKind: string;

  const headersOf = (role: RoleName) => harness.users[role].headers;

  beforeAll(async () => {
    harness = await createPromptAdminHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    current.runtime = harness.runtime;
    const editor = headersOf("editor");

    const [latest] = await listPromptVersions(harness.handle.db, { key: KEY, language: "en" });
    if (!latest) throw new Error("prioritizer has no English version");
    const saved = await draft.PUT(
      jsonRequest(`${BASE_URL}/${KEY}/languages/en/draft`, "PUT", editor, {
        systemText: `${latest.systemText}\n${DRAFT_MARKER}`,
        userTemplate: latest.userTemplate,
        parameters: latest.parameters,
        baseVersionId: latest.id,
        baseDraftRevision: null,
      }),
      routeContext({ key: KEY, language: "en" }),
    );
    if (saved.status !== 200) throw new Error(`draft save failed with ${saved.status}`);

    const started = await testRuns.POST(
      jsonRequest(`${BASE_URL}/${KEY}/test-runs`, "POST", editor, {
        targets: [{ language: "en", versionId: null }],
      }),
      routeContext({ key: KEY }),
    );
    const { testRun } = (await started.json()) as { testRun: { id: string; pipelineRunId: string } };
    runId = testRun.pipelineRunId;
    runKind = (await getRunById(harness.handle.db, { runId }))?.kind ?? "";

    // Wait for the run to finish, so that its model calls and events are stored.
    await waitFor(async () => {
      const response = await matrix.GET(
        jsonRequest(`${BASE_URL}/${KEY}/test-runs/${testRun.id}`, "GET", editor),
        routeContext({ key: KEY, testRunId: testRun.id }),
      );
      const view = (await response.json()) as TestMatrix;
      return view.status === "completed" ? view : undefined;
    }, 60_000);
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  const listRuns = (role: RoleName) =>
    runsRoute.GET(
      jsonRequest(`${RUNS_URL}?workspaceId=${harness.workspaceId}`, "GET", headersOf(role)),
      routeContext({}),
    );
  const getRun = (role: RoleName, query = "") =>
    runRoute.GET(jsonRequest(`${RUNS_URL}/${runId}${query}`, "GET", headersOf(role)), routeContext({ runId }));
  const getEvents = (role: RoleName) =>
    eventsRoute.GET(jsonRequest(`${RUNS_URL}/${runId}/events`, "GET", headersOf(role)), routeContext({ runId }));

  it("starts a prompt test run with the draft", () => {
    expect(runKind).toBe("prompt_test.prioritization_proposals");
  });

  it.each(["viewer", "member"] as const)("leaves the run out of a %s's list", async (role) => {
    const response = await listRuns(role);
    const body = (await response.json()) as { runs: Array<{ id: string; kind: string }> };

    expect(response.status).toBe(200);
    expect(body.runs.map((run) => run.id)).not.toContain(runId);
    expect(body.runs.some((run) => run.kind.startsWith("prompt_test."))).toBe(false);
  });

  it.each(["editor", "admin"] as const)("lists the run for an %s", async (role) => {
    const response = await listRuns(role);
    const body = (await response.json()) as { runs: Array<{ id: string }> };

    expect(response.status).toBe(200);
    expect(body.runs.map((run) => run.id)).toContain(runId);
  });

  it("lists the run for an admin across workspaces", async () => {
    const response = await runsRoute.GET(jsonRequest(RUNS_URL, "GET", headersOf("admin")), routeContext({}));
    const body = (await response.json()) as { runs: Array<{ id: string }> };

    expect(body.runs.map((run) => run.id)).toContain(runId);
  });

  it.each(["viewer", "member"] as const)("hides the run's detail from a %s as not found", async (role) => {
    for (const query of ["", "?include=calls"]) {
      const response = await getRun(role, query);
      const text = await response.text();

      expect(response.status).toBe(404);
      expect(JSON.parse(text).error.details.params.resource).toBe("run");
      expect(text).not.toContain(DRAFT_MARKER);
    }
  });

  it("answers like a missing run to a viewer", async () => {
    const missingId = "00000000-0000-4000-8000-000000000000";
    const missing = await runRoute.GET(
      jsonRequest(`${RUNS_URL}/${missingId}`, "GET", headersOf("viewer")),
      routeContext({ runId: missingId }),
    );
    const hidden = await getRun("viewer");

    expect(hidden.status).toBe(missing.status);
    expect(await hidden.json()).toEqual(await missing.json());
  });

  it.each(["editor", "admin"] as const)("returns the run with its calls to an %s", async (role) => {
    const response = await getRun(role, "?include=calls");
    const body = (await response.json()) as {
      run: { input: { drafts: Record<string, { systemText: string }> } };
      calls: unknown[];
    };

    expect(response.status).toBe(200);
    expect(body.run.input.drafts.en?.systemText).toContain(DRAFT_MARKER);
    expect(body.calls.length).toBeGreaterThan(0);
  });

  it.each(["viewer", "member"] as const)("hides the event stream from a %s", async (role) => {
    const response = await getEvents(role);
    const text = await response.text();

    expect(response.status).toBe(404);
    expect(text).not.toContain(DRAFT_MARKER);
  });

  it("streams the run's events to an editor", async () => {
    const response = await getEvents("editor");
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(text).toContain("event: state");
    expect(text).toContain(DRAFT_MARKER);
  });

  it.each([
    ["cancel", cancelRoute],
    ["retry", retryRoute],
  ] as const)("hides the run from a member's %s", async (action, route) => {
    const response = await route.POST(
      jsonRequest(`${RUNS_URL}/${runId}/${action}`, "POST", headersOf("member")),
      routeContext({ runId }),
    );

    expect(response.status).toBe(404);
  });

  it("rechecks the role of an open stream", async () => {
    const db = harness.handle.db;
    const userId = harness.users.editor.userId;
    const before = await mayStillReadRunKind(db, { userId, kind: runKind });
    await db.update(user).set({ role: "member" }).where(eq(user.id, userId));
    const after = await mayStillReadRunKind(db, { userId, kind: runKind });
    const otherKind = await mayStillReadRunKind(db, { userId, kind: "prioritization" });
    await db.update(user).set({ role: "editor" }).where(eq(user.id, userId));

    expect(before).toBe(true);
    expect(after).toBe(false);
    expect(otherKind).toBe(true);
  });
});
