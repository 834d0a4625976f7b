import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { setDatabaseForTests } from "@/db";
import { revokeApiToken } from "@/db/queries/api";
import type { Run } from "@/db/schema";
import { createAccessCheck, requireActor } from "@/lib/auth/actor";
import { setPipelineRuntimeForTests } from "@/lib/pipeline/app-runtime";
import { registerTasks } from "@/lib/pipeline/task";
import { prioritizationTask } from "@/lib/prioritization/ai-task";
import { promptTestTasks } from "@/lib/prompt-admin/test-task";
import { describeEachEngine } from "@/lib/testing/database";
import { callRoute, createTokenUser, createWorkspace, jsonBody } from "../api/harness";
import { createPipelineHarness, oneGroup, type PipelineHarness, TEST_TASK_KIND } from "./harness";

const runsRoute = await import("@/app/api/v1/runs/route");
const runRoute = await import("@/app/api/v1/runs/[runId]/route");
const cancelRoute = await import("@/app/api/v1/runs/[runId]/cancel/route");
const retryRoute = await import("@/app/api/v1/runs/[runId]/retry/route");
const eventsRoute = await import("@/app/api/v1/runs/[runId]/events/route");

type TokenUser = Awaited<ReturnType<typeof createTokenUser>>;

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; fields?: { path: string }[] } }).error;
}

describeEachEngine("run API routes", (engine) => {
  let harness: PipelineHarness;
  let workspaceId: string;
  let member: TokenUser;
  let outsider: TokenUser;
  let viewer: TokenUser;
  let admin: TokenUser;

  beforeAll(async () => {
    harness = await createPipelineHarness(engine);
    setDatabaseForTests(harness.handle);
    setPipelineRuntimeForTests(harness.runtime);
    workspaceId = await createWorkspace(harness.handle);
    const otherWorkspaceId = await createWorkspace(harness.handle);
    member = await createTokenUser(harness.handle, { workspaceIds: [workspaceId] });
    outsider = await createTokenUser(harness.handle, { workspaceIds: [otherWorkspaceId] });
    viewer = await createTokenUser(harness.handle, { workspaceIds: [workspaceId], role: "viewer" });
    admin = await createTokenUser(harness.handle, { workspaceIds: [], role: "admin" });
  });

  afterAll(async () => {
    setPipelineRuntimeForTests(undefined);
    setDatabaseForTests(undefined);
    await harness?.close();
  });

  function startThroughApi(body: Record<string, unknown>, user: TokenUser = member) {
    const json = jsonBody(body);
    return callRoute(runsRoute.POST, {
      path: "/api/v1/runs",
      method: "POST",
      headers: { ...user.headers, ...json.headers },
      body: json.body,
    });
  }

  async function startedRun(label: string): Promise<Run> {
    const response = await startThroughApi({ workspaceId, kind: TEST_TASK_KIND, input: oneGroup(label) });
    return ((await response.json()) as { run: Run }).run;
  }

  function getRun(runId: string, user: TokenUser, query = "") {
    return callRoute(runRoute.GET, { path: `/api/v1/runs/${runId}${query}`, headers: user.headers, params: { runId } });
  }

  it("starts a run and answers 202 at once", async () => {
    const response = await startThroughApi({ workspaceId, kind: TEST_TASK_KIND, input: oneGroup("api-start") });
    const body = (await response.json()) as { run: Run };

    expect(response.status).toBe(202);
    expect(body.run.status).toBe("queued");
    expect(response.headers.get("location")).toBe(`/api/v1/runs/${body.run.id}`);
  });

  it("authenticates before validating input", async () => {
    // A revoked or made-up token is rejected without reading the session, as an anonymous caller is.
    const headers = { authorization: "Bearer not-a-real-token" };
    const json = jsonBody({});
    const start = await callRoute(runsRoute.POST, {
      path: "/api/v1/runs",
      method: "POST",
      headers: { ...headers, ...json.headers },
      body: json.body,
    });
    const list = await callRoute(runsRoute.GET, { path: "/api/v1/runs?limit=abc", headers });
    const detail = await callRoute(runRoute.GET, {
      path: "/api/v1/runs/00000000-0000-4000-8000-000000000000?include=nope",
      headers,
      params: { runId: "00000000-0000-4000-8000-000000000000" },
    });

    expect(start.status).toBe(401);
    expect(list.status).toBe(401);
    expect(detail.status).toBe(401);
  });

  it("rejects an unknown kind naming the field", async () => {
    const response = await startThroughApi({ workspaceId, kind: "nope", input: {} });

    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain('Unknown run kind "nope"');
  });

  it("leaves prompt tests to the prompt admin", async () => {
    registerTasks(...promptTestTasks);
    const input = { testRunId: randomUUID(), promptKey: "prioritizer", drafts: {} };
    const response = await startThroughApi({ workspaceId, kind: "prompt_test.prioritization_proposals", input });
    const body = (await response.json()) as { error: { message: string; details?: { field?: string } } };

    expect(response.status).toBe(400);
    expect(body.error.details?.field).toBe("kind");
    expect(body.error.message).toContain("/api/admin/prompts/{key}/test-runs");
  });

  it("keeps members within the server's run limits", async () => {
    const limits = harness.runtime.deps.settings.runDefaults;
    const input = oneGroup("api-limits");
    const above = await startThroughApi({
      workspaceId,
      kind: TEST_TASK_KIND,
      input,
      options: { concurrency: limits.concurrency + 1 },
    });
    const below = await startThroughApi({ workspaceId, kind: TEST_TASK_KIND, input, options: { concurrency: 1 } });
    const body = (await above.json()) as { error: { message: string; details?: { field?: string } } };

    expect(above.status).toBe(400);
    expect(body.error.details?.field).toBe("options.concurrency");
    expect(body.error.message).toContain("PIPELINE_CONCURRENCY");
    expect(below.status).toBe(202);
  });

  it("checks a prioritization's items", async () => {
    registerTasks(prioritizationTask);
    const input = { framework: "rice", itemIds: [randomUUID()] };
    const response = await startThroughApi({ workspaceId, kind: "prioritization", input });
    const body = (await response.json()) as { error: { code: string; details?: { field?: string } } };

    expect(response.status).toBe(404);
    expect(body.error.details?.field).toBe("itemIds");
  });

  it("checks a stream's token again", async () => {
    const holder = await createTokenUser(harness.handle, { workspaceIds: [workspaceId] });
    const request = new Request("http://127.0.0.1/api/v1/runs", { headers: holder.headers });
    const check = createAccessCheck(request, await requireActor(request));

    const before = await check();
    await revokeApiToken(harness.handle.db, { tokenId: holder.tokenId, userId: holder.userId });
    const after = await check();

    expect(before).toBe(true);
    expect(after).toBe(false);
  });

  it("rejects invalid task input naming its path", async () => {
    const response = await startThroughApi({ workspaceId, kind: TEST_TASK_KIND, input: { groups: [] } });
    const error = await errorOf(response);

    expect(response.status).toBe(400);
    expect(error.fields?.map((field) => field.path)).toEqual(["input.groups"]);
  });

  it("hides another workspace as not found", async () => {
    const response = await startThroughApi({ workspaceId, kind: TEST_TASK_KIND, input: oneGroup("x") }, outsider);

    expect(response.status).toBe(404);
  });

  it("forbids viewers to start runs", async () => {
    const response = await startThroughApi({ workspaceId, kind: TEST_TASK_KIND, input: oneGroup("x") }, viewer);

    expect(response.status).toBe(403);
  });

  it("returns a run with its calls to members and admins", async () => {
    const run = await startedRun("api-read");
    await harness.waitForRun(run.id);

    const forMember = await getRun(run.id, member, "?include=calls");
    const forAdmin = await getRun(run.id, admin);
    const forOutsider = await getRun(run.id, outsider);
    const body = (await forMember.json()) as { run: Run; batches: unknown[]; calls: unknown[] };

    expect(forMember.status).toBe(200);
    expect(body.run.status).toBe("completed");
    expect(body.batches).toHaveLength(1);
    expect(body.calls).toHaveLength(1);
    expect(forAdmin.status).toBe(200);
    expect(forOutsider.status).toBe(404);
  });

  it("lists runs of a workspace, and of all for admins", async () => {
    const forMember = await callRoute(runsRoute.GET, {
      path: `/api/v1/runs?workspaceId=${workspaceId}`,
      headers: member.headers,
    });
    const withoutWorkspace = await callRoute(runsRoute.GET, { path: "/api/v1/runs", headers: member.headers });
    const forAdmin = await callRoute(runsRoute.GET, { path: "/api/v1/runs", headers: admin.headers });

    expect(forMember.status).toBe(200);
    expect(((await forMember.json()) as { runs: unknown[] }).runs.length).toBeGreaterThan(0);
    expect(withoutWorkspace.status).toBe(400);
    expect(forAdmin.status).toBe(200);
  });

  it("answers 409 to cancel or retry a completed run", async () => {
    const run = await startedRun("api-finished");
    await harness.waitForRun(run.id);

    const cancel = await callRoute(cancelRoute.POST, {
      path: `/api/v1/runs/${run.id}/cancel`,
      method: "POST",
      headers: member.headers,
      params: { runId: run.id },
    });
    const retry = await callRoute(retryRoute.POST, {
      path: `/api/v1/runs/${run.id}/retry`,
      method: "POST",
      headers: member.headers,
      params: { runId: run.id },
    });

    expect(cancel.status).toBe(409);
    expect(retry.status).toBe(409);
  });

  it("streams the state of a finished run as server-sent events", async () => {
    const run = await startedRun("api-events");
    await harness.waitForRun(run.id);

    const response = await callRoute(eventsRoute.GET, {
      path: `/api/v1/runs/${run.id}/events`,
      headers: member.headers,
      params: { runId: run.id },
    });
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(text).toMatch(/^retry: 2000\n\nid: \d+\nevent: state\n/);
  });

  it("hides the event stream of another workspace's run", async () => {
    const run = await startedRun("api-events-hidden");

    const response = await callRoute(eventsRoute.GET, {
      path: `/api/v1/runs/${run.id}/events`,
      headers: outsider.headers,
      params: { runId: run.id },
    });

    expect(response.status).toBe(404);
  });
});
